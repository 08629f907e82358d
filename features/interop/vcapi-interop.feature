@interop @vcapi @ob30
Feature: Vendors working with each other
  Each vendor's badges are accepted by every other vendor's verifier, each holder's
  presentations too, and a badge one vendor revokes is rejected by another vendor's verifier. A
  badge issued for selective disclosure is disclosed in part by another vendor's holder (or by
  lerconf) and accepted by a third vendor's verifier.
  The cases are generated from what the vendors claim (securing method and VC version in
  common); with fewer than two vendors there is nothing to pair.

  @API-11 @MUST
  Scenario: A verifier accepts badges issued by another vendor
    Given a badge issued by the interop issuer
    When it is sent to the interop verifier
    Then the verifier accepts it

  @API-14 @MUST
  Scenario: A verifier accepts presentations made by another vendor's holder
    Given a valid Open Badge signed by lerconf with "eddsa-rdfc-2022" for VC "2.0"
    When the interop holder presents it to the interop verifier
    Then the verifier accepts it

  @BSL-10 @MUST @mutates_state
  Scenario: A badge revoked by its issuer is rejected by another vendor's verifier
    Given a badge with a "revocation" status entry issued by the interop issuer
    When the interop holder presents that badge to the interop verifier
    Then the verifier accepts it
    When the interop issuer revokes it
    And the interop holder presents that badge to the interop verifier
    Then the verifier rejects it

  @LCS-03 @MUST
  Scenario: A verifier accepts a badge another vendor issued for selective disclosure, disclosed in part by a holder
    Given a badge the interop issuer issued with a base proof for selective disclosure
    When the interop holder discloses part of it
    And the disclosure is sent to the interop verifier
    Then the verifier accepts it

  @API-11 @MUST @artefacts
  Scenario: A verifier accepts the badges another vendor delivered as files
    Given the badges the interop issuer delivered that lerconf verified
    Then the interop verifier accepts each of them

  @BSL-10 @MUST @artefacts
  Scenario: A verifier rejects a badge another vendor delivered as revoked
    Given the badges the interop issuer delivered that their status lists say are revoked
    Then the interop verifier rejects each of them
