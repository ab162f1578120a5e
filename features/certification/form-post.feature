@profile:form-post
Feature: Form Post RP profile: the Basic, Implicit and Hybrid tests with response_mode=form_post
  With response_mode=form_post the OP does not put the response in the redirect URL: it answers
  the browser with a page whose form posts the response to the RP's redirect URI. The RP must
  read it from the POST body and apply every check it applies in the other modes.

  The Form Post plan is the Basic, Implicit and Hybrid profiles' tests again, each in this mode:
  `oidc-harness certify` runs those features a second time with response_mode=form_post and
  reports them under this profile. This feature holds the one test of its own: an OP that
  form-posts every response, whatever the RP asked for.

  @rp-response_mode-form_post
  Scenario Outline: The OP form-posts every response; the RP reads it (<response type>)
    Given the certification OP runs the test "rp-response_mode-form_post"
    And the RP asks for the response mode "form_post"
    And the RP uses the response type "<response type>"
    When the user logs in at the OP
    Then the RP accepts the login

    Examples:
      | response type       |
      | code                |
      | id_token            |
      | id_token token      |
      | code id_token       |
      | code token          |
      | code id_token token |
