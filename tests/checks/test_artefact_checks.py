"""OB-17, OB-18 and LCA-01 (lerconf/checks/artefacts.py): each catches the defect it is for."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.checks.artefacts import artefact_is_as_described, artefact_served_with_its_media_type, file_holds_one_credential
from lerconf.results import Status

BADGE = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"]}


@pytest.mark.parametrize(("kind", "value", "name", "status", "says"), [
    ("json", BADGE, "badge.json", Status.PASSED, "one credential"),
    ("jwt", "a.b.c", "badge.jws", Status.PASSED, "compact JWS"),
    ("json", [BADGE, BADGE], "two.json", Status.FAILED, "array of 2"),
    ("json", {**BADGE, "type": ["VerifiablePresentation"]}, "vp.json", Status.FAILED, "a presentation"),
    ("json", {"name": "x"}, "x.json", Status.FAILED, "names no VerifiableCredential"),
    ("jwt", "a.b.c", "badge.json", Status.FAILED, "in a .json file"),
    ("json", BADGE, "badge.jwt", Status.FAILED, "in a .jwt file"),
    ("json", BADGE, "badge.txt", Status.WARNING, ".json"),
])
def test_ob_17_one_credential_per_file_named_for_its_encoding(kind: str, value: Any, name: str, status: Status,
                                                               says: str) -> None:
    result = file_holds_one_credential(kind, value, file_name=name)
    assert result.requirement == "OB-17" and result.status is status and says in result.message


def test_ob_17_an_unreadable_file_is_not_one_credential() -> None:
    result = file_holds_one_credential(None, None, file_name="junk.bin", problem="not UTF-8 text")
    assert result.status is Status.FAILED and "not UTF-8 text" in result.message


def test_ob_17_a_baked_image_or_a_link_is_not_judged_by_its_name() -> None:
    assert file_holds_one_credential("json", BADGE, file_name="badge.png", baked=True).status is Status.PASSED
    assert file_holds_one_credential("jwt", "a.b.c", file_name=None).status is Status.PASSED


@pytest.mark.parametrize(("form", "served", "status"), [
    ("json", "application/vc+ld+json", Status.PASSED), ("json", "application/json; charset=utf-8", Status.PASSED),
    ("jwt", "text/plain", Status.PASSED), ("png", "image/png", Status.PASSED), ("svg", "image/svg+xml", Status.PASSED),
    ("json", "text/html", Status.WARNING), ("jwt", "application/json", Status.WARNING), ("png", None, Status.WARNING),
])
def test_ob_18_media_type_of_a_served_artefact(form: str, served: str | None, status: Status) -> None:
    result = artefact_served_with_its_media_type(form, served)
    assert result.requirement == "OB-18" and result.status is status  # a SHOULD: a wrong type is a warning


def test_lca_01_a_contradiction_fails_naming_it() -> None:
    result = artefact_is_as_described({"vc_version": "1.1", "baked": "no"}, {"vc_version": "2.0", "baked": "no"})
    assert result.status is Status.FAILED and "vc_version: said '1.1', is '2.0'" in result.message


def test_lca_01_passes_what_agrees_and_names_what_it_could_not_observe() -> None:
    result = artefact_is_as_described({"status": "revoked", "type": "ClrCredential"}, {"status": None, "type": "ClrCredential"})
    assert result.status is Status.PASSED and "not observed: status" in result.message
    assert artefact_is_as_described({}, {"type": "x"}).status is Status.PASSED
