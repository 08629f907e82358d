@holder @vcapi @ob30
Feature: Presenting badges disclosed in part through the VC API holder service (ecdsa-sd-2023, bbs-2023)
  A learner shows part of a badge inside a presentation: the holder signs a presentation bound to the
  verifier's challenge and domain that carries the disclosure exactly as it was derived, so its proof
  still verifies and shows only what the learner chose.

  Background:
    Given the holder under test
    And a fresh challenge

  @API-08 @MUST
  Scenario Outline: Holder service signs a presentation of a badge disclosed in part (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a valid disclosure"
    When the holder under test presents it with that challenge and domain "verifier.example"
    Then the holder answers with a presentation that verifies with lerconf's engine for that challenge and domain

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |
      | bbs-2023      | 2.0        |

  @VCDM-21 @MUST
  Scenario Outline: A badge disclosed in part is embedded in the presentation as it was derived (<securing>)
    Given a badge lerconf issued with "<securing>" and disclosed in part, as "a valid disclosure"
    When the holder under test presents it with that challenge and domain "verifier.example"
    Then the presented credential is the one it was given, unchanged

    Examples:
      | securing      | vc_version |
      | ecdsa-sd-2023 | 2.0        |
      | bbs-2023      | 2.0        |
