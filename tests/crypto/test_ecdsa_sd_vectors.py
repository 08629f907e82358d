"""ecdsa-sd-2023 (issue 18): the published W3C vectors (vc-di-ecdsa, employment authorization and
permanent resident card) reproduced byte for byte — derived proof parsing, label map, mandatory
indexes, proof and mandatory hashes, the relabelled N-Quads — and verified by lerconf's engine; a
disclosed value altered, a base proof presented, another issuer's key: refused."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import VECTORS_DIR
from lerconf.crypto.di.ecdsa_sd import (
    SdProofError,
    create_verify_data,
    parse_base_proof,
    parse_derived_proof,
    verify_base,
    verify_derived,
)
from lerconf.crypto.keys import decode_multikey
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader
from lerconf.verify.engine import Verifier

SD = VECTORS_DIR / "vc-di-ecdsa" / "ecdsa-sd-2023"
EXAMPLES = ("employ", "prc")


def _load(example: str, name: str) -> Any:
    return json.loads((SD / example / name).read_text(encoding="utf-8"))


def _issuer_key() -> Any:
    keys = json.loads((SD / "SDKeyMaterial.json").read_text(encoding="utf-8"))
    return decode_multikey(keys["baseKeyPair"]["publicKeyMultibase"])


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_derived_proof_value_is_read_as_published(example: str) -> None:
    derived = parse_derived_proof(_load(example, "derivedRevealDocument.json")["proof"]["proofValue"])
    expected = _load(example, "verifyDerivedProofValue.json")
    assert derived.base_signature.hex() == expected["baseSignature"]
    assert [s.hex() for s in derived.signatures] == expected["signatures"]
    assert sorted(derived.label_map.items()) == sorted(tuple(pair) for pair in expected["labelMap"])
    assert list(derived.mandatory_indexes) == expected["mandatoryIndexes"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_verify_data_is_reproduced_byte_for_byte(example: str, loader: DocumentLoader) -> None:
    document = _load(example, "derivedRevealDocument.json")
    data = create_verify_data(document, document["proof"], parse_derived_proof(document["proof"]["proofValue"]),
                              Processor(loader))
    expected = _load(example, "verifyCreateVerifyData.json")
    assert data.proof_hash.hex() == expected["proofHash"]
    assert data.mandatory_hash.hex() == expected["mandatoryHash"]
    assert list(data.non_mandatory) == expected["nonMandatory"]
    assert list(data.nquads) == _load(example, "verifyNQuads.json")


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_published_derived_credential_verifies_in_the_engine(example: str, loader: DocumentLoader) -> None:
    report = Verifier(loader).verify_document(_load(example, "derivedRevealDocument.json"), f"{example}.json")
    proofs = [r for r in report.checks if r.requirement == "DI-15"]
    assert proofs and all(r.status.value == "passed" for r in proofs), [r.message for r in proofs]
    assert "ecdsa-sd-2023 signature verifies" in [r.message for r in proofs]
    assert {r.requirement for r in report.checks if r.status.value == "passed"} >= {"EC-05", "EC-06"}


@pytest.mark.parametrize("example", EXAMPLES)
def test_an_altered_disclosed_value_is_refused(example: str, loader: DocumentLoader) -> None:
    document = copy.deepcopy(_load(example, "derivedRevealDocument.json"))
    subject = document["credentialSubject"]
    key = next(k for k in subject if k not in ("type", "id"))
    subject[key] = "Atlantis" if isinstance(subject[key], str) else {"changed": True}
    outcome = verify_derived(document, document["proof"], _issuer_key(), Processor(loader))
    assert not outcome.valid and outcome.requirement in ("DI-15", "EC-06"), outcome


def test_a_mandatory_statement_altered_breaks_the_base_signature(loader: DocumentLoader) -> None:
    document = copy.deepcopy(_load("employ", "derivedRevealDocument.json"))
    document["issuer"]["image"] = "data:image/png;base64,AAAA"  # a mandatory statement (the first N-Quad)
    assert 0 in parse_derived_proof(document["proof"]["proofValue"]).mandatory_indexes
    outcome = verify_derived(document, document["proof"], _issuer_key(), Processor(loader))
    assert not outcome.valid and outcome.requirement == "DI-15" and "base signature does not verify" in outcome.message


def test_another_issuers_key_is_refused(loader: DocumentLoader) -> None:
    document = _load("employ", "derivedRevealDocument.json")
    keys = json.loads((SD / "SDKeyMaterial.json").read_text(encoding="utf-8"))
    other = decode_multikey(keys["proofKeyPair"]["publicKeyMultibase"])
    outcome = verify_derived(document, document["proof"], other, Processor(loader))
    assert not outcome.valid and "base signature does not verify" in outcome.message


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_base_proof_presented_to_a_verifier_is_refused(example: str, loader: DocumentLoader) -> None:
    """ECDSA §3.6.2: a verifier takes derived proofs only (PROOF_VERIFICATION_ERROR)."""
    base = _load(example, "addSignedSDBase.json")
    parsed = parse_base_proof(base["proof"]["proofValue"])
    assert len(parsed.hmac_key) == 32 and parsed.mandatory_pointers
    with pytest.raises(SdProofError, match="found a base proof"):
        parse_derived_proof(base["proof"]["proofValue"])
    report = Verifier(loader).verify_document(base, "base.json")
    [proof] = [r for r in report.checks if r.requirement == "EC-05"]
    assert proof.status.value == "failed" and "found a base proof" in proof.message
    assert proof.error_type == "PROOF_VERIFICATION_ERROR" and not report.verified


@pytest.mark.parametrize(("value", "requirement"), [("zNotBase64url", "EC-05"), ("u" + "A" * 10, "EC-05"),
                                                   ("u2V0BgA", "EC-06"), ("u2V0Bg0BAQE", "EC-06")])
def test_garbage_proof_values_are_errors_not_crashes(value: str, requirement: str) -> None:
    with pytest.raises(SdProofError) as caught:
        parse_derived_proof(value)
    assert caught.value.requirement == requirement


def test_a_derived_proof_with_a_statement_too_many_fails_ec06(loader: DocumentLoader) -> None:
    """One more disclosed statement than the proof has signatures for (EC-06)."""
    document = copy.deepcopy(_load("employ", "derivedRevealDocument.json"))
    document["credentialSubject"]["birthDate"] = "1999-01-01"
    outcome = verify_derived(document, document["proof"], _issuer_key(), Processor(loader))
    assert not outcome.valid and outcome.requirement == "EC-06" and "signatures for" in outcome.message


def test_vectors_are_where_the_tests_expect_them() -> None:
    assert isinstance(SD, Path) and (SD / "employ" / "derivedRevealDocument.json").is_file()


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_issuers_base_proof_is_checked_as_its_holder_would(example: str, loader: DocumentLoader) -> None:
    """EC-03: the HMAC-labelled N-Quads and the mandatory group reproduce the vectors; the base proof verifies."""
    document = _load(example, "addSignedSDBase.json")
    outcome, groups = verify_base(document, document["proof"], _issuer_key(), Processor(loader))
    assert outcome.valid and outcome.requirement == "EC-03", outcome
    assert groups is not None and list(groups.nquads) == _load(example, "addBaseDocHMACCanon.json")
    assert list(groups.mandatory_indexes) == [i for i, _ in _load(example, "addBaseTransform.json")["mandatory"]["value"]]
    report = Verifier(loader).verify_document(document, "base.json")  # a verifier still refuses it (EC-05)
    assert [(r.requirement, r.status.value) for r in report.checks if r.requirement in ("EC-03", "EC-05")] == \
        [("EC-05", "failed"), ("EC-03", "passed")]


def test_a_base_proof_over_an_altered_document_fails_ec03(loader: DocumentLoader) -> None:
    document = copy.deepcopy(_load("employ", "addSignedSDBase.json"))
    document["credentialSubject"]["birthCountry"] = "Atlantis"
    outcome, _ = verify_base(document, document["proof"], _issuer_key(), Processor(loader))
    assert not outcome.valid and outcome.requirement == "EC-03"
    document = copy.deepcopy(_load("employ", "addSignedSDBase.json"))
    document["issuer"]["image"] = "data:image/png;base64,AAAA"  # a mandatory statement
    outcome, _ = verify_base(document, document["proof"], _issuer_key(), Processor(loader))
    assert not outcome.valid and "base signature does not verify" in outcome.message


SELECTIVE = {"employ": "employSelective.json", "prc": "prCredSelective.json"}


@pytest.mark.parametrize("example", EXAMPLES)
def test_derivation_reproduces_the_published_derived_credential(example: str, loader: DocumentLoader) -> None:
    """A holder's derivation (EC-04): the statement groups, the adjusted mandatory indexes, the signatures
    and label map, the disclosed document and its proofValue — all byte for byte as published."""
    from lerconf.crypto.di.ecdsa_sd_derive import derive, disclosure_data

    base = _load(example, "addSignedSDBase.json")
    pointers = json.loads((SD.parent / SELECTIVE[example]).read_text(encoding="utf-8"))
    processor = Processor(loader)
    data = disclosure_data(base, base["proof"], pointers, processor)
    groups = _load(example, "derivedGroupIndexes.json")
    assert [list(data.groups[k]) for k in ("combined", "mandatory", "selective", "nonMandatory")] == \
        [groups[k] for k in ("combinedIndexes", "mandatoryIndexes", "selectiveIndexes", "nonMandatoryIndexes")]
    assert list(data.mandatory_indexes) == _load(example, "derivedAdjMandatoryIndexes.json")["adjMandatoryIndexes"]
    assert derive(base, pointers, processor) == _load(example, "derivedRevealDocument.json")


def test_a_derivation_of_other_fields_verifies_and_hides_the_rest(loader: DocumentLoader) -> None:
    from lerconf.crypto.di.ecdsa_sd_derive import derive

    base = _load("employ", "addSignedSDBase.json")
    processor = Processor(loader)
    derived = derive(base, ["/credentialSubject/givenName", "/credentialSubject/familyName"], processor)
    assert set(derived["credentialSubject"]) <= {"type", "givenName", "familyName", "id"}
    assert "birthCountry" not in json.dumps(derived) and "validUntil" not in derived
    assert verify_derived(derived, derived["proof"], _issuer_key(), processor).valid
    report = Verifier(loader).verify_document(derived, "derived.json")
    assert [r.status.value for r in report.checks if r.requirement == "DI-15"] == ["passed"]


def test_a_pointer_the_document_lacks_is_an_error(loader: DocumentLoader) -> None:
    from lerconf.crypto.di.ecdsa_sd_derive import derive

    with pytest.raises(SdProofError, match="does not match the document"):
        derive(_load("employ", "addSignedSDBase.json"), ["/credentialSubject/nickname"], Processor(loader))
