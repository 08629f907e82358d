@verifier @vcapi @ob30
Feature: Verifying presentations through the VC API
  A verifier accepts a presentation bound to its challenge and domain, and rejects one made for
  another challenge or domain, one altered after signing, and one carrying a tampered badge.

  Background:
    Given the verifier under test
    And a fresh challenge

  @API-14 @MUST
  Scenario Outline: Verifier service verifies a presentation and its credentials
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    When lerconf presents it to the verifier under test for domain "verifier.example", expecting domain "verifier.example"
    Then the verifier accepts it

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @DI-14 @MUST @NEG
  Scenario Outline: Verifier rejects a presentation proof with a stale challenge
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    When lerconf presents it to the verifier under test signed for challenge "stale-challenge-0001" and domain "verifier.example", expecting challenge "fresh-challenge-0002"
    Then the verifier rejects it

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @DI-13 @MUST @NEG
  Scenario Outline: Verifier rejects a presentation proof for another domain
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    When lerconf presents it to the verifier under test for domain "other-verifier.example", expecting domain "verifier.example"
    Then the verifier rejects it

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @DIVP-03 @MUST @NEG
  Scenario Outline: Verifier rejects a presentation altered after signing
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    When lerconf presents it to the verifier under test with the presentation altered after signing
    Then the verifier rejects it

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |

  @VCDM-38 @MUST @NEG
  Scenario Outline: Verifier rejects a presentation carrying a tampered credential
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "tampered-claim"
    When lerconf presents it to the verifier under test for domain "verifier.example", expecting domain "verifier.example"
    Then the verifier rejects it

    Examples:
      | securing        | vc_version |
      | eddsa-rdfc-2022 | 2.0        |
