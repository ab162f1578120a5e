@profile:refresh-token
Feature: Refresh tokens: new tokens without the user
  With a refresh token the RP gets new tokens from the token endpoint without the user. A new ID
  token in that answer must be about the same user, from the same issuer, as the session's first
  (OpenID Connect Core 12.2).

  @oidcc-client-test-refresh-token
  Scenario: The RP refreshes its tokens
    Given the certification OP runs the test "oidcc-client-test-refresh-token"
    When the user logs in at the OP
    And the RP refreshes its tokens
    Then the RP accepts the refreshed tokens

  @oidcc-client-test-refresh-token-invalid-issuer
  Scenario: The refreshed ID token names another issuer
    Given the certification OP runs the test "oidcc-client-test-refresh-token-invalid-issuer"
    When the user logs in at the OP
    And the RP refreshes its tokens
    Then the RP rejects the refreshed ID token because its issuer is not the OP's

  @oidcc-client-test-refresh-token-invalid-sub
  Scenario: The refreshed ID token names another user
    Given the certification OP runs the test "oidcc-client-test-refresh-token-invalid-sub"
    When the user logs in at the OP
    And the RP refreshes its tokens
    Then the RP rejects the refreshed ID token because its subject is not the first ID token's
