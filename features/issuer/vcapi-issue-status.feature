@issuer @vcapi @ob30 @bsl
Feature: Issuing badges that can be revoked (Bitstring Status List)
  A badge issued with status carries a well-formed entry that points at a published, signed
  status list in which the badge is currently valid.

  Background:
    Given the issuer under test

  @BSL-01 @MUST @mutates_state
  Scenario Outline: Credential status entry references a bitstring status list (<purpose>)
    When the issuer under test issues an Open Badge with a "<purpose>" status entry secured with "<securing>"
    Then the issued credential satisfies "BSL-01"

    Examples:
      | purpose    | securing        | status              |
      | revocation | eddsa-rdfc-2022 | BitstringStatusList |
      | suspension | eddsa-rdfc-2022 | BitstringStatusList |

  @BSL-04 @MUST @mutates_state
  Scenario Outline: Status list URL serves a BitstringStatusListCredential (<purpose>)
    When the issuer under test issues an Open Badge with a "<purpose>" status entry secured with "<securing>"
    Then the issued credential satisfies "BSL-04"

    Examples:
      | purpose    | securing        | status              |
      | revocation | eddsa-rdfc-2022 | BitstringStatusList |

  @BSL-16 @MUST @mutates_state
  Scenario Outline: Status list meets the minimum herd-privacy size
    When the issuer under test issues an Open Badge with a "<purpose>" status entry secured with "<securing>"
    Then the issued credential satisfies "BSL-16"

    Examples:
      | purpose    | securing        | status              |
      | revocation | eddsa-rdfc-2022 | BitstringStatusList |
