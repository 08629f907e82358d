"""bbs-2023 (issue 18): the published W3C vectors (vc-di-bbs: the windsurf baseline at the top level,
the permanent resident card in prc/, and the feature examples) reproduced byte for byte wherever the
algorithms are deterministic — canonical forms, shuffled HMAC labels, proof configuration, hashes,
mandatory/non-mandatory split, group and adjusted indexes, label maps, the revealed document and the
whole signed base document (BBS Sign is deterministic) — and verified by lerconf's engine. The
derived BBS proof is randomised (ProofGen), so it is verified, and lerconf's own derivation is
checked component by component and verified. The feature vectors: anonymous holder binding and
pseudonym derived proofs verified (blind BBS, BBS with a pseudonym for the vectors' verifier id),
the pseudonym reproduced from the nym secret; a pseudonym without a verifier id, and the features'
base proofs, named and not verified. A disclosed or mandatory value altered, another presentation
header, another key or verifier, a base proof presented: refused for the right reason."""
from __future__ import annotations

import base64
import copy
import json
from typing import Any

import cbor2
import pytest

from conftest import VECTORS_DIR
from lerconf.crypto.di import bbs_2023
from lerconf.crypto.di.bbs_2023 import BbsProofError, parse_base_proof, parse_derived_proof, verify_base, verify_derived
from lerconf.crypto.di.bbs_2023_derive import create_base_proof, derive, disclosure_data
from lerconf.crypto.di.sd_primitives import group_statements, proof_hash, shuffled_labels
from lerconf.crypto.keys import BLS_G2, decode_private_multikey, private_key_from_seed
from lerconf.crypto.keys import _bls_private as bls_private
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader
from lerconf.verify.engine import Verifier

BBS = VECTORS_DIR / "vc-di-bbs"
#: example folder -> (unsigned input, mandatory pointers, selective pointers)
INPUTS = {"": ("windDoc.json", "windMandatory.json", "windSelective.json"),
          "prc": ("prCredUnsigned.json", "prCredMandatory.json", "prCredSelective.json"),
          "HolderBinding": ("FeatureInputs/license.json", "FeatureInputs/licenseMandatory.json",
                            "FeatureInputs/licenseSelective.json"),
          "Pseudonym": ("FeatureInputs/license.json", "FeatureInputs/licenseMandatory.json",
                        "FeatureInputs/licenseSelective.json"),
          "PseudonymHB": ("FeatureInputs/license.json", "FeatureInputs/licenseMandatory.json",
                          "FeatureInputs/licenseSelective.json")}
BASELINE = ("", "prc")
FEATURES = {"HolderBinding": "anonymous_holder_binding", "Pseudonym": "pseudonym", "PseudonymHB": "pseudonym"}
#: a pseudonym, the vectors' hidden-PID kind (0x08/0x09), is also holder-bound in PseudonymHB: both show as "pseudonym"
PH = bytes([0x11, 0x33, 0x77, 0xAA])  # BBSDeriveMaterial.json presentationHeaderHex


def _load(example: str, name: str) -> Any:
    path = BBS / name if "/" in name or name.startswith(("BBS", "wind", "prCred")) else BBS / example / name
    return json.loads(path.read_text(encoding="utf-8"))


def _keys() -> dict[str, str]:
    return _load("", "BBSKeyMaterial.json")  # type: ignore[no-any-return]


def _pk() -> bytes:
    return bytes.fromhex(_keys()["publicKeyHex"])


def _map(value: Any) -> dict[Any, Any]:
    """The vectors write JS Maps as {"dataType": "Map", "value": [[k, v], …]} or as [[k, v], …]."""
    return dict(value["value"] if isinstance(value, dict) else value)


def _unsecured(example: str) -> dict[str, Any]:
    """The document the base proof signed (prCredUnsigned.json's description differs from what prc/ signed)."""
    return {k: v for k, v in _load(example, "addSignedSDBase.json").items() if k != "proof"}


def _components(document: dict[str, Any]) -> list[Any]:
    value = document["proof"]["proofValue"]
    return cbor2.loads(base64.urlsafe_b64decode(value[1:] + "=" * (-len(value[1:]) % 4))[3:])  # type: ignore[no-any-return]


# -- issuer side: every deterministic step, for every example ------------------------------------------
@pytest.mark.parametrize("example", list(INPUTS))
def test_the_base_proof_inputs_are_reproduced_byte_for_byte(example: str, loader: DocumentLoader) -> None:
    processor = Processor(loader)
    unsecured = _unsecured(example)
    hmac_key = bytes.fromhex(_keys()["hmacKeyString"])
    assert processor.canonicalize(unsecured)[0].splitlines(keepends=True) == _load(example, "addBaseDocCanon.json")
    assert bbs_2023.labelled_document(unsecured, hmac_key, processor) == _load(example, "addBaseDocHMACCanon.json")
    config = _load(example, "addProofConfig.json")
    canonical, config_hash = proof_hash(unsecured, {k: v for k, v in config.items() if k != "@context"}, processor)
    assert canonical == (BBS / example / "addProofConfigCanon.txt").read_text(encoding="utf-8")
    mandatory_pointers = _load(example, INPUTS[example][1])
    grouped = group_statements(unsecured, shuffled_labels(hmac_key), {"mandatory": mandatory_pointers}, processor)
    transform = _load(example, "addBaseTransform.json")
    chosen = set(grouped.groups["mandatory"])
    assert {i: q for i, q in enumerate(grouped.nquads) if i in chosen} == _map(transform["mandatory"])
    assert {i: q for i, q in enumerate(grouped.nquads) if i not in chosen} == _map(transform["nonMandatory"])
    assert transform["mandatoryPointers"] == mandatory_pointers
    hashes = _load(example, "addHashData.json")
    assert config_hash.hex() == hashes["proofHash"]
    import hashlib
    assert hashlib.sha256("".join(q for i, q in enumerate(grouped.nquads) if i in chosen).encode()).hexdigest() == \
        hashes["mandatoryHash"]


@pytest.mark.parametrize("example", BASELINE)
def test_the_signed_base_document_is_reproduced_byte_for_byte(example: str, loader: DocumentLoader) -> None:
    """BBS Sign is deterministic: key, HMAC key, created and pointers give the published proofValue."""
    keys, config = _keys(), _load(example, "addProofConfig.json")
    signed = create_base_proof(_unsecured(example), bls_private(int(keys["privateKeyHex"], 16)), config["verificationMethod"],
                               _load(example, INPUTS[example][1]), Processor(loader), created=config["created"],
                               hmac_key=bytes.fromhex(keys["hmacKeyString"]))
    assert signed == _load(example, "addSignedSDBase.json")
    base = parse_base_proof(signed["proof"]["proofValue"])
    assert base.bbs_signature.hex() == _load(example, "addRawBaseSignatureInfo.json")["bbsSignature"]
    assert base.public_key.hex() == keys["publicKeyHex"] and base.hmac_key.hex() == keys["hmacKeyString"].lower()


def test_the_windsurf_input_document_is_the_one_signed() -> None:
    assert _load("", "windDoc.json") == _unsecured("")


@pytest.mark.parametrize("example", BASELINE)
def test_the_issuers_base_proof_is_checked_as_its_holder_would(example: str, loader: DocumentLoader) -> None:
    base = _load(example, "addSignedSDBase.json")
    outcome, groups = verify_base(base, base["proof"], _pk(), Processor(loader))
    assert outcome.valid and outcome.requirement == "LBB-01", outcome
    assert groups is not None and list(groups.non_mandatory) == [q for _, q in _map(_load(example, "addBaseTransform.json")["nonMandatory"]).items()]


@pytest.mark.parametrize(("change", "reason"), [
    (lambda d: d["credentialSubject"].__setitem__("sailNumber", "Mars202"), "BBS header does not hash the document's mandatory"),
    (lambda d: d["credentialSubject"]["sails"][0].__setitem__("sailName", "Kanaha"), "BBS signature does not verify"),
    (lambda d: d["proof"].__setitem__("created", "2024-01-01T00:00:00Z"), "BBS header does not hash the document's proof configuration"),
    (lambda d: d.pop("issuer"), "mandatory pointer(s) /issuer point at nothing"),
])
def test_a_base_proof_over_an_altered_document_fails_lbb01(change: Any, reason: str, loader: DocumentLoader) -> None:
    base = copy.deepcopy(_load("", "addSignedSDBase.json"))
    change(base)
    outcome, _ = verify_base(base, base["proof"], _pk(), Processor(loader))
    assert not outcome.valid and outcome.requirement == "LBB-01" and reason in outcome.message, outcome


def test_a_base_proof_under_another_key_fails_lbb01(loader: DocumentLoader) -> None:
    base = _load("", "addSignedSDBase.json")
    other = private_key_from_seed(BLS_G2, b"another issuer").public.key
    outcome, _ = verify_base(base, base["proof"], other, Processor(loader))
    assert not outcome.valid and "public key is not the verification method's key" in outcome.message


# -- holder side -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("example", list(INPUTS))
def test_the_disclosure_data_is_reproduced(example: str, loader: DocumentLoader) -> None:
    """Group and adjusted indexes, label map and the unsigned reveal document, for the baseline and
    the feature examples alike (their statements are grouped the same way)."""
    processor = Processor(loader)
    unsecured, hmac_key = _unsecured(example), bytes.fromhex(_keys()["hmacKeyString"])
    mandatory, selective = _load(example, INPUTS[example][1]), _load(example, INPUTS[example][2])
    grouped = group_statements(unsecured, shuffled_labels(hmac_key), {"mandatory": mandatory, "selective": selective,
                                                                       "combined": [*mandatory, *selective]}, processor)
    indexes = _load(example, "derivedGroupIndexes.json")
    non_mandatory = [i for i in range(len(grouped.nquads)) if i not in set(grouped.groups["mandatory"])]
    assert list(grouped.groups["mandatory"]) == indexes["mandatoryIndexes"]
    assert list(grouped.groups["selective"]) == indexes["selectiveIndexes"]
    assert list(grouped.groups["combined"]) == indexes["combinedIndexes"]
    assert non_mandatory == indexes["nonMandatoryIndexes"]
    adjusted = _load(example, "derivedAdjIndexes.json")
    assert [list(grouped.groups["combined"]).index(i) for i in grouped.groups["mandatory"]] == adjusted["adjMandatoryIndexes"]
    assert [n for n, i in enumerate(non_mandatory) if i in set(grouped.groups["selective"])] == \
        adjusted.get("adjSelectiveIndexes", adjusted.get("adjSelectedIndexes"))
    if example in BASELINE:
        base = _load(example, "addSignedSDBase.json")
        data = disclosure_data(base, base["proof"], selective, processor, presentation_header=PH)
        published = _load(example, "derivedDisclosureData.json")
        assert data.label_map == _map(published["labelMap"])
        assert list(data.mandatory_indexes) == published["mandatoryIndexes"]
        assert list(data.selective_indexes) == published["adjSelectiveIndexes"]
        assert data.reveal_document == _load(example, "derivedUnsignedReveal.json")


@pytest.mark.parametrize("example", BASELINE)
def test_derivation_matches_the_published_derived_credential(example: str, loader: DocumentLoader) -> None:
    """Everything but the BBS proof (randomised) is the published one; lerconf's BBS proof verifies."""
    processor = Processor(loader)
    derived = derive(_load(example, "addSignedSDBase.json"), _load(example, INPUTS[example][2]), processor,
                     presentation_header=PH)
    published = _load(example, "derivedRevealDocument.json")
    assert {k: v for k, v in derived.items() if k != "proof"} == {k: v for k, v in published.items() if k != "proof"}
    assert {k: v for k, v in derived["proof"].items() if k != "proofValue"} == \
        {k: v for k, v in published["proof"].items() if k != "proofValue"}
    ours, theirs = _components(derived), _components(published)
    assert ours[1:] == theirs[1:] and len(ours[0]) == len(theirs[0]) and ours[0] != theirs[0]
    assert verify_derived(derived, derived["proof"], _pk(), processor).valid


def test_a_derivation_of_other_fields_verifies_and_hides_the_rest(loader: DocumentLoader) -> None:
    processor = Processor(loader)
    derived = derive(_load("", "addSignedSDBase.json"), ["/credentialSubject/sails/0/year"], processor)
    assert "boards" in derived["credentialSubject"] and len(derived["credentialSubject"]["boards"]) == 1  # mandatory year only
    assert derived["credentialSubject"]["sails"][0] == {"year": 2023}
    assert verify_derived(derived, derived["proof"], _pk(), processor).valid
    nothing = derive(_load("", "addSignedSDBase.json"), [], processor)
    assert verify_derived(nothing, nothing["proof"], _pk(), processor).valid


def test_a_pointer_the_document_lacks_is_an_error(loader: DocumentLoader) -> None:
    with pytest.raises(BbsProofError, match="does not match"):
        derive(_load("", "addSignedSDBase.json"), ["/credentialSubject/wings"], Processor(loader))


def test_the_reference_can_issue_and_derive_with_a_fresh_key(loader: DocumentLoader) -> None:
    processor = Processor(loader)
    key = private_key_from_seed(BLS_G2, b"lerconf test issuer")
    assert decode_private_multikey(key.to_multikey()).public == key.public
    signed = create_base_proof(_load("", "windDoc.json"), key, "did:key:z#k", ["/issuer"], processor)
    outcome, _ = verify_base(signed, signed["proof"], key.public.key, processor)
    assert outcome.valid, outcome
    derived = derive(signed, ["/credentialSubject/sailNumber"], processor)
    assert verify_derived(derived, derived["proof"], key.public.key, processor).valid
    assert not verify_derived(derived, derived["proof"], _pk(), processor).valid


# -- verifier side -----------------------------------------------------------------------------------
@pytest.mark.parametrize("example", BASELINE)
def test_the_derived_proof_value_is_read_as_published(example: str) -> None:
    derived = parse_derived_proof(_load(example, "derivedRevealDocument.json")["proof"]["proofValue"])
    published = _load(example, "derivedDisclosureData.json")
    assert derived.bbs_proof.hex() == published["bbsProof"]
    assert derived.label_map == _map(published["labelMap"])
    assert list(derived.mandatory_indexes) == published["mandatoryIndexes"]
    assert list(derived.selective_indexes) == published["adjSelectiveIndexes"]
    assert derived.presentation_header == PH


def test_the_verify_nquads_are_reproduced(loader: DocumentLoader) -> None:
    document = _load("prc", "derivedRevealDocument.json")
    data = bbs_2023.create_verify_data(document, document["proof"], parse_derived_proof(document["proof"]["proofValue"]),
                                       Processor(loader))
    assert list(data.nquads) == _load("prc", "verifyNQuads.json")
    published = _load("prc", "verifyDerivedProofValue.json")
    assert list(parse_derived_proof(document["proof"]["proofValue"]).selective_indexes) == published["adjSelectedIndexes"]
    assert data.proof_hash.hex() == _load("prc", "addHashData.json")["proofHash"]
    assert data.mandatory_hash.hex() == _load("prc", "addHashData.json")["mandatoryHash"]


@pytest.mark.parametrize("example", BASELINE)
def test_the_published_derived_credential_verifies_in_the_engine(example: str, loader: DocumentLoader) -> None:
    report = Verifier(loader).verify_document(_load(example, "derivedRevealDocument.json"), f"{example}.json")
    proofs = [r for r in report.checks if r.requirement == "DI-15"]
    assert [r.message for r in proofs] == ["bbs-2023 signature verifies"]
    assert all(r.status.value == "passed" for r in report.checks if r.requirement in ("LBB-03", "LBB-04", "LBB-05", "CID-02"))
    assert {r.requirement for r in report.checks if r.status.value == "passed"} >= {"LBB-03", "LBB-04", "LBB-05"}


@pytest.mark.parametrize("example", BASELINE)
def test_an_altered_disclosed_value_is_refused(example: str, loader: DocumentLoader) -> None:
    document = copy.deepcopy(_load(example, "derivedRevealDocument.json"))
    if example == "":
        document["credentialSubject"]["boards"][1]["brand"] = "Naish"  # a selectively disclosed statement
    else:
        document["credentialSubject"]["birthCountry"] = "Atlantis"
    outcome = verify_derived(document, document["proof"], _pk(), Processor(loader))
    assert not outcome.valid and outcome.requirement == "DI-15" and "BBS proof does not verify" in outcome.message, outcome
    report = Verifier(loader).verify_document(document, "altered.json")
    [signature] = [r for r in report.checks if r.requirement == "DI-15"]
    assert signature.status.value == "failed" and signature.error_type == "PROOF_VERIFICATION_ERROR"


def test_an_altered_mandatory_value_is_refused(loader: DocumentLoader) -> None:
    document = copy.deepcopy(_load("", "derivedRevealDocument.json"))
    document["credentialSubject"]["sailNumber"] = "Mars202"
    outcome = verify_derived(document, document["proof"], _pk(), Processor(loader))
    assert not outcome.valid and outcome.requirement == "DI-15", outcome


def test_a_withheld_statement_added_back_is_refused(loader: DocumentLoader) -> None:
    document = copy.deepcopy(_load("", "derivedRevealDocument.json"))
    document["credentialSubject"]["sails"].append({"size": 5.5, "sailName": "Kihei", "year": 2023})
    outcome = verify_derived(document, document["proof"], _pk(), Processor(loader))
    assert not outcome.valid and outcome.requirement in ("LBB-04", "DI-15"), outcome


@pytest.mark.parametrize("change", ["presentation header", "key", "created"])
def test_the_proof_is_bound_to_header_key_and_configuration(change: str, loader: DocumentLoader) -> None:
    document = copy.deepcopy(_load("", "derivedRevealDocument.json"))
    key = _pk()
    if change == "presentation header":
        parts = _components(document)
        parts[4] = b"\x00\x00\x00\x00"
        document["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(bbs_2023.DERIVED_HEADER + cbor2.dumps(parts)).decode().rstrip("=")
    elif change == "key":
        key = private_key_from_seed(BLS_G2, b"another issuer").public.key
    else:
        document["proof"]["created"] = "2024-01-01T00:00:00Z"
    outcome = verify_derived(document, document["proof"], key, Processor(loader))
    assert not outcome.valid and "BBS proof does not verify" in outcome.message, outcome


@pytest.mark.parametrize("example", BASELINE)
def test_a_base_proof_presented_to_a_verifier_is_refused(example: str, loader: DocumentLoader) -> None:
    base = _load(example, "addSignedSDBase.json")
    with pytest.raises(BbsProofError, match="found a base proof"):
        parse_derived_proof(base["proof"]["proofValue"])
    report = Verifier(loader).verify_document(base, "base.json")
    [form] = [r for r in report.checks if r.requirement == "LBB-03"]
    assert form.status.value == "failed" and "found a base proof" in form.message
    assert form.error_type == "PROOF_VERIFICATION_ERROR" and not report.verified
    [base_check] = [r for r in report.checks if r.requirement == "LBB-01"]
    assert base_check.status.value == "passed"  # a sound base proof: refused only because it is not derived
    assert not [r for r in report.checks if r.requirement == "DI-15"]


@pytest.mark.parametrize(("value", "requirement"), [
    ("zNotBase64url", "LBB-03"), ("u" + "A" * 10, "LBB-03"),
    ("u" + base64.urlsafe_b64encode(bbs_2023.DERIVED_HEADER + cbor2.dumps([1, 2])).decode(), "LBB-04"),
    ("u" + base64.urlsafe_b64encode(bbs_2023.DERIVED_HEADER + cbor2.dumps([b"", {}, [2, 1], [], b""])).decode(), "LBB-04"),
    ("u" + base64.urlsafe_b64encode(bbs_2023.DERIVED_HEADER + cbor2.dumps([b"", {"a": 1}, [], [], b""])).decode(), "LBB-04"),
    ("u" + base64.urlsafe_b64encode(bytes([0xD9, 0x5D, 0x07]) + cbor2.dumps([])).decode(), "LBB-05"),
    ("u" + base64.urlsafe_b64encode(bytes([0xD9, 0x5D, 0x09]) + cbor2.dumps([b"", {}, [], [], b""])).decode(), "LBB-04"),
    ("u" + base64.urlsafe_b64encode(bytes([0xD9, 0x5D, 0x05]) + cbor2.dumps([b"", {}, [], [], b"", -1])).decode(), "LBB-04"),
])
def test_garbage_proof_values_are_errors_not_crashes(value: str, requirement: str) -> None:
    with pytest.raises(BbsProofError) as caught:
        parse_derived_proof(value)
    assert caught.value.requirement == requirement


def test_a_truncated_bbs_proof_fails_lbb04(loader: DocumentLoader) -> None:
    document = copy.deepcopy(_load("", "derivedRevealDocument.json"))
    parts = _components(document)
    parts[0] = parts[0][:-5]
    document["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(bbs_2023.DERIVED_HEADER + cbor2.dumps(parts)).decode().rstrip("=")
    outcome = verify_derived(document, document["proof"], _pk(), Processor(loader))
    assert not outcome.valid and outcome.requirement == "LBB-04", outcome


# -- the optional features ----------------------------------------------------------------------------
def _verifier_id() -> bytes:
    return _load("", "FeatureInputs/verifierInfo.json")["verifierId"].encode()  # type: ignore[no-any-return]


@pytest.mark.parametrize("example", list(FEATURES))
def test_a_feature_derived_proof_is_read_as_published(example: str) -> None:
    derived = parse_derived_proof(_load(example, "derivedRevealDocument.json")["proof"]["proofValue"])
    published = _load(example, "derivedDisclosureData.json")
    assert derived.feature == FEATURES[example] and derived.bbs_proof.hex() == published["bbsProof"]
    assert derived.label_map == _map(published["labelMap"])
    assert list(derived.mandatory_indexes) == published["mandatoryIndexes"]
    assert list(derived.selective_indexes) == published["adjSelectiveIndexes"]
    assert derived.signer_messages == published["lengthBBSMessages"] and derived.presentation_header == PH
    assert (derived.pseudonym.hex() if derived.pseudonym else None) == published.get("pseudonym")


def test_the_pseudonym_is_reproduced_from_the_nym_secret() -> None:
    """Hidden PID: nym secret = prover nym + signer nym entropy (mod r); pseudonym = hash_to_curve(verifier id) * it."""
    from lerconf.crypto.bbs.curve import R, g1_to_bytes
    from lerconf.crypto.bbs.pseudonym import calculate_pseudonym

    secret = (int(_load("", "FeatureInputs/proverNym.json")["proverNymHex"], 16)
              + int(_load("", "FeatureInputs/signerNymEntropy.json")["signerNymEntropyHex"], 16)) % R
    for example in ("Pseudonym", "PseudonymHB"):
        assert secret == int(_load(example, "nymSecret.json")["nymSecretHex"], 16)
        assert g1_to_bytes(calculate_pseudonym(_verifier_id(), secret)).hex() == \
            _load(example, "derivedDisclosureData.json")["pseudonym"]


@pytest.mark.parametrize("example", list(FEATURES))
def test_a_feature_derived_proof_verifies(example: str, loader: DocumentLoader) -> None:
    document = _load(example, "derivedRevealDocument.json")
    outcome = verify_derived(document, document["proof"], _pk(), Processor(loader), verifier_id=_verifier_id())
    assert outcome.valid and outcome.feature == FEATURES[example], outcome
    data = bbs_2023.create_verify_data(document, document["proof"], parse_derived_proof(document["proof"]["proofValue"]),
                                       Processor(loader))
    assert list(data.nquads) == _load(example, "verifyNQuads.json")


@pytest.mark.parametrize("example", list(FEATURES))
def test_a_feature_derived_proof_is_refused_when_tampered(example: str, loader: DocumentLoader) -> None:
    document = copy.deepcopy(_load(example, "derivedRevealDocument.json"))
    document["credentialSubject"]["driversLicense"]["issuing_country"] = "Atlantis"
    outcome = verify_derived(document, document["proof"], _pk(), Processor(loader), verifier_id=_verifier_id())
    assert not outcome.valid and outcome.requirement == "DI-15", outcome
    original = _load(example, "derivedRevealDocument.json")
    parts = _components(original)
    parts[4] = b"\x00"  # another presentation header
    forged = copy.deepcopy(original)
    forged["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(
        base64.urlsafe_b64decode(original["proof"]["proofValue"][1:] + "==")[:3] + cbor2.dumps(parts)).decode().rstrip("=")
    assert not verify_derived(forged, forged["proof"], _pk(), Processor(loader), verifier_id=_verifier_id()).valid


@pytest.mark.parametrize("example", ["Pseudonym", "PseudonymHB"])
def test_a_pseudonym_is_bound_to_its_verifier(example: str, loader: DocumentLoader) -> None:
    document = _load(example, "derivedRevealDocument.json")
    other = verify_derived(document, document["proof"], _pk(), Processor(loader), verifier_id=b"https://other.example/")
    assert not other.valid and other.requirement == "DI-15", other
    parts = _components(document)
    parts[5] = bytes.fromhex("8929dfbc7e6642c4ed9cba0856e493f8b9d7d5fcb0c31ef8fdcd34d50648a56c"
                             "795e106e9eada6e0bda386b414150755")  # a valid G1 point (the SHAKE suite's P1), not the pseudonym
    forged = copy.deepcopy(document)
    forged["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(bytes([0xD9, 0x5D, 0x09]) + cbor2.dumps(parts)).decode().rstrip("=")
    assert not verify_derived(forged, forged["proof"], _pk(), Processor(loader), verifier_id=_verifier_id()).valid


def test_the_engine_verifies_holder_binding_and_names_a_pseudonym_it_cannot_check(loader: DocumentLoader) -> None:
    """lerconf verify is given no verifier id: a pseudonym proof is named and not verified (LBB-05);
    a holder-binding proof verifies (DI-15) with LBB-05 passing and naming the feature."""
    bound = Verifier(loader).verify_document(_load("HolderBinding", "derivedRevealDocument.json"), "hb")
    [feature] = [r for r in bound.checks if r.requirement == "LBB-05"]
    assert feature.status.value == "passed" and "anonymous_holder_binding" in feature.message
    assert [r.message for r in bound.checks if r.requirement == "DI-15"] == ["bbs-2023 signature verifies"]
    for example in ("Pseudonym", "PseudonymHB"):
        report = Verifier(loader).verify_document(_load(example, "derivedRevealDocument.json"), example)
        [feature] = [r for r in report.checks if r.requirement == "LBB-05"]
        assert feature.status.value == "failed" and "verifier's own id" in feature.message
        assert feature.details["not_supported"] is True and feature.details["feature"] == "pseudonym"
        assert not report.verified and not [r for r in report.checks if r.requirement == "DI-15"]


@pytest.mark.parametrize("example", list(FEATURES))
def test_a_feature_base_proof_is_named_and_not_verified(example: str, loader: DocumentLoader) -> None:
    report = Verifier(loader).verify_document(_load(example, "addSignedSDBase.json"), "base")
    assert not report.verified
    [feature] = [r for r in report.checks if r.requirement == "LBB-05"]
    assert feature.status.value == "failed" and "base proof" in feature.message and feature.error_type == "PROOF_VERIFICATION_ERROR"
    assert feature.details["not_supported"] is True
    assert not [r for r in report.checks if r.requirement == "DI-15"]


def test_vectors_are_where_the_tests_expect_them() -> None:
    assert (BBS / "addSignedSDBase.json").is_file() and (BBS / "prc" / "derivedRevealDocument.json").is_file()


@pytest.mark.parametrize(("example", "length"), [("HolderBinding", 22), ("HolderBinding", 99), ("Pseudonym", 24)])
def test_a_wrong_count_of_signer_messages_is_refused(example: str, length: int, loader: DocumentLoader) -> None:
    document = copy.deepcopy(_load(example, "derivedRevealDocument.json"))
    parts = _components(document)
    parts[-1] = length
    header = base64.urlsafe_b64decode(document["proof"]["proofValue"][1:] + "==")[:3]
    document["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(header + cbor2.dumps(parts)).decode().rstrip("=")
    outcome = verify_derived(document, document["proof"], _pk(), Processor(loader), verifier_id=_verifier_id())
    assert not outcome.valid and outcome.requirement in ("DI-15", "LBB-04"), outcome


@pytest.mark.parametrize("example", ["Pseudonym", "PseudonymHB"])
def test_the_engine_verifies_a_pseudonym_given_the_verifier_id(example: str, loader: DocumentLoader) -> None:
    from lerconf.verify.report import VerifyOptions

    document = _load(example, "derivedRevealDocument.json")
    verifier_id = _verifier_id().decode()
    report = Verifier(loader).verify_document(document, example, options=VerifyOptions(verifier_id=verifier_id))
    assert [r.message for r in report.checks if r.requirement == "DI-15"] == ["bbs-2023 signature verifies"]
    [feature] = [r for r in report.checks if r.requirement == "LBB-05"]
    assert feature.status.value == "passed" and "pseudonym" in feature.message
    other = Verifier(loader).verify_document(document, example, options=VerifyOptions(verifier_id="https://other.example/"))
    [signature] = [r for r in other.checks if r.requirement == "DI-15"]
    assert signature.status.value == "failed" and "BBS proof does not verify" in signature.message


def test_lerconf_verify_takes_a_verifier_id(tmp_path: Any, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from lerconf.run.cli import main

    monkeypatch.setenv("LERCONF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LERCONF_URL_MAP", raising=False)
    path = tmp_path / "nym.json"
    path.write_text(json.dumps(_load("Pseudonym", "derivedRevealDocument.json")), encoding="utf-8")
    main(["verify", "--offline", "--json", "--verifier-id", _verifier_id().decode(), str(path)])
    checks = json.loads(capsys.readouterr().out.splitlines()[0])["checks"]
    assert [c["status"] for c in checks if c["id"] == "DI-15"] == ["passed"]
    main(["verify", "--offline", "--json", str(path)])
    checks = json.loads(capsys.readouterr().out.splitlines()[0])["checks"]
    assert [c["status"] for c in checks if c["id"] == "LBB-05"] == ["failed"]
