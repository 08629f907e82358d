"""Cross-vendor runs: two vendors (two reference instances under other names) are paired by
their claims, and the interop scenarios carry both vendors."""
from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import shared_env
from lerconf.profile.load import parse_profile
from lerconf.refimpl import running_reference
from lerconf.refimpl.keys import ReferenceKeys, did_web_id
from lerconf.scenarios.interop import cases

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _profile(data: dict[str, Any], **changes: Any) -> Any:
    return parse_profile({**data, **changes}, "test")


BASE = {
    "issuer": {"issue_url": "http://a.example/issue", "status_url": "http://a.example/status", "id": "did:example:a",
               "claims": {"vc_versions": ["2.0", "1.1"], "securing": ["eddsa-rdfc-2022", "ecdsa-rdfc-2019"], "status": ["BitstringStatusList"]}},
    "verifier": {"verify_credential_url": "http://a.example/verify", "verify_presentation_url": "http://a.example/pv",
                 "claims": {"vc_versions": ["2.0"], "securing": ["eddsa-rdfc-2022"]}},
    "holder": {"present_url": "http://a.example/present", "claims": {"securing": ["eddsa-rdfc-2022"]}},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_cases_are_generated_from_shared_claims() -> None:
    a = _profile(BASE, name="A")
    b = _profile({"verifier": {**BASE["verifier"], "claims": {"vc_versions": ["2.0", "1.1"], "securing": ["ecdsa-rdfc-2019", "eddsa-rdfc-2022"]}}}, name="B")
    credential = list(cases([a, b], "credential"))
    # A issues to B: both suites, both versions B verifies; B has no issuer; A does not verify its own
    assert {(c.issuer, c.verifier, c.securing, c.vc_version) for c in credential} == {
        ("A", "B", s, v) for s in ("eddsa-rdfc-2022", "ecdsa-rdfc-2019") for v in ("2.0", "1.1")}
    assert [(c.holder, c.verifier) for c in cases([a, b], "presentation")] == [("A", "B")]
    lifecycle = list(cases([a, b], "lifecycle"))
    assert [(c.issuer, c.holder, c.verifier) for c in lifecycle] == [("A", None, "B")]
    assert not list(cases([a], "credential")), "one vendor has nobody to interoperate with"


def test_selective_disclosure_cases_chain_an_issuer_a_holder_and_a_verifier() -> None:
    """A base proof is never sent to a verifier as issued (a verifier must refuse it): a "disclosure" case
    has a holder derive first, a third vendor's holder that names a derive_url for the suite, else lerconf."""
    sd = ["ecdsa-sd-2023", "bbs-2023"]
    issuer = _profile({"issuer": {**BASE["issuer"], "claims": {**BASE["issuer"]["claims"], "securing": ["eddsa-rdfc-2022", *sd]}}},
                      name="Issuer")
    verifier = _profile({"verifier": {**BASE["verifier"], "claims": {"vc_versions": ["2.0"], "securing": ["bbs-2023"]}}},
                        name="Verifier")
    holder = _profile({"holder": {"present_url": "http://h.example/p", "derive_url": "http://h.example/derive",
                                  "claims": {"securing": sd}}}, name="Holder")
    two = list(cases([issuer, verifier], "disclosure"))
    assert [(c.issuer, c.holder, c.verifier, c.securing) for c in two] == [("Issuer", None, "Verifier", "bbs-2023")]
    three = list(cases([issuer, verifier, holder], "disclosure"))
    assert [(c.issuer, c.holder, c.verifier, c.securing) for c in three] == [("Issuer", "Holder", "Verifier", "bbs-2023")]
    assert not [c for c in cases([issuer, verifier], "credential") if c.securing in sd], "no base proof to a verifier"
    no_derive = _profile({"holder": {"present_url": "http://h.example/p", "claims": {"securing": sd}}}, name="Holder")
    assert [c.holder for c in cases([issuer, verifier, no_derive], "disclosure")] == [None]


@pytest.fixture(scope="module")
def two_vendors(tmp_path_factory: pytest.TempPathFactory, offline_settings: Any) -> Iterator[tuple[list[Path], Path]]:
    """Two reference instances that, like vendors on one test machine, may reach loopback and
    know each other's did:web documents (did:web is HTTPS-only; they speak HTTP)."""
    folder = tmp_path_factory.mktemp("vendors")
    ports = [_free_port(), _free_port()]
    url_map: dict[str, Path] = {}
    for port in ports:
        doc = folder / f"did-{port}.json"
        doc.write_text(json.dumps(ReferenceKeys.for_issuer(did_web_id("127.0.0.1", port)).did_document()))
        url_map[f"https://127.0.0.1:{port}/.well-known/did.json"] = doc
    settings = dataclasses.replace(offline_settings, url_map=url_map, allow_private_addresses=True)
    with running_reference(port=ports[0], settings=settings) as a, running_reference(port=ports[1], settings=settings) as b:
        paths, url_map = [], {}
        for name, ref in (("Vendor A", a), ("Vendor B", b)):
            text = (REPO / "fixtures/vendors/reference.yaml").read_text().replace("${LERCONF_REFERENCE_PORT}", str(ref.port))
            text = text.replace("name: lerconf reference implementation", f"name: {name}")
            if name == "Vendor B":  # one wallet for every scenario (the reference's adapter could keep them apart)
                text = text.replace("  isolation: scenario", "  isolation: none")
            path = folder / f"{name.split()[1].lower()}.yaml"
            path.write_text(text)
            paths.append(path)
            url_map.update({url: str(p) for url, p in ref.url_map.items()})
        map_file = folder / "map.json"
        map_file.write_text(json.dumps(url_map))
        yield paths, map_file


def _selection(two_vendors: tuple[list[Path], Path], role: str = "holder") -> list[str]:
    """Both vendors, one role (the interop scenarios run whatever --role says)."""
    paths, url_map = two_vendors
    return ["--url-map", str(url_map), "--role", role, *(a for p in paths for a in ("--vendor", str(p)))]


@pytest.fixture(scope="module")
def two_vendor_run(two_vendors: tuple[list[Path], Path],
                   tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One unsharded two-vendor run of the holders (read-only): the run the three shards of the
    sharding test, merged, must equal; the pairing test judges its interop cases too. Its --out directory."""
    out = tmp_path_factory.mktemp("two-vendors")
    return _lerconf("run", "--out", str(out), *_selection(two_vendors), cwd=out), out


@pytest.fixture(scope="module")
def two_verifier_run(two_vendors: tuple[list[Path], Path],
                     tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Two vendors' verifier scenarios in one run (not shared with the shards: three concurrent shard
    processes each serve lerconf's did:web with its own test CA, which one vendor cannot trust at once)."""
    out = tmp_path_factory.mktemp("two-verifiers")
    return _lerconf("run", "--out", str(out), *_selection(two_vendors, "verifier"), cwd=out), out


def test_two_vendor_run_pairs_them_and_records_both(two_verifier_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    done, out = two_verifier_run
    assert (out / "latest").exists(), done.stdout[-2000:] + done.stderr[-3000:]
    results = json.loads((out / "latest" / "results.json").read_text())
    bad = [(s["vendor"], s["name"], s["status"], s["reason"][:200]) for s in results["scenarios"] if s["status"] in ("failed", "broken")]
    assert done.returncode == 0, (bad, done.stderr[-2000:])
    interop = [s for s in results["scenarios"] if s.get("interop")]
    pairs = {(s["interop"]["kind"], s["interop"]["issuer"], s["interop"]["holder"], s["interop"]["verifier"]) for s in interop}
    assert ("credential", "Vendor A", None, "Vendor B") in pairs and ("credential", "Vendor B", None, "Vendor A") in pairs
    assert ("presentation", None, "Vendor A", "Vendor B") in pairs and ("lifecycle", "Vendor B", None, "Vendor A") in pairs
    assert all(s["status"] == "passed" for s in interop)
    # each vendor's own verifier scenarios ran too
    mine = [s for s in results["scenarios"] if not s.get("interop") and s["role"] == "verifier" and s["status"] == "passed"]
    assert {s["vendor"] for s in mine} == {"Vendor A", "Vendor B"}
    # the report's interop matrix shows both directions, with the variants used
    from lerconf.reports import build, build_matrices

    run_dir = (out / "latest").resolve()
    matrices = build_matrices(build([run_dir]))
    issued = matrices["issuer-verifier"]
    for row, column in (("Vendor A", "Vendor B"), ("Vendor B", "Vendor A")):
        cell = issued.cell(row, column)
        assert cell is not None and cell.status == "passed", (row, column)
        assert "eddsa-rdfc-2022 / VC 2.0" in cell.variants and "ecdsa-rdfc-2019 / VC 1.1" in cell.variants
    held = matrices["holder-verifier"].cell("Vendor A", "Vendor B")
    assert held is not None and held.status == "passed"
    assert (run_dir / "report.html").is_file()


def _lerconf(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lerconf.run.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "CI": "true", **shared_env()})


def test_three_shards_merged_equal_the_unsharded_run(two_vendors: tuple[list[Path], Path],
                                                     two_vendor_run: tuple[subprocess.CompletedProcess[str], Path],
                                                     tmp_path: Path) -> None:
    """`lerconf run --shard I/3` three times (as three CI jobs would), then `lerconf report` on the
    three run directories: one results.json with the same scenarios, verdicts, reasons, order and
    digests as one unsharded run (the module's two-vendor run, same selection); every interop
    scenario's pairs ran in one shard, and what uses a wallet without isolation (Vendor B's: its wallet
    scenarios, the OpenID cases handing it a badge) in one shard, while Vendor A's wallet, whose adapter
    keeps scenarios apart, is dealt scenario by scenario."""
    common = _selection(two_vendors)
    whole, whole_out = two_vendor_run
    assert whole.returncode == 0, whole.stdout[-3000:] + whole.stderr[-2000:]
    jobs = [subprocess.Popen([sys.executable, "-m", "lerconf.run.cli", "run", "--out", str(tmp_path / f"shard{i}"),
                              "--shard", f"{i}/3", *common], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, env={**os.environ, "CI": "true", **shared_env()}) for i in (1, 2, 3)]
    for job in jobs:  # at once, as the jobs of a CI matrix
        output, _ = job.communicate(timeout=600)
        assert job.returncode == 0, output[-3000:]
    shard_dirs = [(tmp_path / f"shard{i}" / "latest").resolve() for i in (1, 2, 3)]
    assert _lerconf("keygen", "--out", str(tmp_path / "key.json"), cwd=tmp_path).returncode == 0
    merged = _lerconf("report", *map(str, shard_dirs), "--out", str(tmp_path / "merged"), "--sign", str(tmp_path / "key.json"),
                      cwd=tmp_path)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    certified = _lerconf("verify", str(tmp_path / "merged" / "certificate.json"), "--check-digests", str(tmp_path / "merged"),
                         cwd=tmp_path)
    assert certified.returncode == 0 and "VERIFIED" in certified.stdout, certified.stdout[-2000:] + certified.stderr

    expected = json.loads((whole_out / "latest" / "results.json").read_text())
    got = json.loads((tmp_path / "merged" / "results.json").read_text())
    verdicts = [(s["id"], s["status"], s["reason"]) for s in expected["scenarios"]]
    assert [(s["id"], s["status"], s["reason"]) for s in got["scenarios"]] == verdicts
    assert got["run"]["digests"] == expected["run"]["digests"] and got["run"]["selection"] == expected["run"]["selection"]
    assert [s["index"] for s in got["run"]["shards"]] == [1, 2, 3] and got["run"]["complete"]
    assert (tmp_path / "merged" / "junit.xml").is_file() and (tmp_path / "merged" / "report.html").is_file()

    shards = [json.loads((d / "results.json").read_text())["scenarios"] for d in shard_dirs]
    ran = [{s["id"] for s in scenarios if s["status"] != "skipped"} for scenarios in shards]
    assert all(ran), "every shard runs a part of the selection"
    assert not (ran[0] & ran[1]) and not (ran[0] & ran[2]) and not (ran[1] & ran[2]), "a scenario ran in two shards"
    # an interop scenario's pairs stay in one shard; an OpenID case (issuer → wallet → verifier) goes with
    # every other case and scenario that uses its wallet instead: one wallet, one shard (two shards filling
    # and resetting one wallet at once empty each other's: seen, a wallet answering access_denied for the
    # badge it had just stored); different wallets may be in different shards
    interop_names = {s["name"] for s in expected["scenarios"] if s.get("interop") and not s["interop"].get("wallet")}
    assert interop_names, "the selection holds interop scenarios"
    for name in interop_names:
        holding = [i for i, scenarios in enumerate(shards) if any(s["name"] == name for s in scenarios)]
        assert len(holding) == 1, f"{name!r} was split over shards {holding}"
    wallets = {s["interop"]["wallet"] for s in expected["scenarios"] if (s.get("interop") or {}).get("wallet")}
    assert wallets == {"Vendor A", "Vendor B"}, "the selection holds OpenID interop cases into both wallets"
    holding = {wallet: [i for i, scenarios in enumerate(shards) if any(s["status"] != "skipped" and (
        (s.get("interop") or {}).get("wallet") == wallet or (s["vendor"] == wallet and s["role"] == "wallet"))
        for s in scenarios)] for wallet in wallets}
    assert len(holding["Vendor B"]) == 1, f"what uses Vendor B's wallet was split over shards {holding['Vendor B']}"
    assert len(holding["Vendor A"]) >= 2, f"Vendor A's isolated wallet stayed in shards {holding['Vendor A']}"


def test_an_incomplete_set_of_shards_is_refused(tmp_path: Path) -> None:
    """Merging shards 1 and 3 of 3 would silently report a third of the run as never run: refused, exit 2."""
    from lerconf.errors import LerconfError
    from lerconf.runlog import RunLog
    from lerconf.shards import merge_shards

    dirs = []
    for index in (1, 3):
        log = RunLog.start(tmp_path / f"s{index}", run_id=f"s{index}", command=[], vendors=[{"name": "A"}])
        log.run["shard"] = {"index": index, "total": 3, "scenarios": 0, "of": 0}
        log.finish()
        dirs.append(tmp_path / f"s{index}")
    with pytest.raises(LerconfError, match=r"shard\(s\) 2/3 missing"):
        merge_shards(dirs, tmp_path / "merged")
    done = _lerconf("report", *map(str, dirs), cwd=tmp_path)
    assert done.returncode == 2 and "2/3 missing" in done.stderr
    assert not (tmp_path / "s1-merged").exists()
