"""How lerconf logs in as a user at a vendor's authorization server, shared by every client that
runs an authorization code grant (OID4VCI, the OB 3.0 / CLR 2.0 API).

A real AS asks a user to log in; a test deployment offers one of two ways (the profile says which):

* ``follow_redirects``: an auto-approving test user. lerconf GETs the authorization URL and
  follows the redirect chain hop by hop (only to the profile's hosts) until a Location starts
  with ``redirect_uri``; it never requests ``redirect_uri`` and reads the parameters off it.
* ``hook``: lerconf POSTs ``{"authorization_url": url, "redirect_uri": uri}`` to ``login_hook``
  (with the profile's auth), which logs the test user in and answers
  ``{"redirect_url": "<redirect_uri>?code=...&state=..."}``.
* ``person``: an operator opens the authorization URL and logs in by hand; the AS sends the browser
  to lerconf's own callback (the redirect_uri, on the reference's advertised base), and the caller's
  ``person`` waits for that answer (lerconf.clients.manual.login).

The code is registered as a secret as soon as it is read, and the hops recorded before that are
redacted again, so it never reaches evidence.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from lerconf.clients.http import VendorClient
from lerconf.profile.reader import LOGIN_MODES
from lerconf.protocol.oid4vci import Answer, AuthorizationResponse
from lerconf.redact import SECRETS, redact_headers

__all__ = ["LOGIN_MODES", "MAX_LOGIN_HOPS", "PersonLogin", "log_in"]

MAX_LOGIN_HOPS = 10
#: a person logging in: (authorization URL, redirect_uri) -> (the URL the browser was sent to, or None; why not)
PersonLogin = Callable[[str, str], tuple[str | None, str | None]]
_REDIRECTS = (301, 302, 303, 307, 308)


def _call(http: VendorClient, method: str, url: str, **kwargs: Any) -> Answer:
    raw: list[Any] = []
    kept: list[dict[str, str]] = []
    exchange = http.request(method, url, keep_json=raw, keep_headers=kept, **kwargs)
    return Answer(exchange, raw[0] if raw else None, kept[0] if kept else None)


def log_in(http: VendorClient, authorization_url: str, redirect_uri: str, login: str = "follow_redirects",
           login_hook: str | None = None, person: PersonLogin | None = None) -> AuthorizationResponse:
    """The user-login step of an authorization code grant: the authorization response's
    parameters (``code``, ``state``, ``iss``, or ``error``), or a ``problem`` saying where it stopped."""
    out = AuthorizationResponse()
    if login == "person":
        if person is None:
            out.problem = "login: person, but no operator to log in (a run with an embedded reference provides one)"
            return out
        arrived, problem = person(authorization_url, redirect_uri)
        if arrived is None:
            out.problem = problem or "the person's login did not come back"
            return out
        location = arrived
    elif login == "hook":
        if not login_hook:
            out.problem = "login: hook without a login_hook URL"
            return out
        answer = _call(http, "POST", login_hook, with_auth=True,
                       json_body={"authorization_url": authorization_url, "redirect_uri": redirect_uri})
        out.hops.append(answer)
        said = answer.body.get("redirect_url") if isinstance(answer.body, Mapping) else None
        if not isinstance(said, str):
            out.problem = f"the login hook answered {answer.outcome.value} without a redirect_url: {answer.exchange.reason}"
            return out
        location = said
    else:
        url = authorization_url
        for _ in range(MAX_LOGIN_HOPS):
            answer = _call(http, "GET", url, with_auth=False, follow_redirects=False)
            out.hops.append(answer)
            target = answer.header("location")
            if answer.exchange.status not in _REDIRECTS or not target:
                out.problem = (f"the authorization request ended at {answer.exchange.reason} without a redirect to "
                               f"the redirect_uri (does the AS auto-approve a test user? else use login: hook)")
                return out
            location = urljoin(url, target)
            if _at(location, redirect_uri):
                break
            url = location
        else:
            out.problem = f"no redirect to the redirect_uri within {MAX_LOGIN_HOPS} hops"
            return out
    if not _at(location, redirect_uri):
        out.problem = "the authorization response went to another URI than the redirect_uri"
        return out
    out.params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    if "code" in out.params:
        SECRETS.add(out.params["code"])
        for hop in out.hops:  # the code sat in a Location header read before it was known
            hop.exchange.response_headers = redact_headers(hop.exchange.response_headers.items())
    return out


def _at(location: str, redirect_uri: str) -> bool:
    """``location`` is the redirect_uri (scheme, host, port and path exactly; RFC 6749 §3.1.2), with
    the authorization response in its query: an AS that sends the code to ``…/cb-other`` or ``…/cb/x``
    did not honour the registered redirect_uri."""
    a, b = urlsplit(location), urlsplit(redirect_uri)
    return (a.scheme, a.hostname, a.port, a.path or "/") == (b.scheme, b.hostname, b.port, b.path or "/")
