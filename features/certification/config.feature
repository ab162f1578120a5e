@profile:config
Feature: Config RP profile: the OP's configuration comes from discovery
  The RP is registered with the OP beforehand (statically) but learns everything else from the
  discovery document at <issuer>/.well-known/openid-configuration: the endpoints, and the keys at
  its jwks_uri. It must check that the document is about the issuer it asked for, and it must
  follow the OP's keys when the OP rotates them.

  Background:
    Given the RP is statically registered with the OP

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
  Scenario: The ID token from the token endpoint is not signed, as the RP registered
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
