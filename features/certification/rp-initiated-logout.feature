@profile:rp-initiated-logout
Feature: RP-initiated logout: the RP sends the user to the OP to log out
  The RP sends the browser to the OP's end_session_endpoint with id_token_hint,
  post_logout_redirect_uri and a fresh state; the OP logs the user out and sends the browser back
  to post_logout_redirect_uri with that state. The RP must recognise its own state, and refuse a
  redirect carrying someone else's.

  @oidcc-client-test-rp-init-logout @rp-init-logout
  Scenario: The OP logs the user out and sends the browser back with the RP's state
    Given the certification OP runs the test "oidcc-client-test-rp-init-logout"
    When the user logs in at the OP
    And the user logs out at the RP
    Then the RP accepts the post-logout redirect and the session is over

  @oidcc-client-test-rp-init-logout-other-state @rp-init-logout-other-state
  Scenario: The OP sends the browser back with another state
    Given the certification OP runs the test "oidcc-client-test-rp-init-logout-other-state"
    When the user logs in at the OP
    And the user logs out at the RP
    Then the RP rejects the post-logout redirect because its state is not one the RP sent

  @oidcc-client-test-rp-init-logout-no-state @rp-init-logout-no-state
  Scenario: The OP sends the browser back without a state
    Given the certification OP runs the test "oidcc-client-test-rp-init-logout-no-state"
    When the user logs in at the OP
    And the user logs out at the RP
    Then the RP either accepts the post-logout redirect or rejects it because its state is not one the RP sent; both pass
