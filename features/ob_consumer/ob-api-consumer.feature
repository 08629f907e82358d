@ob_consumer @obv3 @ob30 @clr @clr20
Feature: Open Badges 3.0 and CLR 2.0 API: a consumer uses a host
  The application under test connects to a badge host the way an issuer pushing badges, or a wallet
  or backpack pulling them, does. lerconf plays the host and its login service: for each scenario it
  makes a fresh host, tells the application where it is, and judges only by what the host received,
  never by what the application says it did. An application is only tested on what its profile
  claims: one that only pushes badges is never failed for reading.

  @OBAPI-13 @MUST
  Scenario Outline: The consumer discovers the host, registers, and logs in with PKCE, a state and only the scopes it needs (<api>, <operation>)
    Given lerconf's host for the consumer under test, on its "<api>" API
    When the consumer under test is told to "<operation>" there
    Then what lerconf's host received satisfies "OBAPI-13"

    Examples:
      | api | operation |
      | ob  | write     |
      | ob  | read      |
      | clr | write     |
      | clr | read      |

  @LCO-01 @MUST
  Scenario Outline: The consumer stores a valid credential with the content type of its format (<api>, <format>)
    Given lerconf's host for the consumer under test, on its "<api>" API
    When the consumer under test is told to "<operation>" a "<format>" credential there
    Then what lerconf's host received satisfies "LCO-01"

    Examples:
      | api | operation | format |
      | ob  | write     | ldp_vc |
      | ob  | write     | jwt    |
      | clr | write     | ldp_vc |
      | clr | write     | jwt    |

  @LCO-02 @MUST
  Scenario Outline: The consumer reads every page of credentials and the profile (<api>)
    Given lerconf's host for the consumer under test, on its "<api>" API
    When the consumer under test is told to "<operation>" there
    Then what lerconf's host received satisfies "LCO-02"

    Examples:
      | api | operation |
      | ob  | read      |
      | clr | read      |

  @LCO-03 @MUST @NEG
  Scenario Outline: The consumer gets a new token when its token has expired, and does not retry in a loop (<api>, <operation>)
    Given lerconf's host for the consumer under test, on its "<api>" API, refusing the first access token as expired
    When the consumer under test is told to "<operation>" there
    Then what lerconf's host received satisfies "LCO-03"

    Examples:
      | api | operation |
      | ob  | read      |
      | ob  | write     |
      | clr | read      |
      | clr | write     |
