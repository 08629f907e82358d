"""Several scenarios on one wallet at once: the X-Lerconf-Scenario value each driver sends, the
reference adapter's wallet per value (and its bound), ``wallet.isolation`` in a profile, and LCW-05's
check catching each way an adapter can share (preflight's look at the adapter's capabilities:
tests/run/test_preflight.py)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from faulty_wallet.faults import FAULTS
from faulty_wallet.server import running_wallet

from lerconf.checks.wallet_issuance import wallet_adapter_keeps_scenarios_apart
from lerconf.clients.scenario_header import CURRENT_SCENARIO, scenario_header
from lerconf.clients.wallet_adapter import HttpWalletDriver
from lerconf.errors import ProfileError
from lerconf.profile.wallet import not_claimed, parse_section
from lerconf.protocol.wallet_adapter import MAX_SCENARIO_HEADER, SCENARIO_HEADER
from lerconf.refimpl.server import RunningReference, running_reference
from lerconf.refimpl.wallet import store as wallet_store
from lerconf.results import Status
from lerconf.scenarios.harness import build_vendor

BADGE = {"id": "urn:uuid:badge-1", "type": ["VerifiableCredential", "OpenBadgeCredential"]}


@pytest.fixture(scope="module")
def reference() -> Iterator[RunningReference]:
    with running_reference() as ref:
        yield ref


@pytest.fixture
def adapter(reference: RunningReference) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=reference.base_url + "/wallet", trust_env=False, timeout=30) as client:
        yield client


def _reset(adapter: httpx.Client, scenario: str | None, *seed: dict[str, Any]) -> None:
    headers = {SCENARIO_HEADER: scenario} if scenario else {}
    body = {"seed": [{"format": "ldp_vc", "credential": c} for c in seed]}
    assert adapter.post("/reset", json=body, headers=headers).status_code == 204


def _held(adapter: httpx.Client, scenario: str | None) -> list[str]:
    headers = {SCENARIO_HEADER: scenario} if scenario else {}
    return [e["credential"]["id"] for e in adapter.get("/credentials", headers=headers).json()]


# -- the header ------------------------------------------------------------------------------------------
def test_each_header_value_is_unique_printable_ascii_and_bounded() -> None:
    a, b = scenario_header("VCI-21 The wallet redeems 🎓 offer"), scenario_header("VCI-21 The wallet redeems 🎓 offer")
    assert a != b and a.startswith("VCI-21 The wallet redeems ? offer #")
    assert all(" " <= c <= "~" for c in a)
    assert len(scenario_header("x" * 1000)) == MAX_SCENARIO_HEADER
    long_a, long_b = scenario_header("x" * 1000), scenario_header("x" * 1000)
    assert long_a != long_b, "the random suffix survives the cut"


def test_a_driver_sends_the_running_scenarios_value(reference: RunningReference, adapter: httpx.Client) -> None:
    vendor = build_vendor(reference.profile(), allow_private=True)
    running, other = scenario_header("LCW-05 unit"), scenario_header("other")
    token = CURRENT_SCENARIO.set(running)
    try:
        driver = HttpWalletDriver(vendor.http, str(reference.profile().wallet.adapter_url))  # type: ignore[union-attr]
        explicit = HttpWalletDriver(vendor.http, str(reference.profile().wallet.adapter_url), scenario=other)
        sent = driver.reset([{"format": "ldp_vc", "credential": BADGE}])
        explicit.reset([])
    finally:
        CURRENT_SCENARIO.reset(token)
        vendor.http.close()
    assert driver.scenario == running and explicit.scenario == other
    assert sent.exchange.request_headers.get(SCENARIO_HEADER) == running
    # what reached the served wallet: the seed went to the running scenario's wallet, not the app's or the other's
    assert _held(adapter, running) == ["urn:uuid:badge-1"] and _held(adapter, other) == []


# -- the reference adapter ---------------------------------------------------------------------------------
def test_each_scenario_value_is_a_wallet_of_its_own(adapter: httpx.Client) -> None:
    first, second = scenario_header("first"), scenario_header("second")
    _reset(adapter, first, BADGE)
    _reset(adapter, second)
    _reset(adapter, None, {"id": "urn:default"})
    assert _held(adapter, first) == ["urn:uuid:badge-1"]
    assert _held(adapter, second) == []
    assert _held(adapter, None) == ["urn:default"], "a call without the header uses the app's one wallet"
    _reset(adapter, second, {"id": "urn:second"})
    assert _held(adapter, first) == ["urn:uuid:badge-1"], "resetting one scenario's wallet leaves the others"


def test_the_least_recently_used_scenario_wallet_is_forgotten_first(adapter: httpx.Client,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wallet_store, "MAX_SCENARIO_WALLETS", 2)
    a, b, c = (scenario_header(n) for n in "abc")
    _reset(adapter, a, BADGE)
    _reset(adapter, b, BADGE)
    assert _held(adapter, a) == ["urn:uuid:badge-1"]  # a is now the most recently used
    _reset(adapter, c, BADGE)                          # b goes
    assert _held(adapter, a) == ["urn:uuid:badge-1"] and _held(adapter, b) == []


def test_hostile_header_values_are_bounded_wallets(adapter: httpx.Client) -> None:
    """Over the wire to the served reference: a 16 kB value and hundreds of distinct values (each a wallet)
    neither break the adapter nor grow it past MAX_SCENARIO_WALLETS; the newest are kept, the oldest go."""
    huge = "x" * 16_000
    _reset(adapter, huge, BADGE)
    assert _held(adapter, huge) == ["urn:uuid:badge-1"]
    many = [scenario_header(f"flood {i}") for i in range(wallet_store.MAX_SCENARIO_WALLETS + 20)]
    for value in many:
        _reset(adapter, value, BADGE)
    assert _held(adapter, many[-1]) == ["urn:uuid:badge-1"]
    assert _held(adapter, huge) == [] and _held(adapter, many[0]) == [], "the least recently used are forgotten"
    for odd in ("tab\there", "del\x7f", "a  b"):  # odd but legal field values: at most a wallet of their own
        answer = adapter.post("/reset", json={"seed": []}, headers={SCENARIO_HEADER: odd})
        assert answer.status_code == 204, answer.text
    assert _held(adapter, many[-1]) == ["urn:uuid:badge-1"], "the adapter still serves the others"


def test_the_shares_one_wallet_fault_keeps_every_scenario_in_one_wallet(tmp_path: Path) -> None:
    """tests/faulty_wallet's fault, served as the bed serves it: it still advertises isolation."""
    fault = next(f for f in FAULTS if f.name == "shares-one-wallet")
    with running_wallet(fault, tmp_path) as wallet, \
            httpx.Client(base_url=wallet.state.base_url + "/wallet", trust_env=False, timeout=30) as adapter:
        _reset(adapter, scenario_header("two"), BADGE)
        assert _held(adapter, scenario_header("three")) == ["urn:uuid:badge-1"]
        assert adapter.get("/capabilities").json()["scenario_isolation"] is True


# -- the profile ---------------------------------------------------------------------------------------------
def _fail(where: str, problem: str) -> Exception:
    return ProfileError(f"{where}: {problem}")


def test_isolation_is_claimed_in_the_profile_and_selects_lcw_05() -> None:
    isolated = parse_section({"adapter_url": "https://w.example", "isolation": "scenario"}, _fail)
    plain = parse_section({"adapter_url": "https://w.example"}, _fail)
    assert isolated.isolated and not plain.isolated and plain.isolation == "none"
    assert isolated.public_view()["isolation"] == "scenario" and "isolation" not in plain.public_view()
    tags = {"wallet", "isolation", "oid4vci"}
    assert not_claimed(isolated, "v", tags, {}) is None
    assert "does not claim isolation: scenario" in str(not_claimed(plain, "v", tags, {}))
    manual = parse_section({"mode": "manual"}, _fail)
    assert "tested by hand is one wallet" in str(not_claimed(manual, "v", tags, {}))


@pytest.mark.parametrize(("raw", "message"), [
    ({"adapter_url": "https://w.example", "isolation": "per-scenario"}, "wallet.isolation: must be one of: none, scenario"),
    ({"adapter_url": "https://w.example", "isolation": True}, "wallet.isolation: must be one of"),
    ({"mode": "manual", "isolation": "scenario"}, "unknown field(s) isolation"),
])
def test_isolation_errors_say_what_and_where(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_section(raw, _fail)


# -- LCW-05 ----------------------------------------------------------------------------------------------------
OTHER = {"id": "urn:uuid:other", "type": ["VerifiableCredential"]}


def test_lcw_05_passes_wallets_kept_apart() -> None:
    result = wallet_adapter_keeps_scenarios_apart([BADGE], [BADGE, OTHER], [BADGE, OTHER], [])
    assert result.status is Status.PASSED and result.requirement == "LCW-05"


@pytest.mark.parametrize(("first", "second", "reason"), [
    ([BADGE], [BADGE], "lists the badge lerconf issued to the first scenario's wallet"),
    ([BADGE], [{**BADGE, "name": "altered"}], "lists the badge lerconf issued to the first"),  # same id
    ([BADGE], ["eyJ.other.jwt"], "lists credentials right after its reset"),
    ([], [], "emptied the first's"),
    ([BADGE], [], "took 1 of the 2 credential(s) the first's listed before it"),  # the badge stays, the rest goes
])
def test_lcw_05_catches_each_way_of_sharing(first: list[Any], second: list[Any], reason: str) -> None:
    result = wallet_adapter_keeps_scenarios_apart([BADGE], [BADGE, OTHER], first, second)
    assert result.status is Status.FAILED and reason in result.message


def test_lcw_05_leaves_an_altered_badge_to_lcw_01() -> None:
    """The first wallet stores its badge altered: not a sharing fault (LCW-01 judges it)."""
    altered = {**BADGE, "name": "altered"}
    result = wallet_adapter_keeps_scenarios_apart([BADGE], [altered], [altered], [])
    assert result.status is Status.PASSED


def test_lcw_05_is_broken_not_failed_when_the_first_wallet_kept_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wallet that received the badge but lists nothing is LCW-01's business: LCW-05 lacks its prerequisite
    and must not blame a shared wallet (the first wallet is listed before the second is reset)."""
    from types import SimpleNamespace

    from lerconf.clients.wallet_adapter import WalletAnswer
    from lerconf.evidence import Evidence
    from lerconf.exchange import Exchange
    from lerconf.outcome import Outcome
    from lerconf.scenarios import wallet_isolation
    from lerconf.verdicts import Broken

    listed = WalletAnswer(Exchange("GET", "http://127.0.0.1:9/w/credentials", {}, None, Outcome.ACCEPTED, "200", 200), [])
    reset_calls: list[str] = []
    first = SimpleNamespace(driver=SimpleNamespace(credentials=lambda: listed))
    monkeypatch.setattr(wallet_isolation, "hold_badge", lambda *args, **kwargs: first)
    monkeypatch.setattr(wallet_isolation, "reset_wallet", lambda driver, vendor: reset_calls.append("reset"))
    with pytest.raises(Broken, match="lists nothing after receiving lerconf's badge"):
        wallet_isolation.two_wallets(None, None, Evidence())  # type: ignore[arg-type]
    assert reset_calls == [], "the second wallet is never reset: nothing could be judged"
