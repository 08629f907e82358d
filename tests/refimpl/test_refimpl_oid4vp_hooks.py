"""The reference OID4VP verifier's test-hook options (POST /oid4vp/requests): each one changes
the request as documented and is recorded on the transaction (lerconf's wallet scenarios read
them there)."""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from cryptography import x509

from lerconf.crypto.encoding import b64url_decode, b64url_encode


def _decode(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    head, body, _ = token.split(".")
    return json.loads(b64url_decode(head)), json.loads(b64url_decode(body))


def _open(client: httpx.Client, **body: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    hook = client.post("/oid4vp/requests", json=body)
    assert hook.status_code == 200, hook.text
    made = hook.json()
    answer = client.get(made["request_uri"])
    assert answer.status_code == 200
    header, claims = _decode(answer.text)
    return made, header, claims


def _txn(ref: Any, made: dict[str, Any]) -> Any:
    from lerconf.refimpl.oid4vp import store_of

    return store_of(ref.state).by_id(made["transaction_id"])


def test_default_request_is_unchanged(client: httpx.Client, ref: Any) -> None:
    made, header, claims = _open(client)
    assert header == {"typ": "oauth-authz-req+jwt", "alg": "none"}
    assert claims["client_id"] == made["client_id"] == f"redirect_uri:{claims['response_uri']}"
    assert claims["response_mode"] == "direct_post" and "jwks" not in claims["client_metadata"]
    assert claims["dcql_query"]["credentials"][0]["format"] == "ldp_vc"
    options = _txn(ref, made).options
    assert (options.client_id_prefix, options.signed, options.format, options.redirect_on_response) == \
        ("redirect_uri", False, "ldp_vc", 0)


def test_signed_option_overrides_the_prefix_default(client: httpx.Client, ref: Any) -> None:
    made, header, claims = _open(client, client_id_prefix="decentralized_identifier", signed=False)
    assert header["alg"] == "none" and claims["client_id"].startswith("decentralized_identifier:did:key:")
    assert _txn(ref, made).options.signed is False
    made, header, claims = _open(client, signed=True)
    assert header["alg"] == "EdDSA" and claims["client_id"].startswith("redirect_uri:")
    assert _txn(ref, made).options.signed is True


@pytest.mark.parametrize("prefix", [None, "decentralized_identifier", "x509_san_dns", "x509_hash"])
def test_require_signed_serves_an_unsigned_object_under_a_signing_prefix(client: httpx.Client, ref: Any,
                                                                       prefix: str | None) -> None:
    made, header, claims = _open(client, require_signed=True, **({"client_id_prefix": prefix} if prefix else {}))
    assert header["alg"] == "none" and "x5c" not in header
    assert claims["client_id"].split(":", 1)[0] == (prefix or "decentralized_identifier")
    options = _txn(ref, made).options
    assert options.require_signed is True and options.signed is False


def test_client_id_mismatch_names_another_client_id_outside_the_object(client: httpx.Client, ref: Any) -> None:
    made, _, claims = _open(client, client_id_mismatch=True)
    assert made["client_id"] != claims["client_id"] and made["client_id"].startswith("redirect_uri:")
    query = dict(parse_qsl(urlsplit(made["invocation_uri"]).query))
    assert query["client_id"] == made["client_id"] and query["request_uri"] == made["request_uri"]
    txn = _txn(ref, made)
    assert txn.options.client_id_mismatch and txn.outer_client_id == made["client_id"] != txn.client_id
    made, _, claims = _open(client)
    assert made["client_id"] == claims["client_id"]


def test_format_option_shapes_the_dcql_query(client: httpx.Client, ref: Any) -> None:
    _, _, claims = _open(client, format="jwt_vc_json")
    query = claims["dcql_query"]["credentials"][0]
    assert query["format"] == "jwt_vc_json" and query["meta"]["type_values"][0][0].endswith("#OpenBadgeCredential")
    assert "jwt_vc_json" in claims["client_metadata"]["vp_formats_supported"]
    made, _, claims = _open(client, format="unsupported")
    assert [q["format"] for q in claims["dcql_query"]["credentials"]] == ["mso_mdoc"]
    assert _txn(ref, made).options.format == "unsupported"


def test_direct_post_jwt_offers_an_encryption_key(client: httpx.Client, ref: Any) -> None:
    _made, _, claims = _open(client, response_mode="direct_post.jwt")
    assert claims["response_mode"] == "direct_post.jwt"
    meta = claims["client_metadata"]
    (key,) = meta["jwks"]["keys"]
    assert key["kty"] == "EC" and key["crv"] == "P-256" and key["alg"] == "ECDH-ES" and "d" not in key
    assert set(meta["encrypted_response_enc_values_supported"]) == {"A128GCM", "A256GCM"}
    # a plain response to an encrypted-response request is refused and ends the transaction unverified
    answer = client.post(claims["response_uri"], data={"vp_token": "{}", "state": claims["state"]})
    assert answer.status_code == 400 and "direct_post.jwt" in answer.json()["error_description"]
    result = client.get(f"/oid4vp/results/{claims['state']}").json()
    assert result["verified"] is False and result["options"]["response_mode"] == "direct_post.jwt"


def test_redirect_on_response_redirects_to_a_recording_loopback_target(client: httpx.Client, ref: Any) -> None:
    made, _, claims = _open(client, redirect_on_response=True)
    answer = client.post(claims["response_uri"], data={"error": "access_denied", "state": claims["state"]})
    assert answer.status_code == 302
    target = answer.headers["location"]
    assert urlsplit(target).hostname == "127.0.0.1" and urlsplit(target).path.startswith("/oid4vp/redirect-target/")
    assert _txn(ref, made).redirect_hits == []
    assert client.get(target).status_code == 200
    hits = client.get(f"/oid4vp/results/{claims['state']}").json()["redirect_hits"]
    assert [h["method"] for h in hits] == ["GET"]
    made, _, claims = _open(client, redirect_on_response=307)
    assert client.post(claims["response_uri"], data={"error": "access_denied", "state": claims["state"]}).status_code == 307


def test_x509_prefixes_sign_with_the_leaf_of_the_test_ca(client: httpx.Client) -> None:
    from lerconf.refimpl.oid4vp.x509 import verifier_certificates

    certs = verifier_certificates()
    _, header, claims = _open(client, client_id_prefix="x509_san_dns")
    assert header["alg"] == "ES256" and claims["client_id"] == "x509_san_dns:localhost"
    leaf = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    leaf.verify_directly_issued_by(certs.ca)
    _, header, claims = _open(client, client_id_prefix="x509_hash")
    der = base64.b64decode(header["x5c"][0])
    assert claims["client_id"] == "x509_hash:" + b64url_encode(hashlib.sha256(der).digest())


def test_draft_mode_uses_client_id_scheme_and_presentation_definition(client: httpx.Client, ref: Any) -> None:
    made, _, claims = _open(client, spec_version="draft")
    assert "dcql_query" not in claims and claims["presentation_definition"]["id"] == "openbadge"
    assert claims["client_id_scheme"] == "redirect_uri" and claims["client_id"] == claims["response_uri"]
    assert "vp_formats" in claims["client_metadata"]
    assert _txn(ref, made).options.spec_version == "draft-20"
    _, _, claims = _open(client, spec_version="draft", client_id_prefix="decentralized_identifier")
    assert claims["client_id_scheme"] == "did" and claims["client_id"].startswith("did:key:")


@pytest.mark.parametrize("body", [{"client_id_prefix": "origin"}, {"format": "sd_jwt"}, {"signed": "yes"},
                                  {"require_signed": True, "signed": True},
                                  {"require_signed": True, "client_id_prefix": "redirect_uri"},
                                  {"response_mode": "fragment"}, {"redirect_on_response": 200},
                                  {"spec_version": "draft", "client_id_prefix": "x509_hash"}])
def test_options_the_reference_cannot_honour_are_refused(client: httpx.Client, body: dict[str, Any]) -> None:
    answer = client.post("/oid4vp/requests", json=body)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"
