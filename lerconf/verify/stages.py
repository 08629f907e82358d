"""The stages of verifying one document, in order: proofs and binding, then the content stages
every securing method shares (structure, status, format, nested credentials).

A stage reads the document and appends check results to the report; it reaches the engine only
through :class:`Verifying`, so the engine can use the stages without a circle.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, Literal, Protocol

from lerconf.checks import binding
from lerconf.checks.clr import clr_checks
from lerconf.checks.endorsement import Endorsed, clr_endorsements_verify, endorsements_verify
from lerconf.checks.ler_rs import (
    Embedded,
    embedded_credentials,
    embedded_credentials_verify,
    is_ler_rs,
    ler_rs_checks,
    self_asserted_resume_names_holder,
)
from lerconf.checks.ob import is_open_badge, ob_checks, types_of
from lerconf.checks.ob_keys import issuer_key_is_dereferenceable
from lerconf.checks.recipient import recipient_matches
from lerconf.checks.schema import schema_checks
from lerconf.checks.status import VerifiedList
from lerconf.checks.status_algorithm import check_status
from lerconf.checks.vcdm import structure_checks
from lerconf.crypto.did import DidResolver
from lerconf.documents.json_values import JSON_SCALARS
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader
from lerconf.results import Category, Status
from lerconf.verify.di_proof import verify_proofs
from lerconf.verify.report import COULD_NOT_CHECK, VerificationReport, VerifyOptions

__all__ = ["CONTENT_STAGES", "Stage", "Verifying"]


class Verifying(Protocol):
    """What a stage needs of the engine: its shared caches, and a way to verify nested documents."""

    loader: DocumentLoader
    processor: Processor
    resolver: DidResolver
    #: whether a 1EdTech refresh service is followed at all (OB-25; lerconf.verify.refresh)
    refreshes: bool

    def verify_document(self, document: Any, source: str = "-", options: VerifyOptions | None = None) -> VerificationReport: ...

    def verify_jwt(self, token: str, source: str, options: VerifyOptions) -> VerificationReport: ...

    def verify_text(self, text: str, source: str = "-", options: VerifyOptions | None = None) -> VerificationReport: ...


Stage = Callable[[Verifying, Mapping[str, Any], VerifyOptions, VerificationReport], None]


def stage_proofs(v: Verifying, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
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
        verifier_id=opts.verifier_id,
    )
    for outcome in outcomes:
        report.checks.extend(outcome.results)
    if presentation:
        valid = [o for o in outcomes if o.valid]
        # Binding is its own requirement, judged on the key the proof names even when the proof
        # does not verify: a bad signature is DI-15's failure, not also "nothing checked" here.
        named = valid or [o for o in outcomes if o.method is not None]
        method = named[0].method if named else None
        failing = next((o for o in outcomes if o.method_error and isinstance(o.proof, Mapping)), None)
        cause = f"cannot resolve {failing.proof.get('verificationMethod')}: {failing.method_error}" if failing else ""
        report.checks.append(binding.presentation_signed_by_holder(
            doc, method, v.resolver, cause, unreached=bool(failing and failing.method_unreached),
            fix=failing.method_fix if failing else ""))
        return
    # A proof set or chain may carry proofs by other parties (co-signers, endorsers): every proof
    # must verify (the results above), and at least one must be by a key the issuer controls (DI-07).
    keys = [
        binding.SigningKey(f"proof[{o.index}]", str(o.proof.get("verificationMethod")), o.method, o.method_error,
                           "endorser" if o.proof.get("previousProof") is not None else "co-signer",
                           o.method_unreached, o.method_fix)
        for o in outcomes if isinstance(o.proof, Mapping)
    ]
    report.checks.append(binding.signing_key_belongs_to_issuer(doc, keys, v.resolver))
    if is_open_badge(doc) or "ClrCredential" in types_of(doc.get("type")):  # 1EdTech's key rule (OB-16)
        report.checks.append(issuer_key_is_dereferenceable(keys))


def stage_presentation_credentials(v: Verifying, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """Each credential inside a presentation is verified on its own (assertionMethod)."""
    if report.kind != "presentation":
        return
    creds = doc.get("verifiableCredential")
    items = creds if isinstance(creds, list) else ([creds] if creds is not None else [])
    inner = VerifyOptions(at=opts.at, check_status=opts.check_status, accepted_suites=opts.accepted_suites,
                          status_list_minimum=opts.status_list_minimum)
    for i, cred in enumerate(items):
        report.nested.append(v.verify_document(cred, f"{report.source}#verifiableCredential[{i}]", inner))


def stage_structure(v: Verifying, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """Data model, contexts (undefined terms), proof structure and validity dates."""
    kind: Literal["credential", "presentation"] = "presentation" if report.kind == "presentation" else "credential"
    secured_by = None if report.source_secured_by == "proof" else report.source_secured_by
    results = structure_checks(doc, at=opts.at, processor=v.processor, kind=kind, secured_by=secured_by)
    # credentials inside a presentation get their own nested report (stage_presentation_credentials)
    report.checks.extend(r for r in results if not r.subject.startswith("verifiableCredential["))


def stage_status(v: Verifying, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """Status entries: the list is fetched, its own proof verified, the bit read (fail closed)."""
    if not opts.check_status or report.kind == "presentation" or "credentialStatus" not in doc:
        return

    def verify_list_proof(secured: dict[str, Any] | str) -> VerifiedList:
        # BSL §4: any securing the engine knows (embedded proof, VC-JWT in its three encodings,
        # vc+jwt, EnvelopedVerifiableCredential); the list credential is what the securing holds
        inner = VerifyOptions(at=opts.at, check_status=False, accepted_suites=opts.accepted_suites)
        if isinstance(secured, str):
            nested = v.verify_jwt(secured, "status list", inner)
        else:
            nested = v.verify_document(secured, "status list", inner)
        kept = [r for r in nested.checks if r.category in (Category.PARSE, Category.PROOF, Category.ISSUER_BINDING,
                                                             Category.JOSE_CLAIMS)]
        credential = nested.document if isinstance(nested.document, Mapping) and nested.kind == "credential" else None
        return VerifiedList(credential, kept, nested.source_secured_by)

    report.checks.extend(check_status(doc, loader=v.loader, verify_proof=verify_list_proof, at=opts.at,
                                      minimum=opts.status_list_minimum))


def stage_format(v: Verifying, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """Open Badges 3.0 and CLR 2.0: data-model checks and the 1EdTech JSON Schemas."""
    if report.kind == "presentation":
        return

    doc_type = doc.get("type")
    types = doc_type if isinstance(doc_type, list) else [doc_type]
    if "ClrCredential" in types:
        report.checks.extend(clr_checks(doc))
    elif is_open_badge(doc):
        report.checks.extend(ob_checks(doc))
        if opts.recipient is not None:  # the verifier knows whom the badge should be about (OB-28)
            report.checks.append(recipient_matches(doc, opts.recipient, opts.recipient_type))
    elif "EndorsementCredential" not in types:  # an endorsement is judged by its own schema (OB-29)
        return
    report.checks.extend(r for r in schema_checks(doc, loader=v.loader) if r.status is not Status.NOT_APPLICABLE)


def stage_clr_nested(v: Verifying, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """CLR-08: every credential inside a CLR is verified on its own; a bad one taints the record."""
    doc_type = doc.get("type")
    types = doc_type if isinstance(doc_type, list) else [doc_type]
    if "ClrCredential" not in types:
        return
    subjects = doc.get("credentialSubject")
    for subject in subjects if isinstance(subjects, list) else [subjects]:
        if not isinstance(subject, Mapping):
            continue
        raw = subject.get("verifiableCredential")
        for i, item in enumerate(raw if isinstance(raw, list) else [] if raw is None else [raw]):
            source = f"{report.source}#credentialSubject.verifiableCredential[{i}]"
            if isinstance(item, str):
                report.nested.append(v.verify_jwt(item.strip(), source, opts))
            else:
                report.nested.append(v.verify_document(item, source, opts))


#: keys whose values are verified elsewhere (proofs, status, a CLR's own credentials): not searched for endorsements
_NOT_SEARCHED = frozenset({"proof", "credentialStatus", "verifiableCredential", "@context"})
#: how deep into a document endorsements are looked for (an issuer profile inside an achievement inside a subject)
_ENDORSEMENT_DEPTH = 12


def _endorsements(node: Any, path: str, depth: int = 0) -> list[tuple[str, Any]]:
    """(where, endorsement) for every ``endorsement`` object and ``endorsementJwt`` string under ``node``;
    an endorsement's own endorsements are found when it is verified."""
    found: list[tuple[str, Any]] = []
    if depth > _ENDORSEMENT_DEPTH:
        return found
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in _NOT_SEARCHED:
                continue
            if key in ("endorsement", "endorsementJwt"):
                items = value if isinstance(value, list) else [value]
                found += [(f"{path}.{key}[{i}]", item) for i, item in enumerate(items)]
            elif type(value) not in JSON_SCALARS:  # nothing to find in a string or a number
                found += _endorsements(value, f"{path}.{key}", depth + 1)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if type(item) not in JSON_SCALARS:
                found += _endorsements(item, f"{path}[{i}]", depth + 1)
    return found


def stage_endorsements(v: Verifying, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """OB-29 / CLR-09: every endorsement an Open Badge or CLR carries is verified as an EndorsementCredential."""
    types = types_of(doc.get("type"))
    clr = "ClrCredential" in types
    if report.kind == "presentation" or not (clr or is_open_badge(doc) or "EndorsementCredential" in types):
        return
    found: list[Endorsed] = []
    every = _endorsements(doc, "$")
    if every and opts.endorsement_depth >= MAX_ENDORSEMENT_NESTING:  # an endorsement of an endorsement of …
        found.append(Endorsed("$", None, False, [f"endorsements nested more than {MAX_ENDORSEMENT_NESTING} deep are "
                                                 "not verified"]))
        every = []
    inner = dataclasses.replace(opts, endorsement_depth=opts.endorsement_depth + 1)
    for where, item in every[:MAX_ENDORSEMENTS]:
        source = f"{report.source}#{where[2:]}"
        nested = (v.verify_jwt(item.strip(), source, inner) if isinstance(item, str)
                  else v.verify_document(item, source, inner))
        report.nested.append(nested)
        document = nested.document if isinstance(item, str) else item
        found.append(Endorsed(where[2:], document, nested.verified,
                              [f"{r.requirement}: {r.message}" for _, r in nested.blocking_failures()]))
    if len(every) > MAX_ENDORSEMENTS:
        found.append(Endorsed(f"{len(every) - MAX_ENDORSEMENTS} more", None, False,
                              [f"{len(every)} endorsements: lerconf verifies at most {MAX_ENDORSEMENTS}"]))
    if found:
        report.checks.append(clr_endorsements_verify(found) if clr else endorsements_verify(found))


#: the most endorsements verified on one document, and how deep endorsements of endorsements go
MAX_ENDORSEMENTS = 64
MAX_ENDORSEMENT_NESTING = 4


def stage_ler_rs(v: Verifying, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> None:
    """LER-01…LER-05: an HR Open LER-RS résumé is judged against its schemas, and every credential
    embedded in its ``verifications`` is verified on its own, by its own rules (LER-04)."""
    if report.kind == "presentation":
        holder = self_asserted_resume_names_holder(doc)
        if holder.status is not Status.NOT_APPLICABLE:
            report.checks.append(holder)
        return
    if not is_ler_rs(doc):
        return
    report.checks.extend(ler_rs_checks(doc, loader=v.loader))
    found: list[Embedded] = []
    for where, item in embedded_credentials(doc):
        source = f"{report.source}#{where}"
        nested = (v.verify_jwt(item.strip(), source, opts) if isinstance(item, str)
                  else v.verify_document(item, source, opts))
        report.nested.append(nested)
        unchecked = nested.unchecked()
        found.append(Embedded(where, nested.verified, [f"{r.requirement}: {r.message}" for _, r in nested.blocking_failures()],
                              could_not_check=nested.outcome == COULD_NOT_CHECK,
                              fix=str(unchecked[0][1].details.get("fix") or "") if unchecked else ""))
    report.checks.append(embedded_credentials_verify(found))


#: stages that judge the content, whatever secures it (embedded proof or JWT)
CONTENT_STAGES: list[Stage] = [stage_structure, stage_status, stage_format, stage_presentation_credentials, stage_clr_nested,
                               stage_endorsements, stage_ler_rs]
