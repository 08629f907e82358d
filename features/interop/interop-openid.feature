@interop @oid4vci @oid4vp @ob30
Feature: Vendors working with each other over OpenID: issuer, wallet and verifier
  One vendor's OpenID issuer offers a badge, another vendor's wallet receives it, and a verifier
  (the issuer's vendor or a third one, never the wallet's own) asks for it: the wallet presents
  it and the verifier must accept it. A badge the issuer then revokes must be refused at the
  wallet's next presentation. The wallet talks to the issuer and the verifier directly: lerconf
  sees what the wallet reports through its adapter and what the verifier's result hook says.
  The cases are generated from what the vendors claim (each format all three claim); with fewer
  than two vendors there is nothing to pair.

  @VP-04 @MUST @mutates_state
  Scenario: A wallet presents a badge from another vendor's issuer and the verifier accepts it
    Given the interop wallet holds a badge offered by the interop issuer over OID4VCI
    When the interop wallet presents the badge to the interop verifier over OID4VP
    Then the interop verifier accepts the presentation

  @LCW-02 @MUST @mutates_state @bsl
  Scenario: A badge revoked by its issuer is refused at the wallet's next presentation to another vendor's verifier
    Given the interop wallet holds a revocable badge offered by the interop issuer over OID4VCI
    When the interop wallet presents the badge to the interop verifier over OID4VP
    Then the interop verifier accepts the presentation
    When the interop issuer revokes the badge
    And the interop wallet presents the badge to the interop verifier over OID4VP
    Then the interop verifier refuses the revoked badge
