@profile:form-post
Feature: Form Post RP profile: the Basic, Implicit and Hybrid tests with response_mode=form_post
  With response_mode=form_post the OP does not put the response in the redirect URL: it answers
  the browser with a page whose form posts the response to the RP's redirect URI. The RP must
  read it from the POST body and apply every check it applies in the other modes. These are the
  Basic, Implicit and Hybrid profiles' tests again, each in this mode.

  Background:
    Given the RP asks for the response mode "form_post"

  @rp-response_mode-form_post
  Scenario Outline: The OP form-posts every response; the RP reads it (<response type>)
    Given the certification OP runs the test "rp-response_mode-form_post"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP accepts the login

    Examples:
      | response type       |
      | code                |
      | id_token            |
      | id_token token      |
      | code id_token       |
      | code token          |
      | code id_token token |

  # The Basic profile's tests
  @oidcc-client-test @rp-response_type-code
  Scenario: A well-behaved OP: the RP completes the code flow
    Given the RP uses the response type "code"
    And the certification OP runs the test "oidcc-client-test"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

  Scenario Outline: The ID token from the token endpoint is bad: <what>
    Given the RP uses the response type "code"
    And the certification OP runs the test "<test>"
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
    Given the RP uses the response type "code"
    And the certification OP runs the test "oidcc-client-test-kid-absent-single-jwks"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

  @oidcc-client-test-kid-absent-multiple-jwks @rp-id_token-kid-absent-multiple-jwks
  Scenario: The ID token names no kid, and the OP has several keys
    Given the RP uses the response type "code"
    And the certification OP runs the test "oidcc-client-test-kid-absent-multiple-jwks"
    When the user logs in at the OP
    Then the RP either accepts the login or rejects the ID token because it names no key and the OP has several; both pass

  @oidcc-client-test-idtoken-sig-rs256 @rp-id_token-sig-rs256
  Scenario: The ID token is signed with RS256
    Given the RP uses the response type "code"
    And the certification OP runs the test "oidcc-client-test-idtoken-sig-rs256"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

  @oidcc-client-test-idtoken-sig-none @rp-id_token-sig-none
  Scenario: The ID token from the token endpoint is not signed, as the RP registered
    Given the RP uses the response type "code"
    And the certification OP runs the test "oidcc-client-test-idtoken-sig-none"
    And the RP registers "id_token_signed_response_alg" as "none"
    When the user logs in at the OP
    Then the RP accepts the unsigned ID token and reads the user's claims; rejecting it would be allowed

  @oidcc-client-test-userinfo-invalid-sub @rp-userinfo-bad-sub-claim
  Scenario: The userinfo response is about another user
    Given the RP uses the response type "code"
    And the certification OP runs the test "oidcc-client-test-userinfo-invalid-sub"
    When the user logs in at the OP
    Then the RP rejects the userinfo response because its subject is not the ID token's

  @oidcc-client-test-scope-userinfo-claims @rp-scope-userinfo-claims
  Scenario: The RP asks for claims by scope and uses them
    Given the RP uses the response type "code"
    And the certification OP runs the test "oidcc-client-test-scope-userinfo-claims"
    And the RP asks for the scope "openid profile email address phone"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
    And the user's claims include "name, email, address, phone_number"

  @oidcc-client-test-client-secret-basic @rp-token_endpoint-client_secret_basic
  Scenario: The OP accepts only client_secret_basic at the token endpoint
    Given the RP uses the response type "code"
    And the certification OP runs the test "oidcc-client-test-client-secret-basic"
    When the user logs in at the OP
    Then the RP accepts the login
    And the token request authenticated the client with client_secret_basic

  # The Implicit profile's tests
  Scenario Outline: A well-behaved OP: the RP completes the implicit flow (<response type>)
    Given the certification OP runs the test "<test>"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP accepts the login

    @oidcc-client-test @rp-response_type-id_token @rp-response_type-id_token+token
    Examples:
      | test              | response type  |
      | oidcc-client-test | id_token       |
      | oidcc-client-test | id_token token |

    @oidcc-client-test-kid-absent-single-jwks @rp-id_token-kid-absent-single-jwks
    Examples: the ID token names no kid, and the OP has one key
      | test                                     | response type  |
      | oidcc-client-test-kid-absent-single-jwks | id_token       |
      | oidcc-client-test-kid-absent-single-jwks | id_token token |

    @oidcc-client-test-idtoken-sig-rs256 @rp-id_token-sig-rs256
    Examples: the ID token is signed with RS256
      | test                                | response type  |
      | oidcc-client-test-idtoken-sig-rs256 | id_token       |
      | oidcc-client-test-idtoken-sig-rs256 | id_token token |

  Scenario Outline: The ID token in the fragment is bad: <reason> (<response type>)
    Given the certification OP runs the test "<test>"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP rejects the ID token because <reason>
    And the RP sends the OP no further request

    @oidcc-client-test-invalid-iss @rp-id_token-issuer-mismatch
    Examples: the issuer
      | test                          | response type  | reason                     |
      | oidcc-client-test-invalid-iss | id_token       | its issuer is not the OP's |
      | oidcc-client-test-invalid-iss | id_token token | its issuer is not the OP's |

    @oidcc-client-test-missing-sub @rp-id_token-sub
    Examples: the subject
      | test                          | response type  | reason              |
      | oidcc-client-test-missing-sub | id_token       | it names no subject |
      | oidcc-client-test-missing-sub | id_token token | it names no subject |

    @oidcc-client-test-invalid-aud @rp-id_token-aud
    Examples: the audience
      | test                          | response type  | reason                          |
      | oidcc-client-test-invalid-aud | id_token       | it is not meant for this client |
      | oidcc-client-test-invalid-aud | id_token token | it is not meant for this client |

    @oidcc-client-test-missing-iat @rp-id_token-iat
    Examples: the issue time
      | test                          | response type  | reason               |
      | oidcc-client-test-missing-iat | id_token       | it has no issue time |
      | oidcc-client-test-missing-iat | id_token token | it has no issue time |

    @oidcc-client-test-invalid-sig-rs256 @rp-id_token-bad-sig-rs256
    Examples: the signature
      | test                                | response type  | reason                        |
      | oidcc-client-test-invalid-sig-rs256 | id_token       | its signature does not verify |
      | oidcc-client-test-invalid-sig-rs256 | id_token token | its signature does not verify |

    @oidcc-client-test-nonce-invalid @rp-nonce-invalid
    Examples: the nonce
      | test                            | response type  | reason                               |
      | oidcc-client-test-nonce-invalid | id_token       | its nonce is not the one the RP sent |
      | oidcc-client-test-nonce-invalid | id_token token | its nonce is not the one the RP sent |

    @oidcc-client-test-invalid-athash @rp-id_token-bad-at_hash
    Examples: at_hash does not match the access token
      | test                             | response type  | reason                                      |
      | oidcc-client-test-invalid-athash | id_token token | its at_hash does not match the access token |

    @oidcc-client-test-missing-athash @rp-id_token-missing-at_hash
    Examples: at_hash is missing
      | test                             | response type  | reason           |
      | oidcc-client-test-missing-athash | id_token token | it has no at_hash |

  Scenario Outline: The ID token names no kid, and the OP has several keys (<response type>)
    Given the certification OP runs the test "oidcc-client-test-kid-absent-multiple-jwks"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP either accepts the login or rejects the ID token because it names no key and the OP has several; both pass

    @oidcc-client-test-kid-absent-multiple-jwks @rp-id_token-kid-absent-multiple-jwks
    Examples:
      | response type  |
      | id_token       |
      | id_token token |

  Scenario Outline: The RP sends a nonce, which the implicit flow requires (<response type>)
    Given the certification OP runs the test "oidcc-client-test-nonce-unless-code-flow"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP accepts the login
    And the authorization request carried a nonce

    @oidcc-client-test-nonce-unless-code-flow @rp-nonce-unless-code-flow
    Examples:
      | response type  |
      | id_token       |
      | id_token token |

  @oidcc-client-test-scope-userinfo-claims @rp-scope-userinfo-claims
  Scenario: Claims by scope, in the ID token when there is no access token (id_token)
    Given the certification OP runs the test "oidcc-client-test-scope-userinfo-claims"
    And the RP uses the response type "id_token"
    And the RP asks for the scope "openid profile email address phone"
    When the user logs in at the OP
    Then the RP accepts the login
    And the ID token's claims include "name, email, address, phone_number"

  @oidcc-client-test-scope-userinfo-claims @rp-scope-userinfo-claims
  Scenario: Claims by scope, from the userinfo endpoint (id_token token)
    Given the certification OP runs the test "oidcc-client-test-scope-userinfo-claims"
    And the RP uses the response type "id_token token"
    And the RP asks for the scope "openid profile email address phone"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
    And the user's claims include "name, email, address, phone_number"

  @oidcc-client-test-userinfo-invalid-sub @rp-userinfo-bad-sub-claim
  Scenario: The userinfo response is about another user (id_token token)
    Given the certification OP runs the test "oidcc-client-test-userinfo-invalid-sub"
    And the RP uses the response type "id_token token"
    When the user logs in at the OP
    Then the RP rejects the userinfo response because its subject is not the ID token's

  # The Hybrid profile's tests
  Scenario Outline: A well-behaved OP: the RP completes the hybrid flow (<response type>)
    Given the certification OP runs the test "<test>"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

    @oidcc-client-test @rp-response_type-code+id_token @rp-response_type-code+token @rp-response_type-code+id_token+token
    Examples:
      | test              | response type       |
      | oidcc-client-test | code id_token       |
      | oidcc-client-test | code token          |
      | oidcc-client-test | code id_token token |

    @oidcc-client-test-kid-absent-single-jwks @rp-id_token-kid-absent-single-jwks
    Examples: the ID token names no kid, and the OP has one key
      | test                                     | response type       |
      | oidcc-client-test-kid-absent-single-jwks | code id_token       |
      | oidcc-client-test-kid-absent-single-jwks | code token          |
      | oidcc-client-test-kid-absent-single-jwks | code id_token token |

    @oidcc-client-test-idtoken-sig-rs256 @rp-id_token-sig-rs256
    Examples: the ID token is signed with RS256
      | test                                | response type       |
      | oidcc-client-test-idtoken-sig-rs256 | code id_token       |
      | oidcc-client-test-idtoken-sig-rs256 | code token          |
      | oidcc-client-test-idtoken-sig-rs256 | code id_token token |

  Scenario Outline: The ID token is bad: <reason> (<response type>)
    Given the certification OP runs the test "<test>"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP rejects the ID token because <reason>
    And the RP sends the OP no further request

    @oidcc-client-test-invalid-iss @rp-id_token-issuer-mismatch
    Examples: the issuer
      | test                          | response type       | reason                     |
      | oidcc-client-test-invalid-iss | code id_token       | its issuer is not the OP's |
      | oidcc-client-test-invalid-iss | code token          | its issuer is not the OP's |
      | oidcc-client-test-invalid-iss | code id_token token | its issuer is not the OP's |

    @oidcc-client-test-missing-sub @rp-id_token-sub
    Examples: the subject
      | test                          | response type       | reason              |
      | oidcc-client-test-missing-sub | code id_token       | it names no subject |
      | oidcc-client-test-missing-sub | code token          | it names no subject |
      | oidcc-client-test-missing-sub | code id_token token | it names no subject |

    @oidcc-client-test-invalid-aud @rp-id_token-aud
    Examples: the audience
      | test                          | response type       | reason                          |
      | oidcc-client-test-invalid-aud | code id_token       | it is not meant for this client |
      | oidcc-client-test-invalid-aud | code token          | it is not meant for this client |
      | oidcc-client-test-invalid-aud | code id_token token | it is not meant for this client |

    @oidcc-client-test-missing-iat @rp-id_token-iat
    Examples: the issue time
      | test                          | response type       | reason               |
      | oidcc-client-test-missing-iat | code id_token       | it has no issue time |
      | oidcc-client-test-missing-iat | code token          | it has no issue time |
      | oidcc-client-test-missing-iat | code id_token token | it has no issue time |

    @oidcc-client-test-invalid-sig-rs256 @rp-id_token-bad-sig-rs256
    Examples: the signature
      | test                                | response type       | reason                        |
      | oidcc-client-test-invalid-sig-rs256 | code id_token       | its signature does not verify |
      | oidcc-client-test-invalid-sig-rs256 | code token          | its signature does not verify |
      | oidcc-client-test-invalid-sig-rs256 | code id_token token | its signature does not verify |

    @oidcc-client-test-nonce-invalid @rp-nonce-invalid
    Examples: the nonce
      | test                            | response type       | reason                               |
      | oidcc-client-test-nonce-invalid | code id_token       | its nonce is not the one the RP sent |
      | oidcc-client-test-nonce-invalid | code token          | its nonce is not the one the RP sent |
      | oidcc-client-test-nonce-invalid | code id_token token | its nonce is not the one the RP sent |

    @oidcc-client-test-invalid-chash @rp-id_token-bad-c_hash
    Examples: c_hash does not match the code
      | test                            | response type       | reason                             |
      | oidcc-client-test-invalid-chash | code id_token       | its c_hash does not match the code |
      | oidcc-client-test-invalid-chash | code id_token token | its c_hash does not match the code |

    @oidcc-client-test-missing-chash @rp-id_token-missing-c_hash
    Examples: c_hash is missing
      | test                            | response type       | reason           |
      | oidcc-client-test-missing-chash | code id_token       | it has no c_hash |
      | oidcc-client-test-missing-chash | code id_token token | it has no c_hash |

    @oidcc-client-test-invalid-athash @rp-id_token-bad-at_hash
    Examples: at_hash does not match the access token
      | test                             | response type       | reason                                      |
      | oidcc-client-test-invalid-athash | code id_token token | its at_hash does not match the access token |

    @oidcc-client-test-missing-athash @rp-id_token-missing-at_hash
    Examples: at_hash is missing
      | test                             | response type       | reason            |
      | oidcc-client-test-missing-athash | code id_token token | it has no at_hash |

  Scenario Outline: The ID token names no kid, and the OP has several keys (<response type>)
    Given the certification OP runs the test "oidcc-client-test-kid-absent-multiple-jwks"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP either accepts the login or rejects the ID token because it names no key and the OP has several; both pass

    @oidcc-client-test-kid-absent-multiple-jwks @rp-id_token-kid-absent-multiple-jwks
    Examples:
      | response type       |
      | code id_token       |
      | code token          |
      | code id_token token |

  Scenario Outline: The userinfo response is about another user (<response type>)
    Given the certification OP runs the test "oidcc-client-test-userinfo-invalid-sub"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP rejects the userinfo response because its subject is not the ID token's

    @oidcc-client-test-userinfo-invalid-sub @rp-userinfo-bad-sub-claim
    Examples:
      | response type       |
      | code id_token       |
      | code token          |
      | code id_token token |

  Scenario Outline: The RP sends a nonce, which the hybrid flow requires (<response type>)
    Given the certification OP runs the test "oidcc-client-test-nonce-unless-code-flow"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP accepts the login
    And the authorization request carried a nonce

    @oidcc-client-test-nonce-unless-code-flow @rp-nonce-unless-code-flow
    Examples:
      | response type       |
      | code id_token       |
      | code token          |
      | code id_token token |

  Scenario Outline: The RP asks for claims by scope and uses them (<response type>)
    Given the certification OP runs the test "oidcc-client-test-scope-userinfo-claims"
    And the RP uses the response type "<response type>"
    And the RP asks for the scope "openid profile email address phone"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
    And the user's claims include "name, email, address, phone_number"

    @oidcc-client-test-scope-userinfo-claims @rp-scope-userinfo-claims
    Examples:
      | response type       |
      | code id_token       |
      | code token          |
      | code id_token token |

  Scenario Outline: The OP accepts only client_secret_basic at the token endpoint (<response type>)
    Given the certification OP runs the test "oidcc-client-test-client-secret-basic"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP accepts the login
    And the token request authenticated the client with client_secret_basic

    @oidcc-client-test-client-secret-basic @rp-token_endpoint-client_secret_basic
    Examples:
      | response type       |
      | code id_token       |
      | code token          |
      | code id_token token |
