"""OB 3.0 / CLR 2.0 API protocol helpers: scopes and paths, service description reading,
registration requests, PKCE, Link header parsing, equality and comparison, Imsx_StatusInfo."""
from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from lerconf.protocol.obapi import (
    CLR_API,
    MAX_LINK_HEADER_CHARS,
    MAX_LINKS,
    OB_API,
    REGISTRATION_REQUIRED,
    Comparison,
    authorization_request_url,
    basic_authorization,
    compare,
    equality_key,
    imsx_status,
    jws_payload,
    parse_links,
    parse_service_description,
    pkce_pair,
    read_imsx,
    registration_request,
    same_host,
)

OB = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"


def sdd(**scheme_extra: Any) -> dict[str, Any]:
    """A service description like the spec's example, privacy policy in info."""
    return {
        "openapi": "3.0.1",
        "info": {"title": "Host", "termsOfService": "https://host.example/terms", "version": "1",
                 "x-imssf-privacyPolicyUrl": "https://host.example/privacy"},
        "components": {"securitySchemes": {"OAuth2ACG": {
            "type": "oauth2", "x-imssf-registrationUrl": "https://host.example/register",
            "flows": {"authorizationCode": {
                "authorizationUrl": "https://host.example/authorize", "tokenUrl": "https://host.example/token",
                "refreshUrl": "https://host.example/token", "scopes": {s: "..." for s in OB_API.scopes}}},
            **scheme_extra}}},
    }


def test_scopes_and_base_paths_of_both_apis() -> None:
    assert OB_API.scopes == (OB + "credential.readonly", OB + "credential.upsert", OB + "profile.readonly",
                             OB + "profile.update")
    assert CLR_API.scope("profile.update") == "https://purl.imsglobal.org/spec/clr/v2p0/scope/profile.update"
    assert OB_API.url("https://h.example", "credentials") == "https://h.example/ims/ob/v3p0/credentials"
    assert OB_API.url("https://h.example/ims/ob/v3p0/", "/discovery") == "https://h.example/ims/ob/v3p0/discovery"
    assert CLR_API.url("https://h.example/t", "profile") == "https://h.example/t/ims/clr/v2p0/profile"
    assert CLR_API.credentials_response_schema.endswith("clr_v2p0_getclrcredentialsresponse_schema.json")


def test_service_description_fields_are_read() -> None:
    d = parse_service_description(sdd())
    assert (d.openapi, d.title, d.scheme_name) == ("3.0.1", "Host", "OAuth2ACG")
    assert d.registration_url == "https://host.example/register"
    assert (d.authorization_url, d.token_url, d.refresh_url) == (
        "https://host.example/authorize", "https://host.example/token", "https://host.example/token")
    assert d.scopes == OB_API.scopes
    assert d.privacy_policy_url == "https://host.example/privacy"


def test_privacy_policy_is_also_read_from_the_scheme_as_the_spec_example_puts_it() -> None:
    doc = sdd(**{"x-imssf-privacyPolicyUrl": "https://host.example/p2"})
    del doc["info"]["x-imssf-privacyPolicyUrl"]
    assert parse_service_description(doc).privacy_policy_url == "https://host.example/p2"


@pytest.mark.parametrize("doc", [None, [], {"components": "x"}, {"components": {"securitySchemes": {"a": {"type": "http"}}}}])
def test_service_description_reading_never_raises(doc: Any) -> None:
    d = parse_service_description(doc)
    assert d.scheme_name is None and d.token_url is None and d.scopes == ()


def test_registration_request_has_every_required_member_and_arrays() -> None:
    body = registration_request(client_uri="https://lerconf.example", redirect_uris=["https://lerconf.example/cb"],
                                scopes=OB_API.scopes)
    assert set(REGISTRATION_REQUIRED) <= set(body)
    assert isinstance(body["redirect_uris"], list)
    assert body["scope"] == " ".join(OB_API.scopes)
    assert body["token_endpoint_auth_method"] == "client_secret_basic"
    assert same_host([body["client_uri"], body["logo_uri"], body["tos_uri"], body["policy_uri"], *body["redirect_uris"]])


def test_registration_request_refuses_urls_on_two_hosts() -> None:
    with pytest.raises(ValueError, match="one host"):
        registration_request(client_uri="https://a.example", redirect_uris=["https://b.example/cb"], scopes=[])


def test_pkce_pair_is_s256_of_the_verifier_and_hidden_in_repr() -> None:
    pair = pkce_pair()
    assert 43 <= len(pair.verifier) <= 128
    digest = base64.urlsafe_b64encode(hashlib.sha256(pair.verifier.encode()).digest()).rstrip(b"=").decode()
    assert pair.challenge == digest and pair.method == "S256"
    assert pair.verifier not in repr(pair)
    assert pkce_pair().verifier != pair.verifier


def test_authorization_request_url_carries_pkce_state_and_scope() -> None:
    pair = pkce_pair()
    url = authorization_request_url("https://as.example/authorize?tenant=1", client_id="c 1", redirect_uri="https://l/cb",
                                    scopes=OB_API.scopes[:2], state="st", pkce=pair)
    q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert q["tenant"] == "1" and q["client_id"] == "c 1" and q["state"] == "st"
    assert q["code_challenge"] == pair.challenge and q["code_challenge_method"] == "S256"
    assert q["scope"].split() == list(OB_API.scopes[:2]) and q["response_type"] == "code"
    without = authorization_request_url("https://as/a", client_id="c", redirect_uri="r", scopes=[], state="s", pkce=None)
    assert "code_challenge" not in without


def test_client_secret_basic_form_encodes_before_base64() -> None:
    header = basic_authorization("id:1", "s&cret")
    assert base64.b64decode(header.removeprefix("Basic ")).decode() == "id%3A1:s%26cret"


# -- Link header ----------------------------------------------------------------------------------
def test_link_header_as_the_spec_example_writes_it() -> None:
    value = ('<https://h/ims/ob/v3p0/credentials?limit=2&offset=1>; rel="next",\n'
             '<https://h/ims/ob/v3p0/credentials?limit=2&offset=0>; rel="last",\n'
             ' <https://h/c?limit=2&offset=0>; rel="first", <https://h/c?limit=2&offset=0>; rel="prev"')
    links = parse_links(value)
    assert links.get("next") == "https://h/ims/ob/v3p0/credentials?limit=2&offset=1"
    assert set(links.rels) == {"next", "last", "first", "prev"} and not links.problems


@pytest.mark.parametrize("value,rels", [
    ("<a>;rel=next", {"next": "a"}),
    ("< a > ;  REL = \"First  Last\" ; title=\"x, y\"", {"first": "a", "last": "a"}),
    ("<a,b>; rel=next, <c>; type=\"t\"; rel=prev", {"next": "a,b", "prev": "c"}),
    ("<a>; rel=\"next\", <b>; rel=\"next\"", {"next": "a"}),
    ("", {}),
    (None, {}),
])
def test_link_header_is_read_tolerantly(value: str | None, rels: dict[str, str]) -> None:
    links = parse_links(value)
    assert dict(links.rels) == rels and not links.problems


def test_unreadable_link_header_says_where() -> None:
    links = parse_links('<a>; rel=next, garbage; rel="last"')
    assert links.get("next") == "a" and links.get("last") is None
    assert links.problems and "unreadable" in links.problems[0]


def test_link_header_reading_is_bounded() -> None:
    many = ", ".join(f"<u{i}>; rel=r{i}" for i in range(MAX_LINKS + 10))
    links = parse_links(many)
    assert len(links.rels) == MAX_LINKS and "more than" in links.problems[0]
    huge = parse_links("<" + "a" * (MAX_LINK_HEADER_CHARS * 4) + ">; rel=next")
    assert huge.problems and not huge.rels


@pytest.mark.parametrize("hostile", [
    "<a>" + "; p=v  " * 2000 + "; =",
    "<a>" + "; p" * 5000 + "; =",
    "<a>; p=\"" + "\\\"" * 5000 + " ;=",
    "<a>" + "; p = x y z " * 1000 + "; =",
])
def test_link_header_reading_is_linear_on_hostile_input(hostile: str) -> None:
    started = time.monotonic()
    links = parse_links(hostile)
    assert time.monotonic() - started < 0.5 and links.problems  # a backtracking regex took minutes here


# -- equality and comparison ------------------------------------------------------------------------
def _cred(issuer: Any, cid: str, valid_from: str) -> dict[str, Any]:
    return {"id": cid, "issuer": issuer, "validFrom": valid_from}


def test_equality_percent_decodes_and_trims_issuer_id_and_id() -> None:
    a = _cred({"id": "https://i.example/issuers/1"}, "urn:uuid:1", "2024-01-01T00:00:00Z")
    b = _cred(" https://i.example/issuers/%31 ", " urn%3Auuid%3A1", "2024-01-01T00:00:00Z")
    assert equality_key(a) == equality_key(b) == ("https://i.example/issuers/1", "urn:uuid:1")
    assert compare(a, b) is Comparison.SAME_AGE


def test_comparison_says_which_is_newer() -> None:
    old = _cred("https://i/1", "urn:x", "2024-01-01T00:00:00Z")
    new = _cred("https://i/1", "urn:x", "2024-01-01T01:00:00+00:00")
    assert compare(new, old) is Comparison.NEWER and compare(old, new) is Comparison.OLDER
    assert compare(new, _cred("https://i/2", "urn:x", "2025-01-01T00:00:00Z")) is Comparison.DIFFERENT
    assert equality_key({"id": "urn:x"}) is None


def test_jws_payload_reads_the_credential_of_a_vc_jwt() -> None:
    def b64(d: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    cred = {"id": "urn:x", "issuer": {"id": "https://i"}}
    assert jws_payload(f"{b64({'alg': 'ES256'})}.{b64(cred)}.c2ln") == cred
    assert jws_payload(f"{b64({'alg': 'ES256'})}.{b64({'vc': cred, 'iss': 'https://i'})}.c2ln") == cred
    assert jws_payload("not a jws") is None


# -- Imsx_StatusInfo --------------------------------------------------------------------------------
def test_imsx_status_builds_and_reads_back() -> None:
    body = imsx_status("failure", "error", "bad credential", ["invalid_data"])
    status = read_imsx(body)
    assert status is not None
    assert (status.code_major, status.severity, status.description, status.code_minor) == (
        "failure", "error", "bad credential", ("invalid_data",))
    single = {**body, "imsx_codeMinor": {"imsx_codeMinorField": {"imsx_codeMinorFieldName": "x",
                                                                 "imsx_codeMinorFieldValue": "forbidden"}}}
    assert read_imsx(single).code_minor == ("forbidden",)  # type: ignore[union-attr]
    assert read_imsx({"error": "x"}) is None and read_imsx("<html>") is None
