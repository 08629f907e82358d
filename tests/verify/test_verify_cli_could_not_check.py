"""Issue 12 (point 6): `lerconf verify` separates *could not check* from *failed*, in the text output,
in --json and in the exit code (0 verified, 1 failed, 2 usage, 3 could not check). Run in process."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import FIX_OFFLINE, DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.run.cli import EXIT_COULD_NOT_CHECK, EXIT_FAILED, EXIT_OK, build_parser, main

DID = "did:web:issuer.example"
WEB = Signer(deterministic_key("verify-cli-did-web", "Ed25519"), f"{DID}#key-1", DID)
KEY = Signer.did_key(deterministic_key("verify-cli-did-key", "Ed25519"))


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LERCONF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LERCONF_URL_MAP", raising=False)


@pytest.fixture(scope="module")
def files(offline_settings: LoaderSettings, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    processor = Processor(DocumentLoader(offline_settings))
    directory = tmp_path_factory.mktemp("verify-cli")
    good = KEY.sign(ob3_achievement_credential(KEY.controller), "eddsa-rdfc-2022", processor)
    tampered: dict[str, Any] = {**good, "name": "changed after signing"}
    unreachable = WEB.sign(ob3_achievement_credential(DID), "eddsa-rdfc-2022", processor)
    out = {}
    for name, doc in (("good", good), ("tampered", tampered), ("unreachable", unreachable)):
        out[name] = directory / f"{name}.json"
        out[name].write_text(json.dumps(doc), encoding="utf-8")
    return out


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["verify", "--offline", *argv])
    return code, capsys.readouterr().out


def test_a_verified_file_exits_0(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(files["good"]))
    assert code == EXIT_OK == 0 and "=> VERIFIED" in out and "could not check" not in out


def test_a_failed_file_exits_1(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(files["tampered"]))
    assert code == EXIT_FAILED == 1 and "=> NOT VERIFIED" in out and "could not check" not in out


def test_an_unreachable_key_could_not_be_checked_exit_3(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(files["unreachable"]))
    assert code == EXIT_COULD_NOT_CHECK == 3
    assert "could not check (lerconf got no answer; not a fault of the document):" in out
    assert f"DI-07     cannot resolve {DID}#key-1: cannot retrieve {DID}: " in out
    assert f"fix: {FIX_OFFLINE}" in out
    assert "=> COULD NOT BE CHECKED (not verified)" in out and "=> NOT VERIFIED" not in out
    assert "????  DI-07" in out and "FAIL  DI-07" not in out


def test_json_carries_the_outcome_and_what_could_not_be_checked(files: dict[str, Path],
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--json", str(files["unreachable"]), str(files["good"]))
    unreachable, good = (json.loads(line) for line in out.splitlines())
    assert code == EXIT_COULD_NOT_CHECK
    assert unreachable["verified"] is False and unreachable["outcome"] == "could-not-check"
    assert {c["requirement"] for c in unreachable["could_not_check"]} == {"CID-01", "DI-07"}
    assert all(c["fix"] == FIX_OFFLINE for c in unreachable["could_not_check"])
    assert good["outcome"] == "verified" and good["could_not_check"] == []


def test_a_failure_outweighs_a_could_not_check(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--json", str(files["unreachable"]), str(files["tampered"]))
    assert code == EXIT_FAILED
    assert [json.loads(line)["outcome"] for line in out.splitlines()] == ["could-not-check", "failed"]


def test_help_documents_every_exit_code() -> None:
    verify = build_parser()._subparsers._group_actions[0].choices["verify"]  # type: ignore[union-attr]
    text = verify.format_help()
    for line in ("0    every file is verified", "1    at least one file failed verification",
                 "2    usage or setup error", "3    no file failed, but at least one could not be checked"):
        assert line in text
