@faults @profile:faults
Feature: Faults: an OP that fails the way networks and servers fail
  An OP can fail without sending anything wrong: it never answers, answers one byte at a time,
  drops the connection, fails with 500 or 503, sends the RP round in a redirect loop, sends far
  more than the RP will read, or sends an HTML page where JSON belongs. A robust RP gives up within
  its own deadline and size limit, with a typed error that says what went wrong, and knows no more
  and no less after the failed step than it did before it.

  Each scenario runs one fault test of the mock OP (`FAULT_TESTS`, ids `fault-...`), which strikes
  at one endpoint: discovery, or the token endpoint once the user has logged in.

  @fault-never-answers
  Scenario: The OP never answers the discovery request
    Given the certification OP runs the test "fault-never-answers"
    And the RP gives up on an answer after 300 ms
    When the RP finds the OP
    Then the RP fails with a transport error "transportTimeout"
    And the RP's knowledge of the OP is unchanged
    And the RP sends the OP no further request

  @fault-slow-body
  Scenario: The OP sends the discovery document one byte at a time, slower than the RP waits
    Given the certification OP runs the test "fault-slow-body"
    And the RP gives up on an answer after 300 ms
    When the RP finds the OP
    Then the RP fails with a transport error "transportTimeout"
    And the RP's knowledge of the OP is unchanged
    And the RP sends the OP no further request

  @fault-connection-reset
  Scenario: The OP drops the connection instead of answering the discovery request
    # In process (MSW) a dropped connection is a fetch network error that carries no error code,
    # which the transport reports as transportNetwork. Over a real socket the same fault is a
    # reset, transportReset (test/mock-op/fault-server.test.ts).
    Given the certification OP runs the test "fault-connection-reset"
    And the RP gives up on an answer after 300 ms
    When the RP finds the OP
    Then the RP fails with a transport error "transportNetwork"
    And the RP's knowledge of the OP is unchanged
    And the RP sends the OP no further request

  @fault-server-error
  Scenario: The OP fails with 500 at discovery
    Given the certification OP runs the test "fault-server-error"
    And the RP gives up on an answer after 300 ms
    When the RP finds the OP
    Then the RP fails with a response error "checkHttpStatus" for the HTTP status 500
    And the RP's knowledge of the OP is unchanged
    And the RP sends the OP no further request

  @fault-unavailable
  Scenario: The OP is unavailable at discovery and asks the RP to come back in two minutes
    Given the certification OP runs the test "fault-unavailable"
    And the RP gives up on an answer after 300 ms
    When the RP finds the OP
    Then the RP fails with a response error "checkHttpStatus" for the HTTP status 503
    And the RP asked for the OP's configuration only once
    And the RP's knowledge of the OP is unchanged

  @fault-redirect-loop
  Scenario: The OP redirects the discovery request in a loop
    # The RP's transport hands a redirect over as it is (its default policy, `manual`): an OP
    # endpoint that redirects is a finding, so the RP never enters the loop. An RP that follows
    # redirects stops at transportRedirect (test/mock-op/fault-server.test.ts).
    Given the certification OP runs the test "fault-redirect-loop"
    And the RP gives up on an answer after 300 ms
    When the RP finds the OP
    Then the RP fails with a response error "checkHttpStatus" for the HTTP status 302
    And the RP did not follow the redirect
    And the RP's knowledge of the OP is unchanged

  @fault-oversized-body
  Scenario: The OP streams a 5 MiB discovery document without saying how long it is
    Given the certification OP runs the test "fault-oversized-body"
    And the RP gives up on an answer after 300 ms
    And the RP reads answers of at most 65536 bytes
    When the RP finds the OP
    Then the RP fails with a transport error "transportSize"
    And the RP's knowledge of the OP is unchanged
    And the RP sends the OP no further request

  @fault-oversized-length
  Scenario: The OP declares a 5 MiB discovery document in its Content-Length
    Given the certification OP runs the test "fault-oversized-length"
    And the RP gives up on an answer after 300 ms
    And the RP reads answers of at most 65536 bytes
    When the RP finds the OP
    Then the RP fails with a transport error "transportSize"
    And the RP's knowledge of the OP is unchanged
    And the RP sends the OP no further request

  @fault-html
  Scenario: The OP answers the discovery request with an HTML page
    Given the certification OP runs the test "fault-html"
    And the RP gives up on an answer after 300 ms
    When the RP finds the OP
    Then the RP fails with a response error "checkContentType" for the content type "text/html"
    And the RP's knowledge of the OP is unchanged
    And the RP sends the OP no further request

  @fault-token-never-answers
  Scenario: The OP never answers the token request
    Given the certification OP runs the test "fault-token-never-answers"
    And the RP gives up on an answer after 300 ms
    When the user logs in at the OP
    Then the RP fails with a transport error "transportTimeout"
    And the RP's session keeps its authorization response and holds no tokens
    And the RP sends the OP no further request

  @fault-token-connection-reset
  Scenario: The OP drops the connection instead of answering the token request
    # In process a dropped connection is transportNetwork; over a real socket, transportReset.
    Given the certification OP runs the test "fault-token-connection-reset"
    And the RP gives up on an answer after 300 ms
    When the user logs in at the OP
    Then the RP fails with a transport error "transportNetwork"
    And the RP's session keeps its authorization response and holds no tokens
    And the RP sends the OP no further request

  @fault-token-unavailable
  Scenario: The token endpoint is unavailable and asks the RP to come back in two minutes
    Given the certification OP runs the test "fault-token-unavailable"
    And the RP gives up on an answer after 300 ms
    When the user logs in at the OP
    Then the RP fails with a response error "checkHttpStatus" for the HTTP status 503
    And the RP sent its token request only once
    And the RP's session keeps its authorization response and holds no tokens
