@profile:third-party-login
Feature: Third-party-initiated login: someone else starts the login at the RP
  The OP (or another party) sends the user to the RP's registered initiate_login_uri with the
  issuer to log in at, and perhaps a login_hint. The RP checks that it is an issuer it works with
  and starts an ordinary authorization there, passing the hint on.

  @oidcc-client-test-3rd-party-init-login @rp-3rd_party-init-login
  Scenario: The OP sends the user to the RP's login initiation URI
    Given the certification OP runs the test "oidcc-client-test-3rd-party-init-login"
    When the OP sends the user to the RP's login initiation URI
    Then the RP started the login at the issuer the OP named
    And the RP accepts the login
