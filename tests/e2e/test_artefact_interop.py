"""What a vendor delivered as files goes to every other vendor's verifier (issue 15 §1, interop).

A vendor of artefacts only, whose links point at badges a reference instance serves (a valid
badge as JSON, baked in a PNG and an SVG, a CLR, and "the same badge after revocation"), beside a
separately started verifier vendor: the clean one accepts every valid badge (API-11) and rejects
the revoked one (BSL-10); one that reads status lists but verifies a set revocation bit fails
BSL-10 only, naming the artefact.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from faulty.faults import CLEAN, FAULTS
from faulty.runs import _restored_environment
from faulty.server import running_vendor

from lerconf.run.runner import RunOptions, run

ACCEPTS_REVOKED = next(f for f in FAULTS if f.name == "verifier-accepts-revoked")
SERVED = ["badge.json", "badge.png", "badge-json.svg", "clr.json", "revoked.json"]


def _interop(fault: Any, tmp_path: Path) -> dict[tuple[str, ...], dict[str, Any]]:
    """`lerconf run --tags artefacts` over the verifier vendor and a vendor of its artefacts only."""
    with running_vendor(fault, tmp_path / "verifier") as verifier:
        artefacts = tmp_path / "artefacts.yaml"
        artefacts.write_text(yaml.safe_dump({"name": "files only", "issuer": {"artefacts": [
            {"url": f"{verifier.base_url}/artefacts/{name}"} for name in SERVED]}}), encoding="utf-8")
        options = RunOptions(vendors=[verifier.profile_path, artefacts], tags="artefacts", out=tmp_path / "reports",
                             url_map=verifier.url_map_path, preflight=False)
        with _restored_environment():
            _, run_dir = run(options)
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    return {tuple(s["requirement_ids"]): s for s in results["scenarios"] if s["vendor"].startswith("files only →")}


def test_a_clean_verifier_accepts_the_delivered_badges_and_rejects_the_revoked_one(tmp_path: Path) -> None:
    rows = _interop(CLEAN, tmp_path)
    accepted, rejected = rows[("API-11",)], rows[("BSL-10",)]
    assert accepted["status"] == "passed", accepted["reason"]
    judged = {c["subject"].rsplit("/", 1)[-1] for c in accepted["evidence"]["checks"] if c["id"] == "API-11"}
    assert judged == {"badge.json", "badge.png", "badge-json.svg", "clr.json"}
    assert rejected["status"] == "passed", rejected["reason"]
    assert [c["subject"].rsplit("/", 1)[-1] for c in rejected["evidence"]["checks"]] == ["revoked.json"]


def test_a_verifier_that_accepts_revoked_badges_fails_only_the_revoked_row(tmp_path: Path) -> None:
    rows = _interop(ACCEPTS_REVOKED, tmp_path)
    assert rows[("API-11",)]["status"] == "passed", rows[("API-11",)]["reason"]
    failed = rows[("BSL-10",)]
    assert failed["status"] == "failed" and "revoked.json" in failed["reason"], failed["reason"]
