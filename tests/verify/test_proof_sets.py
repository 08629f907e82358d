"""Proof sets and chains with several parties (DI §4.5), and causes rather than symptoms when a
key cannot be resolved (issue 12, points 5 and 6).

A credential is verified when every proof verifies and at least one proof is by a key the issuer
controls; proofs by other parties (co-signers, endorsers) are reported with their controllers.
Every credential here is signed by lerconf's own Add Proof with deterministic keys.
"""
from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.results import CheckResult, Status
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerificationReport

SUITE = "eddsa-rdfc-2022"
ISSUER = Signer.did_key(deterministic_key("proof-sets-issuer", "Ed25519"))
CO_SIGNER = Signer.did_key(deterministic_key("proof-sets-co-signer", "Ed25519"))
ENDORSER = Signer.did_key(deterministic_key("proof-sets-endorser", "P-256"))
STRANGER = Signer.did_key(deterministic_key("proof-sets-stranger", "Ed25519"))


@pytest.fixture(scope="module")
def verifier(offline_settings: LoaderSettings) -> Verifier:
    return Verifier(DocumentLoader(offline_settings))


def credential(issuer: str = ISSUER.controller) -> dict[str, Any]:
    return ob3_achievement_credential(issuer, credential_id="urn:uuid:6f1c2a4e-0d7b-4c55-9a51-3f1e2d9c0b17")


def di_07(report: VerificationReport) -> CheckResult:
    found = [r for r in report.checks if r.requirement == "DI-07"]
    assert len(found) == 1, [r.requirement for r in report.checks]
    return found[0]


def failures(report: VerificationReport) -> list[tuple[str, str]]:
    return [(r.requirement, r.message) for r in report.checks if r.status is Status.FAILED]


# -- point 5: several parties ------------------------------------------------------------------
def test_a_proof_set_co_signed_by_another_party_verifies(verifier: Verifier) -> None:
    signed = ISSUER.sign(credential(), SUITE, verifier.processor, proof_id="urn:uuid:issuer-proof")
    signed = CO_SIGNER.sign(signed, SUITE, verifier.processor, proof_id="urn:uuid:co-signer-proof")
    assert len(signed["proof"]) == 2
    report = verifier.verify_document(signed)
    assert report.verified, failures(report)
    binding = di_07(report)
    assert binding.status is Status.PASSED
    assert binding.details["issuer_proofs"] == ["proof[0]"]
    assert binding.details["other_signers"] == [{"proof": "proof[1]", "verificationMethod": CO_SIGNER.verification_method,
                                                 "controller": CO_SIGNER.controller, "role": "co-signer"}]
    assert f"proof[1] is by co-signer {CO_SIGNER.controller}" in binding.message
    assert [r.subject for r in report.checks if r.requirement == "DI-15" and r.status is Status.PASSED] == \
        ["proof[0]", "proof[1]"]


def test_a_chain_whose_first_proof_is_by_a_co_signer_verifies(verifier: Verifier) -> None:
    """The eddsa chain of the issue: a co-signer signs first, the issuer signs over its proof."""
    signed = CO_SIGNER.sign(credential(), SUITE, verifier.processor, proof_id="urn:uuid:first")
    signed = ISSUER.sign(signed, SUITE, verifier.processor, proof_id="urn:uuid:second", previous_proof="urn:uuid:first")
    report = verifier.verify_document(signed)
    assert report.verified, failures(report)
    binding = di_07(report)
    assert binding.status is Status.PASSED and binding.details["issuer_proofs"] == ["proof[1]"]
    assert binding.details["other_signers"][0]["controller"] == CO_SIGNER.controller
    assert any(r.requirement == "DI-16" and r.status is Status.PASSED for r in report.checks)


def test_an_endorsement_chained_onto_the_issuers_proof_verifies(verifier: Verifier) -> None:
    signed = ISSUER.sign(credential(), SUITE, verifier.processor, proof_id="urn:uuid:issued")
    signed = ENDORSER.sign(signed, "ecdsa-rdfc-2019", verifier.processor, proof_id="urn:uuid:endorsed",
                           previous_proof="urn:uuid:issued")
    report = verifier.verify_document(signed)
    assert report.verified, failures(report)
    others = di_07(report).details["other_signers"]
    assert others == [{"proof": "proof[1]", "verificationMethod": ENDORSER.verification_method,
                       "controller": ENDORSER.controller, "role": "endorser"}]


def test_a_proof_set_with_no_proof_by_the_issuer_fails_di_07(verifier: Verifier) -> None:
    signed = CO_SIGNER.sign(credential(), SUITE, verifier.processor)
    signed = STRANGER.sign(signed, SUITE, verifier.processor)
    report = verifier.verify_document(signed)
    assert not report.verified
    binding = di_07(report)
    assert binding.status is Status.FAILED
    assert binding.message.startswith(f"none of the 2 proofs is by a key the issuer {ISSUER.controller} controls")
    assert CO_SIGNER.controller in binding.message and STRANGER.controller in binding.message
    # the signatures themselves are fine: only the binding fails
    assert [r for r in report.checks if r.status is Status.FAILED] == [binding]


def test_a_co_signers_proof_that_does_not_verify_fails_the_credential(verifier: Verifier) -> None:
    """At least one issuer proof binds the credential, but every proof must still verify."""
    signed = ISSUER.sign(credential(), SUITE, verifier.processor)
    signed = CO_SIGNER.sign(signed, SUITE, verifier.processor)
    signed["proof"][1]["proofValue"] = signed["proof"][0]["proofValue"]
    report = verifier.verify_document(signed)
    assert not report.verified
    assert di_07(report).status is Status.PASSED
    assert [(r.requirement, r.subject) for r in report.checks if r.status is Status.FAILED] == [("DI-15", "proof[1]")]


def test_a_single_proof_by_another_party_still_fails_di_07(verifier: Verifier) -> None:
    report = verifier.verify_document(STRANGER.sign(credential(), SUITE, verifier.processor))
    binding = di_07(report)
    assert binding.status is Status.FAILED and not report.verified
    assert binding.message.startswith(f"signed by {STRANGER.verification_method}, controlled by {STRANGER.controller}, "
                                      f"not by the issuer {ISSUER.controller}")


# -- point 6: the cause, not the symptom -------------------------------------------------------
class _PlainHttp(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def plain_http_port() -> Iterator[int]:
    """A plain-http server on loopback: did:web asks it for https, as `lerconf serve` without TLS."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PlainHttp)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _did_web_badge(verifier: Verifier, did: str) -> dict[str, Any]:
    key = deterministic_key("proof-sets-did-web", "Ed25519")
    return Signer(key, f"{did}#key-1", did).sign(credential(did), SUITE, verifier.processor)


def test_an_unresolvable_did_web_key_gives_its_cause_in_di_07(offline_settings: LoaderSettings, plain_http_port: int,
                                                               tmp_path: Path) -> None:
    did = f"did:web:127.0.0.1%3A{plain_http_port}"
    settings = LoaderSettings(context_dirs=offline_settings.context_dirs, schema_dirs=offline_settings.schema_dirs,
                              cache_dir=tmp_path, offline=True, allow_private_addresses=True,
                              allowed_hosts=frozenset({f"127.0.0.1:{plain_http_port}"}), fetch_timeout=5.0)
    verifier = Verifier(DocumentLoader(settings))
    report = verifier.verify_document(_did_web_badge(verifier, did))
    binding = di_07(report)
    assert binding.status is Status.FAILED and not report.verified
    assert binding.message.startswith(f"cannot resolve {did}#key-1: cannot retrieve {did}: ")
    assert f"https://127.0.0.1:{plain_http_port}/.well-known/did.json" in binding.message
    assert "SSL" in binding.message and "none of the parts" not in binding.message
    assert binding.details["could_not_check"] is True and binding.details["unresolved"] == [f"{did}#key-1"]


def test_an_offline_did_web_key_gives_its_cause_in_di_07(verifier: Verifier) -> None:
    did = "did:web:issuer.example"
    report = verifier.verify_document(_did_web_badge(verifier, did))
    binding = di_07(report)
    assert binding.status is Status.FAILED
    assert binding.message == (f"cannot resolve {did}#key-1: cannot retrieve {did}: "
                               "https://issuer.example/.well-known/did.json is not in the URL map and lerconf is offline")


def test_a_co_signed_set_with_an_unresolvable_issuer_key_names_both(verifier: Verifier) -> None:
    did = "did:web:issuer.example"
    signed = CO_SIGNER.sign(_did_web_badge(verifier, did), SUITE, verifier.processor)
    binding = di_07(verifier.verify_document(signed))
    assert binding.status is Status.FAILED
    assert f"proof[1] signed by {CO_SIGNER.verification_method}" in binding.message
    assert f"cannot resolve {did}#key-1: cannot retrieve {did}" in binding.message
