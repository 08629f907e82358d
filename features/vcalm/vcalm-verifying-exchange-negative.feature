@vcalm_verifier @vcapi @obv3 @ob30
Feature: VCALM verifying exchange: what the verifier must refuse
  lerconf presents to the verifier's exchange something wrong in exactly one way: a revoked,
  altered or expired badge, a DID authentication that does not answer the verifier's request, or a step it
  already completed. The verifier must refuse it. A refusal counts only when the verifier then
  accepts a valid badge in a fresh exchange (the positive control). A server error or a timeout is
  broken, never a pass.

  @LCX-04 @MUST @NEG @bsl
  Scenario Outline: The verifier refuses <badge>
    Given the vendor's verifying exchange
    When lerconf presents <badge> to the exchange
    Then the exchange's answer satisfies "LCX-04"

    Examples:
      | badge            |
      | a revoked badge  |
      | a tampered badge |
      | an expired badge |

  @LCX-01 @MUST @NEG
  Scenario Outline: The verifier refuses a presentation signed with <defect>
    Given the vendor's verifying exchange
    When lerconf answers with a presentation signed with <defect>
    Then the exchange's answer satisfies "LCX-01"

    Examples:
      | defect                                |
      | a challenge it did not ask for        |
      | a domain it did not ask for           |
      | a key the holder DID does not control |

  @LCX-02 @MUST @NEG
  Scenario: The verifier refuses a step sent again after the exchange completed
    Given the vendor's verifying exchange
    When lerconf sends its last step again after the exchange completed
    Then the exchange's answer satisfies "LCX-02"
