@verifier @vcapi @ob30
Feature: Verifying Open Badges through the VC API
  A verifier accepts valid badges signed by another implementation (lerconf) and rejects every
  badge broken in one named way. A rejection is HTTP 400/422, or 200 with verified false where
  the vendor declares that style; a server error or a timeout is never a correct rejection.

  Background:
    Given the verifier under test

  @API-11 @MUST
  Scenario Outline: Verifier service verifies a valid badge (<securing>, VC <vc_version>)
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    When the credential is sent to the verifier under test
    Then the verifier accepts it

    Examples:
      | securing             | vc_version |
      | eddsa-rdfc-2022      | 2.0        |
      | eddsa-rdfc-2022      | 1.1        |
      | eddsa-jcs-2022       | 2.0        |
      | ecdsa-rdfc-2019      | 2.0        |
      | ecdsa-jcs-2019       | 2.0        |
      | Ed25519Signature2020 | 2.0        |

  @DI-15 @MUST @NEG
  Scenario Outline: Verifier detects a tampered badge (<mutator>, <securing>)
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator                   | securing        | vc_version |
      | tampered-claim            | eddsa-rdfc-2022 | 2.0        |
      | tampered-claim            | ecdsa-rdfc-2019 | 2.0        |
      | tampered-issuer           | eddsa-rdfc-2022 | 2.0        |
      | tampered-validity         | eddsa-rdfc-2022 | 2.0        |
      | tampered-proof-value      | eddsa-rdfc-2022 | 2.0        |
      | wrong-verification-method | eddsa-rdfc-2022 | 2.0        |
      | undefined-term            | eddsa-rdfc-2022 | 2.0        |

  @VCDM-27 @MUST @NEG
  Scenario Outline: Verifier rejects a credential whose proof was removed
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator       | securing        | vc_version |
      | proof-removed | eddsa-rdfc-2022 | 2.0        |

  @DI-19 @MUST @NEG
  Scenario Outline: Verifier rejects a credential signed with a key not authorized for assertions
    Given a valid Open Badge signed by lerconf's did:web issuer with "<securing>", which the verifier under test accepts
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator          | securing        | vc_version |
      | unauthorised-key | eddsa-rdfc-2022 | 2.0        |

  @CID-01 @MUST @NEG
  Scenario Outline: Verifier rejects a badge signed by someone other than its issuer
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator                 | securing        | vc_version |
      | signed-by-another-party | eddsa-rdfc-2022 | 2.0        |

  @DI-12 @MUST @NEG
  Scenario Outline: Verifier rejects a credential proof with the wrong purpose
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator             | securing        | vc_version |
      | wrong-proof-purpose | eddsa-rdfc-2022 | 2.0        |

  @ED-09 @MUST @NEG
  Scenario Outline: Verifier rejects a proof claiming an unknown cryptosuite
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator             | securing        | vc_version |
      | unknown-cryptosuite | eddsa-rdfc-2022 | 2.0        |

  @VCDM-34 @MUST @NEG
  Scenario Outline: Verifier flags expired and not-yet-valid credentials (<mutator>, VC <vc_version>)
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator       | securing        | vc_version |
      | expired       | eddsa-rdfc-2022 | 2.0        |
      | not-yet-valid | eddsa-rdfc-2022 | 2.0        |
      | expired       | eddsa-rdfc-2022 | 1.1        |

  @BSL-18 @MUST
  Scenario Outline: Verifier accepts a credential whose status bit is clear (<purpose>)
    Given a valid Open Badge signed by lerconf with "<securing>" and a clear "<purpose>" status entry
    When the credential is sent to the verifier under test
    Then the verifier accepts it

    Examples:
      | purpose    | securing        | status              |
      | revocation | eddsa-rdfc-2022 | BitstringStatusList |
      | suspension | eddsa-rdfc-2022 | BitstringStatusList |

  @BSL-18 @MUST @NEG
  Scenario Outline: Verifier reports a revoked or suspended credential (<mutator>)
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator   | securing        | vc_version | status              |
      | revoked   | eddsa-rdfc-2022 | 2.0        | BitstringStatusList |
      | suspended | eddsa-rdfc-2022 | 2.0        | BitstringStatusList |

  @BSL-13 @MUST @NEG
  Scenario Outline: Verifier reports an unreachable status list
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator                 | securing        | vc_version | status              |
      | status-list-unreachable | eddsa-rdfc-2022 | 2.0        | BitstringStatusList |

  @VCDM-29 @MUST @NEG
  Scenario Outline: Verifier rejects a credential without the v2 base context first (<mutator>)
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator              | securing        | vc_version |
      | missing-base-context | eddsa-rdfc-2022 | 2.0        |
      | context-reordered    | eddsa-rdfc-2022 | 2.0        |

  @VCDM-D1 @MUST @NEG
  Scenario Outline: Verifier rejects a credential that mixes v1 and v2 base contexts
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator             | securing        | vc_version |
      | mixed-base-contexts | eddsa-rdfc-2022 | 2.0        |

  @VCDM-30 @MUST @NEG
  Scenario Outline: Verifier rejects credentials without VerifiableCredential type
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator      | securing        | vc_version |
      | missing-type | eddsa-rdfc-2022 | 2.0        |

  @VCDM-31 @MUST @NEG
  Scenario Outline: Verifier rejects credentials with malformed issuer
    Given a valid Open Badge signed by lerconf with "<securing>" for VC "<vc_version>"
    And that badge mutated by "<mutator>"
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | mutator          | securing        | vc_version |
      | malformed-issuer | eddsa-rdfc-2022 | 2.0        |
