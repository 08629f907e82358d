@vcalm_wallet @vcapi @ob30
Feature: Wallet in VCALM exchanges: lerconf runs the issuing and verifying exchanges
  lerconf's own issuer and verifier run VCALM workflows with exchanges. lerconf hands the wallet
  under test an exchange's interaction URL, as a learner would scan it from a QR code (through
  the wallet's adapter, or on the operator page when the wallet is tested by hand). The verdict
  comes from what lerconf's exchange endpoints received; what the wallet reports is evidence only.
  "The wallet's exchange satisfies" a requirement when what lerconf received meets it; the
  scenario title says in words what that is. A wallet is only tested on the exchanges it claims.

  @LCX-05 @MUST
  Scenario Outline: The wallet reads the interaction URL's protocols and takes part where they say (<exchange> exchange)
    Given the wallet under test is ready for lerconf's <exchange> exchange
    When lerconf hands the wallet the interaction URL of its <exchange> exchange
    Then the wallet's exchange satisfies "LCX-05"

    Examples:
      | exchange  |
      | issuing   |
      | verifying |

  @API-19 @MUST
  Scenario Outline: The wallet starts the exchange and answers what it asks for (<exchange> exchange)
    Given the wallet under test is ready for lerconf's <exchange> exchange
    When lerconf hands the wallet the interaction URL of its <exchange> exchange
    Then the wallet's exchange satisfies "API-19"

    Examples:
      | exchange  |
      | issuing   |
      | verifying |

  @API-10 @MUST
  Scenario Outline: The wallet proves its DID for authentication, with the exchange's challenge and domain, by a key the DID controls (<exchange> exchange)
    Given the wallet under test is ready for lerconf's <exchange> exchange
    When lerconf hands the wallet the interaction URL of its <exchange> exchange
    Then the wallet's exchange satisfies "API-10"

    Examples:
      | exchange  |
      | issuing   |
      | verifying |

  @LCX-07 @MUST
  Scenario Outline: The wallet stores the badge the issuing exchange gave it unchanged (<exchange> exchange)
    Given the wallet under test is ready for lerconf's <exchange> exchange
    When lerconf hands the wallet the interaction URL of its <exchange> exchange
    Then the wallet's exchange satisfies "LCX-07"

    Examples:
      | exchange |
      | issuing  |

  @LCX-07 @MUST
  Scenario Outline: The wallet presents the badge exactly as the issuing exchange gave it (<exchange> exchange)
    Given the wallet under test is ready for lerconf's <exchange> exchange
    When lerconf hands the wallet the interaction URL of its <exchange> exchange
    Then the wallet's exchange satisfies "LCX-07"

    Examples:
      | exchange  |
      | verifying |

  @LCX-06 @MUST
  Scenario Outline: The wallet presents only the credentials the exchange asks for, not the others it holds (<exchange> exchange)
    Given the wallet under test holds an Open Badge from lerconf's issuing exchange and a CLR credential the verifier does not ask for
    When lerconf hands the wallet the interaction URL of its <exchange> exchange
    Then the wallet's exchange satisfies "LCX-06"

    Examples:
      | exchange  |
      | verifying |
