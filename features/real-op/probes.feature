@real-op @probes
Feature: Probes of the provider itself
  The interop bugs that hurt RPs most are a provider that accepts what it must refuse. Each
  scenario sends the provider one probe, after the OpenID Foundation's OP certification tests: a
  request it must refuse, or an answer checked against its clause. The probes are defined in one
  registry (live/probes/probes.ts), each with what it sends, what its clause demands and the clause.
  A probe passes when the provider does what the clause demands; how it refuses (the error code,
  the status, a header) and what it only SHOULD do are interop findings, which never fail a probe.
  A probe that needs what the provider does not offer is skipped with its reason.

  Background:
    Given the provider under test, with Chromium at its login

  @probe:code-reuse
  Scenario: An authorization code used twice is refused, and the tokens issued with it are revoked
    When the harness sends the provider the probe "code-reuse"
    Then the provider answered as its clause demands

  @probe:redirect-uri-mismatch
  Scenario: A redirect_uri at the token endpoint other than the authorization request's is refused
    When the harness sends the provider the probe "redirect-uri-mismatch"
    Then the provider answered as its clause demands

  @probe:pkce-wrong-verifier
  Scenario: A PKCE verifier that does not match the challenge is refused
    When the harness sends the provider the probe "pkce-wrong-verifier"
    Then the provider answered as its clause demands

  @probe:pkce-missing-verifier
  Scenario: A code without its PKCE verifier, after a challenge was sent, is refused
    When the harness sends the provider the probe "pkce-missing-verifier"
    Then the provider answered as its clause demands

  @probe:pkce-downgrade
  Scenario: A PKCE verifier for a code issued without a challenge is refused (a downgrade)
    When the harness sends the provider the probe "pkce-downgrade"
    Then the provider answered as its clause demands

  @probe:wrong-client-secret
  Scenario: A wrong client secret is refused with invalid_client
    When the harness sends the provider the probe "wrong-client-secret"
    Then the provider answered as its clause demands

  @probe:unregistered-redirect-uri
  Scenario: The provider does not send the browser to an unregistered redirect_uri
    When the harness sends the provider the probe "unregistered-redirect-uri"
    Then the provider answered as its clause demands

  @probe:unsupported-response-type
  Scenario: An unsupported response_type is refused with unsupported_response_type
    When the harness sends the provider the probe "unsupported-response-type"
    Then the provider answered as its clause demands

  @probe:no-openid-scope
  Scenario: A request without the openid scope is answered, not failed on
    When the harness sends the provider the probe "no-openid-scope"
    Then the provider answered as its clause demands

  @probe:prompt-none-without-session
  Scenario: prompt=none without a session returns login_required or interaction_required
    When the harness sends the provider the probe "prompt-none-without-session"
    Then the provider answered as its clause demands

  @probe:max-age-auth-time
  Scenario: With max_age, the ID token carries auth_time
    When the harness sends the provider the probe "max-age-auth-time"
    Then the provider answered as its clause demands

  @probe:max-age-zero
  Scenario: max_age=0 makes the provider authenticate the user again
    When the harness sends the provider the probe "max-age-zero"
    Then the provider answered as its clause demands

  @probe:state-and-nonce-echoed
  Scenario: state and nonce come back exactly as sent
    When the harness sends the provider the probe "state-and-nonce-echoed"
    Then the provider answered as its clause demands

  @probe:userinfo-invalid-token
  Scenario: The userinfo endpoint refuses an invalid access token with 401 and WWW-Authenticate
    When the harness sends the provider the probe "userinfo-invalid-token"
    Then the provider answered as its clause demands

  @probe:refresh-token-other-client
  Scenario: A refresh token presented by another client is refused
    When the harness sends the provider the probe "refresh-token-other-client"
    Then the provider answered as its clause demands

  @probe:refresh-token-unknown
  Scenario: An unknown refresh token is refused with invalid_grant
    When the harness sends the provider the probe "refresh-token-unknown"
    Then the provider answered as its clause demands

  @probe:discovery-and-jwks
  Scenario: The discovery document and the JWK Set are well formed
    When the harness sends the provider the probe "discovery-and-jwks"
    Then the provider answered as its clause demands
