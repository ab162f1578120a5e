@profile:comprehensive
Feature: Tests no profile requires: signing and encryption algorithms, client authentication, claims, WebFinger, request objects
  These rows of the catalogue come from the older test tool or the comprehensive plan. No
  certification profile requires them, but an RP that claims the features they test must pass
  them. They run with the code flow.

  Background:
    Given the RP uses the response type "code"

  @oidcc-client-test-missing-aud
  Scenario: The ID token has no aud
    Given the certification OP runs the test "oidcc-client-test-missing-aud"
    When the user logs in at the OP
    Then the RP rejects the ID token because it is not meant for this client
    And the RP sends the OP no further request

  Scenario Outline: The ID token is signed with <alg>, as the RP registered
    Given the certification OP runs the test "<test>"
    And the RP registers "id_token_signed_response_alg" as "<alg>"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

    @rp-id_token-sig-hs256
    Examples: HMAC with the client secret
      | test                  | alg   |
      | rp-id_token-sig-hs256 | HS256 |

    @rp-id_token-sig-es256
    Examples: ECDSA P-256
      | test                  | alg   |
      | rp-id_token-sig-es256 | ES256 |

  Scenario Outline: The ID token's <alg> signature has been altered
    Given the certification OP runs the test "<test>"
    And the RP registers "id_token_signed_response_alg" as "<alg>"
    When the user logs in at the OP
    Then the RP rejects the ID token because its signature does not verify
    And the RP sends the OP no further request

    @oidcc-client-test-invalid-sig-hs256 @rp-id_token-bad-sig-hs256
    Examples: HMAC with the client secret
      | test                                | alg   |
      | oidcc-client-test-invalid-sig-hs256 | HS256 |

    @oidcc-client-test-invalid-sig-es256 @rp-id_token-bad-sig-es256
    Examples: ECDSA P-256
      | test                                | alg   |
      | oidcc-client-test-invalid-sig-es256 | ES256 |

  Scenario Outline: The ID token is signed, then encrypted to the RP with <alg>
    Given the certification OP runs the test "<test>"
    And the RP registers "id_token_encrypted_response_alg" as "<alg>"
    And the RP registers "id_token_encrypted_response_enc" as "A128CBC-HS256"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

    @rp-id_token-sig+enc
    Examples: the RP's RSA key
      | test                | alg      |
      | rp-id_token-sig+enc | RSA-OAEP |

    @rp-id_token-sig+enc-a128kw
    Examples: a key wrapped with the client secret
      | test                      | alg    |
      | rp-id_token-sig+enc-a128kw | A128KW |

  Scenario Outline: The OP accepts only <method> at the token endpoint
    Given the certification OP runs the test "<test>"
    And the RP registers "token_endpoint_auth_method" as "<method>"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
    And the token request authenticated the client with <method>

    @rp-token_endpoint-client_secret_post
    Examples: the secret in the form body
      | test                                 | method             |
      | rp-token_endpoint-client_secret_post | client_secret_post |

    @rp-token_endpoint-client_secret_jwt
    Examples: a JWT signed with the client secret
      | test                                | method            |
      | rp-token_endpoint-client_secret_jwt | client_secret_jwt |

    @rp-token_endpoint-private_key_jwt
    Examples: a JWT signed with the RP's key
      | test                              | method          |
      | rp-token_endpoint-private_key_jwt | private_key_jwt |

  Scenario Outline: The OP accepts the access token only in the <where> at the userinfo endpoint
    Given the certification OP runs the test "<test>"
    And the RP sends the access token to the userinfo endpoint in the <where>
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
    And the userinfo request carried the access token in the <where>

    @oidcc-client-test-userinfo-bearer-header @rp-userinfo-bearer-header
    Examples: the Authorization header
      | test                                     | where  |
      | oidcc-client-test-userinfo-bearer-header | header |

    @oidcc-client-test-userinfo-bearer-body @rp-userinfo-bearer-body
    Examples: a form body
      | test                                   | where |
      | oidcc-client-test-userinfo-bearer-body | body  |

  @oidcc-client-test-form-post-error @rp-response_mode-form_post-error
  Scenario: The OP form-posts an error: the user must log in
    Given the certification OP runs the test "oidcc-client-test-form-post-error"
    And the RP asks for the response mode "form_post"
    When the user logs in at the OP, who is already logged in, without being asked again
    Then the RP reports the OP's error "login_required"
    And the RP sends the OP no further request

  Scenario Outline: The userinfo response has <kind> claims
    Given the certification OP runs the test "<test>"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
    And the user's claims include "<claims>"

    @oidcc-client-test-aggregated-claims @rp-claims-aggregated
    Examples: aggregated claims, a signed JWT inside the response
      | test                                 | kind       | claims               |
      | oidcc-client-test-aggregated-claims  | aggregated | eye_color, shoe_size |

    @oidcc-client-test-distributed-claims @rp-claims-distributed
    Examples: distributed claims, fetched from the claims provider
      | test                                  | kind        | claims                     |
      | oidcc-client-test-distributed-claims  | distributed | payment_info, credit_score |

  @rp-claims_request-id_token
  Scenario: The RP asks for claims in the ID token with the claims parameter
    Given the certification OP runs the test "rp-claims_request-id_token"
    And the RP asks for the claims "name, email" in the id_token with the claims parameter
    When the user logs in at the OP
    Then the RP accepts the login
    And the ID token's claims include "name, email"

  @rp-claims_request-userinfo
  Scenario: The RP asks for claims from the userinfo endpoint with the claims parameter
    Given the certification OP runs the test "rp-claims_request-userinfo"
    And the RP asks for the claims "name, email" in the userinfo with the claims parameter
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims
    And the user's claims include "name, email"

  Scenario Outline: The userinfo response is <how>
    Given the certification OP runs the test "<test>"
    And the RP registers "userinfo_signed_response_alg" as "<signed>"
    And the RP registers "userinfo_encrypted_response_alg" as "RSA-OAEP"
    And the RP registers "userinfo_encrypted_response_enc" as "A128CBC-HS256"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

    @rp-userinfo-sig+enc
    Examples: signed, then encrypted to the RP
      | test                | how                              | signed |
      | rp-userinfo-sig+enc | signed, then encrypted to the RP | RS256  |

  @rp-userinfo-enc
  Scenario: The userinfo response is encrypted to the RP, not signed
    Given the certification OP runs the test "rp-userinfo-enc"
    And the RP registers "userinfo_encrypted_response_alg" as "RSA-OAEP"
    And the RP registers "userinfo_encrypted_response_enc" as "A128CBC-HS256"
    When the user logs in at the OP
    Then the RP accepts the login and reads the user's claims

  @rp-discovery-webfinger-http-href
  Scenario: WebFinger names an http issuer
    Given the certification OP runs the test "rp-discovery-webfinger-http-href"
    And the RP finds the OP with WebFinger from an "acct:" identifier
    When the user logs in at the OP
    Then the RP rejects the WebFinger answer because the issuer it names is not an https URL
    And the RP sends the OP no further request

  @rp-discovery-webfinger-unknown-member
  Scenario: The WebFinger answer has members the RP does not know
    Given the certification OP runs the test "rp-discovery-webfinger-unknown-member"
    And the RP finds the OP with WebFinger from an "acct:" identifier
    When the user logs in at the OP
    Then the RP accepts the login

  @rp-key-rotation-op-enc-key
  Scenario: The OP rotates the key the RP encrypts request objects to
    Given the certification OP runs the test "rp-key-rotation-op-enc-key"
    And the RP registers "request_object_signing_alg" as "none"
    And the RP registers "request_object_encryption_alg" as "RSA-OAEP"
    And the RP sends its authorization request as a request object by value
    When the user logs in at the OP
    And the user logs in at the OP again
    Then the RP completed 2 logins

  Scenario Outline: The OP expects an encrypted request object by reference (<signed>)
    Given the certification OP runs the test "<test>"
    And the RP registers "request_object_signing_alg" as "<signed>"
    And the RP registers "request_object_encryption_alg" as "RSA-OAEP"
    And the RP sends its authorization request as a request object by reference
    When the user logs in at the OP
    Then the RP accepts the login
    And the authorization request passed a request object by reference

    @rp-request_uri-enc
    Examples: encrypted only
      | test               | signed |
      | rp-request_uri-enc | none   |

    @rp-request_uri-sig+enc
    Examples: signed, then encrypted
      | test                   | signed |
      | rp-request_uri-sig+enc | RS256  |

  @oidcc-client-test-mtls-endpoint-aliases
  Scenario: The OP offers mTLS endpoint aliases
    Given the certification OP runs the test "oidcc-client-test-mtls-endpoint-aliases"
    And the RP holds a TLS client certificate and uses the OP's mTLS endpoint aliases
    When the user logs in at the OP
    Then the RP accepts the login
    And the RP used the mTLS alias of the token endpoint
