@wallet @oid4vp @ob30
Feature: Wallet as OpenID4VP 1.0 responder: lerconf plays the verifier
  lerconf's embedded verifier creates a DCQL request for an Open Badge 3.0 (ldp_vc) and hands its
  request_uri to the wallet under test. The verdict comes from what lerconf's response_uri
  received (direct_post), never from what the wallet reports.

  @VP-10 @MUST
  Scenario Outline: The wallet binds its presentation to the request's nonce and full client_id (<client_id_prefix>)
    Given the wallet under test holds an Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer a DCQL request for the badge with the "<client_id_prefix>" client_id prefix
    Then lerconf's response_uri received a presentation bound to the request's nonce and full client_id

    Examples:
      | client_id_prefix         |
      | redirect_uri             |
      | decentralized_identifier |

  @VP-09 @MUST
  Scenario: The wallet presents exactly the requested badge, as issued, keyed by the DCQL query id
    Given the wallet under test holds an Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer a DCQL request for the badge with the "redirect_uri" client_id prefix
    Then lerconf's response_uri received exactly the issued badge, keyed by the DCQL query id

  @VP-12 @MUST @NEG
  Scenario: The wallet declines with an error response when it holds no matching credential
    Given the wallet under test holds no credential
    When lerconf asks the wallet to answer a DCQL request for the badge with the "redirect_uri" client_id prefix
    Then lerconf's response_uri received an error response and no vp_token
