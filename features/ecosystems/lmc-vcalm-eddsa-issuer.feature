@vcalm_issuer @vcapi @obv3 @ob30 @lmc-vcalm-eddsa
Feature: LMC VCALM EdDSA profile: the issuer's exchange
  The Learning Mobility Collaborative's "VCALM EdDSA" interoperability profile (version 0.1,
  Editor's Draft of February 15, 2026) narrows Open Badges 3.0 for its community: badges on the
  VC Data Model 2.0, signed with eddsa-rdfc-2022 by a did:web or did:key issuer, with a status list
  of the issuer's own, served over TLS 1.2 or later. lerconf plays a learner's wallet, receives a
  badge through the issuer's exchange and checks it against each rule. These scenarios run only for
  a vendor that claims the profile, and their results are reported as "conforms to LMC
  vcalm-eddsa", never as conformance to the specifications.

  @LMC-VE-01 @MUST
  Scenario: LMC: the issuer hands out a VC Data Model 2.0 OpenBadgeCredential
    Given the vendor's issuing exchange
    When lerconf receives a badge through the exchange
    Then the vendor satisfies "LMC-VE-01" of its ecosystem profile

  @LMC-VE-02 @MUST
  Scenario: LMC: the badge is signed with eddsa-rdfc-2022 for assertionMethod, dated, by the issuer's key
    Given the vendor's issuing exchange
    When lerconf receives a badge through the exchange
    Then the vendor satisfies "LMC-VE-02" of its ecosystem profile

  @LMC-VE-03 @MUST
  Scenario: LMC: the issuer is a did:web or did:key and signs with an Ed25519 Multikey
    Given the vendor's issuing exchange
    When lerconf receives a badge through the exchange
    Then the vendor satisfies "LMC-VE-03" of its ecosystem profile

  @LMC-VE-04 @MUST
  Scenario: LMC: the badge names a Bitstring Status List of its own issuer
    Given the vendor's issuing exchange
    When lerconf receives a badge through the exchange
    Then the vendor satisfies "LMC-VE-04" of its ecosystem profile

  @LMC-VE-05 @MUST
  Scenario: LMC: the issuer's exchange endpoints use TLS 1.2 or later with a valid certificate
    Given the vendor's issuing exchange
    When lerconf connects to every endpoint the vendor's profile names for the exchanges
    Then the vendor satisfies "LMC-VE-05" of its ecosystem profile
