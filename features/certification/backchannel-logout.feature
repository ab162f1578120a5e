@profile:backchannel-logout
Feature: Back-channel logout: the OP tells the RP directly that a session ended
  When the user logs out, the OP POSTs a logout token (a signed JWT) to the RP's registered
  backchannel_logout_uri. The RP verifies it like an ID token, with a few differences: it must carry
  the back-channel logout event, it must not carry a nonce, and it names the session by sid or the
  user by sub. A good token ends the session and gets HTTP 200; a bad one gets HTTP 400 and ends
  nothing. In these scenarios the user logs out at the RP (RP-initiated logout), and the OP sends
  the logout token while it handles that logout.

  Background:
    Given the RP registers a back-channel logout URI

  @oidcc-client-test-rp-backchannel-rpinitlogout @rp-backchannel-rpinitlogout
  Scenario: A valid logout token ends the session
    Given the certification OP runs the test "oidcc-client-test-rp-backchannel-rpinitlogout"
    When the user logs in at the OP
    And the user logs out at the RP
    Then the RP answers the OP's back-channel logout request with HTTP 200
    And the back-channel logout ended the user's session at the RP

  Scenario Outline: A bad logout token: <what>
    Given the certification OP runs the test "<test>"
    When the user logs in at the OP
    And the user logs out at the RP
    Then the RP answers the OP's back-channel logout request with HTTP 400
    And the RP rejects the logout token because <reason>
    And the back-channel logout left the user's session at the RP alone

    @oidcc-client-test-rp-backchannel-rpinitlogout-lt-alg-none @rp-backchannel-rpinitlogout-lt-alg-none
    Examples: unsigned
      | test                                                     | what                 | reason                                |
      | oidcc-client-test-rp-backchannel-rpinitlogout-lt-alg-none | it is not signed     | its signing algorithm is not allowed |

    @oidcc-client-test-rp-backchannel-rpinitlogout-lt-no-event @rp-backchannel-rpinitlogout-lt-no-event
    Examples: no event
      | test                                                     | what                 | reason                     |
      | oidcc-client-test-rp-backchannel-rpinitlogout-lt-no-event | it has no events claim | it carries no logout event |

    @oidcc-client-test-rp-backchannel-rpinitlogout-lt-with-nonce @rp-backchannel-rpinitlogout-lt-with-nonce
    Examples: a nonce
      | test                                                       | what             | reason            |
      | oidcc-client-test-rp-backchannel-rpinitlogout-lt-with-nonce | it has a nonce   | it carries a nonce |

    @oidcc-client-test-rp-backchannel-rpinitlogout-lt-wrong-alg @rp-backchannel-rpinitlogout-lt-wrong-alg
    Examples: another algorithm
      | test                                                      | what                                         | reason                                |
      | oidcc-client-test-rp-backchannel-rpinitlogout-lt-wrong-alg | it is signed with HS256, not the registered RS256 | its signing algorithm is not allowed |

    @oidcc-client-test-rp-backchannel-rpinitlogout-lt-wrong-aud @rp-backchannel-rpinitlogout-lt-wrong-aud
    Examples: another audience
      | test                                                      | what                   | reason                          |
      | oidcc-client-test-rp-backchannel-rpinitlogout-lt-wrong-aud | it is for another client | it is not meant for this client |

    @oidcc-client-test-rp-backchannel-rpinitlogout-lt-wrong-event @rp-backchannel-rpinitlogout-lt-wrong-event
    Examples: another event
      | test                                                        | what                        | reason                            |
      | oidcc-client-test-rp-backchannel-rpinitlogout-lt-wrong-event | its event is not the logout event | its event is not a logout event |

    @oidcc-client-test-rp-backchannel-rpinitlogout-lt-wrong-iss @rp-backchannel-rpinitlogout-lt-wrong-iss
    Examples: another issuer
      | test                                                      | what                     | reason                     |
      | oidcc-client-test-rp-backchannel-rpinitlogout-lt-wrong-iss | it is from another issuer | its issuer is not the OP's |
