@profile:session-management
Feature: Session management: the RP watches the user's session at the OP
  The OP offers a check_session_iframe. The RP's own iframe posts "client_id session_state" to it
  from the RP's origin, and it answers "unchanged" while the user's session at the OP is the one
  the RP knows, and "changed" once it is not (the user logged out at the OP, say). Here the OP
  iframe's answer is computed as its script computes it, for a message from the RP's origin.

  @oidcc-client-test-session-management @rp-init-logout-session
  Scenario: Unchanged before the user logs out at the OP, changed after
    Given the certification OP runs the test "oidcc-client-test-session-management"
    When the user logs in at the OP
    And the RP's iframe asks the OP's check-session iframe about the session
    Then the OP answers "unchanged"
    When the user logs out at the OP
    And the RP's iframe asks the OP's check-session iframe about the session
    Then the OP answers "changed"
