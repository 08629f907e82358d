"""Status checks: W3C Bitstring Status List v1.0 (and the older StatusList2021).

``check_status`` runs the BSL §3.2 validate algorithm for every ``credentialStatus`` entry and
fails closed: a list that cannot be fetched, verified or decoded, or an index it cannot
answer, leaves the credential *not verified*. Each step is one check with its own id, so a
report shows how far validation got and which problem-detail code applies.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from lerconf.checks.base import Verdict, check, composed, failed, not_applicable, passed
from lerconf.checks.status_minimum import ListMinimum, list_minimum_problem
from lerconf.crypto.status_list import (
    FORMATS,
    EncodedListError,
    StatusListFormat,
    decode_encoded_list,
    read_status,
)
from lerconf.results import Category, CheckResult, Status

if TYPE_CHECKING:
    pass

__all__ = ["Entry", "ListMinimum", "ProofVerifier", "VerifiedList", "issued_status_list_serves_a_verifying_list",
           "list_minimum_problem", "looks_like_compact_jws"]


@dataclass(frozen=True)
class VerifiedList:
    """What the verification engine made of a fetched status list credential.

    ``credential`` is the list credential taken out of its securing (the JSON itself for an
    embedded proof; the payload of a VC-JWT, ``vc+jwt`` or EnvelopedVerifiableCredential), None
    when it did not decode; ``results`` the proof/signature, binding and JOSE checks of that securing.
    """

    credential: Mapping[str, Any] | None
    results: list[CheckResult]
    secured_by: str = "proof"


#: verifies a fetched status list: a JSON object (embedded proof, or an EnvelopedVerifiableCredential)
#: or the text of a compact JWS (VC-JWT in any of the three JWT encodings). A plain list of results
#: means "embedded proof": the credential is the JSON object itself.
ProofVerifier = Callable[[dict[str, Any] | str], "VerifiedList | list[CheckResult]"]

_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(~[A-Za-z0-9_.~-]*)?$")


def looks_like_compact_jws(value: Any) -> bool:
    """A compact JWS (or SD-JWT) as text: how a status list secured as a VC-JWT is served (BSL §4)."""
    return isinstance(value, str) and bool(_COMPACT_JWS.match(value.strip()))

RETRIEVAL = "STATUS_RETRIEVAL_ERROR"
VERIFICATION = "STATUS_VERIFICATION_ERROR"
LENGTH = "STATUS_LIST_LENGTH_ERROR"
RANGE = "RANGE_ERROR"
MALFORMED = "MALFORMED_VALUE_ERROR"

_INDEX = re.compile(r"^(0|[1-9][0-9]*)$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")


@dataclass(frozen=True)
class Entry:
    """A processable status entry (BSL-19 passed)."""

    fmt: StatusListFormat
    purpose: str
    index: int
    list_url: str
    size: int = 1
    messages: Mapping[int, str] = field(default_factory=dict)


def _types(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


# -- entry structure (issuer artefact) -------------------------------------------------------
@check("BSL-01", Category.STATUS)
def status_entry_references_status_list(entry: Mapping[str, Any], *, subject: str = "") -> Verdict:
    """The credentialStatus entry has type BitstringStatusListEntry, statusPurpose, statusListIndex and statusListCredential.

    BSL §2.1: statusListIndex is a base-10 string of an integer >= 0; statusListCredential is a URL.
    """
    problems: list[str] = []
    etype = entry.get("type")
    if not any(t in FORMATS for t in _types(etype)):
        problems.append(f"type {etype!r} is not BitstringStatusListEntry")
    if not isinstance(entry.get("statusPurpose"), str) or not entry["statusPurpose"]:
        problems.append("statusPurpose is missing or not a string")
    index = entry.get("statusListIndex")
    if not isinstance(index, str) or not _INDEX.match(index):
        problems.append(f"statusListIndex {index!r} is not a base-10 string of a non-negative integer")
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not _URL.match(url):
        problems.append(f"statusListCredential {url!r} is not a URL")
    if problems:
        return failed("; ".join(problems), error=MALFORMED, subject=subject, entry=dict(entry))
    return passed("status entry names its type, purpose, index and list URL", subject=subject, type=etype)


@check("BSL-02", Category.STATUS)
def status_entry_id_differs_from_list_url(entry: Mapping[str, Any], *, subject: str = "") -> Verdict:
    """The id of a status entry, if present, MUST be a URL and MUST NOT be the URL of the status list.

    BSL §2.1 BitstringStatusListEntry.
    """
    entry_id = entry.get("id")
    if entry_id is None:
        return not_applicable("status entry has no id", subject=subject)
    if not isinstance(entry_id, str) or not _URL.match(entry_id):
        return failed(f"status entry id {entry_id!r} is not a URL", error=MALFORMED, subject=subject)
    if entry_id == entry.get("statusListCredential"):
        return failed("status entry id equals the status list URL", error=MALFORMED, subject=subject, id=entry_id)
    return passed("status entry id is a URL distinct from the status list URL", subject=subject, id=entry_id)


@check("BSL-03", Category.STATUS)
def status_messages_cover_every_status(entry: Mapping[str, Any], *, subject: str = "") -> Verdict:
    """If statusSize is greater than 1, statusMessage MUST be present with one entry per possible status.

    BSL §2.1: statusSize defaults to 1; each statusMessage has a hex ``status`` and a ``message``.
    """
    size = entry.get("statusSize", 1)
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        return failed(f"statusSize {size!r} is not a positive integer", error=MALFORMED, subject=subject)
    if size == 1 and "statusMessage" not in entry:
        return not_applicable("single-bit status entry (statusSize 1)", subject=subject)
    messages = entry.get("statusMessage")
    if not isinstance(messages, list):
        return failed(f"statusSize is {size} but statusMessage is missing", error=MALFORMED, subject=subject)
    bad = [m for m in messages if not isinstance(m, Mapping) or not isinstance(m.get("status"), str)
           or not _HEX.match(m["status"]) or not isinstance(m.get("message"), str)]
    if bad:
        return failed("statusMessage entries need a hex status and a message", error=MALFORMED,
                      subject=subject, bad=bad)
    expected = 2**size
    if len(messages) != expected:
        return failed(f"statusMessage has {len(messages)} entries; statusSize {size} needs {expected}",
                      error=MALFORMED, subject=subject)
    values = {int(m["status"], 16) for m in messages}
    if values != set(range(expected)):
        return failed("statusMessage does not cover each status value exactly once", error=MALFORMED,
                      subject=subject, statuses=sorted(values))
    return passed(f"statusMessage declares all {expected} statuses", subject=subject)


# -- verifier algorithm (BSL §3.2) -------------------------------------------------------------
@check("BSL-19", Category.STATUS)
def status_entry_is_processable(entry: Any, *, subject: str = "") -> Verdict:
    """Malformed status entry values (e.g. a non-numeric index, a missing type) MUST raise MALFORMED_VALUE_ERROR.

    BSL §3 Algorithms. Passing yields ``details["entry"]``, the parsed entry used by later steps.
    ``None`` (no credentialStatus) and entries of other status types are not applicable.
    """
    if entry is None:
        return not_applicable("credential has no credentialStatus", subject=subject)
    if not isinstance(entry, Mapping):
        return failed(f"credentialStatus entry is a {type(entry).__name__}, not an object", error=MALFORMED, subject=subject)
    fmts = [FORMATS[t] for t in _types(entry.get("type")) if t in FORMATS]
    if not _types(entry.get("type")):
        return failed(f"status entry type {entry.get('type')!r} is missing", error=MALFORMED, subject=subject)
    if not fmts:
        return not_applicable(f"status type {entry.get('type')!r} is not a bitstring status list; not checked here",
                              subject=subject)
    purpose, index, url = entry.get("statusPurpose"), entry.get("statusListIndex"), entry.get("statusListCredential")
    size = entry.get("statusSize", 1)
    if not isinstance(purpose, str) or not purpose:
        return failed(f"statusPurpose {purpose!r} is not a string", error=MALFORMED, subject=subject)
    if not isinstance(index, str) or not _INDEX.match(index):
        return failed(f"statusListIndex {index!r} is not a non-negative base-10 integer string",
                      error=MALFORMED, subject=subject)
    if not isinstance(url, str) or not _URL.match(url):
        return failed(f"statusListCredential {url!r} is not a URL", error=MALFORMED, subject=subject)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 64:
        return failed(f"statusSize {size!r} is not a positive integer", error=MALFORMED, subject=subject)
    messages: dict[int, str] = {}
    for m in entry.get("statusMessage") or []:
        if isinstance(m, Mapping) and isinstance(m.get("status"), str) and _HEX.match(m["status"]):
            messages[int(m["status"], 16)] = str(m.get("message", ""))
    parsed = Entry(fmts[0], purpose, int(index), url, size, messages)
    return passed("status entry values can be processed", subject=subject, entry=parsed)


@check("BSL-13", Category.STATUS)
def status_list_retrieved(url: str, document: Any, error: str | None, *, subject: str = "", unreached: bool = False,
                          fix: str = "") -> Verdict:
    """If the status list credential cannot be dereferenced, a STATUS_RETRIEVAL_ERROR MUST be raised.

    BSL §3.2 step 4. The harness fetches through the document loader (URL map or guarded HTTP).
    BSL §4 allows any media type registered for a secured verifiable credential, so the list may
    be a JSON object (embedded proof, or an EnvelopedVerifiableCredential) or a compact JWS (VC-JWT).
    ``unreached``: lerconf got no answer (its address guard, offline, TLS trust, connection): the
    status *could not be checked*; still a failure (fail closed), with ``fix`` in the details.
    """
    if error is not None:
        return failed(f"status list {url} could not be retrieved: {error}", error=RETRIEVAL, subject=subject, url=url,
                      **({"could_not_check": True, "fix": fix} if unreached else {}))
    if looks_like_compact_jws(document):
        return passed(f"status list {url} retrieved (a compact JWS)", subject=subject, url=url, media="jwt")
    if not isinstance(document, Mapping):
        return failed(f"status list {url} is neither a JSON object nor a compact JWS (VC-JWT)", error=RETRIEVAL,
                      subject=subject, url=url)
    return passed(f"status list {url} retrieved", subject=subject, url=url)


@check("BSL-04", Category.STATUS)
def status_list_is_status_list_credential(doc: Mapping[str, Any], fmt: StatusListFormat, *, subject: str = "") -> Verdict:
    """The status list is a verifiable credential whose type includes BitstringStatusListCredential.

    BSL §2.2: credentialSubject.type is BitstringStatusList; statusPurpose is one or more strings;
    encodedList is a string.
    """
    problems: list[str] = []
    if fmt.credential_type not in _types(doc.get("type")) or "VerifiableCredential" not in _types(doc.get("type")):
        problems.append(f"type {doc.get('type')!r} lacks VerifiableCredential/{fmt.credential_type}")
    cs = doc.get("credentialSubject")
    if not isinstance(cs, Mapping):
        problems.append("credentialSubject is not a single object")
    else:
        if fmt.subject_type not in _types(cs.get("type")):
            problems.append(f"credentialSubject.type {cs.get('type')!r} is not {fmt.subject_type}")
        purposes = cs.get("statusPurpose")
        if not _types(purposes) or len(_types(purposes)) != (len(purposes) if isinstance(purposes, list) else 1):
            problems.append(f"credentialSubject.statusPurpose {purposes!r} is not one or more strings")
        if not isinstance(cs.get("encodedList"), str):
            problems.append("credentialSubject.encodedList is missing or not a string")
    if problems:
        return failed("; ".join(problems), error=VERIFICATION, subject=subject)
    return passed(f"status list is a {fmt.credential_type}", subject=subject)


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@check("BSL-14", Category.STATUS)
def status_list_verifies(
    doc: Mapping[str, Any], proof_results: list[CheckResult], at: datetime, *, subject: str = "", secured_by: str = "proof"
) -> Verdict:
    """If the status list credential's proofs fail to verify, a STATUS_VERIFICATION_ERROR MUST be raised.

    BSL §3.2 step 5. ``secured_by`` names how the list is secured ("proof": embedded; "jwt": a
    VC-JWT or ``vc+jwt``, bare or enveloped; "cose"); each is held to its own checks. The list is a
    VC, so it is also held to its own validity period
    (validFrom/validUntil, or issuanceDate/expirationDate for StatusList2021): an expired list's
    bits cannot be trusted (BSL §2.2, BSL-21).
    """
    url = doc.get("id", "")
    what = {"proof": "proof", "jwt": "VC-JWT", "sd-jwt": "SD-JWT", "cose": "COSE_Sign1"}.get(secured_by, secured_by)
    bad = [r for r in proof_results if r.status is Status.FAILED]
    if not proof_results:
        return failed(f"status list {what} could not be verified: no proof result", error=VERIFICATION, subject=subject,
                      url=url, secured_by=secured_by)
    if bad:
        # the list's key could not be reached (not refuted): the status could not be checked either
        unknown = all(r.details.get("could_not_check") for r in bad)
        fixes = "; ".join(dict.fromkeys(str(r.details.get("fix")) for r in bad if r.details.get("fix")))
        return failed(f"status list {what} does not verify: {bad[0].message}", error=VERIFICATION, subject=subject,
                      url=url, failures=[f"{r.requirement}: {r.message}" for r in bad], secured_by=secured_by,
                      **({"could_not_check": True, "fix": fixes} if unknown else {}))
    for key in ("validFrom", "issuanceDate", "validUntil", "expirationDate"):
        if key in doc and _parse_time(doc[key]) is None:
            return failed(f"status list {key} {doc[key]!r} is not a date-time", error=VERIFICATION, subject=subject)
    start = _parse_time(doc.get("validFrom", doc.get("issuanceDate")))
    end = _parse_time(doc.get("validUntil", doc.get("expirationDate")))
    # a list re-signed while a verification runs may be a moment newer than `at`
    if start is not None and at + CLOCK_SKEW < start:
        return failed(f"status list is not valid until {start.isoformat()}", error=VERIFICATION, subject=subject, at=at.isoformat())
    if end is not None and at > end:
        return failed(f"status list expired at {end.isoformat()}", error=VERIFICATION, subject=subject, at=at.isoformat())
    return passed(f"status list {what} verifies and the list is within its validity period", subject=subject, url=url,
                  secured_by=secured_by)


CLOCK_SKEW = timedelta(seconds=60)


@check("BSL-15", Category.STATUS)
def status_purpose_matches_list(entry: Entry, doc: Mapping[str, Any], *, subject: str = "") -> Verdict:
    """If the entry's statusPurpose does not match a statusPurpose of the status list, a STATUS_VERIFICATION_ERROR MUST be raised.

    BSL §3.2 step 6.
    """
    purposes = _types(doc["credentialSubject"].get("statusPurpose"))
    if entry.purpose not in purposes:
        return failed(f"entry purpose {entry.purpose!r} is not among the list's purposes {purposes}",
                      error=VERIFICATION, subject=subject)
    return passed(f"status list serves purpose {entry.purpose!r}", subject=subject)


@check("BSL-05", Category.STATUS)
def encoded_list_decodes(encoded: str, fmt: StatusListFormat, *, subject: str = "") -> Verdict:
    """The encodedList MUST be a Multibase-encoded base64url (with no padding) representation of the GZIP-compressed bitstring.

    BSL §2.2; §3.3. Expansion is capped (decompression bombs are reported, not expanded).
    Passing yields ``details["bitstring"]``.
    """
    try:
        bits = decode_encoded_list(encoded, multibase=fmt.multibase)
    except EncodedListError as exc:
        return failed(str(exc), error=MALFORMED, subject=subject, reason=exc.reason)
    return passed(f"encodedList expands to {len(bits)} bytes", subject=subject, bitstring=bits)


@check("BSL-16", Category.STATUS)
def status_list_long_enough(bitstring: bytes, size: int, *, subject: str = "", minimum: ListMinimum | None = None) -> Verdict:
    """If the bitstring length divided by statusSize is less than 131,072, a STATUS_LIST_LENGTH_ERROR MUST be raised.

    BSL §3.2 step 10 (herd privacy). 131,072 is the spec's default; an ecosystem may specify a
    lower minimum (``minimum``), and the message says which one applied and who set it.
    """
    minimum = minimum or ListMinimum()
    entries = len(bitstring) * 8 // size
    if entries < minimum.entries:
        return failed(f"status list holds {entries} entries; at least {minimum.entries} are required "
                      f"({minimum.describe()})", error=LENGTH, subject=subject, entries=entries,
                      minimum=minimum.entries, minimum_source=minimum.describe())
    return passed(f"status list holds {entries} entries; at least {minimum.entries} are required ({minimum.describe()})",
                  subject=subject, entries=entries, minimum=minimum.entries, minimum_source=minimum.describe())


@check("BSL-17", Category.STATUS)
def status_index_in_range(bitstring: bytes, entry: Entry, *, subject: str = "") -> Verdict:
    """If the status index multiplied by statusSize falls outside the bitstring, a RANGE_ERROR MUST be raised.

    BSL §3.2 step 11.
    """
    last = (entry.index + 1) * entry.size
    if last > len(bitstring) * 8:
        return failed(f"statusListIndex {entry.index} is outside a list of {len(bitstring) * 8 // entry.size} entries",
                      error=RANGE, subject=subject, index=entry.index)
    return passed(f"statusListIndex {entry.index} is inside the list", subject=subject, index=entry.index)


@check("BSL-18", Category.STATUS)
def credential_status_is_clear(bitstring: bytes, entry: Entry, *, subject: str = "") -> Verdict:
    """A status of 0 means valid; a set revocation or suspension status means the credential fails validation.

    BSL §3.2 steps 12-14; for the ``message`` purpose the mapped statusMessage is returned.
    """
    value = read_status(bitstring, entry.index, entry.size)
    info: dict[str, Any] = {"status": value, "purpose": entry.purpose, "index": entry.index, "list": entry.list_url}
    if entry.purpose == "message" or (entry.size > 1 and entry.purpose not in ("revocation", "suspension")):
        message = entry.messages.get(value)
        return passed(f"status message: {message!r}" if message is not None else f"status value 0x{value:x} (no message)",
                      subject=subject, status_message=message, **info)
    if value == 0:
        return passed(f"{entry.purpose} status is clear", subject=subject, **info)
    word = {"revocation": "revoked", "suspension": "suspended"}.get(entry.purpose)
    if word:
        return failed(f"credential is {word} (index {entry.index} of {entry.list_url})", subject=subject, **info)
    return passed(f"{entry.purpose} status is set (0x{value:x}); it does not invalidate the credential",
                  subject=subject, **info)


@check("BSL-04", Category.STATUS)
def issued_status_list_serves_a_verifying_list(parts: Sequence[CheckResult]) -> Verdict:
    """The status list URL of an issued credential serves a BitstringStatusListCredential (BSL-04)
    whose proof verifies (BSL-14) and which reads the freshly issued credential as valid (BSL-18)."""
    return composed(parts, "the issuer's status list")
