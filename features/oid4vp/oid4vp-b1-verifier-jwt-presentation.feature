@oid4vp_verifier @oid4vp @ob30
Feature: OpenID4VP 1.0 App. B.1.3.1 jwt_vc_json presentations of an Open Badge
  A verifier that claims jwt_vc_json asks for it by DCQL (meta.type_values with the expanded
  OpenBadgeCredential IRI). lerconf answers with a VCDM 1.1 VP JWT signed by its holder, whose
  nonce is the request's nonce and whose aud is the full client_id, wrapping an OB 3.0 badge
  secured as a VCDM 1.1 JWT (the vc claim, OID4VCI App. A.1.1). Follows VP-VER-09 and the JWT
  rows of VP-VER-10 and VP-VER-11 of the research note.

  Background:
    Given a valid Open Badge signed by lerconf as a jwt_vc_json credential

  @VP-03 @MUST
  Scenario Outline: The DCQL query asks for an OpenBadgeCredential by its expanded type IRI in meta.type_values (<format>)
    When lerconf asks the verifier under test for a presentation request for a "<format>" credential
    Then the request satisfies "VP-03"

    Examples:
      | format      |
      | jwt_vc_json |

  @VP-05 @MUST
  Scenario Outline: The verifier accepts a VP JWT with the request's nonce and client_id as aud wrapping the requested Open Badge (<format>)
    Given a presentation request from the verifier under test for a "<format>" credential
    When lerconf answers the request with that badge in a presentation bound to "the request's nonce and client_id"
    Then the verifier reports success, satisfying "VP-05"

    Examples:
      | format      |
      | jwt_vc_json |

  @VP-06 @MUST @NEG
  Scenario Outline: A VP JWT whose nonce is not the request's nonce or whose aud is not the client_id is rejected (<format>, <binding>)
    Given a presentation request from the verifier under test for a "<format>" credential
    When lerconf answers the request with that badge in a presentation bound to "<binding>"
    Then the verifier does not report success, satisfying "VP-06"

    Examples:
      | format      | binding                          |
      | jwt_vc_json | another nonce                    |
      | jwt_vc_json | another client_id                |
      | jwt_vc_json | the client_id without its prefix |

  @VP-07 @MUST @NEG
  Scenario Outline: A VP JWT captured from one transaction and submitted in another is rejected (<format>)
    Given a presentation request from the verifier under test for a "<format>" credential
    And the verifier under test accepted that badge presented for an earlier request
    When lerconf answers the request with the presentation it sent for the earlier request
    Then the verifier does not report success, satisfying "VP-07"

    Examples:
      | format      |
      | jwt_vc_json |

  # Open Badges 3.0 verification step 2: a badge secured both ways needs one valid proof
  @OB-23 @MUST
  Scenario Outline: The verifier accepts a VP JWT carrying a badge secured twice, its Data Integrity proof inside the JWT (<format>)
    Given a presentation request from the verifier under test for a "<format>" credential
    And a badge signed by lerconf with a Data Integrity proof and then wrapped in a JWT
    When lerconf answers the request with that badge in a presentation bound to "the request's nonce and client_id"
    Then the verifier reports success, satisfying "OB-23"

    Examples:
      | format      |
      | jwt_vc_json |

  # Open Badges 3.0 "Verify a Credential VC-JWT Signature": the JWT's claims must agree with the credential
  @OB-24 @MUST @NEG
  Scenario Outline: A VP JWT carrying a badge JWT whose claims contradict the badge is rejected (<format>, <claim>)
    Given a presentation request from the verifier under test for a "<format>" credential
    And a badge JWT signed by lerconf whose "<claim>" claim contradicts the credential it carries
    When lerconf answers the request with that badge in a presentation bound to "the request's nonce and client_id"
    Then the verifier does not report success, satisfying "OB-24"

    Examples:
      | format      | claim |
      | jwt_vc_json | jti   |
      | jwt_vc_json | sub   |
