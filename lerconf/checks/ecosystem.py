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

__all__ = ["CacheObservation", "TlsFacts", "did_method_problem", "result_description_problems", "status_cache_problems",
           "tls_problems"]

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
