@lifecycle @vcapi @ob30 @bsl
Feature: The lifecycle of a badge shown in part: issue, disclose, verify, revoke, verify again (ecdsa-sd-2023, bbs-2023)
  A learner can show part of a revocable badge. The issuer signs it so that some statements must
  always be shown, its status entry among them; the holder shows part of it, and the verifier
  accepts what is shown. Once the issuer revokes the badge, the same verifier refuses the very same
  disclosure, and it must say the badge is revoked: the proof it accepted before has not changed.
  Roles the vendor does not provide are played by lerconf; a row runs only when every role the vendor
  provides claims its securing method (and its issuer and verifier the status list).

  @LCS-04 @MUST @mutates_state
  Scenario Outline: A badge shown in part is refused once its issuer revokes it (<securing>)
    Given a revocable Open Badge the issuer signed with "<securing>" so that it can be shown in part
    When the holder shows part of it, keeping its status entry
    And the verifier checks the part shown
    Then the verifier accepts it
    When the issuer revokes it
    And the verifier checks the part shown
    Then the verifier rejects it because it is revoked, not because of its proof

    Examples:
      | securing      | vc_version | status              |
      | ecdsa-sd-2023 | 2.0        | BitstringStatusList |
      | bbs-2023      | 2.0        | BitstringStatusList |
