"""OB-26: badges whose credentialStatus is a 1EdTech Revocation List (issue 15). lerconf's engine
fetches the list the entry names (through the loader: URL map, address guard) and judges the badge
revoked when its id is listed; a list it cannot reach is *could not check*, another issuer's list a
warning, a malformed list or entry a failure."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from lerconf.checks.revocation_list import credential_is_not_on_revocation_list
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.results import Status
from lerconf.verify.engine import Verifier
from lerconf.verify.report import COULD_NOT_CHECK, VERIFIED, VerificationReport

KEY = Signer.did_key(deterministic_key("revocation-list", "Ed25519"))
LIST_URL = "https://issuer.example/revocations/1"
BADGE_ID = "urn:uuid:0b0e1f4a-2c63-4b0c-9d7e-5f1a6c3b2d10"


def _badge(loader: DocumentLoader, url: str = LIST_URL) -> dict[str, Any]:
    document = ob3_achievement_credential(KEY.controller, credential_id=BADGE_ID,
                                          credential_status={"id": url, "type": "1EdTechRevocationList"})
    return KEY.sign(document, "eddsa-rdfc-2022", Processor(loader))


def _verify(settings: LoaderSettings, tmp_path: Path, revocation_list: Any) -> VerificationReport:
    path = tmp_path / "list.json"
    path.write_text(json.dumps(revocation_list), encoding="utf-8")
    loader = DocumentLoader(dataclasses.replace(settings, url_map={LIST_URL: path}))
    return Verifier(loader).verify_document(_badge(loader), "badge.json")


def _ob26(report: VerificationReport) -> list[tuple[str, str]]:
    return [(r.status.value, r.message) for r in report.checks if r.requirement == "OB-26"]


def _list(*revoked: dict[str, Any], issuer: str | None = None) -> dict[str, Any]:
    return {"id": LIST_URL, "issuer": issuer or KEY.controller, "revokedCredentials": list(revoked)}


def test_a_badge_not_on_its_issuers_list_is_verified(offline_settings: LoaderSettings, tmp_path: Path) -> None:
    report = _verify(offline_settings, tmp_path, _list({"id": "urn:uuid:someone-else"}))
    assert report.outcome == VERIFIED, report.to_json()["errors"]
    assert ("passed", f"{BADGE_ID} is not on the revocation list") in _ob26(report)


def test_a_listed_badge_is_revoked(offline_settings: LoaderSettings, tmp_path: Path) -> None:
    report = _verify(offline_settings, tmp_path, _list({"id": BADGE_ID, "revocationReason": "issued in error"}))
    assert not report.verified
    assert ("failed", f"revoked: {BADGE_ID} is listed in {LIST_URL} (issued in error)") in _ob26(report)


def test_a_list_named_for_another_issuer_still_revokes_with_a_warning(offline_settings: LoaderSettings,
                                                                   tmp_path: Path) -> None:
    """A naming difference (a profile URL for a DID) is never a way to pass a revoked badge."""
    report = _verify(offline_settings, tmp_path, _list({"id": BADGE_ID}, issuer="https://riverside.example/profile"))
    statuses = [s for s, _ in _ob26(report)]
    assert "warning" in statuses and not report.verified
    assert any(m.startswith("revoked:") for _, m in _ob26(report))


def test_a_list_without_an_issuer_fails(offline_settings: LoaderSettings, tmp_path: Path) -> None:
    report = _verify(offline_settings, tmp_path, {"id": LIST_URL, "revokedCredentials": []})
    assert not report.verified and any("names no issuer" in m for _, m in _ob26(report))


@pytest.mark.parametrize("served", [{"id": LIST_URL}, ["not", "a", "list"], {"revokedCredentials": "x"}])
def test_a_document_that_is_not_a_revocation_list_fails(offline_settings: LoaderSettings, tmp_path: Path,
                                                        served: Any) -> None:
    report = _verify(offline_settings, tmp_path, served)
    assert not report.verified and any("is not a 1EdTech revocation list" in m for _, m in _ob26(report))


def test_an_unreachable_list_could_not_be_checked(offline_settings: LoaderSettings) -> None:
    loader = DocumentLoader(offline_settings)  # offline, the list's URL not mapped: no answer at all
    report = Verifier(loader).verify_document(_badge(loader), "badge.json")
    assert report.outcome == COULD_NOT_CHECK
    assert any(s == "failed" and "could not be fetched" in m for s, m in _ob26(report))


def test_an_entry_without_a_list_url_fails(offline_settings: LoaderSettings) -> None:
    loader = DocumentLoader(offline_settings)
    report = Verifier(loader).verify_document(_badge(loader, url="urn:uuid:7d1c2b3a-0000-4000-8000-000000000001"), "badge.json")
    assert not report.verified and any("is not the URL of a revocation list" in m for _, m in _ob26(report))


def test_the_lookup_needs_the_badges_id() -> None:
    result = credential_is_not_on_revocation_list({}, _list({"id": BADGE_ID}), LIST_URL)
    assert result.status is Status.FAILED and "has no id" in result.message
