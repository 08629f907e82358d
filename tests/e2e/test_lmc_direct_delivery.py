"""LMC OB 3.0 Direct Delivery (lerconf/data/ecosystems/lmc.yaml, LMC-DD-01..06), judged on what an
artefact-only issuer delivered: one `lerconf run --role artefact_issuer` over a clean vendor that
claims the profile and one faulty vendor per rule, each breaking that rule and no other (each still
a conforming Open Badge where the rule is the profile's alone). The clean vendor passes all six
rows; each faulty vendor fails exactly its rows, for its reason; a vendor that does not claim the
profile has none of its rows run. Issuers are did:key; status lists come through a URL map (no
network)."""
from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from faulty.runs import _restored_environment, describe

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.crypto.status_list import build_status_list_credential, encode_status_list
from lerconf.documents.baked import bake_png
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.run.runner import RunOptions, run

ED = Signer.did_key(deterministic_key("lmc-dd-issuer", "Ed25519"))
P256 = Signer.did_key(deterministic_key("lmc-dd-issuer-p256", "P-256"))
OTHER = Signer.did_key(deterministic_key("lmc-dd-someone-else", "Ed25519"))
LIST = "https://lists.dd.example/status/{name}"
ROWS = {f"LMC-DD-0{i}" for i in range(1, 7)}


def _email() -> dict[str, Any]:
    salt = "5a1t"
    return {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True, "salt": salt,
            "identityHash": "sha256$" + hashlib.sha256(("ada@example.edu" + salt).encode()).hexdigest()}


@dataclass(frozen=True)
class Fault:
    """How the badge (or the delivery) differs from the clean vendor's, and which rows must fail why."""

    change: Callable[[dict[str, Any]], None] = lambda badge: None
    signer: Signer = ED
    suite: str = "eddsa-rdfc-2022"
    list_signer: Signer | None = None  # the status list's signer (default: the badge's)
    baked_only: bool = False
    fails: dict[str, str] | None = None


def _no_email(badge: dict[str, Any]) -> None:
    del badge["credentialSubject"]["identifier"]


def _achievement_only(badge: dict[str, Any]) -> None:
    badge["type"] = ["VerifiableCredential", "AchievementCredential"]


def _no_status(badge: dict[str, Any]) -> None:
    del badge["credentialStatus"]


def _plain_not_an_address(badge: dict[str, Any]) -> None:
    badge["credentialSubject"]["identifier"] = [{"type": "IdentityObject", "identityType": "emailAddress",
                                                 "hashed": False, "identityHash": "ada at example"}]


FAULTS = {
    "clean": Fault(fails={}),
    "subject-by-did-only": Fault(_no_email, fails={"LMC-DD-05": "no identifier with identityType emailAddress"}),
    "plain-email-that-is-not-one": Fault(_plain_not_an_address, fails={"LMC-DD-05": "is not an email address"}),
    "achievement-credential-only": Fault(_achievement_only, fails={"LMC-DD-01": "without OpenBadgeCredential"}),
    "ecdsa-p256": Fault(signer=P256, suite="ecdsa-rdfc-2019",
                        fails={"LMC-DD-02": "not DataIntegrityProof/eddsa-rdfc-2022", "LMC-DD-03": "not Ed25519"}),
    "no-status-list": Fault(_no_status, fails={"LMC-DD-04": "no BitstringStatusListEntry"}),
    "status-list-of-another-issuer": Fault(list_signer=OTHER, fails={"LMC-DD-04": "not signed with a key of the credential issuer"}),
    "baked-png-only": Fault(baked_only=True, fails={"LMC-DD-06": "no badge delivered as a JSON file"}),
}


def _status_list(folder: Path, name: str, signer: Signer, processor: Processor) -> tuple[str, Path]:
    url = LIST.format(name=name)
    unsigned = build_status_list_credential(url, encode_status_list(), "revocation", issuer=signer.controller,
                                            valid_from="2026-01-01T00:00:00Z")
    suite = "ecdsa-rdfc-2019" if signer is P256 else "eddsa-rdfc-2022"
    path = folder / f"list-{name}.json"
    path.write_text(json.dumps(signer.sign(unsigned, suite, processor)), encoding="utf-8")
    return url, path


def _vendor(root: Path, name: str, fault: Fault, processor: Processor, url_map: dict[str, str], claims: bool = True) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    url, path = _status_list(folder, name, fault.list_signer or fault.signer, processor)
    url_map[url] = str(path)
    badge = ob3_achievement_credential(fault.signer.controller, f"did:example:dd-{name}",
                                       credential_id=f"urn:uuid:{hashlib.md5(name.encode()).hexdigest()[:8]}-0000-4000-8000-000000000001",
                                       credential_status={"id": f"{url}#7", "type": "BitstringStatusListEntry",
                                                          "statusPurpose": "revocation", "statusListIndex": "7",
                                                          "statusListCredential": url})
    badge["credentialSubject"]["identifier"] = [_email()]
    fault.change(badge)
    signed = fault.signer.sign(copy.deepcopy(badge), fault.suite, processor)
    if fault.baked_only:
        from test_artefact_issuer import _png  # the same minimal image the artefact bed bakes into
        (folder / "badge.png").write_bytes(bake_png(_png(), json.dumps(signed)))
        items = [{"path": "badge.png"}]
    else:
        (folder / "badge.json").write_text(json.dumps(signed, indent=1), encoding="utf-8")
        items = [{"path": "badge.json"}]
    profile = {"name": name, "issuer": {"id": fault.signer.controller, "artefacts": items}}
    if claims:
        profile["ecosystems"] = {"lmc": ["ob-3.0-direct-delivery"]}
    (folder / "vendor.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    return folder / "vendor.yaml"


@pytest.fixture(scope="module")
def judged(offline_settings: LoaderSettings, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("lmc-dd")
    processor = Processor(DocumentLoader(offline_settings))
    url_map: dict[str, str] = {}
    profiles = [_vendor(root, name, fault, processor, url_map) for name, fault in FAULTS.items()]
    profiles.append(_vendor(root, "not-claiming", FAULTS["clean"], processor, url_map, claims=False))
    (root / "url-map.json").write_text(json.dumps(url_map), encoding="utf-8")
    options = RunOptions(vendors=profiles, roles=["artefact_issuer"], tags="lmc-ob-3.0-direct-delivery",
                         out=root / "reports", preflight=False, offline=True, url_map=root / "url-map.json")
    with _restored_environment():
        code, run_dir = run(options)
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    return {"code": code, "run_dir": run_dir, "scenarios": results["scenarios"]}


def _rows(judged: dict[str, Any], vendor: str) -> dict[str, dict[str, Any]]:
    return {s["requirement_ids"][0]: s for s in judged["scenarios"] if s["vendor"] == vendor}


@pytest.mark.parametrize("vendor", sorted(FAULTS))
def test_each_vendor_fails_exactly_its_rows_for_its_reason(judged: dict[str, Any], vendor: str) -> None:
    rows = _rows(judged, vendor)
    assert set(rows) == ROWS
    expected = FAULTS[vendor].fails or {}
    failed = {rid for rid, s in rows.items() if s["status"] == "failed"}
    assert failed == set(expected), "\n".join(describe(s) for s in rows.values())
    for rid, word in expected.items():
        assert word in rows[rid]["reason"], describe(rows[rid])
    others = [s for rid, s in rows.items() if rid not in expected]
    if FAULTS[vendor].baked_only:  # no JSON file: the badge rules have nothing of their form to judge
        assert all(s["status"] == "skipped" and "delivered no badge JSON" in s["reason"] for s in others), \
            [describe(s) for s in others]
    else:
        assert all(s["status"] == "passed" for s in others), [describe(s) for s in others]
    assert all(s.get("ecosystem") == "LMC ob-3.0-direct-delivery 0.1" for s in rows.values())


def test_a_vendor_not_claiming_the_profile_runs_none_of_its_rows(judged: dict[str, Any]) -> None:
    rows = _rows(judged, "not-claiming")
    assert set(rows) == ROWS
    assert all(s["status"] == "skipped" and "does not claim the ecosystem profile LMC ob-3.0-direct-delivery 0.1"
               in s["reason"] for s in rows.values()), [describe(s) for s in rows.values()]


def test_the_report_keeps_the_profile_in_its_own_rows(judged: dict[str, Any]) -> None:
    html = (Path(judged["run_dir"]) / "report.html").read_text(encoding="utf-8")
    assert "LMC ob-3.0-direct-delivery 0.1" in html
