@verifier @vcapi @ob30
Feature: Verifying badges disclosed in part (ecdsa-sd-2023, bbs-2023)
  A learner can show part of a badge: the issuer signs it so that some statements must always be
  shown and the others may be left out, and the learner's wallet derives a proof for what it shows.
  A verifier that supports this accepts such a badge, and refuses the issuer's undivided proof, a
  shown value that was changed, and a statement the proof does not cover.

  Background:
    Given the verifier under test

  @LCS-01 @MUST
  Scenario Outline: Verifier accepts a badge disclosed in part (<securing>, VC <vc_version>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a valid disclosure"
    When the credential is sent to the verifier under test
    Then the verifier accepts it

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |

  @EC-05 @MUST @NEG
  Scenario Outline: Verifier refuses the issuer's base proof shown as it is (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "the base proof itself"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |

  @DI-15 @MUST @NEG
  Scenario Outline: Verifier refuses a badge disclosed in part with a shown value changed (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a disclosed value altered"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |

  @EC-06 @MUST @NEG
  Scenario Outline: Verifier refuses a badge disclosed in part that shows a statement its proof does not cover (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a statement added that the proof does not cover"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |

  @LBB-07 @MUST
  Scenario Outline: Verifier accepts a badge disclosed in part with BBS (<securing>, VC <vc_version>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a valid disclosure"
    When the credential is sent to the verifier under test
    Then the verifier accepts it

    Examples:
      | securing | vc_version |
      | bbs-2023 | 2.0        |

  @LBB-03 @MUST @NEG
  Scenario Outline: Verifier refuses the issuer's BBS base proof shown as it is (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "the base proof itself"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | securing | vc_version |
      | bbs-2023 | 2.0        |

  @DI-15 @MUST @NEG
  Scenario Outline: Verifier refuses a BBS badge disclosed in part with a shown value changed (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a disclosed value altered"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | securing | vc_version |
      | bbs-2023 | 2.0        |

  @LBB-04 @MUST @NEG
  Scenario Outline: Verifier refuses a BBS badge disclosed in part that shows a statement its proof does not cover (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a statement added that the proof does not cover"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | securing | vc_version |
      | bbs-2023 | 2.0        |

  # the derived proof's mandatory indexes then point past the statements shown (ECDSA §3.5.8; BBS §3.4.6)
  @EC-06 @MUST @NEG
  Scenario Outline: Verifier refuses a badge disclosed in part with a mandatory statement left out (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a mandatory statement left out"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |

  @LBB-04 @MUST @NEG
  Scenario Outline: Verifier refuses a BBS badge disclosed in part with a mandatory statement left out (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a mandatory statement left out"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | securing | vc_version |
      | bbs-2023 | 2.0        |
