"""A person logs in at a vendor's authorization server by hand (``login: person``).

A production AS asks a real user to log in (a password, a second factor, a consent screen); no
redirect-following or test hook gets past it. lerconf then prints the authorization URL on the
operator's terminal, the operator opens it in a browser and logs in as the test user, and the AS
sends the browser to lerconf's callback (lerconf.refimpl.login_callback), where this waits for the
answer carrying the request's ``state``. Nothing the person types passes through lerconf.

With an operator page (the one manual wallet mode and the displayer use), the login is also a step
there: the address as a link and a button for a login that failed; the step ends by itself when
the browser comes back.
"""
from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, TextIO
from urllib.parse import parse_qs, urlencode, urlsplit

from lerconf.clients.manual.driver import terminal
from lerconf.clients.manual.session import Link
from lerconf.refimpl.logins import LoginCallbacks

if TYPE_CHECKING:
    from collections.abc import Callable

    from lerconf.clients.manual.operator import PersonOperator

__all__ = ["DEFAULT_LOGIN_TIMEOUT_S", "PersonAtTerminal"]

DEFAULT_LOGIN_TIMEOUT_S = 300.0


class PersonAtTerminal:
    """``login: person``: ask on the terminal, wait for the browser to come back to the callback."""

    def __init__(self, logins: LoginCallbacks, *, timeout_s: float = DEFAULT_LOGIN_TIMEOUT_S, vendor: str = "",
                 out: TextIO | None = None, operator: Callable[[], PersonOperator] | None = None) -> None:
        self.logins = logins
        self.timeout_s = timeout_s
        self.vendor = vendor
        self.out = out
        #: the operator page to show the login on as a step (None: the terminal only)
        self.operator = operator

    def __call__(self, authorization_url: str, redirect_uri: str) -> tuple[str | None, str | None]:
        state = parse_qs(urlsplit(authorization_url).query).get("state", [""])[0]
        if not state:
            return None, "the authorization URL carries no state: lerconf could not tell the person's login apart"
        self._say(f"\nlerconf: log in by hand{f' at {self.vendor}' if self.vendor else ''}: open this address in a "
                  f"browser and log in as the test user (lerconf waits up to {self.timeout_s:g} s for the "
                  f"authorization server to send the browser back to {redirect_uri})\n  {authorization_url}")
        if self.operator is not None:
            params, problem = self._on_the_page(authorization_url, redirect_uri, state)
            if problem:
                return None, problem
        else:
            params = self.logins.wait(state, self.timeout_s)
        if params is None:
            return None, (f"no login came back to {redirect_uri} within {self.timeout_s:g} s (was the address "
                          "opened, and can the browser reach lerconf there? see --public-base-url)")
        self._say("lerconf: the login came back; continuing")
        return f"{redirect_uri}?{urlencode(params)}", None

    def _on_the_page(self, authorization_url: str, redirect_uri: str, state: str) -> tuple[dict[str, str] | None, str]:
        """The login as an operator-page step: (the answer that came back or None, why the operator stopped it)."""
        assert self.operator is not None
        operator = self.operator()
        step = operator.act("login", f"Log in{f' at {self.vendor}' if self.vendor else ''} as the test user",
                            "Open the address below in a browser and log in as the test user; the authorization "
                            f"server then sends the browser back to lerconf ({redirect_uri}) and this step ends.",
                            links=(Link("log in", authorization_url),))
        deadline = time.monotonic() + self.timeout_s
        while step.ended is None and time.monotonic() < deadline:
            params = self.logins.wait(state, min(0.5, max(0.0, deadline - time.monotonic())))
            if params is not None:
                operator.end_step(step, "came-back")
                operator.wait(step)
                return params, ""
        if step.ended is None:
            operator.end_step(step, "timeout")
        how = operator.wait(step)
        if how == "error":
            return None, f"the operator reported that the login failed{f': {step.message}' if step.message else ''}"
        if how == "skip":
            return None, "the operator skipped the login"
        return None, ""

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
