"""A wallet presentation scenario reads the records of its own request where the request names them.

lerconf's verifier gives each request a request_uri of its own, so a VP-11 scenario asks
whether the wallet fetched *its* request object, not any (a control request made after the refused
one fetches its own). Posts to the response_uri are told apart by state; a post without a state is
the scenario's by time (the response_uri, and with it a redirect_uri: client_id, is the verifier's
one identity, never made per transaction).
"""
from __future__ import annotations

from urllib.parse import urlencode

from lerconf.protocol.wire_record import WireRecord
from lerconf.scenarios.wallet_presentation import WalletPresentation


def _post(seq: int, path: str, form: dict[str, str]) -> WireRecord:
    return WireRecord(seq, 0.0, "POST", path, "application/x-www-form-urlencoded", urlencode(form).encode(), 200, b"", "")


def _get(seq: int, path: str) -> WireRecord:
    return WireRecord(seq, 0.0, "GET", path, "", b"", 200, b"", "")


def test_a_request_reads_its_own_request_object_fetch_and_its_own_state() -> None:
    wire = [
        _get(1, "/oid4vp/request-objects/B"),  # the control request's fetch
        _post(2, "/oid4vp/responses", {"state": "state-b", "vp_token": "{}"}),
        _post(3, "/oid4vp/responses", {"vp_token": "{}"}),  # no state: counted for whoever reads this window
    ]
    refused = WalletPresentation({"request_uri": "http://127.0.0.1:8000/oid4vp/request-objects/A"}, "nonce-a", "state-a",
                                 wire=wire)
    control = WalletPresentation({"request_uri": "http://127.0.0.1:8000/oid4vp/request-objects/B"}, "nonce-b", "state-b",
                                 wire=wire)
    assert control.fetched_request_object() and not refused.fetched_request_object()
    assert not refused.responses and [r.seq for r in control.responses] == [2]
    assert [r.seq for r in refused.all_posts] == [2, 3]  # a refused request judges every post in its window
