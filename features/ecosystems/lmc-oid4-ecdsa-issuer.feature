@oid4vci_issuer @oid4vci @ob30 @lmc-oid4-ecdsa
Feature: LMC OID4 ECDSA profile: the OID4VCI issuer
  The Learning Mobility Collaborative's "OID4 ECDSA" interoperability profile (version 0.1,
  Editor's Draft of February 15, 2026; a discussion draft) narrows Open Badges 3.0 for issuers
  that deliver badges over OpenID for Verifiable Credential Issuance: badges on the VC Data Model
  2.0, signed with ecdsa-rdfc-2019 (P-256) by a did:web or did:key issuer, with a status list of
  the issuer's own, issued through both the pre-authorized code and the authorization code flow,
  over TLS 1.2 or later. lerconf plays the learner's wallet, has a badge issued through each flow
  (once per run) and checks every badge it received against each rule. These scenarios run only for a vendor that claims the profile,
  and their results are reported as "conforms to LMC oid4-ecdsa", never as conformance to the
  specifications.

  Background:
    Given the OID4VCI issuer under test

  @LMC-OE-01 @MUST
  Scenario: LMC: the issuer issues a VC Data Model 2.0 OpenBadgeCredential over OID4VCI
    Then the OID4VCI issuer satisfies "LMC-OE-01" of its ecosystem profile

  @LMC-OE-02 @MUST
  Scenario: LMC: the badge is signed with ecdsa-rdfc-2019 for assertionMethod, dated, by the issuer's key
    Then the OID4VCI issuer satisfies "LMC-OE-02" of its ecosystem profile

  @LMC-OE-03 @MUST
  Scenario: LMC: the issuer is a did:web or did:key and signs with a P-256 key
    Then the OID4VCI issuer satisfies "LMC-OE-03" of its ecosystem profile

  @LMC-OE-04 @MUST
  Scenario: LMC: the badge names a Bitstring Status List of its own issuer
    Then the OID4VCI issuer satisfies "LMC-OE-04" of its ecosystem profile

  @LMC-OE-05 @MUST
  Scenario: LMC: the issuer issues through both the pre-authorized code and the authorization code flow
    Then the OID4VCI issuer satisfies "LMC-OE-05" of its ecosystem profile

  @LMC-OE-06 @MUST
  Scenario: LMC: the issuer's OID4VCI endpoints use TLS 1.2 or later with a valid certificate
    When lerconf connects to every OID4VCI endpoint the profile and the issuer's metadata name
    Then the OID4VCI endpoints satisfy "LMC-OE-06" of its ecosystem profile

  @LMC-OE-07 @SHOULD
  Scenario: LMC: the badge states when it expires
    Then the OID4VCI issuer satisfies "LMC-OE-07" of its ecosystem profile
