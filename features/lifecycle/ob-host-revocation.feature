@lifecycle @ob_provider @obv3 @ob30 @bsl
Feature: The lifecycle through a badge host: issue, store, read back, verify, revoke
  Many learners keep their badges on a host (a backpack or a badge platform) and share them from
  there. The host must hand back exactly the badge the issuer made, and a badge the issuer revokes
  must be refused by a verifier even when it comes from the host. The host is the vendor's; the
  issuer and the verifier are the vendor's when it has them, lerconf's otherwise (lerconf then signs
  the badge with a key any host can resolve and keeps it on its own status list).

  @OBAPI-09 @MUST @mutates_state
  Scenario: A badge the issuer stored on a host comes back from it unchanged
    Given an Open Badge issued with a "revocation" status entry for the host
    When the issuer's badge is stored on the host under test
    Then the host returns the badge it stored, nothing lost

  @BSL-10 @MUST @mutates_state
  Scenario: A badge stored on a host is accepted, then refused once its issuer revokes it
    Given an Open Badge issued with a "revocation" status entry for the host
    When the issuer's badge is stored on the host under test
    And the verifier checks the badge the host returns
    Then the verifier accepts the badge the host returns
    When the issuer revokes the badge it stored on the host
    And the verifier checks the badge the host returns
    Then the verifier refuses the badge the host returns
