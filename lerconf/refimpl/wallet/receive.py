"""The reference wallet as an OID4VCI 1.0 client: take an offer, fetch the issuer's and the
authorization server's metadata, redeem the grant (pre-authorized code with tx_code, or the
authorization code with PKCE S256), prove possession of its key with a fresh c_nonce, and store
the credential as issued."""
from __future__ import annotations

import copy
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from lerconf.protocol.key_proof import HolderKey, make_key_proof
from lerconf.protocol.oid4vci import AS_WELL_KNOWN, PRE_AUTHORIZED_GRANT, well_known_url
from lerconf.refimpl.wallet.agent import UserAgent
from lerconf.refimpl.wallet.store import AUTHORIZATION_CODE, WalletError, WalletRules, WalletStore

__all__ = ["WALLET_CLIENT_ID", "WALLET_REDIRECT_URI", "receive"]

#: how the reference wallet names itself to authorization servers (a native app: custom-scheme redirect)
WALLET_CLIENT_ID = "lerconf-reference-wallet"
WALLET_REDIRECT_URI = "lerconf-wallet://oid4vci/callback"


def _offer_document(http: UserAgent, body: Mapping[str, Any], rules: WalletRules) -> Mapping[str, Any]:
    """The credential offer: by value, by reference (GET), or inside a scanned offer URI."""
    offer, uri = body.get("credential_offer"), body.get("credential_offer_uri")
    if offer is not None and not rules.offer_by_value:
        raise WalletError("rejected", "invalid_offer", "this wallet only handles offers by reference")
    if isinstance(body.get("uri"), str):  # an openid-credential-offer:// URI as scanned
        query = dict(parse_qsl(urlsplit(body["uri"]).query))
        offer, uri = query.get("credential_offer", offer), query.get("credential_offer_uri", uri)
    if isinstance(offer, str):
        try:
            offer = json.loads(offer)
        except ValueError:
            raise WalletError("rejected", "invalid_offer", "credential_offer is not JSON") from None
    if offer is None and isinstance(uri, str):
        offer = http.json("GET", uri, "the credential_offer_uri")
    if not isinstance(offer, Mapping) or not isinstance(offer.get("credential_issuer"), str):
        raise WalletError("rejected", "invalid_offer", "no credential offer with a credential_issuer")
    return offer


def _issuer_metadata(http: UserAgent, issuer: str, rules: WalletRules) -> Mapping[str, Any]:
    """The Credential Issuer Metadata, refused when its credential_issuer is not the offer's (VCI §12.2.4)."""
    metadata = http.json("GET", well_known_url(issuer), "the credential issuer metadata")
    if rules.check_credential_issuer and metadata.get("credential_issuer") != issuer:
        raise WalletError("rejected", "issuer_mismatch", f"the metadata's credential_issuer "
                          f"{metadata.get('credential_issuer')!r} is not the offer's {issuer!r} (VCI §12.2.4)")
    return metadata


def _authorization_server_metadata(http: UserAgent, metadata: Mapping[str, Any], issuer: str) -> Mapping[str, Any]:
    """The RFC 8414 metadata of the issuer's (first) authorization server, or of the issuer itself."""
    servers = metadata.get("authorization_servers")
    auth_server = servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], str) else issuer
    as_metadata = http.json("GET", well_known_url(auth_server, AS_WELL_KNOWN), "the authorization server metadata")
    if as_metadata.get("issuer") != auth_server:  # RFC 8414 §3.3: metadata of the server it names
        raise WalletError("rejected", "invalid_issuer", f"the authorization server metadata's issuer "
                          f"{as_metadata.get('issuer')!r} is not {auth_server!r} (RFC 8414 §3.3)")
    return as_metadata


def _authorize(http: UserAgent, rules: WalletRules, as_metadata: Mapping[str, Any], grant: Mapping[str, Any]) -> dict[str, str]:
    """The authorization code grant (OID4VCI §5, RFC 6749 §4.1) with PKCE S256 (RFC 7636): the
    authorization request carries the offer's ``issuer_state``; the test user is approved without
    a page, so the code is read from the redirect (``state`` and RFC 9207 ``iss`` checked)."""
    endpoint = as_metadata.get("authorization_endpoint")
    if not isinstance(endpoint, str):
        raise WalletError("rejected", "unsupported_grant", "the authorization server has no authorization_endpoint")
    verifier, state = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
    params = {"response_type": "code", "client_id": WALLET_CLIENT_ID, "redirect_uri": WALLET_REDIRECT_URI,
              "state": state}
    if rules.pkce:
        params.update(code_challenge=create_s256_code_challenge(verifier), code_challenge_method="S256")
    if isinstance(grant.get("issuer_state"), str):
        params["issuer_state"] = grant["issuer_state"]
    response = http.call("GET", endpoint, params=params)
    location = response.headers.get("location", "")
    answer = dict(parse_qsl(urlsplit(location).query))
    if response.status_code not in (302, 303) or not location.startswith(WALLET_REDIRECT_URI):
        raise WalletError("error", "authorization_failed", f"the authorization endpoint answered HTTP {response.status_code}")
    if answer.get("state") != state:
        raise WalletError("rejected", "invalid_state", "the authorization response's state is not the wallet's")
    issuer = as_metadata.get("issuer")
    supports_iss = as_metadata.get("authorization_response_iss_parameter_supported") is True
    if ("iss" in answer or supports_iss) and answer.get("iss") != issuer:  # RFC 9207 mix-up defence
        raise WalletError("rejected", "invalid_iss", "the authorization response's iss is not the authorization server")
    if "code" not in answer:
        raise WalletError("error", str(answer.get("error") or "authorization_failed"),
                          f"no authorization code: {answer.get('error_description', '')}".strip())
    form = {"grant_type": AUTHORIZATION_CODE, "code": answer["code"], "redirect_uri": WALLET_REDIRECT_URI,
            "client_id": WALLET_CLIENT_ID}
    if rules.pkce:
        form["code_verifier"] = verifier
    return form


def _token_form(http: UserAgent, rules: WalletRules, body: Mapping[str, Any], offer: Mapping[str, Any],
                as_metadata: Mapping[str, Any]) -> dict[str, str]:
    """The token request for the grant the offer makes: the pre-authorized code (with the tx_code
    when the offer has a tx_code object), else the authorization code."""
    offered = offer.get("grants")
    grants: Mapping[str, Any] = offered if isinstance(offered, Mapping) else {}
    grant = grants.get(PRE_AUTHORIZED_GRANT)
    if isinstance(grant, Mapping) and isinstance(grant.get("pre-authorized_code"), str):
        form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": grant["pre-authorized_code"]}
        if isinstance(grant.get("tx_code"), Mapping):
            if not isinstance(body.get("tx_code"), str):
                raise WalletError("error", "tx_code_required", "the offer asks for a tx_code and none was given")
            form["tx_code"] = body["tx_code"]
        elif not rules.tx_code_only_when_asked:
            form["tx_code"] = str(body.get("tx_code") or "")  # a remembered or empty code, sent regardless
        return form
    if isinstance(grants.get(AUTHORIZATION_CODE), Mapping):
        return _authorize(http, rules, as_metadata, grants[AUTHORIZATION_CODE])
    raise WalletError("rejected", "unsupported_grant", "the offer has no grant this wallet supports")


def _request_credential(http: UserAgent, store: WalletStore, metadata: Mapping[str, Any], issuer: str,
                        request: Mapping[str, Any], auth: Mapping[str, str]) -> Mapping[str, Any]:
    """A fresh c_nonce, a key proof, the credential request; after ``invalid_nonce`` once more
    with a new c_nonce (VCI §8.3.1.2: the wallet gets a fresh nonce and retries)."""
    rules = store.rules
    for attempt in range(2):
        nonce = None
        if isinstance(metadata.get("nonce_endpoint"), str):
            nonce = http.json("POST", metadata["nonce_endpoint"], "the nonce request").get("c_nonce")
        signer = store.signer
        proof = make_key_proof(HolderKey(store.key), audience=issuer, nonce=nonce if rules.proof_nonce else None,
                               header={"jwk": None, "kid": signer.verification_method})
        try:
            return http.json("POST", str(metadata.get("credential_endpoint")), "the credential request",
                             json={**request, "proofs": {"jwt": [proof]}}, headers=dict(auth))
        except WalletError as exc:
            if exc.code != "invalid_nonce" or attempt or not rules.retry_after_invalid_nonce:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _stored_entries(answer: Mapping[str, Any], rules: WalletRules, fmt: Any, issuer: str,
                    config_id: str) -> list[dict[str, Any]]:
    """The wallet's entries for the credentials of a credential response (kept as issued)."""
    stored = []
    for item in answer.get("credentials") or []:
        credential = item.get("credential") if isinstance(item, Mapping) else None
        if credential is None:
            continue
        if not rules.store_unchanged and isinstance(credential, dict):
            credential = copy.deepcopy(credential)
            credential["name"] = f"{credential.get('name', 'Badge')} (imported)"  # a "display fix": not as issued
        stored.append({"id": f"urn:uuid:{secrets.token_hex(16)}", "format": fmt, "credential": credential,
                       "issuer": issuer, "configuration_id": config_id, "received_at": int(time.time())})
    if not stored:
        raise WalletError("error", "no_credential", "the credential response carried no credential")
    return stored


def receive(store: WalletStore, body: Mapping[str, Any]) -> dict[str, Any]:
    """Take the offer in ``body`` to its end: the credential stored, or a WalletError."""
    rules = store.rules
    with UserAgent(verify=store.tls_verify) as http:
        offer = _offer_document(http, body, rules)
        metadata = _issuer_metadata(http, str(offer["credential_issuer"]), rules)
        issuer = str(metadata.get("credential_issuer"))
        as_metadata = _authorization_server_metadata(http, metadata, issuer)
        form = _token_form(http, rules, body, offer, as_metadata)
        token = http.json("POST", str(as_metadata.get("token_endpoint")), "the token request", data=form)
        configs = offer.get("credential_configuration_ids") or []
        supported = metadata.get("credential_configurations_supported") or {}
        config_id = next((c for c in configs if isinstance(c, str) and c in supported), None)
        if config_id is None:
            raise WalletError("rejected", "unknown_configuration", "no offered configuration is in the metadata")
        auth = {"Authorization": f"Bearer {token.get('access_token')}"}
        answer = _request_credential(http, store, metadata, issuer, {"credential_configuration_id": config_id}, auth)
    fmt = supported[config_id].get("format") if isinstance(supported[config_id], Mapping) else None
    stored = _stored_entries(answer, rules, fmt, issuer, config_id)
    with store.lock:
        store.credentials.extend(stored)
    return {"outcome": "stored", "stored": [{"id": e["id"], "format": e["format"]} for e in stored]}
