@profile:dynamic
Feature: Dynamic RP profile: from a user identifier to a registered client
  A Dynamic RP knows nothing of the OP beforehand. It finds the issuer with WebFinger, reads the
  discovery document, and registers itself, after which it logs the user in as any RP does. It can
  also send its authorization request as a request object that the OP fetches from the RP
  (request_uri), and ask for a signed userinfo response.

  @oidcc-client-test-discovery-webfinger-acct @rp-discovery-webfinger-acct
  Scenario: The user gives an acct: identifier
    Given the certification OP runs the test "oidcc-client-test-discovery-webfinger-acct"
    And the RP finds the OP with WebFinger from an "acct:" identifier
    When the user logs in at the OP
    Then the RP accepts the login

  @oidcc-client-test-discovery-webfinger-url @rp-discovery-webfinger-url
  Scenario: The user gives a URL identifier
    Given the certification OP runs the test "oidcc-client-test-discovery-webfinger-url"
    And the RP finds the OP with WebFinger from an "URL" identifier
    When the user logs in at the OP
    Then the RP accepts the login

  @oidcc-client-test-discovery-openid-config @rp-discovery-openid-configuration
  Scenario: The RP uses the discovered configuration
    Given the certification OP runs the test "oidcc-client-test-discovery-openid-config"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

  @oidcc-client-test-discovery-jwks-uri-keys @rp-discovery-jwks_uri-keys
  Scenario: The OP's keys are at a jwks_uri that only discovery tells
    Given the certification OP runs the test "oidcc-client-test-discovery-jwks-uri-keys"
    When the user logs in at the OP
    Then the RP accepts the login
    And the RP fetched the OP's keys from the discovered jwks_uri

  @oidcc-client-test-discovery-issuer-mismatch @rp-discovery-issuer-not-matching-config
  Scenario: The discovery document names another issuer
    Given the certification OP runs the test "oidcc-client-test-discovery-issuer-mismatch"
    When the user logs in at the OP
    Then the RP rejects the discovery document because its issuer is not the one it was fetched from
    And the RP sends the OP no further request

  @oidcc-client-test-idtoken-sig-none @rp-id_token-sig-none
  Scenario: The RP registers for unsigned ID tokens from the token endpoint
    Given the certification OP runs the test "oidcc-client-test-idtoken-sig-none"
    And the RP registers "id_token_signed_response_alg" as "none"
    When the user logs in at the OP
    Then the RP accepts the unsigned ID token and reads the user's claims; rejecting it would be allowed

  @oidcc-client-test-signing-key-rotation-just-before-signing @rp-key-rotation-op-sign-key-native
  Scenario: The OP rotates its signing key just before it signs the first ID token
    Given the certification OP runs the test "oidcc-client-test-signing-key-rotation-just-before-signing"
    When the user logs in at the OP
    Then the RP accepts the login

  @oidcc-client-test-signing-key-rotation @rp-key-rotation-op-sign-key
  Scenario: The OP rotates its signing key after the first ID token
    Given the certification OP runs the test "oidcc-client-test-signing-key-rotation"
    When the user logs in at the OP
    And the user logs in at the OP again
    Then the RP completed 2 logins
    And the RP fetched the OP's keys 2 times

  @oidcc-client-test-dynamic-registration @rp-registration-dynamic
  Scenario: The RP registers dynamically
    Given the certification OP runs the test "oidcc-client-test-dynamic-registration"
    When the RP finds the OP
    And the RP registers itself with the OP
    Then the RP holds the client_id and secret the OP registered
    When the user logs in at the OP
    Then the RP accepts the login

  @oidcc-client-test-request-uri-signed-rs256 @rp-request_uri-sig
  Scenario: The OP expects a signed request object by reference
    Given the certification OP runs the test "oidcc-client-test-request-uri-signed-rs256"
    And the RP registers "request_object_signing_alg" as "RS256"
    And the RP sends its authorization request as a request object by reference
    When the user logs in at the OP
    Then the RP accepts the login
    And the authorization request passed a request object by reference

  @oidcc-client-test-request-uri-signed-none @rp-request_uri-unsigned
  Scenario: The OP expects an unsigned request object by reference
    Given the certification OP runs the test "oidcc-client-test-request-uri-signed-none"
    And the RP registers "request_object_signing_alg" as "none"
    And the RP sends its authorization request as a request object by reference
    When the user logs in at the OP
    Then the RP accepts the login
    And the authorization request passed a request object by reference

  @oidcc-client-test-userinfo-signed @rp-userinfo-sig
  Scenario: The RP asks for a signed userinfo response
    Given the certification OP runs the test "oidcc-client-test-userinfo-signed"
    And the RP registers "userinfo_signed_response_alg" as "RS256"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
