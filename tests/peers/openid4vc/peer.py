"""Install, start and stop the openid4vc peer (server.mjs) for lerconf's own tests.

    with running_peer() as peer:        # npm ci once (skipped while node_modules is current)
        peer.base, peer.credential_issuer, peer.issuer_id, peer.profile   # OID4VC_PEER_BASE is set

Node.js (>= 20) and npm must be on PATH; without them ``PeerUnavailable`` names what to
install (tests/peers/node_peer.py does the installing, starting and stopping).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from peers.node_peer import NodeService, PeerUnavailable

__all__ = ["PROFILE", "Peer", "PeerUnavailable", "running_peer"]

HERE = Path(__file__).resolve().parent
PROFILE = HERE / "profile.yaml"
SERVICE = NodeService(HERE, "openid4vc peer", (
    "the openid4vc peer needs Node.js >= 20 and npm on PATH. On Debian/Ubuntu CI: "
    "`curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash - && sudo apt-get install -y nodejs` "
    "(or actions/setup-node with node-version: 20); then `npm ci --prefix tests/peers/openid4vc` "
    "(the tests run it themselves when node_modules is missing or stale)"))


@dataclass(frozen=True)
class Peer:
    base: str
    credential_issuer: str
    issuer_id: str
    profile: Path
    log: list[str]


@contextmanager
def running_peer(*, ready_timeout: float = 30) -> Iterator[Peer]:
    """Start server.mjs on a free loopback port, yield, then stop it."""
    with SERVICE.running({}, exports={"OID4VC_PEER_BASE": "base"}, ready_timeout=ready_timeout) as (info, log):
        yield Peer(info["base"], info["credential_issuer"], info["issuer"], PROFILE, log)
