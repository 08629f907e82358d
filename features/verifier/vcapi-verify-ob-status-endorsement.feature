@verifier @vcapi @ob30
Feature: What a verifier must also do for Open Badges: refresh, 1EdTech revocation, endorsements, CLR transcripts
  Open Badges 3.0 adds to the VC checks: a badge naming a 1EdTech refresh service is refreshed
  only after its proof checked out, and only once (step 3); a badge revoked on its issuer's
  1EdTech Revocation List is revoked (step 4), and every endorsement a badge or a CLR carries is
  verified as an EndorsementCredential (step 6, CLR 2.0). lerconf runs the refresh service of
  each of its badges and counts the calls it gets; a verifier may also not call it at all (a
  refresh that does not succeed leaves the original, so the two cannot be told apart). A CLR 2.0 transcript is verified by the same steps: its
  own proof and its validity period. Each negative first sends the badge's valid twin in a
  fresh call: a verifier that refuses it is not judged on the defect.

  Background:
    Given the verifier under test

  @OB-25 @MUST
  Scenario Outline: Verifier refreshes a badge at most once
    Given a valid Open Badge signed by lerconf with "<securing>" and a 1EdTech refresh service
    When the credential is sent to the verifier under test
    Then the verifier accepts it
    And the verifier called the badge's refresh service at most once

    Examples:
      | securing        |
      | eddsa-rdfc-2022 |

  @OB-25 @MUST @NEG
  Scenario Outline: Verifier never refreshes a badge whose proof does not verify
    Given an Open Badge signed by lerconf with "<securing>" and a 1EdTech refresh service, whose proof no longer covers it, whose valid twin the verifier under test accepts
    When the credential is sent to the verifier under test
    Then the verifier never called the badge's refresh service
    And the verifier rejects it

    Examples:
      | securing        |
      | eddsa-rdfc-2022 |

  @OB-26 @MUST
  Scenario Outline: Verifier accepts a badge its issuer's 1EdTech revocation list does not name
    Given a valid Open Badge signed by lerconf with "<securing>" and an entry on its issuer's 1EdTech revocation list
    When the credential is sent to the verifier under test
    Then the verifier accepts it

    Examples:
      | securing        | status                |
      | eddsa-rdfc-2022 | 1EdTechRevocationList |

  @OB-26 @MUST @NEG
  Scenario Outline: Verifier reports a badge revoked on its issuer's 1EdTech revocation list
    Given an Open Badge signed by lerconf with "<securing>" and revoked on its issuer's 1EdTech revocation list, whose unrevoked twin the verifier under test accepts
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | securing        | status                |
      | eddsa-rdfc-2022 | 1EdTechRevocationList |

  @OB-29 @MUST
  Scenario Outline: Verifier accepts a badge with a valid endorsement
    Given a valid Open Badge signed by lerconf with "<securing>" carrying a valid endorsement
    When the credential is sent to the verifier under test
    Then the verifier accepts it

    Examples:
      | securing        |
      | eddsa-rdfc-2022 |

  @OB-29 @MUST @NEG
  Scenario Outline: Verifier rejects a badge with a <defect> endorsement
    Given a badge signed by lerconf with "<securing>" carrying an endorsement <defect>, whose twin with a valid endorsement the verifier under test accepts
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | defect   | securing        |
      | tampered | eddsa-rdfc-2022 |
      | forged   | eddsa-rdfc-2022 |

  @CLR-09 @MUST @NEG
  Scenario Outline: Verifier rejects a CLR with a <defect> endorsement
    Given a CLR signed by lerconf with "<securing>" carrying an endorsement <defect>, whose twin with a valid endorsement the verifier under test accepts
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | defect   | securing        | credential_type |
      | tampered | eddsa-rdfc-2022 | ClrCredential   |

  @CLR-07 @MUST
  Scenario Outline: Verifier accepts a valid CLR transcript
    Given a valid CLR signed by lerconf with "<securing>"
    When the credential is sent to the verifier under test
    Then the verifier accepts it

    Examples:
      | securing        | credential_type |
      | eddsa-rdfc-2022 | ClrCredential   |

  @CLR-07 @MUST @NEG
  Scenario Outline: Verifier rejects a CLR <defect>
    Given a CLR signed by lerconf with "<securing>" <defect>, whose valid twin the verifier under test accepts
    When the credential is sent to the verifier under test
    Then the verifier rejects it

    Examples:
      | defect                            | securing        | credential_type |
      | whose proof no longer covers it   | eddsa-rdfc-2022 | ClrCredential   |
      | that has expired (validly signed) | eddsa-rdfc-2022 | ClrCredential   |

  # A harness heuristic (CLR 2.0 bundles one learner's achievements; no sentence of the spec says so)
  @CLR-10 @SHOULD @NEG
  Scenario Outline: Verifier flags a CLR that bundles another learner's badge
    Given a CLR signed by lerconf with "<securing>" bundling a badge of another learner, whose valid twin the verifier under test accepts
    When the credential is sent to the verifier under test
    Then the verifier refuses it or warns about whom it is for

    Examples:
      | securing        | credential_type |
      | eddsa-rdfc-2022 | ClrCredential   |
