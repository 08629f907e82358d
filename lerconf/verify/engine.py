"""The verification engine behind `lerconf verify`, the scenarios and the reference verifier.

It runs, for one credential or presentation: parsing, data-model structure, JSON-LD contexts,
proofs (Data Integrity or JOSE), issuer binding, validity dates, status, and the 1EdTech
schema and format checks; nested credentials (CLR, presentations) get their own report.

*verified* means authentic and currently valid: no MUST failure in parsing, structure,
contexts, proofs, binding, JOSE claims, dates or status. *conformant* additionally needs the
format's schema and MUST checks (Open Badges 3.0, CLR 2.0) to pass.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Sequence

from lerconf.checks import binding, parse
from lerconf.verify.di_proof import verify_proofs
from lerconf.crypto.did import DidResolver
from lerconf.documents.loader import DocumentLoader
from lerconf.documents.jsonld import Processor
from lerconf.results import Category, CheckResult, Severity, Status

FORMAT_PREFIXES = ("OB-", "CLR-", "OBAPI-")
#: Open Badges requirements that are about authenticity or validity now, not format conformance
FORMAT_VERIFICATION_IDS = frozenset({"OB-23", "OB-24", "OB-26", "OB-27"})
CONFORMANCE_ONLY = frozenset({Category.SCHEMA})


def blocks_verification(result: CheckResult) -> bool:
    """True when this result makes a document not *verified* (as opposed to not conformant)."""
    if result.status is not Status.FAILED or result.severity is not Severity.MUST:
        return False
    if result.category in CONFORMANCE_ONLY:
        return False
    return not (result.requirement.startswith(FORMAT_PREFIXES) and result.requirement not in FORMAT_VERIFICATION_IDS)


@dataclass
class VerifyOptions:
    """What the caller expects: time of evaluation, proof purpose, presentation binding."""

    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    challenge: str | None = None
    domain: str | Sequence[str] | None = None
    check_status: bool = True
    accepted_suites: Sequence[str] | None = None


@dataclass
class VerificationReport:
    """All check results for one document, plus reports of the documents nested in it."""

    source: str
    kind: str  # credential | presentation | jwt | unknown
    document: Any = None
    source_secured_by: str = "proof"  # "proof" (embedded) or the envelope: "jwt", "cose", "sd-jwt"
    checks: list[CheckResult] = field(default_factory=list)
    nested: list["VerificationReport"] = field(default_factory=list)

    def _failures(self) -> list[CheckResult]:
        return [r for r in self.checks if r.status is Status.FAILED and r.severity is Severity.MUST]

    @property
    def verified(self) -> bool:
        return not any(blocks_verification(r) for r in self.checks) and all(n.verified for n in self.nested)

    @property
    def conformant(self) -> bool:
        return self.verified and not self._failures() and all(n.conformant for n in self.nested)

    def blocking_failures(self) -> list[tuple[str, CheckResult]]:
        """(source, result) of every failure that makes this report, or a nested one, not verified."""
        out = [(self.source, r) for r in self.checks if blocks_verification(r)]
        for n in self.nested:
            out.extend(n.blocking_failures())
        return out

    def all_checks(self) -> list[CheckResult]:
        out = list(self.checks)
        for n in self.nested:
            out.extend(n.all_checks())
        return out

    def to_json(self) -> dict[str, Any]:
        failures = [r for r in self.checks if r.status is Status.FAILED]
        warnings = [r for r in self.checks if r.status is Status.WARNING]
        return {
            "file": self.source,
            "kind": self.kind,
            "verified": self.verified,
            "conformant": self.conformant,
            "checks": [r.to_json() for r in self.checks],
            "errors": [problem_detail(r) for r in failures],
            "warnings": [problem_detail(r) for r in warnings],
            "nested": [n.to_json() for n in self.nested],
        }


def problem_detail(result: CheckResult) -> dict[str, Any]:
    """RFC 9457-style problem detail for a failed or warning check."""
    code = result.error_type or "MALFORMED_VALUE_ERROR"
    base = "https://w3id.org/security#" if code.startswith(("PROOF_", "INVALID_", "DATA_LOSS")) else (
        "https://www.w3.org/ns/credentials/status-list#" if code.startswith("STATUS_") else "https://www.w3.org/TR/vc-data-model#"
    )
    return {"type": base + code, "code": code, "title": result.requirement, "detail": result.message,
            "requirement": result.requirement, **({"subject": result.subject} if result.subject else {})}


Stage = Callable[["Verifier", Mapping[str, Any], VerifyOptions, VerificationReport], None]


class Verifier:
    """Holds the loader, JSON-LD processor and DID resolver so their caches are shared."""

    def __init__(self, loader: DocumentLoader) -> None:
        self.loader = loader
        self.processor = Processor(loader)
        self.resolver = DidResolver(loader)

    # -- entry points -------------------------------------------------------------------
    def verify_text(self, text: str, source: str = "-", options: VerifyOptions | None = None) -> VerificationReport:
        """Verify a JSON credential/presentation or a compact JWT given as text."""
        options = options or VerifyOptions()
        stripped = text.strip()
        if stripped.count(".") == 2 and not stripped.startswith(("{", "[")):
            return self.verify_jwt(stripped, source, options)
        try:
            document = json.loads(stripped)
        except ValueError as exc:
            report = VerificationReport(source, "unknown")
            report.checks.append(_parse_failure(f"input is neither JSON nor a compact JWT: {exc}"))
            return report
        return self.verify_document(document, source, options)

    def verify_document(self, document: Any, source: str = "-", options: VerifyOptions | None = None) -> VerificationReport:
        options = options or VerifyOptions()
        kind = _kind(document)
        report = VerificationReport(source, kind, document)
        if kind == "enveloped":
            return self._verify_enveloped(document, source, options)
        if not isinstance(document, Mapping):
            report.checks.append(parse.input_is_parseable(
                f"input is a JSON {type(document).__name__}, not a credential or presentation object"))
            return report
        for stage in STAGES:
            stage(self, document, options, report)
        return report

    def verify_jwt(self, token: str, source: str, options: VerifyOptions) -> VerificationReport:
        from lerconf.verify.enveloped import verify_jwt_document

        return verify_jwt_document(self, token, source, options)

    def _verify_enveloped(self, document: Mapping[str, Any], source: str, options: VerifyOptions) -> VerificationReport:
        from lerconf.verify.enveloped import verify_enveloped

        return verify_enveloped(self, document, source, options)


def _kind(document: Any) -> str:
    if not isinstance(document, Mapping):
        return "unknown"
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    if "EnvelopedVerifiableCredential" in types or "EnvelopedVerifiablePresentation" in types:
        return "enveloped"
    if "VerifiablePresentation" in types:
        return "presentation"
    return "credential"


def _parse_failure(message: str) -> CheckResult:
    return parse.input_is_parseable(message)


# -- stages ---------------------------------------------------------------------------------
def stage_proofs(v: Verifier, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """Data Integrity proofs, then binding of the signing key to the issuer or holder."""
    if not doc.get("proof"):
        return
    presentation = report.kind == "presentation"
    outcomes = verify_proofs(
        doc, v.resolver, v.processor,
        purpose="authentication" if presentation else "assertionMethod",
        challenge=opts.challenge if presentation else None,
        domain=opts.domain if presentation else None,
        accepted_suites=opts.accepted_suites,
    )
    for outcome in outcomes:
        report.checks.extend(outcome.results)
    valid = [o for o in outcomes if o.valid]
    # Binding is its own requirement, judged on the key the proof names even when the proof does
    # not verify: a bad signature is DI-15's failure, not also "nothing checked" for DI-07.
    named = valid or [o for o in outcomes if o.method is not None]
    method = named[0].method if named else None
    if presentation:
        report.checks.append(binding.presentation_signed_by_holder(doc, method, v.resolver))
    else:
        report.checks.append(binding.signing_key_belongs_to_issuer(doc, method, v.resolver))


def stage_presentation_credentials(v: Verifier, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """Each credential inside a presentation is verified on its own (assertionMethod)."""
    if report.kind != "presentation":
        return
    creds = doc.get("verifiableCredential")
    items = creds if isinstance(creds, list) else ([creds] if creds is not None else [])
    inner = VerifyOptions(at=opts.at, check_status=opts.check_status, accepted_suites=opts.accepted_suites)
    for i, cred in enumerate(items):
        report.nested.append(v.verify_document(cred, f"{report.source}#verifiableCredential[{i}]", inner))


def stage_structure(v: Verifier, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """Data model, contexts (undefined terms), proof structure and validity dates."""
    from lerconf.checks.vcdm import structure_checks

    kind = "presentation" if report.kind == "presentation" else "credential"
    secured_by = None if report.source_secured_by == "proof" else report.source_secured_by
    results = structure_checks(doc, at=opts.at, processor=v.processor, kind=kind, secured_by=secured_by)
    # credentials inside a presentation get their own nested report (stage_presentation_credentials)
    report.checks.extend(r for r in results if not r.subject.startswith("verifiableCredential["))


def stage_status(v: Verifier, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """Status entries: the list is fetched, its own proof verified, the bit read (fail closed)."""
    if not opts.check_status or report.kind == "presentation" or "credentialStatus" not in doc:
        return
    from lerconf.checks.status import check_status

    def verify_list_proof(list_credential: dict[str, Any]) -> list[CheckResult]:
        inner = VerifyOptions(at=opts.at, check_status=False, accepted_suites=opts.accepted_suites)
        nested = v.verify_document(list_credential, "status list", inner)
        return [r for r in nested.checks if r.category in (Category.PARSE, Category.PROOF, Category.ISSUER_BINDING,
                                                             Category.JOSE_CLAIMS)]

    report.checks.extend(check_status(doc, loader=v.loader, verify_proof=verify_list_proof, at=opts.at))


def stage_format(v: Verifier, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """Open Badges 3.0 and CLR 2.0: data-model checks and the 1EdTech JSON Schemas."""
    if report.kind == "presentation":
        return
    from lerconf.checks.clr import clr_checks
    from lerconf.checks.ob import is_open_badge, ob_checks
    from lerconf.checks.schema import schema_checks

    types = doc.get("type") if isinstance(doc.get("type"), list) else [doc.get("type")]
    if "ClrCredential" in types:
        report.checks.extend(clr_checks(doc))
    elif is_open_badge(doc):
        report.checks.extend(ob_checks(doc))
    else:
        return
    report.checks.extend(r for r in schema_checks(doc, loader=v.loader) if r.status is not Status.NOT_APPLICABLE)


def stage_clr_nested(v: Verifier, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """CLR-08: every credential inside a CLR is verified on its own; a bad one taints the record."""
    types = doc.get("type") if isinstance(doc.get("type"), list) else [doc.get("type")]
    if "ClrCredential" not in types:
        return
    subjects = doc.get("credentialSubject")
    for s_i, subject in enumerate(subjects if isinstance(subjects, list) else [subjects]):
        if not isinstance(subject, Mapping):
            continue
        raw = subject.get("verifiableCredential")
        for i, item in enumerate(raw if isinstance(raw, list) else [] if raw is None else [raw]):
            source = f"{report.source}#credentialSubject.verifiableCredential[{i}]"
            if isinstance(item, str):
                report.nested.append(v.verify_jwt(item.strip(), source, opts))
            else:
                report.nested.append(v.verify_document(item, source, opts))


#: stages that judge the content, whatever secures it (embedded proof or JWT)
CONTENT_STAGES: list[Stage] = [stage_structure, stage_status, stage_format, stage_presentation_credentials, stage_clr_nested]
STAGES: list[Stage] = [stage_proofs, *CONTENT_STAGES]
