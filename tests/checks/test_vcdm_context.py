"""Accepts/rejects tests for the context checks (VCDM-01, VCDM-19, VCDM-D1, VCDM-02, VCDM-16, DI-06)."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.checks import context as ctx
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader
from lerconf.results import Category, Status

V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
UNDEFINED = "https://www.w3.org/ns/credentials/undefined-terms/v2"
PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "verificationMethod": "did:example:issuer#key-1",
    "proofPurpose": "assertionMethod",
    "proofValue": "z3FXQ",
}


@pytest.fixture(scope="module")
def processor(loader: DocumentLoader) -> Processor:
    return Processor(loader)


def make(*contexts: Any, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": list(contexts) or [V2],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
    }
    doc.update(extra)
    return doc


# VCDM-01 / VCDM-19
def test_vcdm_01_accepts_v2_base_context_first() -> None:
    result = ctx.credential_starts_with_base_context(make(V2, OB))
    assert result.status is Status.PASSED and result.category is Category.CONTEXT


def test_vcdm_01_accepts_v1_base_context_as_vcdm_11() -> None:
    result = ctx.credential_starts_with_base_context(make(V1))
    assert result.status is Status.PASSED and result.details["version"] == "1.1"


def test_vcdm_01_rejects_base_context_not_first() -> None:
    result = ctx.credential_starts_with_base_context(make(OB, V2))
    assert result.status is Status.FAILED and "position 1" in result.message


def test_vcdm_01_rejects_missing_context() -> None:
    doc = make()
    del doc["@context"]
    assert ctx.credential_starts_with_base_context(doc).status is Status.FAILED


def test_vcdm_19_rejects_presentation_without_base_context() -> None:
    vp = {"@context": ["https://www.w3.org/ns/credentials/examples/v2"], "type": ["VerifiablePresentation"]}
    assert ctx.presentation_starts_with_base_context(vp).status is Status.FAILED
    vp["@context"] = [V2]
    assert ctx.presentation_starts_with_base_context(vp).status is Status.PASSED


# VCDM-D1
def test_vcdm_d1_accepts_single_base_context() -> None:
    assert ctx.does_not_mix_base_contexts(make(V2, OB)).status is Status.PASSED


def test_vcdm_d1_rejects_mixed_v1_and_v2_base_contexts() -> None:
    assert ctx.does_not_mix_base_contexts(make(V2, V1)).status is Status.FAILED


# VCDM-02
def test_vcdm_02_accepts_registered_contexts(processor: Processor) -> None:
    assert ctx.contexts_are_processable(make(V2, OB), processor).status is Status.PASSED


def test_vcdm_02_checks_shape_only_without_processor() -> None:
    result = ctx.contexts_are_processable(make(V2, "https://unknown.example/ctx"), None)
    assert result.status is Status.PASSED and "none was loaded" in result.message


@pytest.mark.parametrize("bad", [123192875, "https ://not-a-url/contexts/example/v1", ["nested"]])
def test_vcdm_02_rejects_context_items_that_are_not_urls_or_objects(bad: Any) -> None:
    result = ctx.contexts_are_processable(make(V2, bad), None)
    assert result.status is Status.FAILED and result.subject == "@context[1]"


def test_vcdm_02_rejects_unloadable_context_with_reason(processor: Processor) -> None:
    url = "https://unregistered.example/context/v1"
    result = ctx.contexts_are_processable(make(V2, url), processor)
    assert result.status is Status.FAILED and url in result.message and result.error_type == "PARSING_ERROR"


def test_vcdm_02_rejects_protected_term_redefinition(processor: Processor) -> None:
    doc = make(V2, {"VerifiableCredential": "https://example.org/#BadVerifiableCredential"})
    result = ctx.contexts_are_processable(doc, processor)
    assert result.status is Status.FAILED and "protected term" in result.message


# VCDM-16
def test_vcdm_16_accepts_fully_defined_credential(processor: Processor) -> None:
    assert ctx.defines_every_term(make(V2, OB), processor).status is Status.PASSED


def test_vcdm_16_rejects_dropped_terms_and_lists_them(processor: Processor) -> None:
    doc = make(V1, issuanceDate="2020-01-01T00:00:00Z", favouriteColour="blue")
    result = ctx.defines_every_term(doc, processor)
    assert result.status is Status.FAILED and result.details["terms"] == ["favouriteColour"]


def test_vcdm_16_rejects_relative_type(processor: Processor) -> None:
    doc = make(V1, issuanceDate="2020-01-01T00:00:00Z")
    doc["type"] = ["VerifiableCredential", "UndefinedCredentialType"]
    result = ctx.defines_every_term(doc, processor)
    assert result.status is Status.FAILED and "UndefinedCredentialType (relative IRI)" in result.details["terms"]


def test_vcdm_16_rejects_undefined_term_under_v2(processor: Processor) -> None:
    result = ctx.defines_every_term(make(V2, favouriteColour="blue"), processor)
    assert result.status is Status.FAILED and result.details["terms"] == ["favouriteColour"]


def test_vcdm_16_warns_when_undefined_terms_context_is_last(processor: Processor) -> None:
    """Declared undefined terms are allowed (MUST met) but rely on @vocab (SHOULD NOT)."""
    result = ctx.defines_every_term(make(V2, UNDEFINED, favouriteColour="blue"), processor)
    assert result.status is Status.WARNING and result.details["terms"] == ["favouriteColour"]


def test_vcdm_16_rejects_undefined_terms_context_not_last(processor: Processor) -> None:
    result = ctx.defines_every_term(make(V2, UNDEFINED, OB), processor)
    assert result.status is Status.FAILED and "last context" in result.message


def test_vcdm_16_ignores_proof_terms(processor: Processor) -> None:
    """The proof is not part of the secured document; its terms are DI-05's question."""
    doc = make(V2, proof={"type": "Ed25519Signature2020", "proofPurpose": "assertionMethod", "proofValue": "z"})
    assert ctx.defines_every_term(doc, processor).status is Status.PASSED


def test_vcdm_16_not_applicable_when_contexts_do_not_process(processor: Processor) -> None:
    result = ctx.defines_every_term(make(V2, "https://unregistered.example/ctx"), processor)
    assert result.status is Status.NOT_APPLICABLE


# DI-06
def test_di_06_accepts_signed_document_without_undefined_terms(processor: Processor) -> None:
    assert ctx.signed_data_has_no_undefined_terms(make(V2, OB, proof=PROOF), processor).status is Status.PASSED


def test_di_06_rejects_signed_document_with_dropped_terms(processor: Processor) -> None:
    doc = make(V1, issuanceDate="2020-01-01T00:00:00Z", favouriteColour="blue", proof=PROOF)
    result = ctx.signed_data_has_no_undefined_terms(doc, processor)
    assert result.status is Status.FAILED and result.error_type == "DATA_LOSS_DETECTION_ERROR"
    assert result.details["terms"] == ["favouriteColour"]


def test_di_06_not_applicable_to_jcs_or_unsigned_documents(processor: Processor) -> None:
    jcs = {**PROOF, "cryptosuite": "eddsa-jcs-2022"}
    doc = make(V1, issuanceDate="2020-01-01T00:00:00Z", favouriteColour="blue", proof=jcs)
    assert ctx.signed_data_has_no_undefined_terms(doc, processor).status is Status.NOT_APPLICABLE
    assert ctx.signed_data_has_no_undefined_terms(make(), processor).status is Status.NOT_APPLICABLE


def test_context_checks_expand_once(processor: Processor, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = processor.expand
    monkeypatch.setattr(processor, "expand", lambda doc, **kw: calls.append(1) or original(doc, **kw))
    results = ctx.context_checks(make(V2, OB, proof=PROOF), processor)
    assert len(calls) == 1
    assert [r.requirement for r in results] == ["VCDM-01", "VCDM-D1", "VCDM-02", "VCDM-16", "DI-06"]
