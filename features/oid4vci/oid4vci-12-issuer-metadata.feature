@oid4vci_issuer @oid4vci @ob30
Feature: OpenID4VCI 1.0 §12 Credential issuer and authorization server metadata
  lerconf plays the wallet: it fetches the issuer's metadata as a 1.0 wallet does, from the
  well-known path inserted between host and path of the Credential Issuer Identifier (VCI-ISS-01..05
  of the research note). When the metadata exists only at the draft-13 path (appended to the
  issuer's path), lerconf uses it for the other scenarios and fails only the placement scenario,
  so a draft-only issuer is told exactly what to fix. (An issuer that claims only draft 13 runs in
  draft-13 mode, where the appended path is the expected one; those results are draft-only.)
  For the authorization code grant the AS must advertise PKCE S256 (RFC 9700 §2.1.1). Endpoints on loopback http are accepted
  for local test deployments; anywhere else they must be https.

  Background:
    Given the OID4VCI issuer under test

  @VCI-01 @MUST
  Scenario: Issuer metadata is retrievable at /.well-known/openid-credential-issuer inserted between host and path of the issuer identifier
    Then the issuer's metadata satisfies "VCI-01"

  @VCI-02 @MUST
  Scenario: credential_issuer in the metadata is identical to the identifier used to build its URL, and credential_endpoint is present
    Then the issuer's metadata satisfies "VCI-02"

  @VCI-03 @MUST
  Scenario Outline: The issuer advertises an Open Badge 3.0 credential configuration that follows its format profile (<format>)
    Then the issuer's "<format>" credential configuration satisfies "VCI-03"

    Examples:
      | format      |
      | ldp_vc      |
      | jwt_vc_json |

  @VCI-04 @MUST
  Scenario Outline: The authorization server publishes RFC 8414 metadata with its endpoints and the grants the issuer offers (<grant>)
    When lerconf fetches the authorization server's metadata for the "<grant>" grant
    Then the authorization server's metadata satisfies "VCI-04"

    Examples:
      | grant               |
      | pre-authorized_code |
      | authorization_code  |
