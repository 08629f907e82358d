@ob_provider @obv3 @ob30 @clr @clr20
Feature: Open Badges 3.0 and CLR 2.0 API: what a host must refuse
  lerconf sends the host under test requests that are wrong in exactly one way and states what the
  host must refuse. A refusal counts only when the host then accepts the correct request (the
  positive control); a host that refuses everything passes nothing. A server error or a timeout
  is broken, never a pass.

  @OBAPI-02 @MUST @NEG
  Scenario Outline: The host refuses a registration with <defect> (<api>)
    Given the host under test, on its "<api>" API
    When lerconf registers as a client with <defect>
    Then the host's answer satisfies "OBAPI-02"

    Examples:
      | api | defect                               |
      | ob  | no software_id                       |
      | ob  | its terms and policy on another host |
      | clr | no software_id                       |

  @OBAPI-03 @MUST @NEG
  Scenario Outline: The host gives no code to a login request without PKCE (<api>)
    Given the host under test, on its "<api>" API
    When lerconf logs in as the test user without PKCE
    Then the host's answer satisfies "OBAPI-03"

    Examples:
      | api |
      | ob  |
      | clr |

  @OBAPI-03 @MUST @NEG
  Scenario Outline: The host refuses a code that was already used (<api>)
    Given the host under test, on its "<api>" API
    When lerconf exchanges the same code a second time
    Then the host's answer satisfies "OBAPI-03"

    Examples:
      | api |
      | ob  |
      | clr |

  @OBAPI-04 @MUST @NEG
  Scenario Outline: The host refuses a code with a code verifier that does not match (<api>)
    Given the host under test, on its "<api>" API
    When lerconf exchanges the code with a code verifier that does not match
    Then the host's answer satisfies "OBAPI-04"

    Examples:
      | api |
      | ob  |
      | clr |

  @OBAPI-05 @MUST @NEG
  Scenario Outline: The host answers 401 to <endpoint> without a valid access token (<kind>)
    Given the host under test, on its "<api>" API
    When lerconf calls <endpoint> without a valid access token (<kind>)
    Then the host's answer satisfies "OBAPI-05"

    Examples:
      | api | endpoint         | kind                          | operation      |
      | ob  | getCredentials   | no access token               | read           |
      | ob  | getCredentials   | a token the host never issued | read           |
      | ob  | upsertCredential | no access token               | write          |
      | ob  | getProfile       | no access token               | profile        |
      | ob  | putProfile       | no access token               | profile_update |
      | clr | getCredentials   | no access token               | read           |

  @OBAPI-05 @MUST @NEG
  Scenario Outline: The host answers 403 to <endpoint> with a token that lacks its scope (<api>)
    Given the host under test, on its "<api>" API
    When lerconf calls <endpoint> with a token that lacks its scope
    Then the host's answer satisfies "OBAPI-05"

    Examples:
      | api | endpoint         | operation      |
      | ob  | getCredentials   | read           |
      | ob  | upsertCredential | write          |
      | ob  | getProfile       | profile        |
      | ob  | putProfile       | profile_update |
      | clr | getCredentials   | read           |

  @OBAPI-11 @MUST @NEG @mutates_state
  Scenario Outline: The host refuses <defect> with a 4xx and an Imsx_StatusInfo body (<api>)
    Given the host under test, on its "<api>" API
    When lerconf upserts a defective credential: <defect>
    Then the host's answer satisfies "OBAPI-11"

    Examples:
      | api | defect                               | operation | format |
      | ob  | a tampered credential                | write     | ldp_vc |
      | ob  | an unsigned credential               | write     | ldp_vc |
      | ob  | a JSON credential sent as text/plain | write     | ldp_vc |
      | clr | a tampered credential                | write     | ldp_vc |

  @OBAPI-12 @MAY @NEG
  Scenario Outline: A host that supports revocation refuses a revoked access token (<api>)
    Given the host under test, on its "<api>" API
    When lerconf revokes its access token and lists the credentials with it
    Then the host's answer satisfies "OBAPI-12"

    Examples:
      | api | operation  |
      | ob  | revocation |
