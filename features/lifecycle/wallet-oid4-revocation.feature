@lifecycle @oid4vci @oid4vp @ob30 @bsl
Feature: The wallet lifecycle: receive over OID4VCI, present over OID4VP, revoke, present again
  The wallet under test receives a revocable Open Badge from lerconf's issuer over OpenID4VCI and
  presents it over OpenID4VP to a verifier, which accepts it. Then lerconf's issuer revokes the
  badge, and the same presentation flow must fail. With lerconf's verifier, what lerconf's own
  endpoints received and what its verifier decided are the verdict; with the vendor's verifier,
  its result hook is (the wallet answers the vendor directly, so lerconf cannot see the wire).
  The wallet's own report is evidence only.

  @LCW-02 @MUST @mutates_state
  Scenario Outline: A badge revoked after issuance is refused at the wallet's next presentation (<verifier>)
    Given the wallet under test holds a revocable Open Badge issued by lerconf over OID4VCI
    When the wallet presents the badge to <verifier> over OID4VP
    Then <verifier> accepts the badge as presented
    When lerconf's issuer revokes the badge
    And the wallet presents the badge to <verifier> over OID4VP
    Then the wallet lifecycle satisfies "LCW-02"

    Examples:
      | verifier              |
      | lerconf's verifier    |
      | the vendor's verifier |
