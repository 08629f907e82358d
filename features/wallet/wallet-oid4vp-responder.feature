@wallet @oid4vp @ob30
Feature: Wallet as OpenID4VP 1.0 responder: lerconf plays the verifier
  lerconf's embedded verifier creates a DCQL request for an Open Badge 3.0 (ldp_vc) and hands its
  request_uri to the wallet under test. The verdict comes from what lerconf's response_uri
  received (direct_post) and what lerconf's verifier decided, never from what the wallet reports.
  "The wallet satisfies" a requirement when what lerconf received meets it; the scenario title
  says in words what that is.

  @VP-10 @MUST
  Scenario Outline: The wallet binds its presentation to the request's nonce and full client_id (<client_id_prefix>)
    Given the wallet under test holds an Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer a DCQL request for the badge with the "<client_id_prefix>" client_id prefix
    Then the wallet satisfies "VP-10"

    Examples:
      | client_id_prefix         |
      | redirect_uri             |
      | decentralized_identifier |
      | x509_san_dns             |
      | x509_hash                |

  @VP-10 @MUST
  Scenario Outline: The wallet presents a <format> badge as a VP JWT bound to the request's nonce and full client_id
    Given the wallet under test holds a "<format>" Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer a DCQL request for the "<format>" badge
    Then the wallet satisfies "VP-10"

    Examples:
      | format      |
      | jwt_vc_json |

  @LCW-03 @MUST
  Scenario Outline: The wallet encrypts its response when the request asks for <response_mode>
    Given the wallet under test holds an Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer a DCQL request for the badge with response_mode "<response_mode>"
    Then the wallet satisfies "LCW-03"

    Examples:
      | response_mode   |
      | direct_post.jwt |

  @VP-09 @MUST
  Scenario: The wallet presents exactly the requested badge, as issued, keyed by the DCQL query id
    Given the wallet under test holds an Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer a DCQL request for the badge
    Then the wallet satisfies "VP-09"

  @VP-12 @MUST @NEG
  Scenario: The wallet declines with an error response when it holds no matching credential
    Given the wallet under test holds no credential
    When lerconf asks the wallet to answer a DCQL request for the badge
    Then the wallet satisfies "VP-12"

  @VP-12 @MUST @NEG
  Scenario: The wallet declines a request for a credential format it does not hold
    Given the wallet under test holds an Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer a DCQL request that asks only for an "mso_mdoc" mobile driving licence
    Then the wallet satisfies "VP-12"

  @VP-11 @MUST @NEG
  Scenario: The wallet refuses an unsigned request object when its client_id prefix requires a signature
    Given the wallet under test holds an Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer an unsigned request object under a client_id prefix that requires a signature
    Then the wallet satisfies "VP-11"

  @VP-11 @MUST @NEG
  Scenario: The wallet refuses a request whose request object names another client_id than the invocation
    Given the wallet under test holds an Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer a request whose invocation names another client_id than its request object
    Then the wallet satisfies "VP-11"

  @VP-11 @MUST @NEG
  Scenario: The wallet refuses an x509_san_dns request whose response_uri is on another host than its certificate
    Given the wallet under test holds an Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer an x509_san_dns request whose response_uri is on another host than its certificate names
    Then the wallet satisfies "VP-11"

  @VP-13 @SHOULD
  Scenario: The wallet does not follow an HTTP redirect from the response_uri
    Given the wallet under test holds an Open Badge issued by lerconf over OID4VCI
    When lerconf asks the wallet to answer a DCQL request whose response_uri answers with an HTTP redirect
    Then the wallet satisfies "VP-13"
