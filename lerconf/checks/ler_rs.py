"""HR Open LER-RS résumé credentials (LER-01…LER-05).

An LER-RS résumé is a VCDM 1.1 credential whose ``credentialSubject`` is an HR Open ``LER-RSType``
(person, communication, narratives, employment, education, certifications, licenses, skills, …).
Sections may be *verifiable*: they then carry ``verifications``, each a verifying organisation, an
external reference or an embedded credential (an Open Badge, a CLR, an HR Open provisional VC, any
VC). lerconf's engine verifies each embedded credential with its own rules
(lerconf.verify.stages.stage_ler_rs); the checks here judge the résumé.

What is normative and what is lerconf's reading:

* Normative (HR Open 4.5 catalog, by the registered JSON Schemas): the wrapper
  (VerifiableCredentialLER-RSType.json + ProvisionalVerifiableCredentialBaseType.json: ``@context``
  = [VCDM 1.1 base, the LER-RS URL, …], ``type``, ``issuer``, ``issuanceDate``), the subject
  (``LER-RSType.json``, a v4.4 schema published under 4.5), and the shape of ``verifications``.
  The schemas' own quirks are reported as they are: ``LER-RSType`` wants ``type`` to be the 4.4
  URL ``…/4.4/recruiting/json/ler-rs/LER-RSType.json`` even where the 4.5 examples write
  ``…/4.5/recruiting/json/LER-RSType.json``.
* lerconf's reading (heuristics): which document is a résumé (:func:`is_ler_rs`), which
  ``verifications`` item is an embedded credential, and, for LER-05, what "self-asserted" and
  "distinguishable" mean (the résumé's issuer is the presentation's holder; no embedded
  credential claims that same issuer).

The LER-RS ``@context`` URL is a JSON Schema, not a JSON-LD context. lerconf never fetches it
(the registered copy is digest-checked like any schema) and cannot define the résumé's terms
with it: JSON-LD processing of an LER-RS résumé cannot succeed (VCDM-02, or its terms are dropped:
VCDM-16) and a Data Integrity proof over it cannot be checked. LER-01 says so in its details; the conformance to LER-RS itself
is judged on the JSON, by the schemas.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.checks.ob import as_list, is_uri, types_of
from lerconf.documents.schemas import validate
from lerconf.results import Category, CheckResult

if TYPE_CHECKING:
    from lerconf.documents.loader import DocumentLoader

__all__ = [
    "LER_RS_BASE_SCHEMA",
    "LER_RS_CONTEXT",
    "LER_RS_TYPE_SCHEMA",
    "VC_V1",
    "Embedded",
    "embedded_credentials",
    "embedded_credentials_verify",
    "is_ler_rs",
    "ler_rs_checks",
    "self_asserted_resume_names_holder",
    "subject_is_ler_rs_type",
    "verifiable_sections_carry_verifications",
    "wrapper_is_ler_rs_credential",
]

VC_V1 = "https://www.w3.org/2018/credentials/v1"
_HROPEN = "http://schema.hropenstandards.org/4.5/recruiting/json/"
#: the second @context item of an LER-RS résumé; also the URL of the wrapper's JSON Schema
LER_RS_CONTEXT = _HROPEN + "VerifiableCredentialLER-RSType.json"
LER_RS_BASE_SCHEMA = _HROPEN + "ler-rs/ProvisionalVerifiableCredentialBaseType.json"
LER_RS_TYPE_SCHEMA = _HROPEN + "LER-RSType.json"
CONTEXT_NOTE = (f"{LER_RS_CONTEXT} is a JSON Schema, not a JSON-LD context: lerconf never fetches it and cannot "
                "define the résumé's terms with it (see the context checks, VCDM-02 and VCDM-16)")

_MAX_LISTED = 20
#: embedded credentials named in LER-04's message (each has its own nested report)
_MAX_NAMED = 5
#: how deep under credentialSubject ``verifications`` are looked for (section -> item -> nested record)
_DEPTH = 12
_REQUIRED = ("type", "issuer", "issuanceDate")


def _ler_rs_context(value: Any) -> bool:
    """Any version or scheme of the HR Open wrapper URL: a résumé naming the wrong one is still a résumé."""
    return (isinstance(value, str) and "hropenstandards.org/" in value
            and value.endswith("/VerifiableCredentialLER-RSType.json"))


def is_ler_rs(document: Any) -> bool:
    """True for a document that presents itself as an LER-RS résumé (lerconf's reading): its
    ``@context`` names the HR Open wrapper URL, or its subject's ``type`` names ``LER-RSType``."""
    if not isinstance(document, Mapping):
        return False
    if any(_ler_rs_context(c) for c in as_list(document.get("@context"))):
        return True
    subject = document.get("credentialSubject")
    kind = subject.get("type") if isinstance(subject, Mapping) else None
    return isinstance(kind, str) and "hropenstandards.org/" in kind and kind.endswith("/LER-RSType.json")


def _violations(document: Any, url: str, loader: DocumentLoader, base: str) -> list[str]:
    return [str(v) for v in validate(document, url, loader=loader, base_path=base)]


def _bounded(problems: Sequence[str]) -> str:
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}"


@check("LER-01", Category.SCHEMA)
def wrapper_is_ler_rs_credential(credential: Mapping[str, Any], *, loader: DocumentLoader) -> Verdict:
    """LER-RS VC wrapper: ``@context`` = [https://www.w3.org/2018/credentials/v1, the LER-RS URL, …];
    ``type``, ``issuer`` and ``issuanceDate`` are REQUIRED (VCDM 1.1 base).

    VerifiableCredentialLER-RSType.json and ProvisionalVerifiableCredentialBaseType.json (HR Open 4.5).
    The named rules are reported first, then any other violation of the wrapper schema.
    """
    problems: list[str] = []
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts:
        problems.append(f"@context is {contexts!r}, not an ordered set")
    else:
        if contexts[0] != VC_V1:
            problems.append(f"@context[0] is {contexts[0]!r}, not the VCDM 1.1 base {VC_V1}")
        if len(contexts) < 2 or contexts[1] != LER_RS_CONTEXT:
            second = contexts[1] if len(contexts) > 1 else None
            problems.append(f"@context[1] is {second!r}, not the LER-RS URL {LER_RS_CONTEXT}")
    problems += [f"{name} is missing" for name in _REQUIRED if name not in credential]
    schema = _violations(credential, LER_RS_CONTEXT, loader, "$")
    named = {f"$: '{name}' is a required property" for name in ("@context", *_REQUIRED)}  # said above already
    listed = problems + [v for v in schema if not v.startswith("$['@context']") and v not in named]
    if problems or schema:
        return failed(f"not an LER-RS wrapper: {_bounded(listed or schema)}", schema=LER_RS_CONTEXT,
                      problems=listed[:_MAX_LISTED] or schema[:_MAX_LISTED], json_ld=CONTEXT_NOTE)
    return passed("@context is [VCDM 1.1 base, LER-RS URL, …]; type, issuer and issuanceDate are present; valid against "
                  "VerifiableCredentialLER-RSType (the LER-RS URL is a JSON Schema, not a JSON-LD context: see VCDM-02/VCDM-16)",
                  schema=LER_RS_CONTEXT, json_ld=CONTEXT_NOTE)


@check("LER-02", Category.SCHEMA)
def subject_is_ler_rs_type(credential: Mapping[str, Any], *, loader: DocumentLoader) -> Verdict:
    """``credentialSubject`` validates as ``LER-RSType`` (``type`` REQUIRED).

    LER-RSType.json (v4.4, published under 4.5): person, communication, narratives,
    employmentHistories, educationAndLearnings, certifications, licenses, skills,
    positionPreferences, attachments; embedded credentials are held to the schema of their branch.
    """
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping):
        return failed(f"credentialSubject is {type(subject).__name__}, not one LER-RSType object",
                      subject="credentialSubject")
    violations = _violations(subject, LER_RS_TYPE_SCHEMA, loader, "$.credentialSubject")
    if violations:
        return failed(f"{len(violations)} violation(s) of LER-RSType: {_bounded(violations)}", schema=LER_RS_TYPE_SCHEMA,
                      violations=violations[:_MAX_LISTED], subject="credentialSubject")
    return passed("credentialSubject is valid against LER-RSType", schema=LER_RS_TYPE_SCHEMA)


def _is_credential(item: Mapping[str, Any]) -> bool:
    return "@context" in item and "VerifiableCredential" in types_of(item.get("type"))


def _verification_arrays(node: Any, path: str, depth: int = 0) -> list[tuple[str, Any]]:
    """(JSON path, value) of every ``verifications`` under ``node``, not looking inside embedded credentials."""
    found: list[tuple[str, Any]] = []
    if depth > _DEPTH:
        return found
    if isinstance(node, Mapping):
        if depth and _is_credential(node):
            return found
        for key, value in node.items():
            if key == "verifications":
                found.append((f"{path}.{key}", value))
            else:
                found += _verification_arrays(value, f"{path}.{key}", depth + 1)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found += _verification_arrays(item, f"{path}[{i}]", depth + 1)
    return found


def _kind_of(item: Any) -> str | None:
    """What a ``verifications`` item is (VerificationType), or None when it is none of them."""
    if isinstance(item, Mapping):
        if set(item) == {"verifyingOrganization"} and isinstance(item["verifyingOrganization"], Mapping):
            return "verifying organization"
        if is_uri(item.get("reference")) and set(item) <= {"reference", "scheme"}:
            return "external reference"
        if set(item) == {"otherW3CVerifiableCredential"} and isinstance(item["otherW3CVerifiableCredential"], Mapping):
            return "embedded credential"
        if _is_credential(item):
            return "embedded credential"
    return None


@check("LER-03", Category.SCHEMA)
def verifiable_sections_carry_verifications(credential: Mapping[str, Any]) -> Verdict:
    """Verifiable sections carry a non-empty ``verifications`` array. Each item is a
    verifying-organization record, an external reference, or an embedded VC.

    VerifiableEducationAttendanceType.json (and its Employment, Certification, License, Skill
    siblings); VerificationType.json.
    """
    arrays = _verification_arrays(credential.get("credentialSubject"), "credentialSubject")
    if not arrays:
        return not_applicable("no résumé section carries verifications (none claims to be verifiable)")
    problems: list[str] = []
    kinds: dict[str, int] = {}
    for where, value in arrays:
        if not isinstance(value, list) or not value:
            problems.append(f"{where} is {value!r}, not a non-empty array")
            continue
        for i, item in enumerate(value):
            kind = _kind_of(item)
            if kind is None:
                keys = sorted(item) if isinstance(item, Mapping) else type(item).__name__
                problems.append(f"{where}[{i}] is neither a verifying organization, an external reference nor "
                                f"an embedded credential ({keys})")
            else:
                kinds[kind] = kinds.get(kind, 0) + 1
    if problems:
        return failed(_bounded(problems), problems=problems[:_MAX_LISTED], sections=len(arrays))
    summary = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(kinds.items()))
    return passed(f"{len(arrays)} verifiable section(s), each with verifications: {summary}", sections=len(arrays))


def embedded_credentials(credential: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(JSON path, credential) of every credential embedded in ``credentialSubject…verifications``:
    an object that is a VC, the VC an ``otherW3CVerifiableCredential`` wraps, or a compact JWS."""
    out: list[tuple[str, Any]] = []
    for where, value in _verification_arrays(credential.get("credentialSubject"), "credentialSubject"):
        for i, item in enumerate(value if isinstance(value, list) else []):
            if isinstance(item, Mapping) and isinstance(item.get("otherW3CVerifiableCredential"), Mapping):
                out.append((f"{where}[{i}].otherW3CVerifiableCredential", item["otherW3CVerifiableCredential"]))
            elif (isinstance(item, Mapping) and _is_credential(item)) or (isinstance(item, str) and item.count(".") == 2):
                out.append((f"{where}[{i}]", item))
    return out


def ler_rs_checks(credential: Mapping[str, Any], *, loader: DocumentLoader) -> list[CheckResult]:
    """LER-01, LER-02 and LER-03 for one résumé (LER-04 needs the engine: stage_ler_rs)."""
    return [wrapper_is_ler_rs_credential(credential, loader=loader), subject_is_ler_rs_type(credential, loader=loader),
            verifiable_sections_carry_verifications(credential)]


@dataclass(frozen=True)
class Embedded:
    """One embedded credential as the engine found it: where, verified or not, why not, and
    whether every reason is one lerconf could not check (with the fix)."""

    where: str
    verified: bool
    problems: Sequence[str] = ()
    could_not_check: bool = False
    fix: str = ""


@check("LER-04", Category.STRUCTURE)
def embedded_credentials_verify(found: Sequence[Embedded]) -> Verdict:
    """Every embedded VC in ``credentialSubject…verifications`` is verified with its own rules
    (OB 3.0 → OB verification, CLR 2.0 → CLR verification).

    1EdTech validator TCPInspector. The wrapper's own proof, status, expiry and issuance date are
    the DI/VCDM/BSL checks of the same report; each embedded credential has its nested report.
    """
    if not found:
        return not_applicable("no embedded credential in the résumé's verifications")
    bad = [e for e in found if not e.verified]
    if not bad:
        return passed(f"{len(found)} embedded credential(s) verified", embedded=[e.where for e in found])
    text = "; ".join(f"{e.where} does not verify ({'; '.join(e.problems[:3]) or 'see its report'})" for e in bad[:_MAX_NAMED])
    if len(bad) > _MAX_NAMED:
        text += f" (+{len(bad) - _MAX_NAMED} more)"
    if all(e.could_not_check for e in bad):
        return failed(f"lerconf could not check: {text}", embedded=[e.where for e in found], not_verified=[e.where for e in bad],
                      could_not_check=True, fix=next((e.fix for e in bad if e.fix), ""))
    return failed(text, embedded=[e.where for e in found], not_verified=[e.where for e in bad])


def _id(value: Any) -> Any:
    return value.get("id") if isinstance(value, Mapping) else value


@check("LER-05", Category.STRUCTURE)
def self_asserted_resume_names_holder(presentation: Mapping[str, Any]) -> Verdict:
    """A self-asserted resume VC presented inside a VP must name the ``holder`` (VCDM-24) and is
    distinguishable from issuer-attested embedded credentials.

    VCDM 2.0 §4.13. lerconf's reading: a résumé in a presentation needs a holder; a résumé
    issued by that holder is self-asserted, and then no credential it embeds may claim the same
    issuer (it would be the holder attesting to themselves under an issuer's name).
    """
    resumes = [(i, c) for i, c in enumerate(as_list(presentation.get("verifiableCredential"))) if is_ler_rs(c)]
    if not resumes:
        return not_applicable("the presentation carries no LER-RS résumé")
    holder = _id(presentation.get("holder"))
    if not isinstance(holder, str) or not holder:
        return failed(f"the presentation carries {len(resumes)} LER-RS résumé(s) but names no holder", subject="holder")
    self_asserted = [(i, c) for i, c in resumes if _id(c.get("issuer")) == holder]
    for i, resume in self_asserted:
        same = [where for where, embedded in embedded_credentials(resume)
                if isinstance(embedded, Mapping) and _id(embedded.get("issuer")) == holder]
        if same:
            return failed(f"verifiableCredential[{i}] is self-asserted by the holder {holder}, and so is "
                          f"{same[0]}: its embedded credentials are not distinguishable from its own claims",
                          subject=f"verifiableCredential[{i}]", holder=holder)
    kind = "self-asserted" if self_asserted else "issuer-attested"
    return passed(f"holder {holder} presents {len(resumes)} LER-RS résumé(s) ({kind})", holder=holder)
