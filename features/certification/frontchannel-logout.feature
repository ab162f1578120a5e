@profile:frontchannel-logout
Feature: Front-channel logout: the OP's logout page loads the RP's logout URI
  When the user logs out, the OP's logout page loads each RP's registered frontchannel_logout_uri
  in an iframe, with iss and sid, so that the RP ends the session in the user's browser. The RP
  must check that iss is its OP's and end the session that sid names.

  Background:
    Given the RP registers a front-channel logout URI

  @oidcc-client-test-rp-frontchannel-rpinitlogout @rp-frontchannel-rpinitlogout
  Scenario: The RP ends the session the front-channel request names
    Given the certification OP runs the test "oidcc-client-test-rp-frontchannel-rpinitlogout"
    When the user logs in at the OP
    And the user logs out at the RP
    Then the front-channel logout ended the user's session at the RP, checking iss and sid
