@oid4vp_verifier @oid4vp @ob30
Feature: OpenID4VP 1.0 §5-§6 The verifier's presentation request for an Open Badge
  lerconf plays the wallet: it asks the verifier under test (through the request hook of its
  profile) for a presentation request for an Open Badges 3.0 credential, fetches it from
  request_uri as a wallet would, and reads it. Follows VP-VER-01..05 of the research note.
  Under the x509_san_dns and x509_hash prefixes the request object's x5c leaf must match the
  client_id (a SAN DNS name, or the SHA-256 of the leaf), sign the object, and chain to a trust
  anchor of the verifier's profile.

  @VP-01 @MUST
  Scenario Outline: The Authorization Request has client_id with a prefix, response_type vp_token, a fresh nonce, a DCQL query and response_mode (<client_id_prefix>)
    When lerconf asks the verifier under test for two presentation requests with the "<client_id_prefix>" client_id prefix
    Then each request satisfies "VP-01"

    Examples:
      | client_id_prefix         |
      | redirect_uri             |
      | decentralized_identifier |
      | x509_san_dns             |
      | x509_hash                |

  @VP-02 @MUST
  Scenario Outline: A Request Object is a JWT typed oauth-authz-req+jwt, signed as its client_id prefix requires (<client_id_prefix>, request_uri by <request_uri_method>)
    When lerconf asks the verifier under test for a presentation request with the "<client_id_prefix>" client_id prefix, fetched by "<request_uri_method>"
    Then the request satisfies "VP-02"

    Examples:
      | client_id_prefix         | request_uri_method | request_signing |
      | decentralized_identifier | get                | signed          |
      | decentralized_identifier | post               | signed          |
      | redirect_uri             | get                | unsigned        |
      | x509_san_dns             | get                | signed          |
      | x509_hash                | get                | signed          |

  @VP-03 @MUST
  Scenario Outline: The DCQL query asks for an OpenBadgeCredential by its expanded type IRI in meta.type_values (<format>)
    When lerconf asks the verifier under test for a presentation request with the "<client_id_prefix>" client_id prefix, fetched by "<request_uri_method>"
    Then the request satisfies "VP-03"

    Examples:
      | format | client_id_prefix | request_uri_method |
      | ldp_vc | redirect_uri     | get                |
