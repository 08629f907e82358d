"""Reference OID4VP 1.0 verifier (lerconf plays the wallet against it, or against a vendor's;
lerconf's wallet scenarios use it to test a wallet).

* ``POST /oid4vp/requests``                 test hook: a new transaction. Answers ``{request_uri, client_id,
  request_uri_method, transaction_id, invocation_uri, options}`` (``client_id`` and the
  ``openid4vp://`` ``invocation_uri`` name the client_id a wallet is handed next to request_uri).
  Body (JSON, every field optional; the empty body is the plain 1.0 request):

  ============================  ===================================================================
  ``client_id_prefix``          ``redirect_uri`` (default), ``decentralized_identifier`` (did:key),
                                ``x509_san_dns`` (``x509_san_dns:localhost``), ``x509_hash`` (SHA-256
                                of the leaf); x509 request objects carry ``x5c`` (the leaf, issued by
                                the lerconf test CA of ``x509.py``)
  ``request_uri_method``        ``get`` (default) or ``post`` (VP §5.10: ``wallet_nonce`` echoed)
  ``signed``                    request object signed or not (default: signed unless redirect_uri:;
                                ``true`` under redirect_uri: signs with the did:key — a request the
                                wallet must refuse, VP §5.9.3)
  ``require_signed``            ``true``: a prefix that requires a signature (``decentralized_identifier``
                                unless ``x509_*`` is named) with an unsigned (``alg: none``) request object
  ``client_id_mismatch``        ``true``: the hook's ``client_id`` / invocation URI names another
                                verifier's client_id than the request object does
  ``format``                    ``ldp_vc`` (default), ``jwt_vc_json``, or ``unsupported`` (DCQL asks
                                only for an ``mso_mdoc`` mDL, which no LER wallet holds)
  ``response_mode``             ``direct_post`` (default) or ``direct_post.jwt`` (``client_metadata.jwks``
                                has a fresh ECDH-ES P-256 key; enc A128GCM/A256GCM)
  ``redirect_on_response``      ``true`` (302) or a 3xx status: response_uri answers the wallet's POST
                                with that redirect to ``/oid4vp/redirect-target/{id}``, which records
                                every hit in the transaction's ``redirect_hits`` (VP-13)
  ``spec_version``              ``1.0`` (default) or ``draft`` / ``draft-20``: pre-final form —
                                ``client_id_scheme`` with a bare client_id, ``presentation_definition``
                                (answered with ``presentation_submission``), ``vp_formats``
  ============================  ===================================================================

  Unknown values are answered 400. Each transaction keeps its ``options`` (``PresentationTransaction.options``,
  also in the hook answer and the result), ``outer_client_id`` and ``redirect_hits``.
* ``GET|POST /oid4vp/request-objects/{id}`` the request object (``application/oauth-authz-req+jwt``)
* ``POST /oid4vp/responses``                response_uri: ``vp_token`` + ``state`` (or the ``response`` JWE
  for direct_post.jwt), or an error response. 200 ``{redirect_uri}`` on success, 400
  ``{error, error_description}`` otherwise
* ``GET|POST /oid4vp/redirect-target/{id}`` the redirect_on_response target (records the hit)
* ``GET /oid4vp/results/{state}``          ``{status, verified, errors, options, redirect_hits, …}``

A transaction is single-use: its state answers once, and its nonce binds one presentation
(VP proof ``challenge`` = nonce and ``domain`` = the full client_id, or VP JWT ``nonce`` and
``aud``; VP §14.10 / App. B.1.3). Every presentation and credential goes through lerconf's engine.
"""
from __future__ import annotations

from lerconf.refimpl.oid4vp.endpoints import ROUTES, request_object_for
from lerconf.refimpl.oid4vp.store import (
    PREFIXES,
    QUERY_ID,
    Oid4vpStore,
    OptionError,
    PresentationTransaction,
    RequestOptions,
    store_of,
    verifier_signer,
)
from lerconf.refimpl.oid4vp.validate import open_response, validate_vp_token

#: the request object of a transaction (kept under its earlier name for callers and tests)
_request_object = request_object_for

__all__ = [
    "PREFIXES",
    "QUERY_ID",
    "ROUTES",
    "Oid4vpStore",
    "OptionError",
    "PresentationTransaction",
    "RequestOptions",
    "open_response",
    "request_object_for",
    "store_of",
    "validate_vp_token",
    "verifier_signer",
]
