@oid4vp_verifier @oid4vp @ob30
Feature: OpenID4VP pre-final drafts: presentation_definition requests and presentation_submission answers (draft-only)
  Verifiers deployed before OID4VP 1.0 name their client identifier scheme in client_id_scheme,
  query with DIF Presentation Exchange (presentation_definition) and expect the presentation
  itself as vp_token, described by a presentation_submission (1.0 replaced these with client_id
  prefixes and DCQL: the research note's draft-to-final table). A verifier profile may claim
  such a draft (spec_versions: [draft]); these scenarios then run in that form, and the report
  labels them "draft-only: OID4VP pre-final draft", never final-spec conformance. The presentation
  is bound by challenge = nonce and domain = the client_id as the request gives it.

  Background:
    Given a valid Open Badge signed by lerconf with "eddsa-rdfc-2022" for VC "2.0"

  @VP-01 @MUST
  Scenario Outline: (draft form) The request names its client_id_scheme and carries a nonce, a presentation_definition and a response_mode (<spec_version>)
    When lerconf asks the verifier under test for a presentation request in the pre-final "<spec_version>" form
    Then the request satisfies "VP-01"

    Examples:
      | spec_version |
      | draft-20     |

  @VP-03 @MUST
  Scenario Outline: (draft form) The presentation_definition has an input descriptor for an OpenBadgeCredential (<spec_version>)
    When lerconf asks the verifier under test for a presentation request in the pre-final "<spec_version>" form
    Then the request satisfies "VP-03"

    Examples:
      | spec_version |
      | draft-20     |

  @VP-05 @MUST
  Scenario Outline: (draft form) The verifier accepts a valid presentation described by a presentation_submission (<spec_version>)
    Given a presentation request from the verifier under test in the pre-final "<spec_version>" form
    When lerconf answers the request with that badge in a presentation bound to "the request's nonce and client_id"
    Then the verifier reports success, satisfying "VP-05"

    Examples:
      | spec_version |
      | draft-20     |

  @VP-06 @MUST @NEG
  Scenario Outline: (draft form) A presentation whose challenge is not the request's nonce is rejected (<spec_version>)
    Given a presentation request from the verifier under test in the pre-final "<spec_version>" form
    When lerconf answers the request with that badge in a presentation bound to "another nonce"
    Then the verifier does not report success, satisfying "VP-06"

    Examples:
      | spec_version |
      | draft-20     |
