@page_verifier @ob30
Feature: A verifier that is only a web page, tested by a person
  Some verifiers are a web page: a person pastes or uploads a credential and reads the verdict.
  lerconf hands the operator a shuffled set with opaque labels (credential 1, credential 2, ...):
  a valid badge, one whose signature is broken, one with a schema defect that was signed after it
  was made, one that expired but is validly signed, and one that was revoked, each made from the
  valid badge by one of lerconf's named mutators. The operator reports the verdict and the reason
  the page showed; lerconf scores them. The valid badge is the positive control of every refusal.

  @LCD-03 @MUST @attested
  Scenario Outline: Verifier page shows a valid badge as valid (VC <vc_version>)
    Given the valid badge lerconf made for VC "<vc_version>" was checked on the verifier page under test
    Then the operator saw the page show it as valid

    Examples:
      | vc_version | securing        |
      | 2.0        | eddsa-rdfc-2022 |
      | 1.1        | eddsa-rdfc-2022 |

  @DI-15 @MUST @NEG @attested
  Scenario Outline: Verifier page refuses a badge whose signature is broken (VC <vc_version>)
    Given the broken-signature badge lerconf made for VC "<vc_version>" was checked on the verifier page under test
    Then the operator saw the page refuse it

    Examples:
      | vc_version | securing        |
      | 2.0        | eddsa-rdfc-2022 |
      | 1.1        | eddsa-rdfc-2022 |

  # VC 2.0 only: Open Badges 3.0's schema requires validFrom, which no VC 1.1 badge has
  @OB-21 @MUST @NEG @attested
  Scenario Outline: Verifier page refuses a badge with a schema defect signed after it was made (VC <vc_version>)
    Given the schema-defect badge lerconf made for VC "<vc_version>" was checked on the verifier page under test
    Then the operator saw the page refuse it

    Examples:
      | vc_version | securing        |
      | 2.0        | eddsa-rdfc-2022 |

  @OB-27 @MUST @NEG @attested
  Scenario Outline: Verifier page refuses an expired badge that is validly signed (VC <vc_version>)
    Given the expired badge lerconf made for VC "<vc_version>" was checked on the verifier page under test
    Then the operator saw the page refuse it

    Examples:
      | vc_version | securing        |
      | 2.0        | eddsa-rdfc-2022 |
      | 1.1        | eddsa-rdfc-2022 |

  @BSL-18 @MUST @NEG @attested
  Scenario Outline: Verifier page refuses a revoked badge (VC <vc_version>)
    Given the revoked badge lerconf made for VC "<vc_version>" was checked on the verifier page under test
    Then the operator saw the page refuse it

    Examples:
      | vc_version | securing        |
      | 2.0        | eddsa-rdfc-2022 |
      | 1.1        | eddsa-rdfc-2022 |

  @LCD-04 @SHOULD @NEG @attested
  Scenario Outline: Verifier page names the defect it refused a badge for (<kind>, VC <vc_version>)
    Given the <kind> badge lerconf made for VC "<vc_version>" was checked on the verifier page under test
    Then the operator saw the page name the defect as the reason

    Examples:
      | kind             | vc_version | securing        |
      | broken-signature | 2.0        | eddsa-rdfc-2022 |
      | schema-defect    | 2.0        | eddsa-rdfc-2022 |
      | expired          | 2.0        | eddsa-rdfc-2022 |
      | revoked          | 2.0        | eddsa-rdfc-2022 |
      | broken-signature | 1.1        | eddsa-rdfc-2022 |
      | expired          | 1.1        | eddsa-rdfc-2022 |
      | revoked          | 1.1        | eddsa-rdfc-2022 |

  # Open Badges 3.0 verification step 5 (RECOMMENDED), for a page that takes the expected recipient
  @OB-28 @SHOULD @attested
  Scenario Outline: Verifier page confirms a badge belongs to the recipient it names by a hashed email (VC <vc_version>)
    Given the badge lerconf made for VC "<vc_version>" naming the recipient by a hashed email was checked on the verifier page under test against that email
    Then the operator saw the page say the badge is that recipient's

    Examples:
      | vc_version | securing        | recipient_check |
      | 2.0        | eddsa-rdfc-2022 | yes             |
      | 1.1        | eddsa-rdfc-2022 | yes             |

  @OB-28 @SHOULD @NEG @attested
  Scenario Outline: Verifier page says a badge of another recipient is not the recipient's it was given (VC <vc_version>)
    Given the badge lerconf made for VC "<vc_version>" naming another person by a hashed email was checked on the verifier page under test against the first recipient's email
    Then the operator saw the page say the badge is not that recipient's

    Examples:
      | vc_version | securing        | recipient_check |
      | 2.0        | eddsa-rdfc-2022 | yes             |
      | 1.1        | eddsa-rdfc-2022 | yes             |
