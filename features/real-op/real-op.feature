@real-op
Feature: A real OP, with a real browser at the login
  The same conversation as against the mock OP, but with a real provider: by default a local
  oidc-provider that the test run starts on loopback, or the live provider a user configures
  (`oidc-harness live --config FILE`). Real Chromium plays the user: it opens the authorization
  request, fills in the provider's login and consent pages, and is sent back to the RP's redirect
  URI, where a real listener on loopback serves the RP's endpoints. Every exchange is recorded
  (secrets redacted), the login is photographed before submitting and after the redirect (the
  password masked), and whatever the provider does that departs from a specification is reported
  as an interop finding.

  Background:
    Given the OP under test, with a real browser at its login

  Scenario: The RP discovers the OP and registers itself dynamically
    Given the RP registers itself dynamically rather than using a client registered beforehand
    When the RP finds the OP
    And the RP registers itself with the OP
    Then the RP holds the client_id and secret the OP registered

  Scenario Outline: The code flow with PKCE through a browser login, the client authenticating with <method>
    Given the RP uses the client registered beforehand that authenticates with <method>
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
    And the token request authenticated the client with <method>
    And the authorization request carried a PKCE challenge

    Examples:
      | method              |
      | client_secret_basic |
      | client_secret_post  |
      | private_key_jwt     |

  Scenario: The RP verifies the ID token with the OP's real keys and reads the user's claims
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
    And the RP fetched the OP's keys from the discovered jwks_uri

  Scenario: The RP refreshes its tokens
    Given the RP asks for the scope "openid profile email offline_access"
    When the user logs in at the OP
    And the RP refreshes its tokens
    Then the RP accepts the refreshed tokens

  Scenario: The user logs out at the RP, and the OP sends the browser back
    When the user logs in at the OP
    And the user logs out at the RP
    Then the RP accepts the post-logout redirect and the session is over

  Scenario: The OP posts the response to the RP (response_mode=form_post)
    Given the RP asks for the response mode "form_post"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
