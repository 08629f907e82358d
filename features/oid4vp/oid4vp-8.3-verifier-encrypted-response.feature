@oid4vp_verifier @oid4vp @ob30
Feature: OpenID4VP 1.0 §8.3 Encrypted responses (direct_post.jwt) to the verifier
  A verifier that claims response_mode direct_post.jwt puts in its request's client_metadata a
  public key (jwks: EC P-256 for ECDH-ES) and the content encryption it accepts
  (encrypted_response_enc_values_supported). lerconf, as the wallet, sends the response
  parameters (vp_token, state) as one JWE in the response parameter. The verifier must accept
  that, and must not accept the same response unencrypted or encrypted to another key.

  Background:
    Given a valid Open Badge signed by lerconf with "eddsa-rdfc-2022" for VC "2.0"

  @VP-01 @MUST
  Scenario Outline: A request for an encrypted response carries a key to encrypt to and the content encryption it accepts (<response_mode>)
    When lerconf asks the verifier under test for a presentation request with response_mode "<response_mode>"
    Then the request satisfies "VP-01"

    Examples:
      | response_mode   |
      | direct_post.jwt |

  @VP-04 @MUST
  Scenario Outline: The response_uri accepts the response encrypted to the verifier's key, and the verifier reports success (<response_mode>)
    Given a presentation request from the verifier under test with response_mode "<response_mode>"
    When lerconf answers the request with that badge in a presentation bound to "the request's nonce and client_id"
    Then the verifier reports success, satisfying "VP-04"

    Examples:
      | response_mode   |
      | direct_post.jwt |

  # Graded SHOULD: OpenID4VP 1.0 §8.3 gives the verifier no explicit MUST to refuse it (and §8.3.1
  # lets a wallet send an unencrypted error response); accepting it still defeats the encryption.
  @VP-04 @SHOULD @NEG
  Scenario Outline: A response sent unencrypted when the verifier asked for an encrypted one is rejected (<response_mode>)
    Given a presentation request from the verifier under test with response_mode "<response_mode>"
    When lerconf answers the request with that badge in a presentation sent unencrypted
    Then the verifier does not report success, satisfying "VP-04"

    Examples:
      | response_mode   |
      | direct_post.jwt |

  @VP-04 @MUST @NEG
  Scenario Outline: A response encrypted to a key the verifier did not offer is refused (<response_mode>)
    Given a presentation request from the verifier under test with response_mode "<response_mode>"
    When lerconf answers the request with that badge in a presentation encrypted to another key
    Then the verifier refuses the response and does not report success, satisfying "VP-04"

    Examples:
      | response_mode   |
      | direct_post.jwt |
