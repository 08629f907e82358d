"""certificate.json: a signed VC about the run that `lerconf verify` verifies, digests included."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _report_data import three_vendors, write_run

from lerconf.crypto.keys import generate
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.errors import LerconfError
from lerconf.reports import check_digests, write_report
from lerconf.reports.certificate import CERTIFICATE_TYPE, VOCAB
from lerconf.run.cli import main


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Path, dict]:
    key = generate("Ed25519")
    keyfile = tmp_path / "key.json"
    keyfile.write_text(json.dumps({"privateKeyMultibase": key.to_multikey()}), encoding="utf-8")
    run = write_run(tmp_path / "run", three_vendors())
    outcome = write_report([run], sign=keyfile)
    assert outcome.certificate == run / "certificate.json"
    return run, json.loads(outcome.certificate.read_text(encoding="utf-8"))


def test_certificate_content(signed: tuple[Path, dict]) -> None:
    run, cert = signed
    assert cert["type"] == ["VerifiableCredential", CERTIFICATE_TYPE]
    assert cert["issuer"].startswith("did:key:z6Mk")
    assert cert["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    subject = cert["credentialSubject"]
    beta = next(v for v in subject["vendor"] if v["vendorName"] == "Beta")
    issuer = next(r for r in beta["roleResult"] if r["role"] == "issuer")
    assert issuer["verdict"] == "not conformant" and issuer["mustPassRate"] == 0.6667
    assert subject["run"][0]["resultsSha256"] == __import__("hashlib").sha256((run / "results.json").read_bytes()).hexdigest()
    assert "privateKeyMultibase" not in json.dumps(cert)


def test_every_term_is_defined_by_the_inline_context(signed: tuple[Path, dict]) -> None:
    """No term falls back to the VC context's issuer-dependent @vocab: lerconf defines them all."""
    _, cert = signed
    processor = Processor(DocumentLoader(LoaderSettings.from_env()))
    expansion = processor.expand({k: v for k, v in cert.items() if k != "proof"})
    assert expansion.lossless
    text = expansion.nquads
    assert "issuer-dependent" not in text
    assert VOCAB + "mustPassRate" in text and VOCAB + "resultsSha256" in text


def test_lerconf_verify_accepts_it_and_checks_digests(signed: tuple[Path, dict], capsys: pytest.CaptureFixture[str]) -> None:
    run, _ = signed
    cert = str(run / "certificate.json")
    assert main(["verify", cert]) == 0
    assert main(["verify", cert, "--check-digests", str(run)]) == 0
    assert check_digests(json.loads((run / "certificate.json").read_text()), [run]) == []
    capsys.readouterr()
    results = run / "results.json"
    results.write_text(results.read_text(encoding="utf-8").replace('"failed"', '"passed"'), encoding="utf-8")
    assert main(["verify", cert, "--check-digests", str(run)]) == 1
    assert "results.json: changed since it was certified" in capsys.readouterr().out


def test_changed_report_or_certificate_fails(signed: tuple[Path, dict], capsys: pytest.CaptureFixture[str]) -> None:
    run, cert = signed
    report = run / "report.html"
    report.write_text(report.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    assert any("report.html: changed" in p for p in check_digests(cert, [run]))
    cert["credentialSubject"]["vendor"][1]["roleResult"][0]["verdict"] = "conformant"
    (run / "tampered.json").write_text(json.dumps(cert), encoding="utf-8")
    assert main(["verify", str(run / "tampered.json")]) == 1


def test_bad_key_file_is_a_setup_error_that_does_not_echo_the_key(tmp_path: Path) -> None:
    keyfile = tmp_path / "key.json"
    keyfile.write_text(json.dumps({"privateKeyMultibase": "zNOTAKEYsecretish"}), encoding="utf-8")
    run = write_run(tmp_path / "run", three_vendors())
    with pytest.raises(LerconfError) as info:
        write_report([run], sign=keyfile)
    assert "secretish" not in str(info.value)
    assert not (run / "report.html").exists()  # nothing written before the key is known good


def test_draft_only_role_result_says_so(tmp_path: Path) -> None:
    from _report_data import results, scenario, vendor

    key = generate("Ed25519")
    keyfile = tmp_path / "key.json"
    keyfile.write_text(json.dumps({"privateKeyMultibase": key.to_multikey()}), encoding="utf-8")
    run = write_run(tmp_path / "run", results([vendor("A", roles=())], [
        scenario("draft", "A", role="oid4vci_issuer", req="VCI-02", spec_mode="draft-only: OID4VCI draft 13")]))
    cert = json.loads(write_report([run], sign=keyfile).certificate.read_text(encoding="utf-8"))
    (role,) = cert["credentialSubject"]["vendor"][0]["roleResult"]
    assert (role["role"], role["verdict"], role["specMode"]) == ("oid4vci_issuer", "draft-only: conformant", "draft-only")
    assert main(["verify", str(run / "certificate.json")]) == 0
