"""Accepts/rejects tests for the presentation checks (VCDM-20, VCDM-21, VCDM-22, VCDM-25)."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.checks import vcdm_presentation as vp
from lerconf.results import Status

V2 = "https://www.w3.org/ns/credentials/v2"
VC = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": "did:example:i", "credentialSubject": {"id": "did:example:s"}}
ENVELOPED = {"@context": V2, "id": "data:application/vc+jwt,eyJhbGciOiJFUzI1NiJ9.e30.sig", "type": "EnvelopedVerifiableCredential"}


def make(**extra: Any) -> dict[str, Any]:
    return {"@context": [V2], "type": ["VerifiablePresentation"], **extra}


# VCDM-20
def test_vcdm_20_accepts_verifiable_presentation_type() -> None:
    assert vp.presentation_has_verifiable_presentation_type(make()).status is Status.PASSED


@pytest.mark.parametrize("types", [None, ["CredentialManagerPresentation"], []])
def test_vcdm_20_rejects_missing_or_wrong_type(types: Any) -> None:
    doc = make()
    if types is None:
        del doc["type"]
    else:
        doc["type"] = types
    assert vp.presentation_has_verifiable_presentation_type(doc).status is Status.FAILED


# VCDM-21
def test_vcdm_21_accepts_credential_and_enveloped_objects() -> None:
    assert vp.presented_credentials_are_objects(make(verifiableCredential=[VC, ENVELOPED])).status is Status.PASSED


def test_vcdm_21_not_applicable_without_credentials() -> None:
    assert vp.presented_credentials_are_objects(make()).status is Status.NOT_APPLICABLE


@pytest.mark.parametrize("entry", ["eyJhbGciOiJFUzI1NiJ9.e30.sig", "https://vc.example/1", {**VC, "type": []}])
def test_vcdm_21_rejects_strings_urls_and_untyped_credentials(entry: Any) -> None:
    result = vp.presented_credentials_are_objects(make(verifiableCredential=[VC, entry]))
    assert result.status is Status.FAILED and result.subject.startswith("verifiableCredential[1]")


# VCDM-22
@pytest.mark.parametrize("holder", ["did:example:holder", {"id": "https://holder.example", "name": "H"}])
def test_vcdm_22_accepts_url_or_object_with_url_id(holder: Any) -> None:
    assert vp.holder_is_url_or_object_with_id(make(holder=holder)).status is Status.PASSED


@pytest.mark.parametrize("holder", ["z6MkpJySvETLnxhQG9DzEd", {"id": "z6MkpJySvETLnxhQG9DzEd"}, {"name": "Acme"}, None])
def test_vcdm_22_rejects_non_url_holder(holder: Any) -> None:
    assert vp.holder_is_url_or_object_with_id(make(holder=holder)).status is Status.FAILED


# VCDM-25
def test_vcdm_25_accepts_enveloped_credential_with_data_url() -> None:
    result = vp.enveloped_credentials_use_data_urls(make(verifiableCredential=[ENVELOPED]))
    assert result.status is Status.PASSED


@pytest.mark.parametrize(
    "change",
    [{"type": None}, {"@context": "https://www.w3.org/ns/credentials/examples/v2"}, {"id": "data:application/vc+jwt"}],
)
def test_vcdm_25_rejects_enveloped_credential_defects(change: dict[str, Any]) -> None:
    entry = {**ENVELOPED, **{k: v for k, v in change.items() if v is not None}}
    for key in [k for k, v in change.items() if v is None]:
        del entry[key]
    assert vp.enveloped_credentials_use_data_urls(make(verifiableCredential=[entry])).status is Status.FAILED


def test_vcdm_25_rejects_enveloped_type_with_https_id() -> None:
    entry = {**ENVELOPED, "id": "https://vc.example/1"}
    assert vp.enveloped_credentials_use_data_urls(make(verifiableCredential=entry)).subject == "verifiableCredential.id"


def test_vcdm_25_not_applicable_to_embedded_credentials() -> None:
    assert vp.enveloped_credentials_use_data_urls(make(verifiableCredential=[VC])).status is Status.NOT_APPLICABLE
