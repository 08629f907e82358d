"""A recorded run's reference ports lie below the ephemeral range, so its replay can bind them again
(a port handed out by the OS can be taken by any outgoing connection meanwhile: the replay then
failed with "Address already in use")."""
from __future__ import annotations

import random
import socket

import pytest

from lerconf.refimpl.server import BIND_PORT_VARIABLE, TLS_BIND_PORT_VARIABLE
from lerconf.run import ports


def test_ports_are_distinct_free_and_below_the_ephemeral_range() -> None:
    chosen = ports.stable_ports(2)
    assert len(set(chosen)) == 2
    assert all(ports.LOWEST <= p < ports.ephemeral_floor() for p in chosen)
    for port in chosen:  # free: a listener can take it
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_a_taken_port_is_passed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        busy = taken.getsockname()[1]
        draws = iter([busy, busy, 20001, 20002])
        monkeypatch.setattr(ports, "ephemeral_floor", lambda: 65536)

        class Draws(random.Random):
            def randrange(self, *_args: object, **_kw: object) -> int:  # type: ignore[override]
                return next(draws)

        assert busy not in ports.stable_ports(1, Draws())


def test_no_free_port_is_an_error_naming_the_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ports, "_free", lambda _port, host="127.0.0.1": False)
    with pytest.raises(OSError, match="no free loopback port between 20000"):
        ports.stable_ports(1)


def test_only_a_recording_without_chosen_ports_gets_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BIND_PORT_VARIABLE, raising=False)
    monkeypatch.delenv(TLS_BIND_PORT_VARIABLE, raising=False)
    assert ports.recording_ports(False) == {}
    got = ports.recording_ports(True)
    assert set(got) == {BIND_PORT_VARIABLE, TLS_BIND_PORT_VARIABLE}
    assert all(int(v) < ports.ephemeral_floor() for v in got.values())
    monkeypatch.setenv(BIND_PORT_VARIABLE, "23456")  # the user's choice stands
    assert ports.recording_ports(True) == {}


def test_the_floor_is_read_from_the_os(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from pathlib import Path
    f = Path(str(tmp_path)) / "range"
    f.write_text("40000\t60999\n", encoding="ascii")
    monkeypatch.setattr(ports, "_RANGE_FILE", f)
    assert ports.ephemeral_floor() == 40000
    f.write_text("1024\t60999\n", encoding="ascii")  # a range that leaves no room below: the usual floor
    assert ports.ephemeral_floor() == 32768
