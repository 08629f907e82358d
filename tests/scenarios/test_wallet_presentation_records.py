"""A wallet presentation scenario reads the records of its own request, not the latest ones.

lerconf's verifier names the transaction in each request's response_uri and request_uri, so the
records of one request (a post without a state too) are told from another's in the same window:
a control request made after a refused one (VP-11, VP-12) or another scenario's request on the
same reference (issue 19: scenarios correlate wire records by an identifier of their own).
"""
from __future__ import annotations

from urllib.parse import urlencode

from lerconf.protocol.wire_record import WireRecord
from lerconf.scenarios.wallet_presentation import WalletPresentation


def _post(seq: int, path: str, form: dict[str, str]) -> WireRecord:
    return WireRecord(seq, 0.0, "POST", path, "application/x-www-form-urlencoded", urlencode(form).encode(), 200, b"", "")


def _get(seq: int, path: str) -> WireRecord:
    return WireRecord(seq, 0.0, "GET", path, "", b"", 200, b"", "")


def test_each_request_reads_only_its_own_posts_and_fetches() -> None:
    wire = [
        _get(1, "/oid4vp/request-objects/B"),
        _post(2, "/oid4vp/responses/B", {"state": "state-b", "vp_token": "{}"}),  # the control request's answer
        _post(3, "/oid4vp/responses/A", {"vp_token": "{}"}),  # A's answer without a state: still A's
        _post(4, "/oid4vp/responses", {"state": "state-a", "vp_token": "{}"}),  # no transaction in the path
    ]
    refused = WalletPresentation({"transaction_id": "A"}, "nonce-a", "state-a", wire=wire)
    control = WalletPresentation({"transaction_id": "B"}, "nonce-b", "state-b", wire=wire)
    assert [r.seq for r in refused.all_posts] == [3] and not refused.responses
    assert [r.seq for r in control.all_posts] == [2] and [r.seq for r in control.responses] == [2]
    assert control.fetched_request_object() and not refused.fetched_request_object()
