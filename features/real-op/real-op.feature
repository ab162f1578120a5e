@real-op
Feature: A real provider, with a real browser at its login
  The conversation of an RP with a real provider: by default a local oidc-provider that the test
  run starts on loopback, or the live provider a configuration describes
  (`oidc-harness live --config FILE`). Real Chromium plays the user: it opens the authorization
  request, does the provider's login steps (its login, consent and "stay signed in" pages), and is
  sent back to the RP's redirect URI, where a real listener on loopback serves the RP's endpoints.
  One browser context per scenario keeps the provider's session from the login to the logout.
  Every exchange is recorded (secrets redacted), the login is photographed (secret fields masked),
  and what the provider does that departs from a specification is reported as an interop finding.
  A scenario that needs what the provider or the configuration does not offer is skipped, saying
  why.

  Background:
    Given the provider under test, with Chromium at its login

  @registration
  Scenario: The RP discovers the provider and registers itself dynamically
    Given the RP registers itself dynamically
    When the RP discovers the provider
    And the RP registers itself with the provider
    Then the RP holds the client_id and client secret the provider issued

  @webfinger
  Scenario: The RP finds the provider with WebFinger
    Given the RP finds the provider with WebFinger from the user's identifier
    When the RP discovers the provider
    Then the RP found the issuer with WebFinger

  @code-flow
  Scenario Outline: The code flow with PKCE through the provider's login, the client authenticating with <method>
    Given the RP uses a client that authenticates with <method>
    When the user signs in at the provider through the RP
    Then the RP verified the ID token and read the user's claims
    And the RP authenticated at the token endpoint with <method>
    And the authorization request carried an S256 PKCE challenge

    Examples:
      | method              |
      | client_secret_basic |
      | client_secret_post  |
      | private_key_jwt     |

  @keys
  Scenario: The RP verifies the ID token with the provider's real keys
    When the user signs in at the provider through the RP
    Then the RP verified the ID token's signature with a key from the provider's jwks_uri

  @refresh
  Scenario: The RP refreshes its tokens
    Given the RP asks for offline access as well
    When the user signs in at the provider through the RP
    And the RP refreshes the tokens with the refresh token
    Then the RP holds the refreshed tokens

  @logout
  Scenario: The user signs out at the RP, in the browser that signed in, and the provider sends it back
    Given the provider offers RP-initiated logout to the RP
    When the user signs in at the provider through the RP
    And the user signs out at the RP
    Then the provider sent the browser back to the RP's post_logout_redirect_uri
    And the RP's session is over
    And the provider's session is over: signing in again asks for the user's credentials

  @form-post
  Scenario: The provider posts the response to the RP (response_mode=form_post)
    Given the RP asks the provider to post the response to it (response_mode=form_post)
    When the user signs in at the provider through the RP
    Then the RP verified the ID token and read the user's claims
