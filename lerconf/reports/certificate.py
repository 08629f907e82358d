"""The signed certification artefact: a Verifiable Credential about a conformance run.

A report is only as trustworthy as the file it came from. certificate.json is a VC (VCDM 2.0,
eddsa-rdfc-2022 or ecdsa-rdfc-2019, issuer a did:key derived from the signer's key) whose
subject is the vendor(s) and run(s): verdicts and pass rates per role, and the sha256 of every
results.json and of report.html. `lerconf verify certificate.json` checks the signature;
``--check-digests RUN_DIR`` also checks that the files on disk are the ones that were signed.

Its terms are defined by an inline context object in @context (not left to the VC context's
@vocab), so a JSON-LD consumer reads lerconf's meaning, and lerconf's data-loss check passes.
"""
from __future__ import annotations

import json
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

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VOCAB = "urn:lerconf:vocab#"
CERTIFICATE_TYPE = "LerconfConformanceReport"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_TERMS = ("conformanceResult", "vendor", "vendorName", "vendorVersion", "roleResult", "role", "verdict",
          "mustPassRate", "shouldPassRate", "passedCount", "failedCount", "brokenCount", "notClaimedCount",
          "specMode", "run", "runId", "runComplete", "lerconfVersion", "resultsSha256", "reportSha256", "regressionCount")
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
    """A private Multikey from a JSON file ``{"privateKeyMultibase": "z..."}``."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        return decode_private_multikey(raw["privateKeyMultibase"])
    except OSError as exc:
        raise LerconfError(f"signing key {path}: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, KeyDecodeError) as exc:
        # never echo the file: it holds a private key
        raise LerconfError(f"signing key {path}: expected JSON {{\"privateKeyMultibase\": \"z...\"}} "
                           f"holding an Ed25519, P-256 or P-384 private Multikey ({type(exc).__name__})") from None


def _rate(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


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


def check_digests(certificate: Mapping[str, Any], run_dirs: Sequence[Path]) -> list[str]:
    """Problems found comparing the files in `run_dirs` with the digests the certificate signs.

    Each directory's results.json must be one of the certified ones; report.html must be the
    certified one wherever it is found, and must be found in one of the directories.
    """
    subj = certificate.get("credentialSubject")
    subj = subj[0] if isinstance(subj, list) and subj else subj
    if not isinstance(subj, Mapping) or CERTIFICATE_TYPE not in (certificate.get("type") or []):
        return ["not a lerconf conformance certificate"]
    runs = subj.get("run") or []
    runs = runs if isinstance(runs, list) else [runs]
    certified = {r.get("resultsSha256"): r.get("runId") for r in runs if isinstance(r, Mapping)}
    problems, report_found = [], False
    for d in run_dirs:
        d = Path(d)
        results = d / "results.json"
        if not results.is_file():
            problems.append(f"{results}: missing")
        elif sha256_file(results) not in certified:
            problems.append(f"{results}: changed since it was certified (sha256 differs)")
        report = d / "report.html"
        if report.is_file():
            report_found = True
            if sha256_file(report) != subj.get("reportSha256"):
                problems.append(f"{report}: changed since it was certified (sha256 differs)")
    if not report_found:
        problems.append("report.html not found in " + ", ".join(str(d) for d in run_dirs))
    return problems
