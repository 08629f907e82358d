"""Hostile documents: contexts, DID documents, status lists and JWTs that try to hang, exhaust
or steer lerconf's verifier. Each ends *not verified* with a reason naming what could not be
obtained or trusted; the canary (another loopback port) sees nothing; every call is bounded.
"""
from __future__ import annotations

import hashlib
import hmac
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hostile import payloads
from hostile.server import HostileServer, self_signed_tls

from conftest import CONTEXTS_DIR, SCHEMAS_DIR
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.crypto.status_list import encode_status_list
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.errors import ResolutionError
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerificationReport

BOUND_S = 6.0  # every verification here must end well inside this (fetch timeout 1 s, deadline 2 s)
V2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture(scope="module")
def canary() -> Iterator[HostileServer]:
    with HostileServer(canary=True, lifetime=300) as c:
        yield c
    assert c.connections == 0, f"the canary was reached {c.connections} time(s): {[r.path for r in c.requests]}"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, Path]:
    return self_signed_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def site(canary: HostileServer, tls_files: tuple[ssl.SSLContext, Path]) -> Iterator[HostileServer]:
    """An HTTPS "vendor" site (did:web needs HTTPS) whose certificate the verifier is told to trust."""
    with HostileServer(tls=tls_files[0], canary_url=canary.base_url, lifetime=300) as s:
        s.trickle_interval = 0.5
        yield s


def make_verifier(site: HostileServer, tls_files: tuple[ssl.SSLContext, Path], tmp: Path, *,
                  allow_unregistered: bool = False) -> Verifier:
    settings = LoaderSettings(context_dirs=(CONTEXTS_DIR,), schema_dirs=(SCHEMAS_DIR,), cache_dir=tmp,
                              allowed_hosts=frozenset({f"127.0.0.1:{site.port}"}),
                              allow_unregistered_contexts=allow_unregistered, fetch_timeout=1.0, fetch_deadline=2.0)
    trusting = httpx.HTTPTransport(verify=ssl.create_default_context(cafile=str(tls_files[1])))
    return Verifier(DocumentLoader(settings, transport=trusting))


@pytest.fixture(scope="module")
def verifier(site: HostileServer, tls_files: tuple[ssl.SSLContext, Path],
             tmp_path_factory: pytest.TempPathFactory) -> Verifier:
    return make_verifier(site, tls_files, tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def open_verifier(site: HostileServer, tls_files: tuple[ssl.SSLContext, Path],
                  tmp_path_factory: pytest.TempPathFactory) -> Verifier:
    """One that fetches unregistered contexts from the named (hostile) host, as a user may allow."""
    return make_verifier(site, tls_files, tmp_path_factory.mktemp("cache"), allow_unregistered=True)


SIGNER = Signer.did_key(deterministic_key("hostile-documents-issuer", "Ed25519"))


def signed(verifier: Verifier, credential: dict[str, Any], signer: Signer = SIGNER) -> dict[str, Any]:
    return signer.sign(credential, "eddsa-rdfc-2022", verifier.processor)


def reasons(report: VerificationReport) -> str:
    return " | ".join(f"{r.requirement}: {r.message}" for _, r in report.blocking_failures())


def verify_bounded(verifier: Verifier, document: Any) -> VerificationReport:
    started = time.monotonic()
    report = verifier.verify_document(document, "hostile")
    took = time.monotonic() - started
    assert took < BOUND_S, f"verification took {took:.1f} s"
    assert not report.verified, "a hostile document was verified"
    return report


# -- JSON-LD contexts -----------------------------------------------------------------------------------
def test_unregistered_context_on_the_canary_is_never_fetched(verifier: Verifier, canary: HostileServer) -> None:
    credential = ob3_achievement_credential(SIGNER.controller)
    credential["@context"].append(f"{canary.base_url}/contexts/steal.jsonld")
    report = verify_bounded(verifier, credential)
    assert "refusing to load unregistered JSON-LD context" in reasons(report)


def test_context_that_imports_itself_is_refused(site: HostileServer, open_verifier: Verifier) -> None:
    verifier = open_verifier
    loop_url = f"{site.base_url}/contexts/loop.jsonld"
    site.serve("/contexts/loop.jsonld", {"@context": loop_url})
    importing = f"{site.base_url}/contexts/import.jsonld"
    site.serve("/contexts/import.jsonld", {"@context": {"@version": 1.1, "@import": importing, "x": "urn:x:"}})
    for url in (loop_url, importing):
        credential = ob3_achievement_credential(SIGNER.controller)
        credential["@context"].append(url)
        text = reasons(verify_bounded(verifier, credential)).lower()
        assert "context" in text and ("cyclical" in text or "recursive" in text or "import" in text), text


def test_contexts_nested_to_exhaust_expansion_stop(site: HostileServer, open_verifier: Verifier) -> None:
    verifier = open_verifier
    depth = 200
    for i in range(depth):
        site.serve(f"/contexts/nest/{i}", {"@context": [f"{site.base_url}/contexts/nest/{i + 1}", {f"t{i}": f"urn:t:{i}"}]})
    site.serve(f"/contexts/nest/{depth}", {"@context": {"leaf": "urn:leaf"}})
    credential = ob3_achievement_credential(SIGNER.controller)
    credential["@context"].append(f"{site.base_url}/contexts/nest/0")
    before = len(site.requests)
    text = reasons(verify_bounded(verifier, credential)).lower()
    assert "context" in text, text
    assert len(site.requests) - before <= 50, "expansion followed the context chain far too deep"


# -- DID documents ------------------------------------------------------------------------------------------
def did_web(site: HostileServer, *path: str) -> str:
    return ":".join([f"did:web:127.0.0.1%3A{site.port}", *path])


def test_did_document_whose_id_differs_from_the_did_is_not_trusted(verifier: Verifier, site: HostileServer) -> None:
    did = did_web(site, "imposter")
    other = Signer(SIGNER.key, "did:web:elsewhere.example#key-1", "did:web:elsewhere.example")
    site.serve("/imposter/did.json", {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                                       "id": "did:web:elsewhere.example",
                                       "verificationMethod": [other.controller_document_entry()],
                                       "assertionMethod": [other.verification_method]})
    signer = Signer(SIGNER.key, f"{did}#key-1", did)
    report = verify_bounded(verifier, signed(verifier, ob3_achievement_credential(did), signer))
    assert "has id 'did:web:elsewhere.example', expected" in reasons(report)


def test_did_web_redirecting_to_the_canary_is_not_followed(verifier: Verifier, site: HostileServer,
                                                          canary: HostileServer) -> None:
    did = did_web(site, "moved")
    site.serve("/moved/did.json", b"", status=307, headers={"Location": f"{canary.base_url}/moved/did.json"})
    signer = Signer(SIGNER.key, f"{did}#key-1", did)
    report = verify_bounded(verifier, signed(verifier, ob3_achievement_credential(did), signer))
    assert "redirected to another origin" in reasons(report)


def test_did_web_that_trickles_is_cut_by_the_deadline(verifier: Verifier, site: HostileServer) -> None:
    did = did_web(site, "trickle")  # https://127.0.0.1:PORT/trickle/did.json: one byte every 0.5 s
    signer = Signer(SIGNER.key, f"{did}#key-1", did)
    report = verify_bounded(verifier, signed(verifier, ob3_achievement_credential(did), signer))
    assert "fetch took longer than 2 s" in reasons(report)


# -- status lists -----------------------------------------------------------------------------------------
def with_status(verifier: Verifier, list_url: str) -> dict[str, Any]:
    status = {"id": f"{list_url}#3", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
              "statusListIndex": "3", "statusListCredential": list_url}
    return signed(verifier, ob3_achievement_credential(SIGNER.controller, credential_status=status))


@pytest.mark.parametrize(("path", "words"), [
    ("/gzip-bomb/status/1", "response exceeded the 2 MB limit"),
    ("/deflate-bomb/status/1", "response exceeded the 2 MB limit"),
    ("/huge/status/1", "response exceeded the 2 MB limit"),
    ("/redirect-canary/status/1", "redirected to another origin"),
    ("/never/status/1", "timeout after 1 s"),
    ("/stall-headers/status/1", "timeout after 1 s"),
    ("/trickle/status/1", "fetch took longer than 2 s"),
    ("/html-200/status/1", "is not valid JSON"),
    ("/close-early/status/1", "cannot fetch"),
])
def test_unobtainable_status_list_fails_closed(verifier: Verifier, site: HostileServer, path: str, words: str) -> None:
    report = verify_bounded(verifier, with_status(verifier, f"{site.base_url}{path}"))
    text = reasons(report)
    assert "could not be retrieved" in text and words in text, text


def test_status_list_on_an_unnamed_loopback_port_is_refused(verifier: Verifier, canary: HostileServer) -> None:
    report = verify_bounded(verifier, with_status(verifier, f"{canary.base_url}/status/1"))
    assert "non-public address 127.0.0.1" in reasons(report)


def test_status_list_whose_encoded_list_is_a_gzip_bomb_is_cut(verifier: Verifier, site: HostileServer) -> None:
    """A well-formed, validly signed list whose encodedList inflates to a gigabyte."""
    bomb = payloads.gzip_bomb(1024)
    assert len(bomb) < 1_500_000
    list_url = f"{site.base_url}/lists/bomb"
    list_vc = {"@context": [V2], "id": list_url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
               "issuer": SIGNER.controller, "validFrom": "2026-01-01T00:00:00Z",
               "credentialSubject": {"id": f"{list_url}#list", "type": "BitstringStatusList",
                                     "statusPurpose": "revocation", "encodedList": "u" + payloads.b64url(bomb)}}
    site.serve("/lists/bomb", signed(verifier, list_vc))
    report = verify_bounded(verifier, with_status(verifier, list_url))
    text = reasons(report).lower()
    assert "bsl" in text and ("larger" in text or "exceed" in text or "limit" in text), text


def test_good_status_list_is_a_positive_control(verifier: Verifier, site: HostileServer) -> None:
    """The hostile site can serve a status list that verifies: failures above are the hostility."""
    list_url = f"{site.base_url}/lists/good"
    list_vc = {"@context": [V2], "id": list_url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
               "issuer": SIGNER.controller, "validFrom": "2026-01-01T00:00:00Z",
               "credentialSubject": {"id": f"{list_url}#list", "type": "BitstringStatusList",
                                     "statusPurpose": "revocation", "encodedList": encode_status_list(bytearray(16 * 1024))}}
    site.serve("/lists/good", signed(verifier, list_vc))
    report = verifier.verify_document(with_status(verifier, list_url), "control")
    assert report.verified, reasons(report)


# -- JOSE -----------------------------------------------------------------------------------------------------
def jwt_claims() -> dict[str, Any]:
    vc = ob3_achievement_credential(SIGNER.controller)
    return {"iss": SIGNER.controller, "sub": "did:example:learner-7c1f0a", "nbf": 1768467600, "vc": vc,
            "jti": vc["id"]}


def public_key_bytes() -> bytes:
    return SIGNER.key.public.to_multikey().encode()


def jose_cases(canary: HostileServer) -> dict[str, str]:
    claims = jwt_claims()
    kid = SIGNER.verification_method
    hs_header = {"alg": "HS256", "typ": "JWT", "kid": kid}
    unsigned = payloads.jwt(hs_header, claims).rsplit(".", 1)[0]
    hs_sig = hmac.new(public_key_bytes(), unsigned.encode(), hashlib.sha256).digest()
    big = dict(claims, padding="A" * (10 * 1024 * 1024))
    return {
        "alg none": payloads.jwt({"alg": "none", "typ": "JWT"}, claims),
        "HS256 with the public key as secret": f"{unsigned}.{payloads.b64url(hs_sig)}",
        "kid path traversal": payloads.jwt({"alg": "EdDSA", "kid": "../../../../etc/passwd"}, claims, b"x" * 64),
        "kid URL to the canary": payloads.jwt({"alg": "EdDSA", "kid": f"{canary.base_url}/keys/1"}, claims, b"x" * 64),
        "10 MB JWT": payloads.jwt({"alg": "EdDSA", "kid": kid}, big, b"x" * 64),
    }


@pytest.mark.parametrize("case", ["alg none", "HS256 with the public key as secret", "kid path traversal",
                                  "kid URL to the canary", "10 MB JWT"])
def test_hostile_jwt_is_not_verified(verifier: Verifier, canary: HostileServer, case: str) -> None:
    token = jose_cases(canary)[case]
    started = time.monotonic()
    report = verifier.verify_text(token, "hostile.jwt")
    assert time.monotonic() - started < BOUND_S
    assert not report.verified
    text = reasons(report)
    assert text, "not verified, but without a reason"
    expected = {"alg none": "none", "HS256 with the public key as secret": "HS256",
                "kid path traversal": "../../../../etc/passwd", "kid URL to the canary": "non-public address 127.0.0.1",
                "10 MB JWT": ""}[case]
    assert expected.lower() in text.lower(), text


def test_loader_refuses_document_redirect_loops_and_non_http_schemes(verifier: Verifier, site: HostileServer) -> None:
    loader = verifier.loader
    with pytest.raises(ResolutionError, match="more than 5 redirects"):
        loader.load_remote_json(f"{site.base_url}/redirect-loop/doc")
    with pytest.raises(ResolutionError, match="not http"):
        loader.load_remote_json("file:///etc/passwd")
