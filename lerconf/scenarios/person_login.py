"""``login: person`` for a scenario: the operator who logs in by hand, and where the browser comes
back (lerconf's own callback on the embedded reference's advertised base URL). Shared by the
OB 3.0 / CLR 2.0 API client and the OID4VCI authorization code flow. The login is announced on the
terminal and is a step of the vendor's login operator page (one page per vendor for the run)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lerconf.clients.login import PersonLogin
from lerconf.clients.manual.login import DEFAULT_LOGIN_TIMEOUT_S, PersonAtTerminal
from lerconf.clients.manual.operator import PersonOperator, person_operator
from lerconf.profile.person import PersonSection
from lerconf.refimpl.login_callback import PATH as CALLBACK_PATH

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["LOGIN_ROLE", "person_login"]

#: the operator page's role name for logins by hand
LOGIN_ROLE = "login"


def person_login(harness: Harness, vendor: VendorUnderTest, options: Mapping[str, Any]) -> dict[str, Any]:
    """``{"person": …, "callback_url": …}`` when ``options`` say ``login: person``, else nothing."""
    if options.get("login") != "person":
        return {}
    state = harness.reference.state
    timeout = float(options.get("login_timeout_s") or DEFAULT_LOGIN_TIMEOUT_S)
    section = PersonSection(LOGIN_ROLE, "the authorization server's login page (the address in each step)",
                            timeout_s=timeout, page_port=int(options.get("login_page_port") or 0))

    def operator() -> PersonOperator:
        return person_operator(vendor, section)

    person: PersonLogin = PersonAtTerminal(state.logins, vendor=vendor.name, timeout_s=timeout, operator=operator)
    return {"person": person, "callback_url": f"{state.base_url}{CALLBACK_PATH}"}
