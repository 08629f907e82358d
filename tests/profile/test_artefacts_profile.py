"""``issuer.artefacts`` in a vendor profile (lerconf/profile/artefacts.py): what parses, what is
refused with a message naming the field, and the shipped JSON Schema agreeing with the loader."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lerconf.errors import ProfileError
from lerconf.profile.load import parse_profile

SCHEMA = json.loads((resources.files("lerconf.data") / "vendor-profile.schema.json").read_text(encoding="utf-8"))


def _profile(tmp_path: Path, issuer: dict[str, Any]) -> Any:
    return parse_profile({"name": "acme", "issuer": issuer}, str(tmp_path / "acme.yaml"))


@pytest.fixture
def export(tmp_path: Path) -> Path:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "badge.json").write_text("{}", encoding="utf-8")
    return tmp_path


def test_an_issuer_of_artefacts_only_has_no_vc_api_role(export: Path) -> None:
    issuer = {"id": "did:web:badges.acme.example",
              "artefacts": [{"path": "exports/badge.json", "is": {"type": "OpenBadgeCredential", "vc_version": 2.0,
                                                                 "securing": "eddsa-rdfc-2022", "status": "revoked"}},
                            {"url": "https://badges.acme.example/b/1", "is": {"baked": "png"}}]}
    profile = _profile(export, issuer)
    assert profile.role("issuer") is None
    first, second = profile.artefacts.sources
    assert first.path == export / "exports" / "badge.json"
    assert first.described.said() == {"type": "OpenBadgeCredential", "vc_version": "2.0", "securing": "eddsa-rdfc-2022",
                                      "status": "revoked"}
    assert second.url == "https://badges.acme.example/b/1" and "badges.acme.example:443" in profile.hosts
    assert profile.artefacts.issuer_id == "did:web:badges.acme.example"
    assert profile.public_view()["issuer_artefacts"]["artefacts"][1] == {"source": "https://badges.acme.example/b/1",
                                                                        "is": {"baked": "png"}}
    jsonschema.validate({"name": "acme", "issuer": issuer}, SCHEMA)


def test_a_live_issuer_keeps_its_role_beside_its_artefacts(export: Path) -> None:
    profile = _profile(export, {"issue_url": "https://acme.example/credentials/issue", "id": "did:web:acme.example",
                                "claims": {"vc_versions": ["2.0"], "securing": ["eddsa-rdfc-2022"]},
                                "artefacts": [{"path": "exports"}]})
    assert profile.role("issuer") is not None and profile.artefacts.sources[0].path == export / "exports"


@pytest.mark.parametrize(("issuer", "where", "says"), [
    ({"artefacts": []}, "issuer.artefacts", "non-empty list"),
    ({"artefacts": [{"path": "exports/badge.json", "url": "https://x.example/b"}]}, "issuer.artefacts[0]", "exactly one of"),
    ({"artefacts": [{"path": "exports/missing.json"}]}, "issuer.artefacts[0].path", "does not exist"),
    ({"artefacts": [{"url": "ftp://x.example/b"}]}, "issuer.artefacts[0].url", "not an http(s) URL"),
    ({"artefacts": [{"path": "exports", "kind": "badge"}]}, "issuer.artefacts[0]", "unknown field(s) kind"),
    ({"artefacts": [{"path": "exports", "is": {"securing": "rsa"}}]}, "issuer.artefacts[0].is.securing", "is not one of"),
    ({"artefacts": [{"path": "exports", "is": {"status": "gone"}}]}, "issuer.artefacts[0].is.status", "active, revoked"),
    ({"artefacts": [{"path": "exports", "is": {"colour": "red"}}]}, "issuer.artefacts[0].is", "unknown field(s) colour"),
    ({"artefacts": [{"path": "exports"}], "claims": {"securing": ["eddsa-rdfc-2022"]}}, "issuer", "need(s) issue_url"),
])
def test_a_broken_artefacts_section_is_refused_naming_where(export: Path, issuer: dict[str, Any], where: str, says: str) -> None:
    with pytest.raises(ProfileError) as raised:
        _profile(export, issuer)
    assert f"{where}: " in str(raised.value) and says in str(raised.value)


def test_the_schema_refuses_what_the_loader_refuses() -> None:
    for issuer in ({"artefacts": [{"path": "a", "url": "https://x.example/b"}]}, {"artefacts": []},
                   {"artefacts": [{"path": "a", "is": {"baked": "gif"}}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"name": "acme", "issuer": issuer}, SCHEMA)
