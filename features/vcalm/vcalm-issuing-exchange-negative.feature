@vcalm_issuer @vcapi @obv3 @ob30
Feature: VCALM issuing exchange: what the issuer must refuse
  lerconf sends the issuer's exchange a DID authentication that is wrong in exactly one way and
  states that the issuer must refuse it and issue nothing. A refusal counts only when the issuer
  then accepts the correct presentation in a fresh exchange (the positive control); an issuer that
  refuses everything passes nothing. A server error or a timeout is broken, never a pass.

  @LCX-01 @MUST @NEG
  Scenario Outline: The issuer refuses a DID authentication signed with <defect>
    Given the vendor's issuing exchange
    When lerconf answers with a presentation signed with <defect>
    Then the exchange's answer satisfies "LCX-01"

    Examples:
      | defect                                |
      | a challenge it did not ask for        |
      | a domain it did not ask for           |
      | a key the holder DID does not control |

  @LCX-02 @MUST @NEG
  Scenario: The issuer refuses a step sent again after the exchange completed
    Given the vendor's issuing exchange
    When lerconf sends its last step again after the exchange completed
    Then the exchange's answer satisfies "LCX-02"
