"""Where a person's browser lands after logging in at a vendor's authorization server.

With ``login: person`` (lerconf.clients.login) lerconf asks the operator to open the authorization
URL and log in as the test user by hand; the vendor's AS then redirects the browser to this
endpoint, the redirect_uri lerconf registered (on the reference's advertised base, so
``--public-base-url`` serves an AS that only accepts a public HTTPS redirect). The endpoint keeps
the authorization response's parameters by ``state`` for the waiting login, answers the person with
a short page, and never shows the code.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from lerconf.refimpl.logins import MAX_PARAMS, MAX_VALUE
from lerconf.refimpl.state import state_of

__all__ = ["PATH", "ROUTES"]

PATH = "/login/callback"
_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lerconf: login {what}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<h1>lerconf: login {what}</h1><p>{text}</p></body></html>"""


async def callback(request: Request) -> HTMLResponse:
    items = list(request.query_params.multi_items())[:MAX_PARAMS]
    params = {k: v[:MAX_VALUE] for k, v in items}
    kept = state_of(request).logins.record(params)
    if not kept:
        return HTMLResponse(_PAGE.format(what="not understood", text="This address expects the authorization "
                                         "server's answer (with a state parameter); nothing was received."), status_code=400)
    text = ("The authorization server answered with an error; lerconf records it." if "error" in params
            else "lerconf received the login and continues. You can close this tab.")
    return HTMLResponse(_PAGE.format(what="received", text=text), headers={"Cache-Control": "no-store",
                                                                           "Referrer-Policy": "no-referrer"})


ROUTES = [Route(PATH, callback, methods=["GET"])]
