@oid4vci_issuer @oid4vci @ob30
Feature: OpenID4VCI 1.0 §4 Credential offers
  lerconf obtains a fresh offer through the offer hook of the issuer's profile (an offer is
  created out of band in the protocol), by value or by reference, and reads it as a wallet would.

  Background:
    Given the OID4VCI issuer under test

  @VCI-05 @MUST
  Scenario Outline: A credential offer names the issuer and only configurations its metadata advertises (<delivery>)
    When the issuer under test creates a credential offer delivered "<delivery>"
    Then the credential offer satisfies "VCI-05"

    Examples:
      | delivery     | needs              |
      | by value     | offer_by_value     |
      | by reference | offer_by_reference |

  @VCI-06 @MUST
  Scenario Outline: credential_offer_uri answers GET with the offer object as application/json
    When the issuer under test creates a credential offer delivered "by reference"
    Then the credential offer satisfies "VCI-06"

    Examples:
      | needs              |
      | offer_by_reference |
