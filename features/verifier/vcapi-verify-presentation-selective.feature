@verifier @vcapi @ob30
Feature: Verifying presentations of badges disclosed in part (ecdsa-sd-2023, bbs-2023)
  A learner's wallet shows part of a badge inside a signed presentation. A verifier that supports
  selective disclosure accepts a presentation carrying a valid disclosure, and refuses one carrying
  the issuer's undivided proof: that proof is for the learner's wallet to disclose from, never for a
  verifier, inside a presentation as much as on its own.

  Background:
    Given the verifier under test
    And a fresh challenge

  @API-14 @MUST
  Scenario Outline: Verifier verifies a presentation of a badge disclosed in part (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a valid disclosure"
    When lerconf presents it to the verifier under test for domain "verifier.example", expecting domain "verifier.example"
    Then the verifier accepts it

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |
      | bbs-2023      | 2.0        |

  @EC-05 @MUST @NEG
  Scenario Outline: Verifier refuses a presentation carrying the issuer's base proof as it is (<securing>)
    Given the issuer's base proof of a badge lerconf issued with "<securing>", whose disclosure in a presentation the verifier under test accepts
    When lerconf presents it to the verifier under test for domain "verifier.example", expecting domain "verifier.example"
    Then the verifier rejects it

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |

  @LBB-03 @MUST @NEG
  Scenario Outline: Verifier refuses a presentation carrying the issuer's BBS base proof as it is (<securing>)
    Given the issuer's base proof of a badge lerconf issued with "<securing>", whose disclosure in a presentation the verifier under test accepts
    When lerconf presents it to the verifier under test for domain "verifier.example", expecting domain "verifier.example"
    Then the verifier rejects it

    Examples:
      | securing | vc_version |
      | bbs-2023 | 2.0        |
