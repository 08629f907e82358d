"""A person logs in at a vendor's authorization server by hand (``login: person``).

A production AS asks a real user to log in (a password, a second factor, a consent screen); no
redirect-following or test hook gets past it. lerconf then prints the authorization URL on the
operator's terminal, the operator opens it in a browser and logs in as the test user, and the AS
sends the browser to lerconf's callback (lerconf.refimpl.login_callback), where this waits for the
answer carrying the request's ``state``. Nothing the person types passes through lerconf.
"""
from __future__ import annotations

import contextlib
from typing import TextIO
from urllib.parse import parse_qs, urlencode, urlsplit

from lerconf.clients.manual.driver import terminal
from lerconf.refimpl.logins import LoginCallbacks

__all__ = ["DEFAULT_LOGIN_TIMEOUT_S", "PersonAtTerminal"]

DEFAULT_LOGIN_TIMEOUT_S = 300.0


class PersonAtTerminal:
    """``login: person``: ask on the terminal, wait for the browser to come back to the callback."""

    def __init__(self, logins: LoginCallbacks, *, timeout_s: float = DEFAULT_LOGIN_TIMEOUT_S, vendor: str = "",
                 out: TextIO | None = None) -> None:
        self.logins = logins
        self.timeout_s = timeout_s
        self.vendor = vendor
        self.out = out

    def __call__(self, authorization_url: str, redirect_uri: str) -> tuple[str | None, str | None]:
        state = parse_qs(urlsplit(authorization_url).query).get("state", [""])[0]
        if not state:
            return None, "the authorization URL carries no state: lerconf could not tell the person's login apart"
        self._say(f"\nlerconf: log in by hand{f' at {self.vendor}' if self.vendor else ''}: open this address in a "
                  f"browser and log in as the test user (lerconf waits up to {self.timeout_s:g} s for the "
                  f"authorization server to send the browser back to {redirect_uri})\n  {authorization_url}")
        params = self.logins.wait(state, self.timeout_s)
        if params is None:
            return None, (f"no login came back to {redirect_uri} within {self.timeout_s:g} s (was the address "
                          "opened, and can the browser reach lerconf there? see --public-base-url)")
        self._say("lerconf: the login came back; continuing")
        return f"{redirect_uri}?{urlencode(params)}", None

    def _say(self, text: str) -> None:
        out = self.out or terminal()
        try:
            out.write(text + "\n")
            out.flush()
        except (OSError, ValueError):
            pass  # an operator's terminal that went away: the wait still ends at its deadline
        finally:
            if self.out is None:
                with contextlib.suppress(OSError, ValueError):
                    out.close()  # what terminal() opened for this message (its stand-ins ignore close)
