@oid4vp_verifier @oid4vp @ob30
Feature: OpenID4VP 1.0 §8 direct_post responses and the verifier's verdict
  lerconf answers the verifier's request as a wallet would: a Data Integrity presentation of an
  Open Badge signed by lerconf, bound to the request's nonce (challenge) and full client_id
  (domain), posted form-encoded to response_uri. The verdict is observed the way the verifier's
  profile says (result hook, direct_post status or redirect) and is never guessed. The verifier
  must accept the valid presentation and never report success for a broken one; a refusal counts
  only when the verifier then accepts a valid presentation in a fresh transaction (the positive
  control).

  Background:
    Given a valid Open Badge signed by lerconf with "eddsa-rdfc-2022" for VC "2.0"
    And a presentation request from the verifier under test

  @VP-04 @MUST
  Scenario Outline: The response_uri accepts a form-encoded vp_token and state and answers 200 with JSON (<response_mode>)
    When lerconf answers the request with that badge in a presentation bound to "the request's nonce and client_id"
    Then the direct_post answer satisfies "VP-04"

    Examples:
      | response_mode |
      | direct_post   |

  @VP-05 @MUST
  Scenario Outline: The verifier accepts a valid presentation of the requested Open Badge (<format>)
    When lerconf answers the request with that badge in a presentation bound to "the request's nonce and client_id"
    Then the verifier reports success, satisfying "VP-05"

    Examples:
      | format |
      | ldp_vc |

  @VP-06 @MUST @NEG
  Scenario Outline: A presentation whose challenge is not the request's nonce or whose domain is not the client_id is rejected (<binding>)
    When lerconf answers the request with that badge in a presentation bound to "<binding>"
    Then the verifier does not report success, satisfying "VP-06"

    Examples:
      | binding                          |
      | another nonce                    |
      | another client_id                |
      | the client_id without its prefix |

  @VP-07 @MUST @NEG
  Scenario: A presentation captured from one transaction and submitted in another is rejected
    Given the verifier under test accepted that badge presented for an earlier request
    When lerconf answers the request with the presentation it sent for the earlier request
    Then the verifier does not report success, satisfying "VP-07"

  @VP-07 @MUST @NEG
  Scenario: A presentation bound to one transaction and posted with another transaction's state is rejected
    Given a second presentation request from the verifier under test
    When lerconf answers the second request with a presentation bound to the first request
    Then the verifier does not report success, satisfying "VP-07"

  # Graded SHOULD: OpenID4VP 1.0 §14.3.2 says a verifier SHOULD refuse a response it cannot link to a request.
  @VP-04 @SHOULD @NEG
  Scenario: A response whose state the verifier never issued is refused
    When lerconf answers the request with a valid presentation under a state the verifier never issued
    Then the verifier refuses the response and does not report success, satisfying "VP-04"

  @VP-05 @MUST @NEG
  Scenario Outline: A valid presentation carrying a defective Open Badge is rejected (<mutator>)
    Given that badge mutated by "<mutator>"
    When lerconf answers the request with that badge in a presentation bound to "the request's nonce and client_id"
    Then the verifier does not report success, satisfying "VP-05"

    Examples:
      | mutator        |
      | tampered-claim |
      | revoked        |

  @VP-08 @MUST @NEG
  Scenario Outline: Without a presentation proof the credential is not bound to the holder and is rejected (<form>)
    When lerconf answers the request with that badge as "<form>"
    Then the verifier does not report success, satisfying "VP-08"

    Examples:
      | form                     |
      | a bare credential        |
      | an unsigned presentation |

  @VP-12 @MUST @NEG
  Scenario: A wallet error response is never reported as a successful presentation (access_denied)
    When lerconf answers the request with the wallet error "access_denied"
    Then the verifier does not report success, satisfying "VP-12"
