@oid4vci_issuer @oid4vci @ob30
Feature: OpenID4VCI 1.0 §6 Token endpoint: the pre-authorized code grant
  lerconf redeems fresh pre-authorized codes as a wallet would (form-encoded, no client
  authentication) and states what the authorization server must refuse. A refusal with another
  error code than the one the spec names is a warning; an acceptance is a failure; a 5xx or a
  timeout is broken, never a pass. A refusal counts only when the issuer then completes a valid
  issuance in a fresh session (the positive control).

  Background:
    Given the OID4VCI issuer under test

  @VCI-08 @MUST
  Scenario Outline: A wallet redeems a pre-authorized code for an access token (offer <offer_kind>)
    When lerconf redeems a fresh offer <offer_kind> sending <sent>
    Then the token response satisfies "VCI-08"

    Examples:
      | offer_kind        | sent        | needs |
      | with a tx_code    | the tx_code | tx_code |
      | without a tx_code | no tx_code  | -       |

  @VCI-07 @MUST @NEG
  Scenario: A pre-authorized code MUST NOT be redeemed twice
    When lerconf redeems a pre-authorized code a second time
    Then the token response satisfies "VCI-07"

  @VCI-09 @MUST @NEG
  Scenario Outline: The token endpoint refuses a misused transaction code with the defined error (<sent>)
    When lerconf redeems a fresh offer <offer_kind> sending <sent>
    Then the token endpoint refuses it with "<error>", satisfying "VCI-09"

    Examples:
      | offer_kind        | sent                 | error           | needs   |
      | with a tx_code    | a wrong tx_code      | invalid_grant   | tx_code |
      | with a tx_code    | no tx_code           | invalid_request | tx_code |
      | without a tx_code | an unsolicited tx_code | invalid_request | -     |

  @VCI-10 @SHOULD @NEG
  Scenario Outline: Repeated wrong transaction codes invalidate the pre-authorized code
    When lerconf sends 5 wrong tx_codes and then the right one
    Then the token response satisfies "VCI-10"

    Examples:
      | needs   |
      | tx_code |
