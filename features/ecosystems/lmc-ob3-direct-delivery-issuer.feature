@artefact_issuer @ob30 @lmc-ob-3.0-direct-delivery
Feature: LMC OB 3.0 Direct Delivery profile: the badges an issuer hands over as files
  The Learning Mobility Collaborative's "OB 3.0 Direct Delivery" interoperability profile
  (version 0.1, Editor's Draft of February 15, 2026) is for issuers that give learners their
  badges as files to download or JSON to copy, without a wallet protocol. It narrows Open Badges
  3.0: badges on the VC Data Model 2.0, signed with eddsa-rdfc-2022 by a did:web or did:key
  issuer, with a status list of the issuer's own, naming the learner by email address, delivered
  as JSON files. lerconf checks every badge the vendor delivered against each rule. These
  scenarios run only for a vendor that claims the profile, and their results are reported as
  "conforms to LMC ob-3.0-direct-delivery", never as conformance to the specifications.

  Background:
    Given the artefacts the issuer under test delivered

  @LMC-DD-01 @MUST
  Scenario: LMC: each delivered badge is a VC Data Model 2.0 OpenBadgeCredential
    Then every delivered badge JSON satisfies "LMC-DD-01" of the issuer's ecosystem profile

  @LMC-DD-02 @MUST
  Scenario: LMC: each delivered badge is signed with eddsa-rdfc-2022 for assertionMethod, dated, by the issuer's key
    Then every delivered badge JSON satisfies "LMC-DD-02" of the issuer's ecosystem profile

  @LMC-DD-03 @MUST
  Scenario: LMC: the issuer of each delivered badge is a did:web or did:key signing with an Ed25519 Multikey
    Then every delivered badge JSON satisfies "LMC-DD-03" of the issuer's ecosystem profile

  @LMC-DD-04 @MUST
  Scenario: LMC: each delivered badge names a Bitstring Status List of its own issuer
    Then every delivered badge JSON satisfies "LMC-DD-04" of the issuer's ecosystem profile

  @LMC-DD-05 @MUST
  Scenario: LMC: each delivered badge names its learner by email address
    Then every delivered badge JSON satisfies "LMC-DD-05" of the issuer's ecosystem profile

  @LMC-DD-06 @MUST
  Scenario: LMC: the issuer delivers its badges as downloadable JSON files
    Then the issuer delivered its badges as JSON files
