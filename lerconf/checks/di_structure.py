"""Data Integrity proof structure checks (DI-01..DI-04, Category.STRUCTURE).

These read the embedded ``proof`` as JSON, before any cryptography: a proof without a purpose
or with a time-zone-less timestamp is malformed whether or not its signature verifies. Whether
it verifies is the proof checks' job.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed, warning
from lerconf.checks.dates import parse_date_time_stamp
from lerconf.checks.vcdm_values import MALFORMED, has_type, is_url, node_type_problem
from lerconf.results import Category, CheckResult

__all__ = [
    "credential_proof_purpose_is_assertion_method",
    "data_integrity_proof_names_cryptosuite",
    "di_structure_checks",
    "proof_has_required_properties",
    "proof_timestamps_have_time_zone",
]


def _proofs(document: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(JSON path, proof) for every embedded proof, in order."""
    value = document.get("proof")
    if isinstance(value, list):
        return [(f"proof[{i}]", p) for i, p in enumerate(value)]
    return [] if value is None else [("proof", value)]


@check("DI-01", Category.STRUCTURE)
def proof_has_required_properties(document: Mapping[str, Any]) -> Verdict:
    """A proof is one object or a set of objects, each with type, proofPurpose, verificationMethod (a URL) and proofValue.

    VC Data Integrity 1.0 §2.1. DI core says "if included" of verificationMethod, so its absence
    is a warning (no cryptosuite can verify without it); a non-URL value is a failure.
    """
    proofs = _proofs(document)
    if not proofs:
        return not_applicable("no embedded proof")
    missing_vm = []
    for path, proof in proofs:
        if not isinstance(proof, Mapping):
            return failed(f"{path} is a {type(proof).__name__}, not an object", error=MALFORMED, subject=path)
        problem = node_type_problem(proof)
        if problem:
            return failed(f"{path} {problem}", error=MALFORMED, subject=f"{path}.type")
        for name in ("proofPurpose", "proofValue"):
            if not isinstance(proof.get(name), str) or not proof[name]:
                return failed(f"{path} has no string {name}", error=MALFORMED, subject=f"{path}.{name}")
        if "verificationMethod" not in proof:
            missing_vm.append(path)
        elif not is_url(proof["verificationMethod"]):
            return failed(
                f"{path}.verificationMethod {proof['verificationMethod']!r} is not a URL",
                error=MALFORMED, subject=f"{path}.verificationMethod",
            )
    if missing_vm:
        return warning(f"{', '.join(missing_vm)} names no verificationMethod", subject=f"{missing_vm[0]}.verificationMethod")
    return passed(f"{len(proofs)} proof(s) with type, purpose, verification method and value")


@check("DI-02", Category.STRUCTURE)
def data_integrity_proof_names_cryptosuite(document: Mapping[str, Any]) -> Verdict:
    """If the proof type is DataIntegrityProof, cryptosuite MUST be specified and its value MUST be a string.

    VC Data Integrity 1.0 §2.1: without it a verifier cannot tell which algorithm to run.
    """
    di = [(path, p) for path, p in _proofs(document) if has_type(p, "DataIntegrityProof")]
    if not di:
        return not_applicable("no DataIntegrityProof")
    for path, proof in di:
        if not isinstance(proof.get("cryptosuite"), str) or not proof["cryptosuite"]:
            return failed(f"{path} is a DataIntegrityProof without a cryptosuite string", error=MALFORMED, subject=f"{path}.cryptosuite")
    return passed(f"cryptosuite: {', '.join(str(p['cryptosuite']) for _, p in di)}")


@check("DI-03", Category.STRUCTURE)
def credential_proof_purpose_is_assertion_method(document: Mapping[str, Any]) -> Verdict:
    """A credential's proof MUST use proofPurpose assertionMethod (Open Badges and CLR require it explicitly).

    VC Data Integrity 1.0 §2.2; presentations prove authentication instead and are not checked here.
    """
    if has_type(document, "VerifiablePresentation"):
        return not_applicable("presentation proofs use authentication")
    proofs = [(path, p) for path, p in _proofs(document) if isinstance(p, Mapping)]
    if not proofs:
        return not_applicable("no embedded proof")
    for path, proof in proofs:
        if proof.get("proofPurpose") != "assertionMethod":
            return failed(
                f"{path}.proofPurpose is {proof.get('proofPurpose')!r}, not assertionMethod",
                error=MALFORMED, subject=f"{path}.proofPurpose",
            )
    return passed("every credential proof has proofPurpose assertionMethod")


@check("DI-04", Category.STRUCTURE)
def proof_timestamps_have_time_zone(document: Mapping[str, Any]) -> Verdict:
    """If present, created and expires MUST be XSD dateTimeStamp values (with Z or an offset), and a proof id MUST be a URL.

    VC Data Integrity 1.0 §2.1: a timestamp without a zone means different instants to
    different verifiers.
    """
    proofs = [(path, p) for path, p in _proofs(document) if isinstance(p, Mapping)]
    if not proofs:
        return not_applicable("no embedded proof")
    seen = []
    for path, proof in proofs:
        for name in ("created", "expires"):
            if name in proof:
                seen.append(f"{path}.{name}")
                if parse_date_time_stamp(proof[name]) is None:
                    return failed(
                        f"{path}.{name} {proof[name]!r} is not an XSD dateTimeStamp",
                        error=MALFORMED, subject=f"{path}.{name}",
                    )
        if "id" in proof:
            seen.append(f"{path}.id")
            if not is_url(proof["id"]):
                return failed(f"{path}.id {proof['id']!r} is not a URL", error=MALFORMED, subject=f"{path}.id")
    if not seen:
        return not_applicable("no proof created, expires or id")
    return passed(f"{', '.join(seen)} well-formed")


def di_structure_checks(document: Mapping[str, Any]) -> list[CheckResult]:
    """Every proof-structure check for one document, in a fixed order."""
    return [
        proof_has_required_properties(document),
        data_integrity_proof_names_cryptosuite(document),
        credential_proof_purpose_is_assertion_method(document),
        proof_timestamps_have_time_zone(document),
    ]
