"""OB-28: a verifier that knows the recipient (an email address, a DID) checks the badge names them —
by credentialSubject.id, a plain IdentityObject, or a hashed one recomputed with its salt."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lerconf.checks.ob import identity_hash
from lerconf.checks.recipient import recipient_matches
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.results import Status
from lerconf.run.cli import main

EMAIL = "ada@riverside.example"


def _badge(*identifiers: dict[str, Any], subject_id: str | None = None) -> dict[str, Any]:
    badge = ob3_achievement_credential("did:example:issuer")
    subject = badge["credentialSubject"]
    if subject_id is None:
        subject.pop("id")
    else:
        subject["id"] = subject_id
    if identifiers:
        subject["identifier"] = list(identifiers)
    return badge


def _hashed(value: str, salt: str = "s4lt", identity_type: str = "emailAddress") -> dict[str, Any]:
    return {"type": "IdentityObject", "hashed": True, "identityHash": identity_hash(value, salt), "identityType": identity_type,
            "salt": salt}


def _plain(value: str, identity_type: str = "emailAddress") -> dict[str, Any]:
    return {"type": "IdentityObject", "hashed": False, "identityHash": value, "identityType": identity_type}


@pytest.mark.parametrize(("badge", "identity_type"), [
    (_badge(_hashed(EMAIL)), None), (_badge(_hashed(EMAIL)), "emailAddress"), (_badge(_plain(EMAIL)), "emailAddress"),
    (_badge(_plain("s-123", "studentId"), _hashed(EMAIL)), "emailAddress"), (_badge(subject_id=EMAIL), None),
], ids=["hashed", "hashed-typed", "plain", "second-identifier", "subject-id"])
def test_the_known_recipient_is_found(badge: dict[str, Any], identity_type: str | None) -> None:
    result = recipient_matches(badge, EMAIL, identity_type)
    assert result.status is Status.PASSED and result.requirement == "OB-28", result.message


@pytest.mark.parametrize(("badge", "identity_type"), [
    (_badge(_hashed("eve@riverside.example")), None),        # someone else's badge
    (_badge({**_hashed(EMAIL), "salt": "other"}), None),
    (_badge(_hashed(EMAIL, identity_type="studentId")), "emailAddress"),  # right value, wrong type
    (_badge(subject_id="did:example:someone"), None),
], ids=["other-person", "wrong-salt", "wrong-type", "other-subject-id"])
def test_another_recipient_is_refused(badge: dict[str, Any], identity_type: str | None) -> None:
    result = recipient_matches(badge, EMAIL, identity_type)
    # OB-28 is RECOMMENDED: the mismatch is reported as a warning (the badge is authentic, about someone else)
    assert result.status is Status.WARNING and "matches the known recipient" in result.message


def test_verify_checks_the_recipient_it_is_given(tmp_path: Path, loader: DocumentLoader, capsys: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LERCONF_CACHE_DIR", str(tmp_path / "cache"))
    key = Signer.did_key(deterministic_key("recipient-cli", "Ed25519"))
    badge = _badge(_hashed(EMAIL))
    badge["issuer"]["id"] = key.controller
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(key.sign(badge, "eddsa-rdfc-2022", Processor(loader))), encoding="utf-8")
    for known, expected in ((EMAIL, "passed"), ("eve@riverside.example", "warning")):
        main(["verify", "--offline", "--json", "-j", "1", "--recipient", known, "--recipient-type", "emailAddress", str(path)])
        report = json.loads(capsys.readouterr().out)
        [ob28] = [c for c in report["checks"] if c["id"] == "OB-28"]
        assert ob28["status"] == expected
    main(["verify", "--offline", "--json", "-j", "1", str(path)])
    assert not [c for c in json.loads(capsys.readouterr().out)["checks"] if c["id"] == "OB-28"]  # only when asked
