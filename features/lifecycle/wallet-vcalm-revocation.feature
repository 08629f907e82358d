@lifecycle @vcalm_wallet @vcapi @ob30 @bsl
Feature: The wallet lifecycle over VCALM exchanges: receive, present, revoke, present again
  The wallet under test receives a revocable Open Badge through lerconf's issuing exchange and
  presents it through lerconf's verifying exchange, which accepts it. Then lerconf's issuer
  revokes the badge, and the wallet's next presentation through a fresh verifying exchange must
  fail. What lerconf's exchange endpoints received and what its verifying exchange decided are
  the verdict; the wallet's own report is evidence only.

  @LCX-08 @MUST @mutates_state
  Scenario: A badge received through an exchange and then revoked is refused at the wallet's next exchange
    Given the wallet under test holds a revocable Open Badge from lerconf's issuing exchange
    When the wallet presents the badge through lerconf's verifying exchange
    Then lerconf's verifying exchange accepts the badge as presented
    When lerconf's issuer revokes the badge it issued through the exchange
    And the wallet presents the badge through lerconf's verifying exchange
    Then the wallet's exchange lifecycle satisfies "LCX-08"
