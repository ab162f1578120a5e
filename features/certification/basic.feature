@profile:basic
Feature: Basic RP profile: the authorization code flow
  An RP of the Basic profile sends the user to the OP with response_type=code, exchanges the code
  at the token endpoint and verifies the ID token it gets there before it trusts anything in it.
  Each scenario runs one test of the certification OP, whose issuer names the test, so that the
  OP misbehaves in exactly the way the test is about. In every scenario the RP discovers the OP
  and registers dynamically first.

  A negative scenario checks two things, as the certification suite does: the RP refuses at the
  named check, and it sends the OP nothing more that depends on what it refused (no userinfo
  request after a rejected ID token).

  Background:
    Given the RP uses the response type "code"

  @oidcc-client-test @rp-response_type-code
  Scenario: A well-behaved OP: the RP completes the code flow
    Given the certification OP runs the test "oidcc-client-test"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

  Scenario Outline: The ID token from the token endpoint is bad: <what>
    Given the certification OP runs the test "<test>"
    When the user logs in at the OP
    Then the RP rejects the ID token because <reason>
    And the RP sends the OP no further request

    @oidcc-client-test-invalid-iss @rp-id_token-issuer-mismatch
    Examples: the issuer
      | test                          | what                          | reason                   |
      | oidcc-client-test-invalid-iss | its iss is not the OP's issuer | its issuer is not the OP's |

    @oidcc-client-test-missing-sub @rp-id_token-sub
    Examples: the subject
      | test                          | what          | reason              |
      | oidcc-client-test-missing-sub | it has no sub | it names no subject |

    @oidcc-client-test-invalid-aud @rp-id_token-aud
    Examples: the audience
      | test                          | what                        | reason                          |
      | oidcc-client-test-invalid-aud | its aud is another client's | it is not meant for this client |

    @oidcc-client-test-missing-iat @rp-id_token-iat
    Examples: the issue time
      | test                          | what          | reason              |
      | oidcc-client-test-missing-iat | it has no iat | it has no issue time |

    @oidcc-client-test-invalid-sig-rs256 @rp-id_token-bad-sig-rs256
    Examples: the signature
      | test                                | what                                 | reason                          |
      | oidcc-client-test-invalid-sig-rs256 | its RS256 signature has been altered | its signature does not verify |

    @oidcc-client-test-nonce-invalid @rp-nonce-invalid
    Examples: the nonce
      | test                            | what                              | reason                                 |
      | oidcc-client-test-nonce-invalid | its nonce is not the one the RP sent | its nonce is not the one the RP sent |

  @oidcc-client-test-kid-absent-single-jwks @rp-id_token-kid-absent-single-jwks
  Scenario: The ID token names no kid, and the OP has a single key
    Given the certification OP runs the test "oidcc-client-test-kid-absent-single-jwks"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

  @oidcc-client-test-kid-absent-multiple-jwks @rp-id_token-kid-absent-multiple-jwks
  Scenario: The ID token names no kid, and the OP has several keys
    Given the certification OP runs the test "oidcc-client-test-kid-absent-multiple-jwks"
    When the user logs in at the OP
    Then the RP either accepts the login or rejects the ID token because it names no key and the OP has several; both pass

  @oidcc-client-test-idtoken-sig-rs256 @rp-id_token-sig-rs256
  Scenario: The ID token is signed with RS256
    Given the certification OP runs the test "oidcc-client-test-idtoken-sig-rs256"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

  @oidcc-client-test-idtoken-sig-none @rp-id_token-sig-none
  Scenario: The ID token from the token endpoint is not signed, as the RP registered
    Given the certification OP runs the test "oidcc-client-test-idtoken-sig-none"
    And the RP registers "id_token_signed_response_alg" as "none"
    When the user logs in at the OP
    Then the RP accepts the unsigned ID token and reads the user's claims; rejecting it would be allowed

  @oidcc-client-test-userinfo-invalid-sub @rp-userinfo-bad-sub-claim
  Scenario: The userinfo response is about another user
    Given the certification OP runs the test "oidcc-client-test-userinfo-invalid-sub"
    When the user logs in at the OP
    Then the RP rejects the userinfo response because its subject is not the ID token's

  @oidcc-client-test-scope-userinfo-claims @rp-scope-userinfo-claims
  Scenario: The RP asks for claims by scope and uses them
    Given the certification OP runs the test "oidcc-client-test-scope-userinfo-claims"
    And the RP asks for the scope "openid profile email address phone"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
    And the user's claims include "name, email, address, phone_number"

  @oidcc-client-test-client-secret-basic @rp-token_endpoint-client_secret_basic
  Scenario: The OP accepts only client_secret_basic at the token endpoint
    Given the certification OP runs the test "oidcc-client-test-client-secret-basic"
    When the user logs in at the OP
    Then the RP accepts the login
    And the token request authenticated the client with client_secret_basic
