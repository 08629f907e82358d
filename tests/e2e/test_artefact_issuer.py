"""Artefact-only issuers (issue 15 §1): a vendor profile with ``issuer.artefacts`` and no endpoint,
judged by `lerconf run --role artefact_issuer` from what it delivered.

One run judges a clean vendor (a badge as JSON, as an OB 3.0 VC-JWT, baked into a PNG and an SVG,
a CLR, in files named for their encodings, each described truthfully) and one faulty vendor per
defect, each delivering only its defective artefact. The clean vendor passes every row of the forms
it delivered (the rest are not claimed) and gets a full report; each faulty vendor fails exactly the
rows its defect names, for the reason the defect is, and nothing else. `lerconf run --artefacts
DIR` judges a folder without a profile. Everything is signed by did:key issuers (no network).
"""
from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from faulty.runs import _restored_environment, describe

from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.baked import bake_png, bake_svg
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import clr2_credential, ob3_achievement_credential
from lerconf.run.cli import EXIT_OK, main
from lerconf.run.runner import RunOptions, run

KEY = Signer.did_key(deterministic_key("artefact-issuer-e2e", "Ed25519"))
SUBJECT = "did:example:artefact-learner"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0\x80")) + chunk(b"IEND", b""))


@dataclass(frozen=True)
class Made:
    """What the bed signs once: a DI badge, an OB 3.0 VC-JWT badge and a CLR."""

    badge: dict[str, Any]
    jwt: str
    clr: dict[str, Any]


@pytest.fixture(scope="module")
def made(offline_settings: LoaderSettings) -> Made:
    processor = Processor(DocumentLoader(offline_settings))

    def badge(n: int) -> dict[str, Any]:
        return ob3_achievement_credential(KEY.controller, SUBJECT, credential_id=f"urn:uuid:7d4b1f0e-0000-4000-8000-00000000000{n}")

    signed = KEY.sign(badge(1), "eddsa-rdfc-2022", processor)
    inner = KEY.sign(badge(2), "eddsa-rdfc-2022", processor)
    clr = KEY.sign(clr2_credential(KEY.controller, SUBJECT, [inner], credential_id="urn:uuid:7d4b1f0e-0000-4000-8000-0000000000c1"),
                   "eddsa-rdfc-2022", processor)
    return Made(signed, sign_jwt(badge(3), KEY.key, KEY.verification_method, JwtEncoding.OB30), clr)


def _text(data: Any) -> bytes:
    return (data if isinstance(data, str) else json.dumps(data, indent=1, ensure_ascii=False)).encode()


def _compressed_png(payload: str) -> bytes:
    """A PNG whose iTXt chunk is compressed (OB-19 wants it uncompressed)."""
    image = _png()
    body = b"openbadgecredential\0\x01\x00\0\0" + zlib.compress(payload.encode())
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body) & 0xFFFFFFFF)
    return image[:33] + chunk + image[33:]


#: file name -> (what the file holds, made from the signed credentials; what the profile says it is)
Files = dict[str, tuple[Callable[[Made], bytes], dict[str, str]]]
CLEAN: Files = {
    "badge.json": (lambda m: _text(m.badge), {"type": "OpenBadgeCredential", "vc_version": "2.0",
                                              "securing": "eddsa-rdfc-2022", "status": "none", "baked": "no"}),
    "badge.jwt": (lambda m: _text(m.jwt), {"type": "OpenBadgeCredential", "securing": "ob30-vc-jwt"}),
    "badge.png": (lambda m: bake_png(_png(), json.dumps(m.badge)), {"baked": "png", "securing": "eddsa-rdfc-2022"}),
    "badge.svg": (lambda m: bake_svg(SVG, m.jwt).encode(), {"baked": "svg", "securing": "ob30-vc-jwt"}),
    "clr.json": (lambda m: _text(m.clr), {"type": "ClrCredential"}),
}


def _tampered(m: Made) -> bytes:
    badge = json.loads(json.dumps(m.badge))
    badge["credentialSubject"]["achievement"]["name"] = "Confined Space Entry — Level 3"  # after signing
    return _text(badge)


@dataclass(frozen=True)
class Fault:
    files: Files
    #: the rows that must fail: (requirement, form), and a word of the reason each must give
    fails: dict[tuple[str, str], str]


FAULTS = {
    "two-badges-in-one-file": Fault({"two.json": (lambda m: _text([m.badge, m.badge]), {})},
                                    {("OB-17", "badge JSON"): "array of 2", ("OB-12", "badge JSON"): "proof"}),
    "jws-in-a-json-file": Fault({"badge.json": (lambda m: _text(m.jwt), {})},
                                {("OB-17", "badge VC-JWT"): ".json file"}),
    "tampered-after-signing": Fault({"badge.json": (_tampered, {})},
                                    {("OB-12", "badge JSON"): "proof"}),
    "not-what-it-says": Fault({"badge.json": (lambda m: _text(m.badge), {"vc_version": "1.1", "securing": "ecdsa-rdfc-2019"})},
                              {("LCA-01", "badge JSON"): "said '1.1', is '2.0'"}),
    "compressed-png-chunk": Fault({"badge.png": (lambda m: _compressed_png(json.dumps(m.badge)), {})},
                                  {("OB-19", "baked PNG"): "compressed"}),
    "svg-without-namespace": Fault({"badge.svg": (lambda m: bake_svg(SVG, m.jwt).replace(
        ' xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"', "").replace("openbadges:credential", "credential").encode(), {})},
        {("OB-17", "baked SVG"): "no baked credential", ("OB-20", "baked SVG"): "xmlns:openbadges"}),
}


def _vendor(folder: Path, name: str, files: Files, m: Made) -> Path:
    folder.mkdir(parents=True)
    items = []
    for file_name, (content, said) in files.items():
        (folder / file_name).write_bytes(content(m))
        items.append({"path": file_name, **({"is": said} if said else {})})
    profile = folder / "vendor.yaml"
    profile.write_text(yaml.safe_dump({"name": name, "issuer": {"id": KEY.controller, "artefacts": items}}), encoding="utf-8")
    return profile


@pytest.fixture(scope="module")
def judged(made: Made, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One `lerconf run --role artefact_issuer` over the clean vendor and every faulty one."""
    root = tmp_path_factory.mktemp("artefact-issuers")
    profiles = [_vendor(root / "clean", "clean", CLEAN, made)]
    profiles += [_vendor(root / name, name, fault.files, made) for name, fault in FAULTS.items()]
    options = RunOptions(vendors=profiles, roles=["artefact_issuer"], tags="artefact_issuer", out=root / "reports",
                         preflight=False, offline=True)
    with _restored_environment():
        code, run_dir = run(options)
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    return {"code": code, "run_dir": run_dir, "scenarios": [s for s in results["scenarios"] if s["role"] == "artefact_issuer"]}


def _rows(judged: dict[str, Any], vendor: str) -> list[dict[str, Any]]:
    return [s for s in judged["scenarios"] if s["vendor"] == vendor]


def _key(scenario: dict[str, Any]) -> tuple[str, str]:
    form = scenario["example"].get("form") or scenario["name"].split('"')[0]
    if not scenario["example"]:  # the single-form scenarios (OB-19, OB-20, CLR-…, LER-…)
        form = next(f for f in ("baked PNG", "baked SVG", "CLR", "LER-RS") if f.split()[-1] in scenario["name"])
    return scenario["requirement_ids"][0], form


def test_the_clean_vendor_passes_every_row_of_what_it_delivered(judged: dict[str, Any]) -> None:
    rows = _rows(judged, "clean")
    wrong = [describe(s) for s in rows if s["status"] not in ("passed", "skipped")]
    assert not wrong, "\n".join(wrong)
    skipped = [s for s in rows if s["status"] == "skipped"]
    # the LER-RS rows (no résumé delivered), OB-18 (nothing delivered by URL) and rows that apply to no artefact
    assert all(s["reason"].startswith("not claimed: ") for s in skipped), [describe(s) for s in skipped]
    assert {_key(s)[1] for s in skipped if "delivered no" in s["reason"] and "by URL" not in s["reason"]} == {"LER-RS"}
    assert {_key(s)[0] for s in skipped if "by URL" in s["reason"]} == {"OB-18"}
    passed = {_key(s) for s in rows if s["status"] == "passed"}
    for expected in [("OB-17", "badge JSON"), ("OB-17", "baked PNG"), ("OB-19", "baked PNG"), ("OB-20", "baked SVG"),
                     ("OB-12", "badge VC-JWT"), ("OB-12", "CLR"), ("LCA-01", "badge JSON"), ("DI-07", "badge JSON"),
                     ("JC-04", "badge VC-JWT"), ("CLR-04", "CLR"), ("OB-09", "baked SVG")]:
        assert expected in passed, expected
    assert len(passed) >= 45


def test_the_clean_vendor_gets_a_full_report_naming_each_artefact(judged: dict[str, Any]) -> None:
    run_dir: Path = judged["run_dir"]
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "Each delivered credential carries a proof that verifies (baked SVG)" in html and "artefact_issuer" in html
    assert "/clean/badge.svg" in html  # the evidence names each artefact judged
    row = next(s for s in _rows(judged, "clean") if _key(s) == ("OB-12", "badge JSON"))
    kept = row["evidence"]["documents"]["artefacts"]
    assert kept[0]["artefact"].endswith("badge.json") and len(kept[0]["sha256"]) == 64
    assert kept[0]["described_as"]["securing"] == "eddsa-rdfc-2022"


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_faulty_vendor_fails_exactly_its_rows_for_its_reason(judged: dict[str, Any], fault: str) -> None:
    rows = _rows(judged, fault)
    assert rows, f"no scenario ran for {fault}"
    failed = {_key(s): s for s in rows if s["status"] == "failed"}
    expected = FAULTS[fault].fails
    assert set(failed) == set(expected), "\n".join(describe(s) for s in rows if s["status"] != "skipped")
    for key, word in expected.items():
        assert word in failed[key]["reason"], describe(failed[key])
    assert not [s for s in rows if s["status"] == "broken"], [describe(s) for s in rows if s["status"] == "broken"]
    assert judged["code"] != EXIT_OK


def test_lerconf_run_artefacts_judges_a_folder_without_a_profile(made: Made, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "badge.json").write_bytes(_text(made.badge))
    (folder / "badge.png").write_bytes(bake_png(_png(), made.jwt))
    (folder / ".DS_Store").write_bytes(b"\0\1")  # hidden: not an artefact
    with _restored_environment():
        code = main(["run", "--artefacts", str(folder), "--offline", "--no-preflight", "--out", str(tmp_path / "reports")])
    assert code == EXIT_OK
    results = json.loads(next((tmp_path / "reports").glob("*/results.json")).read_text(encoding="utf-8"))
    rows = [s for s in results["scenarios"] if s["role"] == "artefact_issuer"]
    assert {s["vendor"] for s in rows} == {"artefacts in export"}
    assert {_key(s) for s in rows if s["status"] == "passed"} >= {("OB-17", "badge JSON"), ("OB-19", "baked PNG"),
                                                                   ("OB-12", "baked PNG"), ("OB-14", "baked PNG")}
    assert not [s for s in rows if s["status"] in ("failed", "broken")]


def test_lerconf_run_artefacts_names_a_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--artefacts", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r")]) == 2
    assert "nowhere does not exist" in capsys.readouterr().err
