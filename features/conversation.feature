@conversation
Feature: A conversation between an RP and an OP it has never seen
  The RP starts from nothing but what the user typed. It finds the OP with WebFinger, learns
  what the OP can do through provider discovery, registers itself, sends the user to log in,
  exchanges the code for tokens and finally asks who the user is. Each step is one service of
  the service layer: the service builds the request, the transport sends it, and the service
  parses, verifies and records the answer. Every session lives in the state store under the
  value of `state`.

  This is the conversation of the oidcservice documentation, told with its own values.

  Background:
    Given an OP at "https://example.com" that registers new clients as "zls2qhN1jO6A"
    And an RP at "https://example.org" with these client preferences:
      | application_type           | web                                     |
      | application_name           | rphandler                               |
      | contacts                   | ops@example.org                         |
      | response_types             | code                                    |
      | scope                      | openid, profile, email, address, phone  |
      | token_endpoint_auth_method | client_secret_basic, client_secret_post |
    And the RP's redirect URI is "https://example.org/authz_cb" and its key set is published at "https://example.org/static/jwks.json"

  Scenario Outline: From a user identifier to the user's claims, the RP process <lifecycle>
    Given the RP keeps its sessions in the <store> store
    And the RP process <lifecycle>
    And the RP knows only the user identifier "foobar@example.com"

    When the RP asks WebFinger where the user's OP is
    Then the WebFinger request is a GET of "https://example.com/.well-known/webfinger?resource=acct%3Afoobar%40example.com&rel=http%3A%2F%2Fopenid.net%2Fspecs%2Fconnect%2F1.0%2Fissuer"
    And the RP now knows the issuer is "https://example.com"

    When the RP fetches the OP's provider information
    Then the discovery request is a GET of "https://example.com/.well-known/openid-configuration"
    And the RP knows the OP's "authorization_endpoint" is "https://example.com/authorization"
    And the RP's behaviour keeps of its preferences what the OP supports:
      | response_types             | ["code"]                                              |
      | token_endpoint_auth_method | "client_secret_basic"                                 |
      | scope                      | ["openid","profile","email","address","phone"]        |

    When the RP registers with the OP
    Then the registration request is a POST of JSON to "https://example.com/registration" holding:
      | application_type | "web"                                  |
      | response_types   | ["code"]                               |
      | contacts         | ["ops@example.org"]                    |
      | jwks_uri         | "https://example.org/static/jwks.json" |
      | redirect_uris    | ["https://example.org/authz_cb"]       |
    And the RP is now client "zls2qhN1jO6A" with the client secret the OP gave it

    When the RP sends the user to the OP to log in with the scope "openid"
    Then the authorization request is a GET of "https://example.com/authorization" with these parameters, in this order:
      | state                 | a fresh random value         |
      | nonce                 | a fresh random value         |
      | response_type         | code                         |
      | client_id             | zls2qhN1jO6A                 |
      | scope                 | openid                       |
      | redirect_uri          | https://example.org/authz_cb |
      | code_challenge        | a fresh random value         |
      | code_challenge_method | S256                         |
    And the state store holds a new session under that state, for the issuer "https://example.com"

    When the user logs in and the OP redirects the browser back to the RP
    Then the RP accepts the authorization response, which carries a code and the session's state

    When the RP asks for an access token with the session's code
    Then the token request is a POST to "https://example.com/token" with HTTP Basic client authentication and this form body, in this order:
      | grant_type    | authorization_code           |
      | state         | the session's state          |
      | redirect_uri  | https://example.org/authz_cb |
      | code          | the session's code           |
      | client_id     | zls2qhN1jO6A                 |
      | code_verifier | the session's PKCE verifier  |
    And the RP accepts the ID token, issued by "https://example.com" for "zls2qhN1jO6A" with the nonce it sent

    When the RP asks for the user's information
    Then the userinfo request is a GET of "https://example.com/userinfo" with the access token as a Bearer token
    And the user info holds only the "sub" of the ID token

    Then the session in the state store holds "iss", "auth_request", "auth_response", "token_response" and "user_info"
    And the RP process was started <starts>

    Examples:
      | store      | lifecycle                  | starts  |
      | in-memory  | keeps running              | once    |
      | persistent | keeps running              | once    |
      | persistent | restarts before every step | 7 times |
