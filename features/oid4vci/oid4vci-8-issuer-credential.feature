@oid4vci_issuer @oid4vci @ob30
Feature: OpenID4VCI 1.0 §8, App. A The credential response and the Open Badge it carries
  lerconf obtains an Open Badge over the pre-authorized code flow and judges both the protocol
  answer and the badge: lerconf's engine checks the proof, the issuer binding, status and JOSE
  claims, and the OB 3.0 schema for a VCDM 2.0 badge. jwt_vc_json follows VCDM 1.1 (the vc
  claim, OID4VCI App. A.1.1) while OB 3.0 asks for VCDM 2.0: the schema is not held against a
  jwt_vc_json badge here; VCI-19 checks its encoding.

  Background:
    Given the OID4VCI issuer under test

  @VCI-14 @MUST
  Scenario Outline: The issuer returns the credential in the credentials array, an ldp_vc as a JSON object and a jwt_vc_json as a JWT (<format>)
    When lerconf obtains a "<format>" credential over the pre-authorized code flow
    Then the credential response satisfies "VCI-14"

    Examples:
      | format      |
      | ldp_vc      |
      | jwt_vc_json |

  @VCI-18 @MUST
  Scenario Outline: The issued badge verifies and is bound to the wallet key that proved possession (<format>)
    When lerconf obtains a "<format>" credential over the pre-authorized code flow
    Then the received credential passes lerconf's engine
    And the received credential satisfies "VCI-18"

    Examples:
      | format      |
      | ldp_vc      |
      | jwt_vc_json |

  @VCI-19 @MUST
  Scenario Outline: A jwt_vc_json credential uses the VCDM 1.1 JWT encoding (the vc claim)
    When lerconf obtains a "<format>" credential over the pre-authorized code flow
    Then the received credential satisfies "VCI-19"

    Examples:
      | format      |
      | jwt_vc_json |
