@lifecycle @vcapi @ob30 @bsl
Feature: The whole lifecycle: issue, present, verify, revoke, verify again
  A badge issued with a revocation entry is accepted when presented; once the issuer revokes
  it, the same verifier rejects the same kind of presentation. Roles the vendor does not
  provide are played by lerconf.

  @BSL-10 @MUST @mutates_state
  Scenario: Revoked credential is rejected by the verifier that accepted it before
    Given an Open Badge issued with a "revocation" status entry by the issuer
    When the holder presents it to the verifier
    Then the verifier accepts it
    When the issuer revokes it
    And the holder presents it to the verifier
    Then the verifier rejects it
