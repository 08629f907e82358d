"""`lerconf verify --status-list-minimum N` end to end (issue 12, point 7): a badge whose status
list holds 100,000 entries, both signed by lerconf's own Add Proof and the list served through a
URL map, is refused by default (BSL-16, the spec's 131,072) and verified with the ecosystem's
minimum; a revoked bit is still a revocation under the lowered minimum."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.crypto.status_list import build_status_list_credential, encode_status_list
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.run.cli import main

SUITE = "eddsa-rdfc-2022"
ISSUER = Signer.did_key(deterministic_key("status-list-minimum-issuer", "Ed25519"))
LIST_URL = "https://status.ecosystem.example/lists/1"
REVOKED = 42


@pytest.fixture(scope="module")
def signed(offline_settings: LoaderSettings, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A clear badge, a revoked badge, their 100,000-entry list, and the URL map that serves it."""
    folder = tmp_path_factory.mktemp("ecosystem")
    processor = Processor(DocumentLoader(offline_settings))
    encoded = encode_status_list([REVOKED], length=100_000)
    status_list = build_status_list_credential(LIST_URL, encoded, "revocation", issuer=ISSUER.controller,
                                               valid_from="2025-01-01T00:00:00Z")
    (folder / "list.json").write_text(json.dumps(ISSUER.sign(status_list, SUITE, processor)), encoding="utf-8")
    (folder / "map.json").write_text(json.dumps({LIST_URL: "list.json"}), encoding="utf-8")
    out = {"map": folder / "map.json"}
    for name, index in (("clear", 7), ("revoked", REVOKED)):
        badge: dict[str, Any] = ob3_achievement_credential(ISSUER.controller, credential_id=f"urn:uuid:00000000-0000-4000-8000-{index:012d}")
        badge["credentialStatus"] = {"id": f"{LIST_URL}#{index}", "type": "BitstringStatusListEntry",
                                     "statusPurpose": "revocation", "statusListIndex": str(index),
                                     "statusListCredential": LIST_URL}
        path = folder / f"{name}.json"
        path.write_text(json.dumps(ISSUER.sign(badge, SUITE, processor)), encoding="utf-8")
        out[name] = path
    return out


def verify(signed: dict[str, Path], name: str, *extra: str) -> int:
    return main(["verify", "--offline", "--json", "--url-map", str(signed["map"]), *extra, str(signed[name])])


def bsl_16(capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    [check] = [c for c in report["checks"] if c["id"] == "BSL-16"]
    return report, check


def test_a_100000_entry_list_is_refused_by_default(signed: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = verify(signed, "clear")
    report, check = bsl_16(capsys)
    assert code == 1 and report["verified"] is False
    assert check["status"] == "failed"
    assert check["message"] == ("status list holds 100000 entries; at least 131072 are required "
                                "(the spec's default 131,072)")
    assert [e["code"] for e in report["errors"]] == ["STATUS_LIST_LENGTH_ERROR"]


def test_the_ecosystem_minimum_verifies_it(signed: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = verify(signed, "clear", "--status-list-minimum", "100000")
    report, check = bsl_16(capsys)
    assert report["errors"] == [] and report["verified"] is True and code == 0
    assert check["status"] == "passed"
    assert "ecosystem minimum 100000 set by --status-list-minimum" in check["message"]


def test_a_revoked_bit_is_still_read_under_the_lowered_minimum(signed: dict[str, Path],
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    code = verify(signed, "revoked", "--status-list-minimum", "100000")
    report, check = bsl_16(capsys)
    assert code == 1 and check["status"] == "passed"
    assert [c["id"] for c in report["checks"] if c["status"] == "failed"] == ["BSL-18"]


def test_a_minimum_above_the_lists_length_refuses_it(signed: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = verify(signed, "clear", "--status-list-minimum", "100008")
    _, check = bsl_16(capsys)
    assert code == 1 and check["status"] == "failed" and "at least 100008 are required" in check["message"]


@pytest.mark.parametrize(("value", "said"), [
    ("0", "must be at least 1 entry, got 0"),
    ("-3", "must be at least 1 entry, got -3"),
    ("1e5", "must be a whole number of entries, got '1e5'"),
    ("100000.0", "must be a whole number of entries"),
    ("131073", "131073 is above Bitstring Status List's default minimum of 131,072 entries"),
])
@pytest.mark.parametrize("command", ["verify", "run"])
def test_bad_values_are_refused_naming_the_option(command: str, value: str, said: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--status-list-minimum", value, *(["x.json"] if command == "verify" else [])])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "argument --status-list-minimum:" in err and said in err


def test_the_runs_engine_applies_the_harness_minimum(signed: dict[str, Path], offline_settings: LoaderSettings) -> None:
    """Scenarios verify through lerconf.scenarios.vcapi.verify, which carries the run's minimum."""
    from types import SimpleNamespace

    from lerconf.checks.status import ListMinimum
    from lerconf.documents.loader import load_url_map
    from lerconf.scenarios.vcapi import verify as scenario_verify
    from lerconf.verify.engine import Verifier

    settings = LoaderSettings(context_dirs=offline_settings.context_dirs, schema_dirs=offline_settings.schema_dirs,
                              cache_dir=offline_settings.cache_dir, offline=True, url_map=load_url_map(signed["map"]))
    badge = json.loads(signed["clear"].read_text(encoding="utf-8"))
    for minimum, verified in ((ListMinimum(), False), (ListMinimum(100_000, "vendor profile acme.yaml"), True)):
        harness: Any = SimpleNamespace(engine=Verifier(DocumentLoader(settings)), status_list_minimum=minimum)
        report = scenario_verify(harness, badge, "issued credential")
        assert report.verified is verified, [(r.requirement, r.message) for r in report.checks if r.is_failure]


def test_the_reference_verifier_applies_the_runs_minimum(signed: dict[str, Path], offline_settings: LoaderSettings) -> None:
    """lerconf playing a vendor's missing verifier (the embedded reference) judges by the run's minimum
    (the plugin sets it on the reference's state)."""
    import httpx

    from lerconf.checks.status import ListMinimum
    from lerconf.documents.loader import load_url_map
    from lerconf.refimpl.server import running_reference

    settings = LoaderSettings(context_dirs=offline_settings.context_dirs, schema_dirs=offline_settings.schema_dirs,
                              cache_dir=offline_settings.cache_dir, offline=True, url_map=load_url_map(signed["map"]))
    badge = json.loads(signed["clear"].read_text(encoding="utf-8"))
    with running_reference(settings=settings) as reference:
        answers = []
        for minimum in (ListMinimum(), ListMinimum(100_000, "vendor profile acme.yaml")):
            reference.state.status_list_minimum = minimum
            answer = httpx.post(f"{reference.base_url}/credentials/verify", json={"verifiableCredential": badge}, timeout=30)
            answers.append(answer.json())
    assert answers[0]["verified"] is False and "STATUS_LIST_LENGTH_ERROR" in json.dumps(answers[0])
    assert answers[1]["verified"] is True, answers[1]
