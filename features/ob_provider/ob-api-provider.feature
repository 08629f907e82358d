@ob_provider @obv3 @ob30 @clr @clr20
Feature: Open Badges 3.0 and CLR 2.0 API: a host serves a consumer
  lerconf plays an application that connects to the host under test the way a backpack, a wallet or
  an issuing platform does: it reads the host's service description, registers itself, logs in as
  the host's test user, and then lists, stores and reads back credentials and the user's profile.
  Every credential the host hands out must pass lerconf's own verification. A host is only tested
  on what its profile claims: a read-only host is never failed for storing.

  @OBAPI-01 @MUST
  Scenario Outline: The host publishes its service description to anyone, without credentials (<api>)
    Given the host under test, on its "<api>" API
    When lerconf reads the service description without credentials
    Then the host's answer satisfies "OBAPI-01"

    Examples:
      | api |
      | ob  |
      | clr |

  @OBAPI-02 @MUST
  Scenario Outline: The host lets a new application register itself and gives it a client secret (<api>)
    Given the host under test, on its "<api>" API
    When lerconf registers as a client
    Then the host's answer satisfies "OBAPI-02"

    Examples:
      | api |
      | ob  |
      | clr |

  @OBAPI-03 @MUST
  Scenario Outline: The host sends the test user back with a code and the same state (<api>)
    Given the host under test, on its "<api>" API
    When lerconf logs in as the test user with PKCE and a state
    Then the host's answer satisfies "OBAPI-03"

    Examples:
      | api |
      | ob  |
      | clr |

  @OBAPI-04 @MUST
  Scenario Outline: The host exchanges the code for a bearer access token with the scope it granted (<api>)
    Given the host under test, on its "<api>" API
    When lerconf exchanges the code for an access token
    Then the host's answer satisfies "OBAPI-04"

    Examples:
      | api |
      | ob  |
      | clr |

  @OBAPI-06 @MUST
  Scenario Outline: Every credential the host lists is one lerconf can verify (<api>)
    Given the host under test, on its "<api>" API
    When lerconf lists the test user's credentials
    Then the host's answer satisfies "OBAPI-06"

    Examples:
      | api | operation |
      | ob  | read      |
      | clr | read      |

  @CLR-11 @MUST
  Scenario Outline: The host lists the learner's CLR transcripts on the CLR 2.0 API, as it lists badges on the OB API (<api>)
    Given the host under test, on its "<api>" API
    When lerconf lists the test user's transcripts
    Then the host's answer satisfies "CLR-11"

    Examples:
      | api | operation |
      | clr | read      |

  @OBAPI-07 @MUST
  Scenario Outline: The host pages the credentials with links to the first, last, next and previous page (<api>)
    Given the host under test, on its "<api>" API
    When lerconf walks every page of the credentials
    Then the host's answer satisfies "OBAPI-07"

    Examples:
      | api | operation |
      | ob  | read      |
      | clr | read      |

  @OBAPI-08 @MUST @mutates_state
  Scenario Outline: The host stores a new credential, then replaces it with a newer one (<api>, <format>)
    Given the host under test, on its "<api>" API
    When lerconf upserts a new "<format>" credential and then re-issues it
    Then the host's answer satisfies "OBAPI-08"

    Examples:
      | api | operation | format |
      | ob  | write     | ldp_vc |
      | ob  | write     | jwt    |
      | clr | write     | ldp_vc |
      | clr | write     | jwt    |

  @OBAPI-09 @MUST @mutates_state
  Scenario Outline: A stored credential reads back unchanged, and a newer one replaces it (<api>)
    Given the host under test, on its "<api>" API
    When lerconf upserts a credential and reads the credentials back
    Then the host's answer satisfies "OBAPI-09"

    Examples:
      | api | operation | format |
      | ob  | write     | ldp_vc |
      | clr | write     | ldp_vc |

  @OBAPI-10 @MUST
  Scenario Outline: The host returns the signed-in user's profile (<api>)
    Given the host under test, on its "<api>" API
    When lerconf reads the test user's profile
    Then the host's answer satisfies "OBAPI-10"

    Examples:
      | api | operation |
      | ob  | profile   |
      | clr | profile   |

  @OBAPI-10 @MUST @mutates_state
  Scenario Outline: The host accepts a whole new profile for the signed-in user (<api>)
    Given the host under test, on its "<api>" API
    When lerconf replaces the test user's profile
    Then the host's answer satisfies "OBAPI-10"

    Examples:
      | api | operation      |
      | ob  | profile_update |
      | clr | profile_update |

  @OBAPI-12 @MAY
  Scenario Outline: A host that supports refresh gives a new access token for a refresh token (<api>)
    Given the host under test, on its "<api>" API
    When lerconf refreshes its access token
    Then the host's answer satisfies "OBAPI-12"

    Examples:
      | api | operation |
      | ob  | refresh   |
      | clr | refresh   |
