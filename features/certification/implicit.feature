@profile:implicit
Feature: Implicit RP profile: tokens straight from the authorization endpoint
  With response_type=id_token (and id_token token) the OP returns the ID token, and the access
  token, in the fragment of the redirect: there is no token endpoint to trust. The RP's redirect
  page posts the fragment back to the RP, which must verify the ID token as strictly as ever, and
  more: the nonce is required, and at_hash binds the access token to the ID token.

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
