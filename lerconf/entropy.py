"""lerconf's own choices: random values and the clock, drawn through the scenario's tape.

Every challenge, nonce, state, id and timestamp lerconf puts into a request comes from here, so
``lerconf replay`` makes the very requests the recording made (lerconf.tape). Outside a recorded or
replayed scenario (the embedded reference's server thread, unit tests) these are the plain
``secrets``/``uuid``/``datetime`` calls.
"""
from __future__ import annotations

import secrets
import string
import time
import uuid
from datetime import UTC, datetime

from lerconf.tape import active

__all__ = ["active", "alphanumeric", "randbelow", "seed", "token_hex", "token_urlsafe", "unix_time", "utc_now", "uuid4"]


def token_urlsafe(nbytes: int) -> str:
    tape = active()
    return secrets.token_urlsafe(nbytes) if tape is None else str(tape.draw(f"token_urlsafe({nbytes})",
                                                                            lambda: secrets.token_urlsafe(nbytes)))


def token_hex(nbytes: int) -> str:
    tape = active()
    return secrets.token_hex(nbytes) if tape is None else str(tape.draw(f"token_hex({nbytes})",
                                                                        lambda: secrets.token_hex(nbytes)))


def alphanumeric(length: int) -> str:
    """``length`` characters of [A-Za-z0-9] (a PKCE code verifier, RFC 7636 §4.1)."""
    def make() -> str:
        return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))
    tape = active()
    return make() if tape is None else str(tape.draw(f"alphanumeric({length})", make))


_ALPHANUMERIC = string.ascii_letters + string.digits


def randbelow(n: int) -> int:
    tape = active()
    return secrets.randbelow(n) if tape is None else int(tape.draw(f"randbelow({n})", lambda: secrets.randbelow(n)))


def uuid4() -> str:
    """A random UUID as text (what lerconf puts in ids: ``urn:uuid:…``)."""
    tape = active()
    return str(uuid.uuid4()) if tape is None else str(tape.draw("uuid4", lambda: str(uuid.uuid4())))


def seed(nbytes: int = 32) -> bytes:
    """Random bytes to derive a key from (lerconf.crypto.keys.private_key_from_seed)."""
    return bytes.fromhex(token_hex(nbytes))


def unix_time() -> float:
    tape = active()
    return time.time() if tape is None else float(tape.draw("time", time.time))


def utc_now() -> datetime:
    """Now, in UTC: a replayed scenario is judged at the instant it was recorded (a credential
    valid then is judged valid, whenever the audit replays it)."""
    return datetime.fromtimestamp(unix_time(), UTC)
