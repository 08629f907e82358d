"""What lerconf reads of one exchange from its wire log: the wallet's steps, the request it served,
what it issued; and a step too large for the wire is broken, never judged on a cut body."""
from __future__ import annotations

import json
from typing import Any

import pytest

from lerconf.protocol.wire_record import WireRecord
from lerconf.refimpl.wire import MAX_BODY
from lerconf.scenarios.vcalm_wallet import WalletExchange
from lerconf.verdicts import Broken

EXCHANGE = "http://127.0.0.1:9/workflows/issue-badge/exchanges/z1"
INTERACTION = "http://127.0.0.1:9/interactions/z1?iuv=1"
VPR = {"query": [{"type": "DIDAuthentication"}], "challenge": "c", "domain": "d"}
BADGE = {"id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"]}


def rec(seq: int, method: str, path: str, body: Any = b"", response: Any = b"", status: int = 200) -> WireRecord:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer = response if isinstance(response, bytes) else json.dumps(response).encode()
    return WireRecord(seq, 0.0, method, path, "application/json", raw, status, answer)


def exchange(wire: list[WireRecord]) -> WalletExchange:
    return WalletExchange("issue-badge", "z1", EXCHANGE, INTERACTION, driver=None, wire=wire)  # type: ignore[arg-type]


def test_the_exchange_is_read_from_its_own_records() -> None:
    path = "/workflows/issue-badge/exchanges/z1"
    ran = exchange([rec(1, "GET", "/interactions/z1", response={"protocols": {"vcapi": EXCHANGE}}),
                    rec(2, "POST", path, {}, {"verifiablePresentationRequest": VPR}),
                    rec(3, "POST", "/workflows/issue-badge/exchanges/other", {}, {"verifiablePresentationRequest": {}}),
                    rec(4, "POST", path, {"verifiablePresentation": {"holder": "did:key:z"}},
                        {"verifiablePresentation": {"verifiableCredential": [BADGE]}})])
    assert [r.seq for r in ran.interaction_reads] == [1] and [r.seq for r in ran.posts] == [2, 4]
    assert ran.request() == VPR and ran.issued() == [BADGE] and ran.presented() == []
    ran.whole()  # nothing cut


def test_a_step_cut_by_the_wire_is_broken() -> None:
    cut = rec(2, "POST", "/workflows/issue-badge/exchanges/z1", b'{"verifiablePresentation": {"x": "' + b"a" * MAX_BODY)
    with pytest.raises(Broken, match="larger than the 64 KB"):
        exchange([cut]).whole()


def test_garbage_steps_are_read_as_nothing() -> None:
    path = "/workflows/issue-badge/exchanges/z1"
    ran = exchange([rec(1, "POST", path, b"\xff\xfe", b"<html>"), rec(2, "POST", path, [1], {"verifiablePresentation": 5})])
    assert ran.request() is None and ran.issued() == [] and ran.presentations == []
