@vcalm_verifier @vcapi @obv3 @ob30 @lmc-vcalm-eddsa
Feature: LMC VCALM EdDSA profile: the verifier's exchange
  The Learning Mobility Collaborative's "VCALM EdDSA" interoperability profile (version 0.1,
  Editor's Draft of February 15, 2026) asks verifiers, like issuers, to serve their web endpoints
  over TLS 1.2 or later, and to check a badge's status in real time at every verification. These
  scenarios run only for a vendor that claims the profile, and their results are reported as
  "conforms to LMC vcalm-eddsa", never as conformance to the specifications.

  @LMC-VE-05 @MUST
  Scenario: LMC: the verifier's exchange endpoints use TLS 1.2 or later with a valid certificate
    Given the vendor's verifying exchange
    When lerconf connects to every endpoint the vendor's profile names for the exchanges
    Then the vendor satisfies "LMC-VE-05" of its ecosystem profile

  @LMC-VE-06 @MUST
  Scenario: LMC: the verifier fetches a status list served without caching at every verification
    Given the vendor's verifying exchange
    When lerconf presents the same valid badge twice, its status list served without caching
    Then the vendor satisfies "LMC-VE-06" of its ecosystem profile
