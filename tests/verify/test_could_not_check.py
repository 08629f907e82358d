"""Issue 12 (points 2 and 6): what lerconf could not check is not what failed. A key or status list
lerconf cannot reach leaves the document not verified (fail closed), and every dependent check says
the real cause, with ``could_not_check`` and the fix; a server that answered badly is a failure."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile.server import HostileServer, self_signed_tls

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.loader import FIX_OFFLINE, DocumentLoader, LoaderSettings
from lerconf.documents.netguard import FIX_GUARD
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.results import CheckResult, Status
from lerconf.verify.engine import Verifier
from lerconf.verify.report import COULD_NOT_CHECK, FAILED, VERIFIED, VerificationReport, could_not_check

SUITE = "eddsa-rdfc-2022"
KEY = deterministic_key("could-not-check-did-web", "Ed25519")
DID_KEY = Signer.did_key(deterministic_key("could-not-check-did-key", "Ed25519"))


def did_web_signer(did: str) -> Signer:
    return Signer(KEY, f"{did}#key-1", did)


def sign(verifier: Verifier, signer: Signer, status: dict[str, Any] | None = None) -> dict[str, Any]:
    return signer.sign(ob3_achievement_credential(signer.controller, credential_status=status), SUITE, verifier.processor)


def status_entry(list_url: str) -> dict[str, Any]:
    return {"id": f"{list_url}#3", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": "3", "statusListCredential": list_url}


def result(report: VerificationReport, rid: str) -> CheckResult:
    found = [r for r in report.all_checks() if r.requirement == rid and r.status is not Status.NOT_APPLICABLE]
    assert len(found) == 1, [f"{r.requirement}: {r.message}" for r in report.all_checks()]
    return found[0]


def settings(offline_settings: LoaderSettings, tmp_path: Path, **extra: Any) -> LoaderSettings:
    return LoaderSettings(context_dirs=offline_settings.context_dirs, schema_dirs=offline_settings.schema_dirs,
                          cache_dir=tmp_path, fetch_timeout=2.0, fetch_deadline=4.0, **extra)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HostileServer, Path]]:
    context, cert = self_signed_tls(tmp_path_factory.mktemp("tls"))
    with HostileServer(tls=context, lifetime=120) as server:
        yield server, cert


@pytest.fixture(scope="module")
def plain() -> Iterator[HostileServer]:
    with HostileServer(lifetime=120) as server:
        yield server


# -- keys ----------------------------------------------------------------------------------------
def test_an_offline_did_web_key_could_not_be_checked(offline_settings: LoaderSettings, tmp_path: Path) -> None:
    verifier = Verifier(DocumentLoader(settings(offline_settings, tmp_path, offline=True)))
    did = "did:web:issuer.example"
    report = verifier.verify_document(sign(verifier, did_web_signer(did)))
    retrieved, binding = result(report, "CID-01"), result(report, "DI-07")
    cause = "https://issuer.example/.well-known/did.json is not in the URL map and lerconf is offline"
    assert retrieved.status is Status.FAILED and binding.status is Status.FAILED
    assert retrieved.message == f"cannot resolve {did}#key-1: cannot retrieve {did}: {cause}"
    assert binding.message == f"cannot resolve {did}#key-1: cannot retrieve {did}: {cause}"
    for r in (retrieved, binding):
        assert r.details["could_not_check"] is True and r.details["fix"] == FIX_OFFLINE
        assert "none of the parts" not in r.message
    assert not report.verified and report.outcome == COULD_NOT_CHECK
    body = report.to_json()
    assert body["verified"] is False and body["outcome"] == "could-not-check"
    assert {(c["requirement"], c["fix"]) for c in body["could_not_check"]} == {("CID-01", FIX_OFFLINE),
                                                                                ("DI-07", FIX_OFFLINE)}
    # OB-16 (the badge's key is dereferenceable) is a conformance rule, not a verification step: its own could-not-
    # check result is among the errors but does not make the badge unverified
    assert [e["code"] for e in body["errors"]] == ["INVALID_CONTROLLED_IDENTIFIER_DOCUMENT", "PROOF_VERIFICATION_ERROR",
                                                   "INVALID_VERIFICATION_METHOD"]
    assert could_not_check(result(report, "OB-16"))


def test_a_did_web_on_a_refused_host_names_the_guard_and_its_fix(offline_settings: LoaderSettings, tmp_path: Path,
                                                                 site: tuple[HostileServer, Path]) -> None:
    server, _ = site
    verifier = Verifier(DocumentLoader(settings(offline_settings, tmp_path)))  # nothing named, nothing allowed
    did = f"did:web:127.0.0.1%3A{server.port}"
    before = server.connections
    report = verifier.verify_document(sign(verifier, did_web_signer(did)))
    binding = result(report, "DI-07")
    assert binding.message.startswith(f"cannot resolve {did}#key-1: cannot retrieve {did}: refusing to fetch ")
    assert "non-public address 127.0.0.1" in binding.message
    assert binding.details["could_not_check"] is True and binding.details["fix"] == FIX_GUARD
    assert report.outcome == COULD_NOT_CHECK and server.connections == before


def test_a_did_web_answered_with_404_is_a_failure(offline_settings: LoaderSettings, tmp_path: Path,
                                                  site: tuple[HostileServer, Path]) -> None:
    server, cert = site
    host = f"127.0.0.1:{server.port}"
    server.serve("/.well-known/did.json", {"title": "not found"}, status=404)
    verifier = Verifier(DocumentLoader(settings(offline_settings, tmp_path, allowed_hosts=frozenset({host}),
                                                ca_files={host: (cert,)})))
    did = f"did:web:127.0.0.1%3A{server.port}"
    report = verifier.verify_document(sign(verifier, did_web_signer(did)))
    binding = result(report, "DI-07")
    assert binding.status is Status.FAILED and "answered HTTP 404" in binding.message
    assert "could_not_check" not in binding.details and "could_not_check" not in result(report, "CID-01").details
    assert report.outcome == FAILED and report.to_json()["could_not_check"] == []


def test_the_served_did_web_verifies_once_reachable(offline_settings: LoaderSettings, tmp_path: Path,
                                                    site: tuple[HostileServer, Path]) -> None:
    """The positive control: the same did:web key, served and trusted, verifies."""
    server, cert = site
    host = f"127.0.0.1:{server.port}"
    did = f"did:web:127.0.0.1%3A{server.port}"
    signer = did_web_signer(did)
    verifier = Verifier(DocumentLoader(settings(offline_settings, tmp_path, allowed_hosts=frozenset({host}),
                                                ca_files={host: (cert,)})))
    server.serve("/.well-known/did.json", {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": did,
        "verificationMethod": [signer.controller_document_entry()], "assertionMethod": [signer.verification_method]})
    report = verifier.verify_document(sign(verifier, signer))
    assert report.outcome == VERIFIED, [f"{r.requirement}: {r.message}" for _, r in report.blocking_failures()]


# -- status lists --------------------------------------------------------------------------------
def test_a_status_list_on_a_refused_host_could_not_be_checked(offline_settings: LoaderSettings, tmp_path: Path,
                                                              plain: HostileServer) -> None:
    verifier = Verifier(DocumentLoader(settings(offline_settings, tmp_path)))
    url = plain.serve("/status/1", {"never": "fetched"})
    before = plain.connections
    report = verifier.verify_document(sign(verifier, DID_KEY, status_entry(url)))
    retrieval = result(report, "BSL-13")
    assert retrieval.status is Status.FAILED and retrieval.error_type == "STATUS_RETRIEVAL_ERROR"
    assert retrieval.message.startswith(f"status list {url} could not be retrieved: refusing to fetch {url}")
    assert retrieval.details["could_not_check"] is True and retrieval.details["fix"] == FIX_GUARD
    assert not report.verified and report.outcome == COULD_NOT_CHECK, report.blocking_failures()
    assert plain.connections == before


def test_a_status_list_answered_with_404_is_a_failure(offline_settings: LoaderSettings, tmp_path: Path,
                                                      plain: HostileServer) -> None:
    host = f"127.0.0.1:{plain.port}"
    verifier = Verifier(DocumentLoader(settings(offline_settings, tmp_path, allowed_hosts=frozenset({host}))))
    url = plain.serve("/status/gone", {"title": "gone"}, status=404)
    report = verifier.verify_document(sign(verifier, DID_KEY, status_entry(url)))
    retrieval = result(report, "BSL-13")
    assert retrieval.status is Status.FAILED and "answered HTTP 404" in retrieval.message
    assert "could_not_check" not in retrieval.details and report.outcome == FAILED


def test_a_real_failure_beside_a_could_not_check_one_is_failed(offline_settings: LoaderSettings, tmp_path: Path,
                                                               plain: HostileServer) -> None:
    verifier = Verifier(DocumentLoader(settings(offline_settings, tmp_path)))
    tampered = sign(verifier, DID_KEY, status_entry(plain.serve("/status/2", {})))
    tampered["name"] = "changed after signing"
    report = verifier.verify_document(tampered)
    assert result(report, "BSL-13").details["could_not_check"] is True
    assert report.outcome == FAILED and not report.verified
    assert [c["requirement"] for c in report.to_json()["could_not_check"]] == ["BSL-13"]


# -- JOSE ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["vc-jose-cose", "ob30-vc-jwt"])
def test_a_vc_jwt_whose_did_web_key_is_unreachable_could_not_be_checked(offline_settings: LoaderSettings,
                                                                         tmp_path: Path, encoding: str) -> None:
    from lerconf.crypto.jose.encodings import JwtEncoding
    from lerconf.crypto.jose.sign import sign_jwt

    verifier = Verifier(DocumentLoader(settings(offline_settings, tmp_path, offline=True)))
    did = "did:web:issuer.example"
    token = sign_jwt(ob3_achievement_credential(did), KEY, f"{did}#key-1", JwtEncoding(encoding))
    report = verifier.verify_text(token, "token")
    unchecked = {r.requirement for _, r in report.unchecked()}
    assert {"JC-04", "JC-09"} <= unchecked, [f"{r.requirement}: {r.message}" for _, r in report.blocking_failures()]
    assert all(r.details["fix"] == FIX_OFFLINE for _, r in report.unchecked())
    assert not report.verified and report.outcome == COULD_NOT_CHECK, \
        [f"{r.requirement}: {r.message}" for _, r in report.blocking_failures()]
