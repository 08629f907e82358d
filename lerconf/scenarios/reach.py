"""The wire decides for status and did:web: did the vendor's verifier reach lerconf's documents?

A valid credential lerconf signed may depend on documents only lerconf's embedded reference
serves: its status lists (``/status-lists/<purpose>``, the 1EdTech revocation lists under
``/status-lists/1edtech/``) and the DID document of its did:web issuer.
When the vendor's verifier rejects such a credential, the reference's wire log
(:class:`lerconf.refimpl.wire.WireLog`) tells the two cases apart:

* nothing fetched the document: the verifier never reached it (it runs elsewhere, lerconf's
  loopback address or plain HTTP is out of its reach). The rejection says nothing about the
  vendor: *cannot be judged: the verifier did not reach <url> (see --public-base-url)*;
* it was fetched and the verifier still rejected: the normal failure of the scenario's verdict
  checks, whose reason then says how often the document was fetched.

Which fetch counts (the rule): a fetch recorded while lerconf waited for *this vendor's* verifier —
between a wire mark taken just before the call and the answer — in this call or in any earlier call
of this run to the same vendor's verifier. Scenarios run one at a time, and lerconf does nothing
else while it waits for a vendor, so such a fetch is the vendor's (or made on its behalf), never
lerconf's own engine verifying something or a harness fixture setting a status bit (those happen
outside the windows and never count). Counting earlier windows keeps a verifier that caches a list
it fetched in an earlier scenario (the revoked-badge scenario reads the same list) from becoming
"did not reach". A fetch outside every window (say a vendor prefetching in the background) does not
count: it cannot be told from lerconf's own. The embedded reference, as the vendor, fetches its
status lists over HTTP like any verifier (and resolves its own did:web from its file, but it accepts
valid badges, so the rule is never asked about it).

The counts per vendor live on the run's :class:`~lerconf.scenarios.harness.Harness` (``cache``), so
they survive the wire log's bound. Memoized badges are signed before the mark: only the vendor's
call is inside the window.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from lerconf.checks.revocation_list import REVOCATION_LIST_TYPE
from lerconf.crypto.did import did_web_url
from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.refimpl.status import PURPOSES
from lerconf.refimpl.wire import Fetch, wire_of
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.verdicts import CannotJudge

__all__ = ["clear_on_lerconf_lists", "lerconf_documents", "verify_reaching"]

HINT = "see --public-base-url"


def lerconf_documents(harness: Harness, credential: Any) -> list[str]:
    """The URLs of documents lerconf's reference serves that ``credential`` depends on: the status
    lists its ``credentialStatus`` names on the reference, the DID document of the reference's did:web
    when that is its issuer."""
    if not isinstance(credential, dict):
        return []
    reference = harness.reference
    bases = {reference.public_base_url.rstrip("/") + "/", reference.base_url.rstrip("/") + "/"}
    urls: list[str] = []
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if isinstance(issuer_id, str) and issuer_id == reference.issuer_id:
        urls.append(did_web_url(issuer_id))
    for entry in _entries(credential.get("credentialStatus")):
        # a bitstring entry names its list in statusListCredential, a 1EdTechRevocationList entry in id
        url = entry.get("id") if entry.get("type") == REVOCATION_LIST_TYPE else entry.get("statusListCredential")
        if isinstance(url, str) and url.startswith(tuple(bases)) and url not in urls:
            urls.append(url)
    return urls


def clear_on_lerconf_lists(harness: Harness, credential: Any) -> bool:
    """No status bit of ``credential`` is set on lerconf's lists (what lerconf's own registry says):
    a credential lerconf issued is valid until it revokes or suspends it (the lifecycle scenario)."""
    if not isinstance(credential, dict):
        return False
    registry = harness.reference.state.status
    for entry in _entries(credential.get("credentialStatus")):
        url, purpose, index = entry.get("statusListCredential"), entry.get("statusPurpose"), entry.get("statusListIndex")
        if (isinstance(url, str) and purpose in PURPOSES and url == registry.list_url(str(purpose))
                and str(index).isdigit() and registry.is_set(purpose, int(str(index)))):
            return False
    return True


def _entries(status: Any) -> Iterator[dict[str, Any]]:
    for entry in status if isinstance(status, list) else [status]:
        if isinstance(entry, dict):
            yield entry


def verify_reaching(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, credential: Any,
                    call: Callable[[], VerifierAnswer], *, valid: bool) -> VerifierAnswer:
    """``call()`` (the vendor's verifier judging ``credential``), watched on lerconf's wire.

    Every fetch of lerconf's documents during the call is noted in ``evidence`` (what, by whom) and
    counted for the vendor. For a ``valid`` credential the vendor rejected: :class:`CannotJudge`
    when a document it depends on was never fetched in this or an earlier call to this vendor's
    verifier; otherwise the answer comes back with its reason saying how often each was fetched, for
    the scenario's verdict checks to fail on as usual."""
    urls = lerconf_documents(harness, credential)
    wire = wire_of(harness.reference.state)
    mark = wire.mark()
    answer = call()
    fetched = wire.fetches_since(mark)
    counts = _attributed(harness, vendor)
    earlier = dict(counts)
    for fetch in fetched:
        counts[fetch.path] = counts.get(fetch.path, 0) + 1
    _note(evidence, vendor, fetched)
    if not urls or not valid or answer.verdict is not VerifierVerdict.REJECTED:
        return answer
    now = {url: [f for f in fetched if f.path == urlsplit(url).path] for url in urls}
    unreached = [url for url in urls if not now[url] and not earlier.get(urlsplit(url).path)]
    if unreached:
        raise CannotJudge(f"the verifier did not reach {' nor '.join(unreached)} ({HINT}); "
                          f"it {answer.verdict.value} the valid credential: {answer.reason}")
    said = "; ".join(_fetched(url, len(now[url]), earlier.get(urlsplit(url).path, 0)) for url in urls)
    return dataclasses.replace(answer, reason=f"{answer.reason}; {said}")


def _attributed(harness: Harness, vendor: VendorUnderTest) -> dict[str, int]:
    """Fetches of lerconf's documents (path -> count) during this run's calls to the vendor's verifier."""
    counts: dict[str, int] = harness.cache.setdefault(("wire-fetches", vendor.name), {})
    return counts


def _fetched(url: str, now: int, earlier: int) -> str:
    if now:
        return f"it fetched {url} {now} time(s) during this verification"
    return f"it fetched {url} {earlier} time(s) earlier in this run (not during this verification: a cached copy?)"


def _note(evidence: Evidence, vendor: VendorUnderTest, fetched: list[Fetch]) -> None:
    if not fetched:
        return
    for fetch in fetched:
        evidence.notes.append(f"during {vendor.name}'s verification, {fetch.who} fetched lerconf's {fetch.path} "
                              f"({fetch.method}, HTTP {fetch.status})")
    name, n = "fetches of lerconf's documents during the verification", 1
    while (name if n == 1 else f"{name} ({n})") in evidence.documents:  # a scenario may verify twice
        n += 1
    evidence.keep(name if n == 1 else f"{name} ({n})", [f.to_evidence() for f in fetched])
