@oid4vci_issuer @oid4vci @ob30
Feature: OpenID4VCI 1.0 App. F.2, F.4 di_vp key proofs
  Where an ldp_vc configuration advertises the di_vp proof type, lerconf proves possession of a
  fresh wallet key (did:key, signed with the first advertised cryptosuite lerconf signs:
  eddsa-rdfc-2022 or ecdsa-rdfc-2019) with a Verifiable Presentation whose Data Integrity proof has
  proofPurpose authentication, domain the Credential Issuer Identifier and challenge the c_nonce.
  The badge must then name that key. Each negative request is valid except for one fault in the
  presentation's proof. (di_vp is 1.0's name; draft 13 called it ldp_vp: spec final.)

  Background:
    Given the OID4VCI issuer under test

  @VCI-17 @MUST
  Scenario Outline: The issuer accepts a Data Integrity presentation as key proof and binds the badge to its key
    When lerconf obtains a "ldp_vc" credential with a di_vp key proof
    Then the received credential satisfies "VCI-17"
    And the received credential passes lerconf's engine

    Examples:
      | format | proof_type | spec  |
      | ldp_vc | di_vp      | final |

  @VCI-17 @MUST @NEG
  Scenario Outline: The issuer refuses a di_vp key proof that fails validation (<defect>)
    When lerconf requests a credential with a di_vp key proof with <defect>
    Then the credential endpoint refuses it with "<error>", satisfying "VCI-17"

    Examples:
      | defect                           | error         | format | proof_type | spec  |
      | the wrong challenge              | invalid_nonce | ldp_vc | di_vp      | final |
      | the wrong domain                 | invalid_proof | ldp_vc | di_vp      | final |
      | a signature that does not verify | invalid_proof | ldp_vc | di_vp      | final |
      | proofPurpose assertionMethod     | invalid_proof | ldp_vc | di_vp      | final |
