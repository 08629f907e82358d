"""Accepts/rejects tests for CID-02: the verification method's key type fits the cryptosuite
(CID §2.2.2 Multikey headers; EdDSA §2.1.1, ECDSA §2.1.1), as its own check with its own id."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.checks import di
from lerconf.crypto.di.suites import SUITES
from lerconf.crypto.did import DidResolver
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.results import Status
from lerconf.verify.engine import Verifier

RESOLVER = DidResolver(DocumentLoader(LoaderSettings(offline=True)))


def signer(curve: str) -> Signer:
    return Signer.did_key(deterministic_key(f"key-type-{curve}", curve))


@pytest.mark.parametrize("suite,curve", [("eddsa-rdfc-2022", "Ed25519"), ("eddsa-jcs-2022", "Ed25519"),
                                         ("ecdsa-rdfc-2019", "P-256"), ("ecdsa-rdfc-2019", "P-384"),
                                         ("ecdsa-jcs-2019", "P-256")])
def test_cid_02_accepts_a_key_of_the_suites_type(suite: str, curve: str) -> None:
    result = di.key_matches_cryptosuite(RESOLVER.dereference(signer(curve).verification_method), SUITES[suite])
    assert result.requirement == "CID-02" and result.status is Status.PASSED


@pytest.mark.parametrize("suite,curve,said", [
    ("ecdsa-rdfc-2019", "Ed25519", "holding a Ed25519 (z6Mk…, multicodec 0xed01) key, but ecdsa-rdfc-2019 is defined for "
                                   "P-256 (zDn…, multicodec 0x1200) or P-384 (z82…, multicodec 0x1201) keys"),
    ("eddsa-rdfc-2022", "P-256", "holding a P-256 (zDn…, multicodec 0x1200) key, but eddsa-rdfc-2022 is defined for "
                                 "Ed25519 (z6Mk…, multicodec 0xed01) keys"),
    ("eddsa-jcs-2022", "P-384", "but eddsa-jcs-2022 is defined for Ed25519"),
])
def test_cid_02_rejects_a_key_of_another_type(suite: str, curve: str, said: str) -> None:
    vm = signer(curve).verification_method
    result = di.key_matches_cryptosuite(RESOLVER.dereference(vm), SUITES[suite])
    assert result.requirement == "CID-02" and result.status is Status.FAILED
    assert result.message.startswith(f"{vm} is a Multikey") and said in result.message
    assert "does not fit the cryptosuite" in result.message and result.error_type == "PROOF_VERIFICATION_ERROR"


@pytest.fixture(scope="module")
def verifier(offline_settings: LoaderSettings) -> Verifier:
    return Verifier(DocumentLoader(offline_settings))


def _misnamed(verifier: Verifier, signing_curve: str, named_curve: str, suite: str) -> dict[str, Any]:
    """Signed with a key that fits the suite, naming a method that holds another key type."""
    named = signer(named_curve)
    liar = Signer(deterministic_key("key-type-signing", signing_curve), named.verification_method, named.controller)
    return liar.sign(ob3_achievement_credential(named.controller), suite, verifier.processor)


@pytest.mark.parametrize("signing_curve,named_curve,suite", [("P-256", "Ed25519", "ecdsa-rdfc-2019"),
                                                             ("Ed25519", "P-256", "eddsa-rdfc-2022")])
def test_a_credential_whose_method_does_not_fit_the_suite_fails_cid_02_not_only_the_signature(
        verifier: Verifier, signing_curve: str, named_curve: str, suite: str) -> None:
    report = verifier.verify_document(_misnamed(verifier, signing_curve, named_curve, suite))
    assert not report.verified
    failed = [r for r in report.checks if r.status is Status.FAILED]
    assert [r.requirement for r in failed] == ["CID-02"], [(r.requirement, r.message) for r in failed]
    assert failed[0].subject == "proof[0]" and f"{named_curve} (" in failed[0].message
