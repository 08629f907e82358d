"""The signed certification artefact: a Verifiable Credential about a conformance run.

A report is only as trustworthy as the file it came from. certificate.json is a VC (VCDM 2.0,
eddsa-rdfc-2022 or ecdsa-rdfc-2019, issuer a did:key derived from the signer's key) whose
subject is the vendor(s) and run(s): verdicts and pass rates per role, and the sha256 of every
results.json and of report.html. `lerconf verify certificate.json` checks the signature;
``--check-digests DIR`` also checks that the files on disk are the ones that were signed.

The certificate's directory holds every file it signs: report.html is written beside it, and a
certified results.json that lives elsewhere (``lerconf report RUN --sign KEY --out DIR``, or the
second run of a side-by-side report) is copied there too — as ``results.json`` for one run, as
``runs/<run directory>/results.json`` for several. So ``--check-digests`` of the directory the
certificate is in always verifies, and so does the run directory itself when the certificate
was written into it (the default).

Its terms are defined by an inline context object in @context (not left to the VC context's
@vocab), so a JSON-LD consumer reads lerconf's meaning, and lerconf's data-loss check passes.
"""
from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lerconf.crypto.keys import KeyDecodeError, PrivateKey, decode_private_multikey
from lerconf.crypto.signing import Signer
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.errors import LerconfError
from lerconf.reports.model import ReportData, sha256_file
from lerconf.runlog import load_results

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VOCAB = "urn:lerconf:vocab#"
CERTIFICATE_TYPE = "LerconfConformanceReport"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_TERMS = ("conformanceResult", "vendor", "vendorName", "vendorVersion", "roleResult", "role", "verdict",
          "mustPassRate", "shouldPassRate", "passedCount", "failedCount", "brokenCount", "notClaimedCount",
          "specMode", "ecosystemProfile", "judgedBy", "run", "runId", "runComplete", "lerconfVersion", "resultsSha256", "reportSha256",
          "regressionCount",
          "statusListMinimumEntries", "statusListMinimumSource", "requirementsDigest", "featuresDigest", "scenariosRunDigest")
_TYPES = ("LerconfConformanceReport", "LerconfConformanceResult", "LerconfVendorResult", "LerconfRoleResult",
          "LerconfRun")
#: the inline context: every term this credential uses, in lerconf's own vocabulary
CONTEXT: dict[str, Any] = {
    "lerconf": VOCAB,
    **{t: f"lerconf:{t}" for t in _TYPES},
    **{t: {"@id": f"lerconf:{t}"} for t in _TERMS},
    "runStarted": {"@id": "lerconf:runStarted", "@type": f"{_XSD}dateTime"},
    "runFinished": {"@id": "lerconf:runFinished", "@type": f"{_XSD}dateTime"},
}
SUITE_FOR_CURVE = {"Ed25519": "eddsa-rdfc-2022", "P-256": "ecdsa-rdfc-2019", "P-384": "ecdsa-rdfc-2019"}


def load_key(path: Path) -> PrivateKey:
    """A private Multikey from a JSON file ``{"privateKeyMultibase": "z..."}`` (`lerconf keygen` writes one)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        return decode_private_multikey(raw["privateKeyMultibase"])
    except OSError as exc:
        raise LerconfError(f"signing key {path}: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, KeyDecodeError) as exc:
        # never echo the file: it holds a private key
        raise LerconfError(f"signing key {path}: expected JSON {{\"privateKeyMultibase\": \"z...\"}} "
                           f"holding an Ed25519, P-256 or P-384 private Multikey ({type(exc).__name__}); "
                           "`lerconf keygen --out KEYFILE` makes one") from None


def _rate(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def _digest_terms(run_dir: Path) -> dict[str, str]:
    """What the run judged against (results.json run.digests, lerconf.reports.digests): the SHA-256 of the
    requirement set, of the shipped scenarios and of those the run selected; {} for a run without them."""
    try:
        digests = (load_results(Path(run_dir) / "results.json").get("run") or {}).get("digests")
    except (OSError, ValueError, LerconfError):
        return {}
    if not isinstance(digests, Mapping):
        return {}
    terms = {"requirementsDigest": digests.get("requirements"), "featuresDigest": digests.get("features"),
             "scenariosRunDigest": digests.get("ran")}
    return {k: str(v) for k, v in terms.items() if isinstance(v, str) and v}


def subject(data: ReportData, report_sha256: str, regressions: int | None) -> dict[str, Any]:
    """What the certificate asserts: per vendor and role the verdict and rates, and the file digests."""
    vendors = []
    summaries = data.summaries()
    for v in data.vendors:
        roles = []
        for r in (s for s in summaries if s.vendor == v.name):
            c = r.counts
            entry: dict[str, Any] = {"type": "LerconfRoleResult", "role": r.role, "verdict": r.verdict,
                                     "passedCount": c.passed, "failedCount": c.failed, "brokenCount": c.broken,
                                     "notClaimedCount": c.skipped}
            if r.draft_only:  # a pre-final protocol mode: stated, so nobody reads it as final-spec conformance
                entry["specMode"] = "draft-only"
            if r.ecosystem:  # an ecosystem profile's row: conformance to that profile, not to the specifications
                entry["ecosystemProfile"] = r.ecosystem
            if r.attested:  # what an operator reported a person saw: its own row, never an automated verdict
                entry["judgedBy"] = "attested"
            for key, rate in (("mustPassRate", _rate(r.must.rate)), ("shouldPassRate", _rate(r.should.rate))):
                if rate is not None:
                    entry[key] = rate
            roles.append(entry)
        vendor: dict[str, Any] = {"type": "LerconfVendorResult", "vendorName": v.name, "runId": v.run_id,
                                  "roleResult": roles}
        if v.version:
            vendor["vendorVersion"] = v.version
        vendors.append(vendor)
    runs = []
    for info in data.runs:
        run: dict[str, Any] = {"type": "LerconfRun", "runId": info.id, "runComplete": info.complete,
                               "lerconfVersion": info.lerconf_version, "resultsSha256": info.results_sha256}
        for key, value in (("runStarted", info.started), ("runFinished", info.finished)):
            if value:
                run[key] = value
        if info.lowered_status_list_minimum is not None:  # an ecosystem minimum below BSL's 131,072 (BSL-16)
            run["statusListMinimumEntries"] = info.lowered_status_list_minimum
            run["statusListMinimumSource"] = str(info.status_list_minimum.get("source") or "")
        run.update(_digest_terms(info.path))
        runs.append(run)
    result: dict[str, Any] = {"type": "LerconfConformanceResult", "vendor": vendors, "run": runs,
                              "reportSha256": report_sha256}
    if regressions is not None:
        result["regressionCount"] = regressions
    return result


def issue(data: ReportData, report_path: Path, key: PrivateKey, *, regressions: int | None = None,
          now: datetime | None = None) -> dict[str, Any]:
    """Sign the certificate with `key` (issuer: its did:key); refuses undefined terms (data loss)."""
    suite = SUITE_FOR_CURVE.get(key.curve)
    if suite is None:
        raise LerconfError(f"cannot sign a certificate with a {key.curve} key")
    signer = Signer.did_key(key)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    vendors = ", ".join(data.vendor_names) or "no vendor"
    credential = {
        "@context": [VC_V2, CONTEXT],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", CERTIFICATE_TYPE],
        "issuer": signer.controller,
        "validFrom": now.isoformat().replace("+00:00", "Z"),
        "name": f"lerconf conformance report: {vendors}",
        "credentialSubject": subject(data, sha256_file(report_path), regressions),
    }
    processor = Processor(DocumentLoader(LoaderSettings.from_env()))
    return signer.sign(credential, suite, processor)


#: where a certificate's directory keeps copies of the certified results.json of several runs
RUNS_DIR = "runs"


def write_certificate(data: ReportData, run_dirs: Sequence[Path], report_path: Path, key: PrivateKey, *,
                      regressions: int | None = None) -> Path:
    """Sign and write certificate.json beside `report_path`, with a copy of every certified
    results.json that is not already there (see the module docstring); returns its path."""
    target = report_path.parent
    cert = issue(data, report_path, key, regressions=regressions)
    keep_results_beside(data, run_dirs, target)
    path = target / "certificate.json"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(cert, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def keep_results_beside(data: ReportData, run_dirs: Sequence[Path], target: Path) -> list[Path]:
    """Copy each run's results.json into `target` unless `target` is that run's directory.

    One run: ``target/results.json`` (unless `target` is another run's directory, which keeps its
    own); several: ``target/runs/<run directory name>/results.json``. Each copy is checked against
    the digest the certificate signs. Returns the copies written.
    """
    runs = [(Path(d), info) for d, info in zip(run_dirs, data.runs, strict=True)]
    elsewhere = [(d, info) for d, info in runs if not _same_dir(d, target)]
    copies: list[Path] = []
    used: set[str] = set()
    for source_dir, info in elsewhere:
        if len(runs) == 1 and not _is_run_dir(target):
            copy = target / "results.json"
        else:
            name = source_dir.resolve().name or info.id or "run"
            base, n = name, 1
            while name in used:
                n += 1
                name = f"{base}-{n}"
            used.add(name)
            copy = target / RUNS_DIR / name / "results.json"
        copy.parent.mkdir(parents=True, exist_ok=True)
        tmp = copy.with_name(copy.name + ".tmp")
        shutil.copyfile(source_dir / "results.json", tmp)
        if sha256_file(tmp) != info.results_sha256:
            tmp.unlink()
            raise LerconfError(f"{source_dir / 'results.json'} changed while the certificate was being written")
        tmp.replace(copy)
        copies.append(copy)
    return copies


def _same_dir(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _is_run_dir(directory: Path) -> bool:
    """A run directory of its own (its results.json is not a copy lerconf may replace)."""
    return any((directory / name).exists() for name in ("results.jsonl", "allure-results", "junit.xml"))


def check_digests(certificate: Mapping[str, Any], run_dirs: Sequence[Path],
                  certificate_dir: Path | None = None) -> list[str]:
    """Problems found comparing the files in `run_dirs` with the digests the certificate signs.

    Every certified results.json must be found in one of the directories (as ``results.json`` or
    a copy under ``runs/``), a directory's own results.json must be a certified one, and the
    certified report.html must be found in one of them. `certificate_dir` (where the certificate
    file is) only makes the messages say which directory to give.
    """
    subj = certificate.get("credentialSubject")
    subj = subj[0] if isinstance(subj, list) and subj else subj
    if not isinstance(subj, Mapping) or CERTIFICATE_TYPE not in (certificate.get("type") or []):
        return ["not a lerconf conformance certificate"]
    runs = subj.get("run") or []
    runs = runs if isinstance(runs, list) else [runs]
    certified = {r.get("resultsSha256"): r.get("runId") for r in runs if isinstance(r, Mapping)}
    where = ", ".join(str(d) for d in run_dirs)
    give = (f"give {certificate_dir}, the directory holding the certificate" if certificate_dir is not None
            else "give the directory holding the certificate")
    problems: list[str] = []
    found: set[Any] = set()
    changed_copies: list[Path] = []
    reports: list[Path] = []
    report_ok = False
    for d in map(Path, run_dirs):
        if not d.is_dir():
            problems.append(f"{d}: {'not a directory' if d.exists() else 'no such directory'}")
            continue
        own = d / "results.json"
        for results in [own, *sorted(d.glob(f"{RUNS_DIR}/*/results.json"))]:
            if not results.is_file():
                continue
            digest = sha256_file(results)
            if digest in certified:
                found.add(digest)
            elif results == own:
                problems.append(f"{results}: changed since it was certified (sha256 differs)")
            else:
                changed_copies.append(results)
        report = d / "report.html"
        if report.is_file():
            reports.append(report)
        # the certified report is report.html, or the name given to `lerconf report --out NAME.html`
        report_ok |= any(sha256_file(page) == subj.get("reportSha256") for page in sorted(d.glob("*.html")))
    for certified_sha, run_id in certified.items():
        if certified_sha not in found:
            problems.extend(f"{copy}: changed since it was certified (sha256 differs)" for copy in changed_copies)
            changed_copies = []
            if certificate_dir is not None and any(_same_dir(Path(d), certificate_dir) for d in run_dirs):
                fix = f"give run {run_id}'s own run directory too"  # a certificate written before the copies
            else:
                fix = (f"{give} (lerconf report --sign keeps a copy of every certified results.json there) "
                       "or the run's own directory")
            problems.append(f"results.json of run {run_id}: missing (not in {where}); {fix}")
    if not report_ok:
        for report in reports:
            if certificate_dir is not None and not _same_dir(report.parent, certificate_dir):
                problems.append(f"{report}: not the certified report.html (sha256 differs), which lerconf report "
                                f"wrote beside the certificate: {give}")
            else:
                problems.append(f"{report}: changed since it was certified (sha256 differs)")
        if not reports:
            problems.append(f"report.html: missing (not in {where}); {give} (lerconf report writes report.html "
                            "beside the certificate)")
    return problems
