"""The reference wallet: lerconf's own implementation of the HTTP wallet adapter
(``docs/wallet-adapter.openapi.yaml``), mounted under ``/wallet`` (:mod:`.routes`).

* ``GET  /wallet/capabilities``   what it supports (formats, grants, DCQL, client_id prefixes)
* ``POST /wallet/offers``         ``{credential_offer_uri | credential_offer, tx_code?}``: acts as an
  OID4VCI 1.0 client (:mod:`.receive`: metadata, refusing a ``credential_issuer`` mismatch;
  pre-authorized code with tx_code, or the authorization code with PKCE S256; a fresh c_nonce,
  again after ``invalid_nonce``; an ``openid4vci-proof+jwt`` key proof; the credential stored unchanged)
* ``POST /wallet/presentations``  ``{request_uri | request}``: acts as an OID4VP 1.0 responder
  (:mod:`.present`: request object typ and signature by client_id prefix; DCQL for OB 3.0
  ``ldp_vc`` and ``jwt_vc_json``; a Data Integrity VP with ``challenge`` = nonce and ``domain`` =
  the full client_id, or a VP JWT with ``nonce`` and ``aud``; sent by direct_post, or encrypted to
  the verifier's key for direct_post.jwt; an ``access_denied`` error response when it holds no
  matching credential)
* ``POST /wallet/interactions`` ``{interaction_url}``: takes part in a VCALM exchange (:mod:`.exchange`:
  the interaction URL's protocols read as JSON, the ``vcapi`` exchange started with ``{}``, each
  request answered with a presentation signed for ``authentication`` with its challenge and domain,
  holding only the credentials its QueryByExample asks for; issued credentials stored unchanged)
* ``GET  /wallet/credentials``    the credentials as stored
* ``POST /wallet/reset``          forget credentials and keys; ``trust_anchors`` (PEM) are the CAs it
  trusts for ``x509_san_dns:`` / ``x509_hash:`` request objects until the next reset

The holder key is Ed25519, named by did:key (the key proof's ``kid``), so the issued badge's
subject is the DID that signs the presentation. The wallet talks to loopback hosts only
(:mod:`.agent`). :class:`~.store.WalletRules` exist so the faulty test bed (tests/faulty_wallet)
can break one rule.
"""
