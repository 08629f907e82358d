"""`lerconf keygen`, and certificates whose --check-digests verifies wherever `report --sign` wrote them.

Two layouts: the certificate next to the run (``lerconf report RUN --sign KEY``) and written
elsewhere (``--out DIR``). In both, the directory holding the certificate verifies on its own;
a missing file names the directory to give.
"""
from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from _report_data import three_vendors, write_run

from lerconf.crypto.keys import decode_private_multikey
from lerconf.reports.certificate import load_key
from lerconf.run.cli import main


def _keygen(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[Path, str]:
    key = tmp_path / "key.json"
    assert main(["keygen", "--out", str(key), *extra]) == 0
    printed = capsys.readouterr()
    return key, printed.out.strip()


def _verify(capsys: pytest.CaptureFixture[str], certificate: Path, *dirs: Path) -> tuple[int, str]:
    capsys.readouterr()
    args = ["verify", str(certificate)]
    for d in dirs:
        args += ["--check-digests", str(d)]
    code = main(args)
    return code, capsys.readouterr().out


# -- keygen ---------------------------------------------------------------------------------------

def test_keygen_writes_a_private_key_file_readable_by_the_owner_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key, did = _keygen(tmp_path, capsys)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    document = json.loads(key.read_text(encoding="utf-8"))
    private = decode_private_multikey(document["privateKeyMultibase"])
    assert private.curve == "Ed25519" and document["cryptosuite"] == "eddsa-rdfc-2022"
    # the printed did:key is the key's, and the output never shows the private key
    assert did == f"did:key:{private.public.to_multikey()}" == document["controller"]
    assert did.startswith("did:key:z6Mk")
    assert load_key(key).public.to_multikey() == private.public.to_multikey()  # what `report --sign` reads


def test_keygen_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key, did = _keygen(tmp_path, capsys)
    before = key.read_bytes()
    assert main(["keygen", "--out", str(key)]) == 2
    err = capsys.readouterr().err
    assert "exists" in err and "--force" in err
    assert key.read_bytes() == before
    assert main(["keygen", "--out", str(key), "--force", "--suite", "ecdsa-rdfc-2019"]) == 0
    out = capsys.readouterr()
    assert key.read_bytes() != before and stat.S_IMODE(key.stat().st_mode) == 0o600
    replaced = json.loads(key.read_text(encoding="utf-8"))
    assert decode_private_multikey(replaced["privateKeyMultibase"]).curve == "P-256"
    assert out.out.strip() == replaced["controller"] != did and out.out.startswith("did:key:zDn")
    assert replaced["privateKeyMultibase"] not in out.out + out.err


@pytest.mark.parametrize("suite, cryptosuite", [("eddsa-rdfc-2022", "eddsa-rdfc-2022"), ("ecdsa-rdfc-2019", "ecdsa-rdfc-2019")])
def test_a_generated_key_signs_a_certificate_that_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          suite: str, cryptosuite: str) -> None:
    key, did = _keygen(tmp_path, capsys, "--suite", suite)
    run = write_run(tmp_path / "run", three_vendors())
    assert main(["report", str(run), "--sign", str(key)]) == 1  # Beta fails a MUST: the run's verdict
    certificate = json.loads((run / "certificate.json").read_text(encoding="utf-8"))
    assert certificate["issuer"] == did and certificate["proof"]["cryptosuite"] == cryptosuite
    assert certificate["proof"]["verificationMethod"].startswith(did + "#")
    code, out = _verify(capsys, run / "certificate.json", run)
    assert code == 0, out
    assert "=> VERIFIED" in out and "DIGEST MISMATCH" not in out


# -- the two layouts ------------------------------------------------------------------------------

@pytest.fixture
def key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return _keygen(tmp_path, capsys)[0]


def test_certificate_next_to_the_run_verifies_against_the_run(tmp_path: Path, key: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    run = write_run(tmp_path / "run", three_vendors())
    main(["report", str(run), "--sign", str(key)])
    assert sorted(p.name for p in run.iterdir()) == ["certificate.json", "report.html", "results.json"]  # no copies
    assert _verify(capsys, run / "certificate.json", run)[0] == 0
    results = run / "results.json"
    results.write_text(results.read_text(encoding="utf-8").replace('"failed"', '"passed"'), encoding="utf-8")
    code, out = _verify(capsys, run / "certificate.json", run)
    assert code == 1 and "results.json: changed since it was certified" in out


def test_certificate_written_elsewhere_verifies_against_its_own_directory(tmp_path: Path, key: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    run = write_run(tmp_path / "run", three_vendors())
    main(["report", str(run), "--baseline", str(run / "results.json")])  # the run's own report.html, another one
    out_dir = tmp_path / "signed"
    main(["report", str(run), "--sign", str(key), "--out", str(out_dir)])
    certificate = out_dir / "certificate.json"
    # the directory the certificate is in holds every file it signs
    assert (out_dir / "results.json").read_bytes() == (run / "results.json").read_bytes()
    code, out = _verify(capsys, certificate, out_dir)
    assert code == 0, out
    assert "DIGEST MISMATCH" not in out
    assert _verify(capsys, certificate, run, out_dir)[0] == 0  # the run and the certificate's directory together
    # the run directory alone holds the run's own report, not the certified one: say which directory to give
    code, out = _verify(capsys, certificate, run)
    assert code == 1
    assert f"give {out_dir}, the directory holding the certificate" in out
    # a copy edited after signing is caught
    copy = out_dir / "results.json"
    copy.write_text(copy.read_text(encoding="utf-8").replace('"failed"', '"passed"'), encoding="utf-8")
    code, out = _verify(capsys, certificate, out_dir)
    assert code == 1 and "results.json: changed since it was certified" in out


def test_missing_files_name_the_directory_to_give(tmp_path: Path, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = write_run(tmp_path / "run", three_vendors())
    out_dir = tmp_path / "signed"
    main(["report", str(run), "--sign", str(key), "--out", str(out_dir)])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, out = _verify(capsys, out_dir / "certificate.json", elsewhere)
    assert code == 1
    assert f"results.json of run 20260101T000000Z-1: missing (not in {elsewhere}); give {out_dir}" in out
    assert f"report.html: missing (not in {elsewhere}); give {out_dir}" in out


def test_several_runs_written_elsewhere_keep_every_certified_results_json(tmp_path: Path, key: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    first = write_run(tmp_path / "first", three_vendors())
    data = three_vendors()
    data["run"] = {**data["run"], "id": "20260102T000000Z-2"}
    second = write_run(tmp_path / "second", data)
    out_dir = tmp_path / "signed"
    main(["report", str(first), str(second), "--sign", str(key), "--out", str(out_dir)])
    assert (out_dir / "runs" / "first" / "results.json").is_file() and (out_dir / "runs" / "second" / "results.json").is_file()
    assert _verify(capsys, out_dir / "certificate.json", out_dir)[0] == 0
    (out_dir / "runs" / "second" / "results.json").unlink()
    code, out = _verify(capsys, out_dir / "certificate.json", out_dir)
    assert code == 1 and "results.json of run 20260102T000000Z-2: missing" in out
    assert _verify(capsys, out_dir / "certificate.json", out_dir, second)[0] == 0


def test_several_runs_certified_into_the_first_run_verify_against_it(tmp_path: Path, key: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    first = write_run(tmp_path / "first", three_vendors())
    data = three_vendors()
    data["run"] = {**data["run"], "id": "20260102T000000Z-2"}
    second = write_run(tmp_path / "second", data)
    main(["report", str(first), str(second), "--sign", str(key)])
    assert (first / "certificate.json").is_file() and (first / "runs" / "second" / "results.json").is_file()
    assert not (first / "runs" / "first").exists()  # the first run's own results.json is the certified one
    assert _verify(capsys, first / "certificate.json", first)[0] == 0
