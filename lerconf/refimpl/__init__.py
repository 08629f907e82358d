"""lerconf's reference implementation: VCALM issuer, verifier, holder and status lists on loopback.

``running_reference()`` starts it for tests and ``lerconf run``; ``lerconf serve`` runs it in
the foreground. Each service module exports ``ROUTES``; ``app.py`` assembles them.
"""
from __future__ import annotations

from lerconf.refimpl.app import build_state, create_app
from lerconf.refimpl.keys import ReferenceKeys, did_web_id
from lerconf.refimpl.server import (
    RunningReference,
    running_reference,
    serve,
    start_reference,
)

__all__ = [
    "ReferenceKeys",
    "RunningReference",
    "build_state",
    "create_app",
    "did_web_id",
    "running_reference",
    "serve",
    "start_reference",
]
