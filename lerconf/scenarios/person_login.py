"""``login: person`` for a scenario: the operator who logs in by hand, and where the browser comes
back (lerconf's own callback on the embedded reference's advertised base URL). Shared by the
OB 3.0 / CLR 2.0 API client and the OID4VCI authorization code flow."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lerconf.clients.login import PersonLogin
from lerconf.clients.manual.login import DEFAULT_LOGIN_TIMEOUT_S, PersonAtTerminal
from lerconf.refimpl.login_callback import PATH as CALLBACK_PATH

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness

__all__ = ["person_login"]


def person_login(harness: Harness, vendor: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """``{"person": …, "callback_url": …}`` when ``options`` say ``login: person``, else nothing."""
    if options.get("login") != "person":
        return {}
    state = harness.reference.state
    timeout = options.get("login_timeout_s")
    person: PersonLogin = PersonAtTerminal(state.logins, vendor=vendor,
                                           timeout_s=float(timeout) if timeout else DEFAULT_LOGIN_TIMEOUT_S)
    return {"person": person, "callback_url": f"{state.base_url}{CALLBACK_PATH}"}
