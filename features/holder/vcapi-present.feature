@holder @vcapi @ob30
Feature: Presenting badges through the VC API holder service
  A holder signs a presentation of a badge it is given, bound to the verifier's challenge and
  domain, for authentication, with the badge embedded exactly as it was issued.

  Background:
    Given the holder under test
    And a fresh challenge

  @API-08 @MUST
  Scenario Outline: Holder service signs a presentation with challenge and domain (<securing>)
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    When the holder under test presents it with that challenge and domain "verifier.example"
    Then the holder answers with a presentation that verifies with lerconf's engine for that challenge and domain

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @DIVP-01 @MUST
  Scenario Outline: Wallet signs presentations for authentication with challenge and domain
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    When the holder under test presents it with that challenge and domain "verifier.example"
    Then the presentation satisfies "DIVP-01" for that challenge and domain

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @VCDM-21 @MUST
  Scenario Outline: Presented credentials are embedded secured objects
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    When the holder under test presents it with that challenge and domain "verifier.example"
    Then the presented credential is the one it was given, unchanged

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |
