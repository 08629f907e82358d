"""The Learning Mobility Collaborative's VCALM EdDSA profile (LMC vcalm-eddsa 0.1), rule by rule.

Each check judges facts a scenario gathered (the credential an issuing exchange handed out, the
key its proof names as the issuer's DID document lists it, the status list it points to, what a
TLS handshake showed) against one ``LMC-VE-*`` requirement of lerconf/data/ecosystems/lmc.yaml,
which cites the profile's section. These results are ecosystem conformance, never specification
conformance: the same credential may conform to OB 3.0 and fail here.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.checks.ecosystem import CacheObservation, TlsFacts, did_method_problem, status_cache_problems, tls_problems
from lerconf.results import Category

__all__: list[str] = []  # checks register themselves; find them by requirement id

VC_V2 = "https://www.w3.org/ns/credentials/v2"
#: the issuer DID methods the profile allows (Data Integrity › Profile Requirements)
DID_METHODS = ("web", "key")
SUITE = "eddsa-rdfc-2022"


def _types(doc: Mapping[str, Any]) -> list[str]:
    value = doc.get("type")
    return [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]


def _issuer_id(credential: Mapping[str, Any]) -> Any:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, Mapping) else issuer


@check("LMC-VE-01", Category.STRUCTURE)
def vcdm2_open_badge(credential: Mapping[str, Any]) -> Verdict:
    """VCDM 2.0 (its base context first) and the ``OpenBadgeCredential`` type."""
    context = credential.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    problems = []
    if first != VC_V2:
        problems.append(f"@context starts with {first!r}, not {VC_V2} (VC Data Model 2.0)")
    if "OpenBadgeCredential" not in _types(credential):
        problems.append(f"type is {_types(credential)}, without OpenBadgeCredential")
    if problems:
        return failed("; ".join(problems))
    return passed("a VC Data Model 2.0 OpenBadgeCredential")


@check("LMC-VE-02", Category.PROOF)
def eddsa_rdfc_assertion_proof(credential: Mapping[str, Any], controller: str | None,
                               relationships: Sequence[str]) -> Verdict:
    """One Data Integrity proof: eddsa-rdfc-2022, assertionMethod, ``created``, and a key the
    issuer's DID document lists for assertionMethod (``controller``/``relationships`` as resolved)."""
    proof = credential.get("proof")
    proofs = [p for p in (proof if isinstance(proof, list) else [proof]) if isinstance(p, Mapping)]
    if not proofs:
        return failed("the credential has no embedded proof (a Data Integrity proof is required)")
    problems = []
    for p in proofs:
        if p.get("type") != "DataIntegrityProof" or p.get("cryptosuite") != SUITE:
            problems.append(f"proof is {p.get('type')}/{p.get('cryptosuite')}, not DataIntegrityProof/{SUITE}")
        if p.get("proofPurpose") != "assertionMethod":
            problems.append(f"proofPurpose is {p.get('proofPurpose')!r}, not assertionMethod")
        if not p.get("created"):
            problems.append("the proof has no creation date (created)")
    issuer = _issuer_id(credential)
    if controller != issuer:
        problems.append(f"the proof's verificationMethod belongs to {controller!r}, not to the issuer {issuer!r}")
    elif "assertionMethod" not in relationships:
        problems.append("the issuer's DID document does not list the proof's key under assertionMethod")
    if problems:
        return failed("; ".join(problems))
    return passed(f"{SUITE} proof for assertionMethod with created, by a key of {issuer}")


@check("LMC-VE-03", Category.ISSUER_BINDING)
def did_web_or_key_ed25519(issuer_id: Any, method_type: str | None, curve: str | None) -> Verdict:
    """The issuer is a did:web or did:key, and its signing key an Ed25519 Multikey."""
    problems = [p for p in [did_method_problem(issuer_id, DID_METHODS)] if p]
    if method_type != "Multikey":
        problems.append(f"the signing key is a {method_type or 'method of no type'}, not a Multikey")
    if curve != "Ed25519":
        problems.append(f"the signing key is {curve or 'of no known curve'}, not Ed25519")
    if problems:
        return failed("; ".join(problems))
    return passed(f"issuer {issuer_id} signs with an Ed25519 Multikey")


@check("LMC-VE-04", Category.STATUS)
def own_bitstring_status_list(credential: Mapping[str, Any], status_list: Mapping[str, Any] | None,
                              list_key: str | None, fetch_error: str | None = None) -> Verdict:
    """A BitstringStatusListEntry (statusListCredential, statusListIndex) whose list is signed with a
    key of the credential issuer's DID document. ``list_key``: the key that signed the list when it
    is one of the issuer's (its id there), else None."""
    status = credential.get("credentialStatus")
    entries = [e for e in (status if isinstance(status, list) else [status]) if isinstance(e, Mapping)]
    bsl = [e for e in entries if e.get("type") == "BitstringStatusListEntry"]
    if not bsl:
        return failed(f"no BitstringStatusListEntry in credentialStatus (found: {[e.get('type') for e in entries] or 'none'})")
    entry = bsl[0]
    missing = [k for k in ("statusListCredential", "statusListIndex") if entry.get(k) in (None, "")]
    if missing:
        return failed(f"the status entry lacks {', '.join(missing)}")
    if status_list is None:
        return failed(f"the status list {entry.get('statusListCredential')} could not be read: {fetch_error}")
    if list_key is None:
        return failed(f"the status list {entry.get('statusListCredential')} is not signed with a key of the credential "
                      f"issuer {_issuer_id(credential)!r}'s DID document ({fetch_error or 'another key'}; "
                      "no status list shared across issuers)")
    return passed(f"status list {entry.get('statusListCredential')} signed with the issuer's key {list_key}")


@check("LMC-VE-05", Category.PROTOCOL)
def endpoints_tls12(facts: Sequence[TlsFacts]) -> Verdict:
    """Every endpoint of the profile's roles: HTTPS, TLS 1.2 or later, a valid certificate."""
    if not facts:
        return failed("the vendor profile names no endpoint for this profile's roles")
    problems = [p for f in facts for p in tls_problems(f)]
    unprobed = [f.url for f in facts if f.scheme == "https" and not f.obsolete_probed]
    if problems:
        return failed("; ".join(problems))
    note = f" (TLS below 1.2 not probed for {', '.join(unprobed)}: the local OpenSSL cannot offer it)" if unprobed else ""
    return passed(f"{len(facts)} endpoint(s) on TLS {', '.join(sorted({f.version or '?' for f in facts}))}{note}")


@check("LMC-VE-06", Category.STATUS)
def status_checked_each_verification(seen: CacheObservation) -> Verdict:
    """Every verification of a badge whose list is served ``no-cache`` fetched the list again."""
    problems = status_cache_problems(seen)
    if problems:
        return failed("; ".join(problems))
    return passed(f"{seen.verifications} verifications fetched the status list {seen.fetches} time(s) "
                  f"(served with Cache-Control: {seen.cache_control})")
