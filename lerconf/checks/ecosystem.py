"""Checks ecosystem profiles commonly need, usable by any of them: a DID method allow-list, the
TLS of an endpoint, a verifier's status-list caching, and ``result.resultDescription`` linking.

Each returns the problems it found (empty = holds); an ecosystem's registered checks
(lerconf.checks.lmc, …) turn them into verdicts for their own requirement ids, so one generic rule
serves every ecosystem that adopts it.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lerconf.checks.binding import party_id

__all__ = [
    "CacheObservation",
    "TlsFacts",
    "di_assertion_proof_problems",
    "did_method_problem",
    "email_subject_problems",
    "issuer_id",
    "issuer_key_problems",
    "own_status_list_problems",
    "result_description_problems",
    "status_cache_problems",
    "tls_problems",
    "vcdm2_type_problems",
]

VC_V2 = "https://www.w3.org/ns/credentials/v2"

#: TLS versions as Python's ssl names them, oldest first
TLS_ORDER = ("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")


def did_method_problem(identifier: Any, allowed: Sequence[str], what: str = "the issuer") -> str | None:
    """Why ``identifier`` is not a DID of an allowed method (``["web", "key"]``), or None."""
    names = ", ".join(f"did:{m}" for m in allowed)
    if not isinstance(identifier, str) or not identifier:
        return f"{what} has no identifier (allowed: {names})"
    if not identifier.startswith("did:"):
        return f"{what} {identifier!r} is not a DID (allowed: {names})"
    method = identifier.split(":", 2)[1]
    if method not in allowed:
        return f"{what} {identifier} uses did:{method} (allowed: {names})"
    return None


@dataclass(frozen=True)
class TlsFacts:
    """What lerconf saw connecting to one endpoint (lerconf.clients.tls_probe)."""

    url: str
    scheme: str
    version: str | None = None  # negotiated with lerconf's modern client (TLS 1.2 or later offered)
    certificate_error: str | None = None  # why the certificate did not verify (expired, wrong host, untrusted)
    connect_error: str | None = None  # no TLS session at all
    obsolete_accepted: str | None = None  # a TLS version below 1.2 the server accepted when only that was offered
    obsolete_probed: bool = True  # False when the local OpenSSL cannot offer TLS 1.0/1.1


def tls_problems(facts: TlsFacts, minimum: str = "TLSv1.2") -> list[str]:
    """Why an endpoint does not meet "HTTPS with TLS ``minimum`` or later under a valid certificate"."""
    if facts.scheme != "https":
        return [f"{facts.url} is plain {facts.scheme.upper()}: no TLS at all"]
    if facts.connect_error:
        return [f"{facts.url}: no TLS session: {facts.connect_error}"]
    problems = []
    if facts.version is None or TLS_ORDER.index(facts.version) < TLS_ORDER.index(minimum):
        problems.append(f"{facts.url} negotiated {facts.version or 'no version'}, below {minimum}")
    if facts.obsolete_accepted:
        problems.append(f"{facts.url} accepts {facts.obsolete_accepted} when a client offers only that (below {minimum})")
    if facts.certificate_error:
        problems.append(f"{facts.url}: certificate not valid: {facts.certificate_error}")
    return problems


@dataclass(frozen=True)
class CacheObservation:
    """A verifier's fetches of one status list, as lerconf's status-list endpoint saw them."""

    verifications: int  # how many verifications used the list
    fetches: int  # how many times the verifier fetched it meanwhile
    cache_control: str  # what lerconf's endpoint answered in Cache-Control


def status_cache_problems(seen: CacheObservation) -> list[str]:
    """Does the verifier honour the status list's ``Cache-Control``? With ``no-store``/``no-cache``/
    ``max-age=0`` every verification must fetch (status is checked at verification time); with a
    positive ``max-age`` longer than the verifications took, fetching every time ignores it."""
    directives = {d.strip().split("=")[0].lower(): d.strip() for d in seen.cache_control.split(",") if d.strip()}
    fresh = directives.get("max-age", "max-age=0").split("=", 1)[-1]
    must_refetch = "no-store" in directives or "no-cache" in directives or fresh.strip() in ("", "0")
    if must_refetch and seen.fetches < seen.verifications:
        return [f"{seen.verifications} verifications fetched the status list {seen.fetches} time(s) although it was "
                f"served with Cache-Control: {seen.cache_control} (a cached list can miss a revocation)"]
    if not must_refetch and seen.verifications > 1 and seen.fetches >= seen.verifications:
        return [f"{seen.verifications} verifications fetched the status list {seen.fetches} times although it was "
                f"served with Cache-Control: {seen.cache_control} (no caching)"]
    if seen.fetches == 0:
        return [f"{seen.verifications} verification(s) never fetched the status list: status was not checked"]
    return []


def _ids(value: Any) -> list[Mapping[str, Any]]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [i for i in items if isinstance(i, Mapping)]


def result_description_problems(credential: Mapping[str, Any]) -> list[str]:
    """Every ``credentialSubject.result[]`` that names a ``resultDescription`` names one the
    achievement declares (``achievement.resultDescription[].id``), as OB 3.0's Result says."""
    problems = []
    for subject in _ids(credential.get("credentialSubject")):
        achievement = subject.get("achievement")
        declared = {d.get("id") for d in _ids(achievement.get("resultDescription") if isinstance(achievement, Mapping)
                                              else None)}
        for i, result in enumerate(_ids(subject.get("result"))):
            linked = result.get("resultDescription")
            if linked is None:
                continue
            if linked not in declared:
                problems.append(f"credentialSubject.result[{i}].resultDescription {linked!r} names no "
                                f"achievement.resultDescription[].id (declared: {', '.join(sorted(map(str, declared))) or 'none'})")
    return problems


def _types(doc: Mapping[str, Any]) -> list[str]:
    value = doc.get("type")
    return [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]


def issuer_id(credential: Mapping[str, Any]) -> str | None:
    return party_id(credential.get("issuer"))


def vcdm2_type_problems(credential: Mapping[str, Any], wanted_type: str) -> list[str]:
    """VC Data Model 2.0 (its base context first) and ``wanted_type`` among the types."""
    context = credential.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    problems = []
    if first != VC_V2:
        problems.append(f"@context starts with {first!r}, not {VC_V2} (VC Data Model 2.0)")
    if wanted_type not in _types(credential):
        problems.append(f"type is {_types(credential)}, without {wanted_type}")
    return problems


def di_assertion_proof_problems(credential: Mapping[str, Any], suite: str, controller: str | None,
                                relationships: Sequence[str]) -> list[str]:
    """Every proof a DataIntegrityProof of ``suite`` for assertionMethod with ``created``, by a key the
    issuer's DID document lists for assertionMethod (``controller``/``relationships`` as resolved)."""
    proof = credential.get("proof")
    proofs = [p for p in (proof if isinstance(proof, list) else [proof]) if isinstance(p, Mapping)]
    if not proofs:
        return ["the credential has no embedded proof (a Data Integrity proof is required)"]
    problems = []
    for p in proofs:
        if p.get("type") != "DataIntegrityProof" or p.get("cryptosuite") != suite:
            problems.append(f"proof is {p.get('type')}/{p.get('cryptosuite')}, not DataIntegrityProof/{suite}")
        if p.get("proofPurpose") != "assertionMethod":
            problems.append(f"proofPurpose is {p.get('proofPurpose')!r}, not assertionMethod")
        if not p.get("created"):
            problems.append("the proof has no creation date (created)")
    issuer = issuer_id(credential)
    if controller != issuer:
        problems.append(f"the proof's verificationMethod belongs to {controller!r}, not to the issuer {issuer!r}")
    elif "assertionMethod" not in relationships:
        problems.append("the issuer's DID document does not list the proof's key under assertionMethod")
    return problems


def issuer_key_problems(issuer: Any, methods: Sequence[str], method_type: str | None, curve: str | None,
                        wanted_curve: str) -> list[str]:
    """The issuer is a DID of an allowed method, and its signing key a Multikey on ``wanted_curve``."""
    problems = [p for p in [did_method_problem(issuer, methods)] if p]
    if method_type != "Multikey":
        problems.append(f"the signing key is a {method_type or 'method of no type'}, not a Multikey")
    if curve != wanted_curve:
        problems.append(f"the signing key is {curve or 'of no known curve'}, not {wanted_curve}")
    return problems


def own_status_list_problems(credential: Mapping[str, Any], status_list: Mapping[str, Any] | None,
                             list_key: str | None, fetch_error: str | None = None) -> list[str]:
    """A BitstringStatusListEntry (statusListCredential, statusListIndex) whose list is signed with a
    key of the credential issuer's DID document. ``list_key``: the key that signed the list when it
    is one of the issuer's (its id there), else None."""
    status = credential.get("credentialStatus")
    entries = [e for e in (status if isinstance(status, list) else [status]) if isinstance(e, Mapping)]
    bsl = [e for e in entries if e.get("type") == "BitstringStatusListEntry"]
    if not bsl:
        return [f"no BitstringStatusListEntry in credentialStatus (found: {[e.get('type') for e in entries] or 'none'})"]
    entry = bsl[0]
    missing = [k for k in ("statusListCredential", "statusListIndex") if entry.get(k) in (None, "")]
    if missing:
        return [f"the status entry lacks {', '.join(missing)}"]
    if status_list is None:
        return [f"the status list {entry.get('statusListCredential')} could not be read: {fetch_error}"]
    if list_key is None:
        return [f"the status list {entry.get('statusListCredential')} is not signed with a key of the credential "
                f"issuer {issuer_id(credential)!r}'s DID document ({fetch_error or 'another key'}; "
                "no status list shared across issuers)"]
    return []


def email_subject_problems(credential: Mapping[str, Any]) -> list[str]:
    """Every credentialSubject is identified by an email address the way Open Badges 3.0 does it: an
    ``identifier`` entry (IdentityObject) with ``identityType`` ``emailAddress``, an ``identityHash``
    (the address, or ``sha256$`` + its salted hash when ``hashed``) and ``hashed`` a boolean."""
    problems = []
    subjects = _ids(credential.get("credentialSubject"))
    if not subjects:
        return ["the credential has no credentialSubject object"]
    for i, subject in enumerate(subjects):
        emails = [o for o in _ids(subject.get("identifier")) if o.get("identityType") == "emailAddress"]
        if not emails:
            kinds = [o.get("identityType") for o in _ids(subject.get("identifier"))]
            problems.append(f"credentialSubject[{i}] has no identifier with identityType emailAddress "
                            f"(identifier types: {kinds or 'none'}; id: {subject.get('id')!r})")
            continue
        for email in emails:
            value, hashed = email.get("identityHash"), email.get("hashed")
            if not isinstance(hashed, bool):
                problems.append(f"credentialSubject[{i}] emailAddress identifier: hashed is {hashed!r}, not a boolean")
            elif not isinstance(value, str) or not value:
                problems.append(f"credentialSubject[{i}] emailAddress identifier has no identityHash")
            elif hashed and not value.startswith(("sha256$", "md5$")):
                problems.append(f"credentialSubject[{i}] emailAddress identityHash is marked hashed but is not "
                                f"'sha256$<hex>' (or md5$): {value[:20]!r}")
            elif not hashed and "@" not in value:
                problems.append(f"credentialSubject[{i}] emailAddress identityHash {value!r} is not an email address")
    return problems
