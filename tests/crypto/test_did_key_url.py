"""A bare DID as verificationMethod (``did:key:z6Mk…`` without a fragment) is refused, saying what
is wrong and which key URL it should be (``did:key:X#X``); see the CID-01 check's docstring for the
decision and the specification text behind it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lerconf.crypto.did import DidResolver, VerificationMethodError
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.results import Status
from lerconf.verify.engine import Verifier

KEY = Signer.did_key(deterministic_key("bare-did-key", "Ed25519"))
RESOLVER = DidResolver(DocumentLoader(LoaderSettings(offline=True)))


def test_a_did_key_url_with_its_fragment_dereferences() -> None:
    assert RESOLVER.dereference(KEY.verification_method).method.id == KEY.verification_method


def test_a_bare_did_key_is_refused_with_the_key_url_it_should_be() -> None:
    with pytest.raises(VerificationMethodError) as err:
        RESOLVER.dereference(KEY.controller)
    message = str(err.value)
    assert err.value.code == "INVALID_VERIFICATION_METHOD"
    assert f"verificationMethod {KEY.controller} is the identifier itself, not a key URL" in message
    multibase = KEY.controller.removeprefix("did:key:")
    assert message.endswith(f"the key URL is did:key:{multibase}#{multibase}")
    assert "does not contain" not in message


def test_a_bare_did_web_names_its_methods(tmp_path: Path) -> None:
    did = "did:web:issuer.example"
    doc = {"id": did, "verificationMethod": [
        {"id": "#key-1", "type": "Multikey", "controller": did, "publicKeyMultibase": KEY.key.public.to_multikey()},
        {"id": f"{did}#key-2", "type": "Multikey", "controller": did, "publicKeyMultibase": KEY.key.public.to_multikey()},
    ], "assertionMethod": ["#key-1"]}
    (tmp_path / "did.json").write_text(json.dumps(doc), encoding="utf-8")
    resolver = DidResolver(DocumentLoader(LoaderSettings(
        offline=True, url_map={"https://issuer.example/.well-known/did.json": tmp_path / "did.json"})))
    with pytest.raises(VerificationMethodError, match=f"name one of its methods: {did}#key-1, {did}#key-2$"):
        resolver.dereference(did)
    assert resolver.dereference(f"{did}#key-1").method.id == f"{did}#key-1"


def test_a_proof_naming_a_bare_did_key_fails_cid_01_with_the_fix(offline_settings: LoaderSettings) -> None:
    verifier = Verifier(DocumentLoader(offline_settings))
    bare = Signer(KEY.key, KEY.controller, KEY.controller)
    report = verifier.verify_document(bare.sign(ob3_achievement_credential(KEY.controller), "eddsa-rdfc-2022",
                                                verifier.processor))
    assert not report.verified
    cid = [r for r in report.checks if r.requirement == "CID-01"]
    assert len(cid) == 1 and cid[0].status is Status.FAILED and cid[0].error_type == "INVALID_VERIFICATION_METHOD"
    assert f"the key URL is {KEY.verification_method}" in cid[0].message
    binding = [r for r in report.checks if r.requirement == "DI-07"]
    assert binding[0].status is Status.FAILED and f"cannot resolve {KEY.controller}:" in binding[0].message
