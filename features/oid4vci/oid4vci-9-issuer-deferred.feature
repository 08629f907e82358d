@oid4vci_issuer @oid4vci @ob30
Feature: OpenID4VCI 1.0 §8.3, §9 Deferred credential issuance
  For an issuer that claims deferred issuance, lerconf asks the offer hook for an offer whose
  credential is deferred ("deferred": true), sends a valid credential request and expects 202
  with transaction_id and interval; it then polls the deferred credential endpoint, each time
  after the interval the issuer asked for, until the credential comes (within the profile's
  options.deferred_timeout_s). While pending the endpoint answers 202 with interval (1.0; draft
  13's issuance_pending error is gone). Draft 13's deferred flow is not modelled (spec: final).

  Background:
    Given the OID4VCI issuer under test

  @VCI-14 @MUST
  Scenario Outline: A deferred credential request is answered 202 with transaction_id and interval, and the deferred endpoint then delivers the badge (<format>)
    When lerconf obtains a "<format>" credential over deferred issuance
    Then the deferred responses satisfy "VCI-14"
    And the received credential passes lerconf's engine

    Examples:
      | format | needs    | spec  |
      | ldp_vc | deferred | final |

  @VCI-14 @MUST @NEG
  Scenario Outline: The deferred credential endpoint refuses an unknown transaction_id with invalid_transaction_id
    When lerconf asks the deferred credential endpoint for a transaction_id it never received
    Then the deferred credential endpoint refuses it, satisfying "VCI-14"

    Examples:
      | needs    | spec  |
      | deferred | final |
