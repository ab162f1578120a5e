@profile:security
Feature: Security: sessions that hold against a hostile browser and a hostile issuer
  No certification suite tests these; an attacker tries them first. Each scenario tells one
  attack on the RP's sessions or on its network, and what a hard-to-break RP does about it: it
  refuses at a named check, before anything depends on what it refused, and the OP's request log
  shows that nothing followed.

  A login starts at the RP's login URI, which gives the browser a login cookie (HttpOnly,
  SameSite=Lax, Secure, __Host-): the authorization response is taken only from the browser that
  holds it, only once, and only within 10 minutes. URLs that the OP, or whoever sends the user to
  the RP, names are fetched only over https and never inside the RP's own network.

  Background:
    Given the RP uses the response type "code"

  Scenario: Login CSRF: the attacker's authorization response, brought back by the victim's browser
    Given the certification OP runs the test "oidcc-client-test"
    And an attacker started a login at the RP in the attacker's own browser, and kept its authorization response
    When the victim's browser brings the attacker's authorization response back
    Then the RP refuses it because this browser did not start that login
    And the OP saw no token request
    And the victim's browser holds no session at the RP

  Scenario Outline: A replayed authorization response, login cookie included: <flow>
    Given the certification OP runs the test "oidcc-client-test"
    And the RP uses the response type "<response type>"
    And an attacker sees every request the user's browser sends to the RP
    When the user logs in at the OP
    And the attacker replays the user's authorization response to the RP, login cookie included
    Then the RP refuses it because that login was already completed
    And the OP saw <token requests> token request
    And the user's session at the RP is still the one of the first login

    Examples:
      | flow                          | response type  | token requests |
      | the code flow's callback       | code           | one            |
      | an implicit response           | id_token token | no             |
      | a hybrid response              | code id_token  | one            |

  Scenario: The browser goes back to the callback: its login cookie has served, the code is not sent again
    Given the certification OP runs the test "oidcc-client-test"
    When the user logs in at the OP
    And the user's browser opens the RP's callback URL again
    Then the RP refuses it because this browser did not start that login
    And the OP saw one token request

  Scenario: A login that comes back after it expired
    Given the certification OP runs the test "oidcc-client-test"
    And the RP lets a login wait 10 minutes for its authorization response
    When the user starts a login and comes back from the OP 11 minutes later
    Then the RP refuses it because that login has expired
    And the OP saw no token request

  Scenario Outline: An anonymous third-party login names an issuer of the attacker's choosing: <where>
    Given the certification OP runs the test "oidcc-client-test"
    When an anonymous request to the RP's login initiation URI names the issuer "<issuer>"
    Then the RP refuses it because it names an issuer the RP is not configured for
    And the RP sent nothing to "<issuer>"
    And the RP is bound to no issuer

    Examples:
      | where                                | issuer                                    |
      | the cloud's metadata service         | https://169.254.169.254/latest/meta-data  |
      | the RP's own machine                 | https://127.0.0.1:8443                    |
      | an OP the attacker runs              | https://attacker.example                  |

  Scenario: A third-party login names another issuer than the OP the RP uses
    Given the certification OP runs the test "oidcc-client-test"
    And the RP finds the OP
    When an anonymous request to the RP's login initiation URI names the issuer "https://attacker.example"
    Then the RP refuses it because it names an issuer the RP is not configured for
    And the RP sent nothing to "https://attacker.example"

  Scenario Outline: SSRF: the OP names an endpoint inside the RP's network, <what>
    Given the certification OP runs the test "oidcc-client-test"
    And the OP's discovery document names "<url>" as its <endpoint>
    When the user logs in at the OP
    Then the RP refuses it because it points into the private network
    And the RP sent nothing to "<url>"

    Examples:
      | what                                            | endpoint          | url                                        |
      | the cloud's metadata service as userinfo        | userinfo_endpoint | https://169.254.169.254/latest/meta-data/  |
      | a private address as token endpoint             | token_endpoint    | https://10.0.0.5/token                     |
      | loopback, IPv4-mapped, as its key set           | jwks_uri          | https://[::ffff:127.0.0.1]/jwks            |

  Scenario Outline: The OP's userinfo names a distributed claims source <where>
    Given the certification OP runs the test "oidcc-client-test"
    And the OP's userinfo names a distributed claims source at "<endpoint>", with an access token for it
    When the user logs in at the OP
    Then the RP refuses it because <reason>
    And the RP sent nothing to "<endpoint>"

    Examples:
      | where                 | endpoint                                 | reason                                  |
      | over plain http       | http://claims.example/source             | its endpoint is not an https URL        |
      | inside the network    | https://192.168.10.20/claims             | it points into the private network      |

  Scenario: The ID token carries no nonce, though the RP sent one
    Given the certification OP runs the test "oidcc-client-test"
    And the OP leaves the nonce out of its ID tokens
    When the user logs in at the OP
    Then the RP rejects the ID token because it carries no nonce
    And the RP sends the OP no further request

  Scenario: The ID token arrives only signed, though the RP registered its encryption
    Given the certification OP runs the test "oidcc-client-test"
    And the RP registers "id_token_encrypted_response_alg" as "RSA-OAEP"
    And the RP registers "id_token_encrypted_response_enc" as "A128CBC-HS256"
    And the OP sends its ID tokens signed but not encrypted
    When the user logs in at the OP
    Then the RP rejects the ID token because it arrived unencrypted, though the RP registered encryption
    And the RP sends the OP no further request
