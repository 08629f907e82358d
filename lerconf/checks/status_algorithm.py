"""The Bitstring Status List validation algorithm (BSL §3.2) over every status entry of a credential:
retrieve the list (fail closed), verify its proof, decode it and read the bit, one check at each step.

The list may be secured by any mechanism the engine knows (BSL §4, §3.6): an embedded proof, a
VC-JWT in any of the three JWT encodings (VCDM 1.1 ``vc`` claim, OB 3.0, VC-JOSE-COSE ``vc+jwt``)
served as a compact JWS, or an EnvelopedVerifiableCredential.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lerconf import entropy
from lerconf.checks.revocation_list import (
    REVOCATION_LIST_TYPE,
    credential_is_not_on_revocation_list,
    revocation_list_entry_is_wellformed,
    revocation_list_is_issued_by_the_issuer,
    revocation_list_retrieved,
)
from lerconf.checks.status import (
    Entry,
    ListMinimum,
    ProofVerifier,
    VerifiedList,
    credential_status_is_clear,
    encoded_list_decodes,
    looks_like_compact_jws,
    status_entry_id_differs_from_list_url,
    status_entry_is_processable,
    status_entry_references_status_list,
    status_index_in_range,
    status_list_is_status_list_credential,
    status_list_long_enough,
    status_list_retrieved,
    status_list_verifies,
    status_messages_cover_every_status,
    status_purpose_matches_list,
)
from lerconf.errors import ResolutionError
from lerconf.results import CheckResult, Status

if TYPE_CHECKING:
    from lerconf.documents.loader import DocumentLoader

__all__ = ["check_status", "fetch_status_list"]


# -- orchestration -----------------------------------------------------------------------------
def check_status(
    credential: Mapping[str, Any],
    *,
    loader: DocumentLoader,
    verify_proof: ProofVerifier,
    at: datetime | None = None,
    minimum: ListMinimum | None = None,
) -> list[CheckResult]:
    """Validate every ``credentialStatus`` entry; any failure means the credential is not verified.

    ``verify_proof`` checks the status list credential's own securing (the Data Integrity / JOSE
    engine): it gets the JSON object or the compact JWS the list URL served, and returns a
    ``VerifiedList`` (the credential inside, and CheckResults) or, for an embedded proof, just the
    CheckResults; any FAILED one (or none at all) fails closed. ``minimum`` is the fewest entries a
    list may hold (BSL-16; default the spec's 131,072, lowered by an ecosystem).
    """
    at = at or entropy.utc_now()
    status = credential.get("credentialStatus")
    if status is None:
        return [status_entry_is_processable(None)]
    entries = status if isinstance(status, list) else [status]
    results: list[CheckResult] = []
    for i, raw in enumerate(entries):
        label = f"credentialStatus[{i}]" if isinstance(status, list) else "credentialStatus"
        types = raw.get("type") if isinstance(raw, Mapping) else None
        if isinstance(raw, Mapping) and REVOCATION_LIST_TYPE in (types if isinstance(types, list) else [types]):
            results.extend(_check_revocation_list(credential, raw, label, loader))
        else:
            results.extend(_check_entry(raw, label, loader, verify_proof, at, minimum))
    return results


def _check_revocation_list(credential: Mapping[str, Any], raw: Mapping[str, Any], label: str,
                           loader: DocumentLoader) -> list[CheckResult]:
    """Open Badges' 1EdTech Revocation List (OB-26): fetch the list the entry names, look the badge's
    id up in it; fail closed at the first step that fails."""
    out = [revocation_list_entry_is_wellformed(raw, subject=label)]
    if out[-1].is_failure:
        return out
    url = str(raw["id"])
    document, error, unreached = _fetch(loader, url)
    out.append(revocation_list_retrieved(url, document, error, subject=label, unreached=unreached is not None,
                                         fix=unreached.fix if unreached else ""))
    if out[-1].is_failure:
        return out
    out.append(revocation_list_is_issued_by_the_issuer(credential, document, subject=label))
    # looked up whatever the issuer says: a revoked badge is never passed on a naming difference
    out.append(credential_is_not_on_revocation_list(credential, document, url, subject=label))
    return out


def _check_entry(raw: Any, label: str, loader: DocumentLoader, verify_proof: ProofVerifier,
                 at: datetime, minimum: ListMinimum | None = None) -> list[CheckResult]:
    """Run BSL §3.2 for one entry, stopping at the first step that fails (fail closed)."""
    out: list[CheckResult] = []
    gate = status_entry_is_processable(raw, subject=label)
    if gate.status is Status.NOT_APPLICABLE:
        return [gate]
    if isinstance(raw, Mapping):
        out += [status_entry_references_status_list(raw, subject=label),
                status_entry_id_differs_from_list_url(raw, subject=label),
                status_messages_cover_every_status(raw, subject=label)]
    if gate.status is not Status.PASSED:
        return [gate, *out]
    entry: Entry = gate.details["entry"]
    out.insert(0, _strip(gate, "entry"))
    secured, error, unreached = _fetch(loader, entry.list_url)
    step = status_list_retrieved(entry.list_url, secured, error, subject=label,
                                 unreached=unreached is not None, fix=unreached.fix if unreached else "")
    out.append(step)
    if step.is_failure:
        return out
    verified = _safe_verify(verify_proof, secured)
    if verified.credential is None:  # a token that does not decode: nothing to read, the securing failed
        out.append(status_list_verifies({"id": entry.list_url}, [r for r in verified.results if r.is_failure], at,
                                        subject=label, secured_by=verified.secured_by))
        return out
    doc = verified.credential
    list_steps: tuple[Callable[[], CheckResult], ...] = (
        lambda: status_list_is_status_list_credential(doc, entry.fmt, subject=label),
        lambda: status_list_verifies(doc, verified.results, at, subject=label, secured_by=verified.secured_by),
        lambda: status_purpose_matches_list(entry, doc, subject=label),
    )
    for run in list_steps:
        out.append(run())
        if out[-1].is_failure:
            return out
    decoded = encoded_list_decodes(doc["credentialSubject"]["encodedList"], entry.fmt, subject=label)
    out.append(_strip(decoded, "bitstring"))
    if decoded.is_failure:
        return out
    bits: bytes = decoded.details["bitstring"]
    bit_steps: tuple[Callable[[], CheckResult], ...] = (
        lambda: status_list_long_enough(bits, entry.size, subject=label, minimum=minimum),
        lambda: status_index_in_range(bits, entry, subject=label),
        lambda: credential_status_is_clear(bits, entry, subject=label),
    )
    for step_fn in bit_steps:
        out.append(step_fn())
        if out[-1].is_failure:
            return out
    return out


def fetch_status_list(loader: DocumentLoader, url: str) -> tuple[Any, str | None]:
    """The status list at ``url`` as served: a JSON object, or the text of a compact JWS (VC-JWT),
    with why it could not be had. BSL §4 allows any media type registered for a secured VC, and
    §3.6 says a list SHOULD be secured like the credentials it serves, so a VC-JWT issuer serves a
    VC-JWT list. The loader applies every fetch rule (URL map, offline, address guard)."""
    document, error, _ = _fetch(loader, url)
    return document, error


def _fetch(loader: DocumentLoader, url: str) -> tuple[Any, str | None, ResolutionError | None]:
    """As :func:`fetch_status_list`, with the loader's error when lerconf got no answer at all
    (``ResolutionError.unreached``: the status *could not be checked*, with its fix)."""
    try:
        raw = loader.load_remote_bytes(url)
    except ResolutionError as exc:
        return None, str(exc), exc if exc.unreached else None
    text = raw.decode("utf-8", "replace").strip()
    if looks_like_compact_jws(text):
        return text, None, None
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        return None, f"{url} is not valid JSON: {exc}", None
    if isinstance(document, str) and looks_like_compact_jws(document):  # a JSON string holding the token
        return document.strip(), None, None
    return document, None, None


def _safe_verify(verify_proof: ProofVerifier, secured: Any) -> VerifiedList:
    """Call the proof engine on a copy, so it cannot alter the cached list."""
    given = secured if isinstance(secured, str) else copy.deepcopy(dict(secured))
    outcome = verify_proof(given)
    if isinstance(outcome, VerifiedList):
        return outcome
    return VerifiedList(secured if isinstance(secured, Mapping) else None, list(outcome))


def _strip(result: CheckResult, key: str) -> CheckResult:
    """Drop a working value (parsed entry, raw bitstring) from the reported details."""
    return replace(result, details={k: v for k, v in result.details.items() if k != key})
