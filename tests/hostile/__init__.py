"""The hostile-vendor test bed: loopback servers that misbehave on purpose, by name.

* ``server``    — ``HostileServer`` (plain or TLS, on 127.0.0.1 only), its named misbehaviours,
                  and the canary: a server that records every connection it is sent
* ``payloads``  — hostile documents: bombs, deep JSON, self-importing contexts, hostile JWTs
* ``profiles``  — vendor profiles that point every role at one misbehaviour

Every server, canary and redirect target is on loopback. A private-range, link-local or public
address is never a target here, not even one lerconf should refuse: that refusal is tested at
the decision level (netguard with a fake resolver), never with traffic.
"""
from __future__ import annotations

from hostile.server import BEHAVIOURS, HostileServer, Request, self_signed_tls

__all__ = ["BEHAVIOURS", "HostileServer", "Request", "self_signed_tls"]
