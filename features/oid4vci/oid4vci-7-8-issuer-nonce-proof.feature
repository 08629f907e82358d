@oid4vci_issuer @oid4vci @ob30
Feature: OpenID4VCI 1.0 §7-§8, App. F Nonce endpoint, access token and key proofs
  Every request here is valid except for one named fault: a fresh offer, a fresh access token, a
  fresh c_nonce and a fresh wallet key (P-256, named as did:jwk), with the fault applied last.
  "An expired nonce" waits out the nonce lifetime the profile declares (options.nonce_lifetime_s).
  Draft 13 has no nonce endpoint (spec: final): in draft-13 mode the c_nonce comes from the token
  response and nonce errors are invalid_proof. A refusal counts only when the issuer then completes
  a valid issuance in a fresh session (the positive control); otherwise it cannot be judged.

  Background:
    Given the OID4VCI issuer under test

  @VCI-11 @MUST
  Scenario Outline: The nonce endpoint answers an unauthenticated POST with a fresh, uncacheable c_nonce
    When lerconf calls the nonce endpoint twice
    Then the nonce responses satisfy "VCI-11"

    Examples:
      | spec  |
      | final |

  @VCI-12 @MUST @NEG
  Scenario Outline: The credential endpoint refuses a request without a valid access token (<kind>)
    When lerconf requests a credential without a valid access token (<kind>)
    Then the credential endpoint refuses it, satisfying "VCI-12"

    Examples:
      | kind                                  |
      | no access token                       |
      | an access token the issuer never issued |

  @VCI-13 @MUST @NEG
  Scenario: A credential request without proofs, for a key-bound configuration, is refused with invalid_proof
    When lerconf requests a credential with no proofs
    Then the credential endpoint refuses it, satisfying "VCI-13"

  @VCI-15 @MUST @NEG
  Scenario Outline: The issuer refuses a defective credential request with the defined error (<defect>)
    When lerconf requests a credential with <defect>
    Then the credential endpoint refuses it with "<error>", satisfying "VCI-15"

    Examples:
      | defect                               | error                            | needs        |
      | an unknown credential configuration  | unknown_credential_configuration | -            |
      | a nonce the issuer never issued      | invalid_nonce                    | -            |
      | an expired nonce                     | invalid_nonce                    | nonce_expiry |

  @LCI-01 @SHOULD @NEG
  Scenario: The issuer refuses a key proof whose c_nonce it already accepted (lerconf's recommendation)
    When lerconf requests a credential with a replayed nonce
    Then the credential endpoint refuses it with "invalid_nonce", satisfying "LCI-01"

  @VCI-16 @MUST @NEG
  Scenario Outline: The issuer refuses a key proof that fails validation (<defect>)
    When lerconf requests a credential with a key proof with <defect>
    Then the credential endpoint refuses it, satisfying "VCI-16"

    Examples:
      | defect                                |
      | the wrong audience                    |
      | a signature that does not verify      |
      | a typ other than openid4vci-proof+jwt |
      | alg none                              |
      | an iat an hour old                    |
      | a private key in its jwk              |
