"""Ports for a recorded run's embedded reference, chosen where a replay can have them again.

A replay binds the reference to the ports it was recorded on (its URLs and did:web are inside the
recorded, signed answers). A port the OS handed out (port 0) lies in its ephemeral range, where any
outgoing connection of any process may take it as its local port meanwhile, and the replay then
cannot bind it ("Address already in use"). A recording therefore takes its ports below that range,
where only a program that binds a port on purpose competes for them."""
from __future__ import annotations

import os
import random
import socket
from pathlib import Path

from lerconf.refimpl.server import BIND_PORT_VARIABLE, TLS_BIND_PORT_VARIABLE

#: the lowest port a recording takes (above the registered ports most services use)
LOWEST = 20000
_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def ephemeral_floor() -> int:
    """The first port of the OS's ephemeral range (Linux's file; 32768, its default, elsewhere)."""
    try:
        low = int(_RANGE_FILE.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return 32768
    return low if low > LOWEST + 100 else 32768


def _free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def stable_ports(count: int, rng: random.Random | None = None) -> list[int]:
    """``count`` distinct free loopback ports between LOWEST and the ephemeral range."""
    rng = rng or random.SystemRandom()
    top = ephemeral_floor()
    chosen: list[int] = []
    for _ in range(200):
        port = rng.randrange(LOWEST, top)
        if port not in chosen and _free(port):
            chosen.append(port)
            if len(chosen) == count:
                return chosen
    raise OSError(f"no free loopback port between {LOWEST} and {top} for the recorded reference")


def recording_ports(record: bool) -> dict[str, str]:
    """The bind-port variables for a recorded run (nothing when not recording or already chosen)."""
    if not record or os.environ.get(BIND_PORT_VARIABLE) or os.environ.get(TLS_BIND_PORT_VARIABLE):
        return {}
    port, tls_port = stable_ports(2)
    return {BIND_PORT_VARIABLE: str(port), TLS_BIND_PORT_VARIABLE: str(tls_port)}
