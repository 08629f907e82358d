@issuer @vcapi @ob30
Feature: Issuing badges a learner can disclose in part (ecdsa-sd-2023, bbs-2023)
  An issuer that supports selective disclosure signs a badge so that some statements must always be
  shown and the others may be left out. lerconf names the statements every disclosure must show,
  checks the issuer's proof as the learner's wallet would before using it, and then shows part of
  the badge itself, to see that a verifier accepts what the learner shows.

  Background:
    Given the issuer under test

  @EC-03 @MUST
  Scenario Outline: Issuer's base proof is well formed and its signatures verify (<securing>, VC <vc_version>)
    When the issuer under test issues a badge that can be disclosed in part, secured with "<securing>"
    Then the issued base proof checks out as the learner's wallet checks it before disclosing

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |

  @EC-03 @MUST
  Scenario Outline: Issuer's base proof makes mandatory exactly the statements it was asked to (<securing>, VC <vc_version>)
    When the issuer under test issues a badge that can be disclosed in part, secured with "<securing>"
    Then the issued base proof makes mandatory exactly the statements lerconf named

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |

  @LCS-02 @MUST
  Scenario Outline: A badge disclosed in part from the issuer's base proof is accepted (<securing>, VC <vc_version>)
    When the issuer under test issues a badge that can be disclosed in part, secured with "<securing>"
    Then a disclosure lerconf derives from it shows only the chosen statements and verifies

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |

  @LBB-01 @MUST
  Scenario Outline: Issuer's BBS base proof is well formed and its signature verifies (<securing>, VC <vc_version>)
    When the issuer under test issues a badge that can be disclosed in part, secured with "<securing>"
    Then the issued base proof checks out as the learner's wallet checks it before disclosing

    Examples:
      | securing | vc_version |
      | bbs-2023 | 2.0        |

  @LBB-01 @MUST
  Scenario Outline: Issuer's BBS base proof makes mandatory exactly the statements it was asked to (<securing>, VC <vc_version>)
    When the issuer under test issues a badge that can be disclosed in part, secured with "<securing>"
    Then the issued base proof makes mandatory exactly the statements lerconf named

    Examples:
      | securing | vc_version |
      | bbs-2023 | 2.0        |

  @LBB-06 @MUST
  Scenario Outline: A badge disclosed in part from the issuer's BBS base proof is accepted (<securing>, VC <vc_version>)
    When the issuer under test issues a badge that can be disclosed in part, secured with "<securing>"
    Then a disclosure lerconf derives from it shows only the chosen statements and verifies

    Examples:
      | securing | vc_version |
      | bbs-2023 | 2.0        |
