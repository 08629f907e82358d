"""The wallet adapter's POST /interactions (VCALM exchanges): the HTTP driver sends the interaction
URL and reads the wallet's outcome; a driver written before the operation still works and says it
cannot take part (NotImplementedError, which the scenarios report as not claimed)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from lerconf.clients.wallet_adapter import HttpWalletDriver, WalletAnswer, WalletDriver
from lerconf.refimpl.server import RunningReference, running_reference
from lerconf.scenarios.harness import build_vendor

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reference() -> Iterator[RunningReference]:
    with running_reference() as ref:
        yield ref


def test_the_http_driver_hands_over_the_interaction_url(reference: RunningReference) -> None:
    vendor = build_vendor(reference.profile(), allow_private=True)
    try:
        driver = HttpWalletDriver(vendor.http, reference.profile().wallet.adapter_url, scenario="unit test")
        assert driver.reset().ok
        with httpx.Client(base_url=reference.base_url, trust_env=False) as client:
            url = client.post("/workflows/issue-badge/exchanges", json={}).json()["interactionUrl"]
        answer = driver.process_interaction(url)
        assert answer.ok and answer.outcome == "stored", answer
        held = driver.credentials().body
        assert len(held) == 1 and held[0]["credential"]["credentialSubject"]["id"].startswith("did:key:")
    finally:
        vendor.http.close()


class OldDriver(WalletDriver):
    """A driver of the five OpenID operations only, as written before POST /interactions."""

    def capabilities(self) -> WalletAnswer:
        raise AssertionError

    def receive_offer(self, **kwargs: Any) -> WalletAnswer:  # type: ignore[override]
        raise AssertionError

    def present(self, **kwargs: Any) -> WalletAnswer:  # type: ignore[override]
        raise AssertionError

    def credentials(self) -> WalletAnswer:
        raise AssertionError

    def reset(self, seed: Any = None, trust_anchors: Any = None) -> WalletAnswer:
        raise AssertionError


def test_a_driver_written_before_interactions_still_works() -> None:
    driver = OldDriver()  # still instantiable: the operation is not abstract
    with pytest.raises(NotImplementedError, match="cannot process a VCALM interaction URL"):
        driver.process_interaction("http://127.0.0.1:1/interactions/z?iuv=1")
