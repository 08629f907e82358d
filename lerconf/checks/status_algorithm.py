"""The Bitstring Status List validation algorithm (BSL §3.2) over every status entry of a credential:
retrieve the list (fail closed), verify its proof, decode it and read the bit, one check at each step.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lerconf.checks.status import (
    Entry,
    ProofVerifier,
    credential_status_is_clear,
    encoded_list_decodes,
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

__all__ = ["check_status"]


# -- orchestration -----------------------------------------------------------------------------
def check_status(
    credential: Mapping[str, Any],
    *,
    loader: DocumentLoader,
    verify_proof: ProofVerifier,
    at: datetime | None = None,
) -> list[CheckResult]:
    """Validate every ``credentialStatus`` entry; any failure means the credential is not verified.

    ``verify_proof`` checks the status list credential's own proof (the Data Integrity / JOSE
    engine); it returns CheckResults, and any FAILED one (or none at all) fails closed.
    """
    at = at or datetime.now(UTC)
    status = credential.get("credentialStatus")
    if status is None:
        return [status_entry_is_processable(None)]
    entries = status if isinstance(status, list) else [status]
    results: list[CheckResult] = []
    for i, raw in enumerate(entries):
        label = f"credentialStatus[{i}]" if isinstance(status, list) else "credentialStatus"
        results.extend(_check_entry(raw, label, loader, verify_proof, at))
    return results


def _check_entry(raw: Any, label: str, loader: DocumentLoader, verify_proof: ProofVerifier,
                 at: datetime) -> list[CheckResult]:
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
    try:
        doc, error = loader.load_remote_json(entry.list_url), None
    except ResolutionError as exc:
        doc, error = None, str(exc)
    step = status_list_retrieved(entry.list_url, doc, error, subject=label)
    out.append(step)
    if step.is_failure:
        return out
    assert isinstance(doc, Mapping)
    list_steps: tuple[Callable[[], CheckResult], ...] = (
        lambda: status_list_is_status_list_credential(doc, entry.fmt, subject=label),
        lambda: status_list_verifies(doc, _safe_verify(verify_proof, doc), at, subject=label),
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
        lambda: status_list_long_enough(bits, entry.size, subject=label),
        lambda: status_index_in_range(bits, entry, subject=label),
        lambda: credential_status_is_clear(bits, entry, subject=label),
    )
    for step_fn in bit_steps:
        out.append(step_fn())
        if out[-1].is_failure:
            return out
    return out


def _safe_verify(verify_proof: ProofVerifier, doc: Mapping[str, Any]) -> list[CheckResult]:
    """Call the proof engine on a copy, so it cannot alter the cached list."""
    return list(verify_proof(copy.deepcopy(dict(doc))))


def _strip(result: CheckResult, key: str) -> CheckResult:
    """Drop a working value (parsed entry, raw bitstring) from the reported details."""
    return replace(result, details={k: v for k, v in result.details.items() if k != key})
