"""The operator page of manual wallet mode: a tiny Starlette app on loopback.

It runs on its own loopback port, not on the embedded reference: with ``--public-base-url`` a
tunnel forwards the reference to the internet, and the operator's buttons must not travel with
it. The page shows the current step (the QR code as inline SVG, the URI, the tx_code in its own
box), polls ``state.json`` for a live timeline of what lerconf's endpoints received, and takes
the operator's answers and screenshots. Everything is escaped, nothing is loaded from elsewhere,
and a strict Content-Security-Policy allows only this origin's script and style. The session
token in every path, the Host check and the Origin check keep other web pages from posting fake
answers.
"""
from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import segno
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from lerconf.clients.manual.session import (
    MAX_SCREENSHOT,
    ManualSession,
    Screenshot,
    Step,
    image_type,
)
from lerconf.refimpl.server import bind

__all__ = ["PageServer", "create_page_app", "qr_svg", "render_page", "start_page"]

#: request body cap for the upload forms: one screenshot plus the form's other fields
MAX_BODY = MAX_SCREENSHOT + 64 * 1024
#: form fields a post may carry: step, action, message and a dozen questions
MAX_FIELDS = 24
#: schemes the page turns into a same-device link; anything else is shown as text only
LINK_SCHEMES = ("openid-credential-offer", "openid4vp", "haip", "https", "http")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    # same-origin, not no-referrer: under no-referrer Chromium sends "Origin: null" with the page's own form
    # posts, which the Origin check refuses; links out (rel=noreferrer) still carry no token-bearing Referer
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}

#: the look of report.html (lerconf.reports.assets): its palette, type and borders; one column that
#: fits a phone-width window
CSS = """:root{--ok:#1a7f37;--bad:#c62828;--warn:#b26a00;--muted:#6b7280;--line:#d0d7de;--bg:#f6f8fa;--ink:#1f2328;
--att:#6a4fc2}*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);
margin:0 auto;padding:0 1rem 2rem;max-width:46rem}
h1{font-size:1.3rem;margin:1rem 0 .2rem}h2{font-size:1.15rem;margin:1rem 0 .4rem;border-bottom:2px solid var(--line);
padding-bottom:.2rem}h3{font-size:1rem;margin:1rem 0 .3rem}
.progress{color:var(--muted);font-weight:600;margin:.2rem 0}.todo{font-size:1.05rem}
.card{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .9rem;margin:.8rem 0;background:#fff}
.clear{border-color:var(--warn);background:#fff4e0}
.qr svg{width:100%;max-width:20em;height:auto}.box{border:2px solid #333;padding:.6em 1em;margin:.8em 0;display:inline-block}
.tx{font:bold 2em monospace;letter-spacing:.2em}.uri{word-break:break-all;font-family:monospace;font-size:.85rem}
.muted{color:var(--muted)}form{margin:.6em 0}textarea,input[type=text],input:not([type]){width:100%;max-width:100%}
fieldset{border:1px solid var(--line);border-radius:.4rem;margin:.5rem 0;padding:.4rem .7rem}
legend{font-weight:600}.shown{color:var(--muted);font-size:.9rem;margin:0 0 .3rem}
fieldset label{display:inline-block;margin:.15rem 1rem .15rem 0;white-space:nowrap}
ul.links{padding-left:1.2rem}ul.links li{margin:.2rem 0}
button{font-size:1em;margin:.3em .4em .2em 0;padding:.35em .8em;border:1px solid var(--line);border-radius:.3rem;
background:var(--bg);cursor:pointer}button.primary{border-color:var(--ok);background:#e9f7ee}
.attested{color:var(--att);font-weight:600}
#timeline{font-family:monospace;font-size:.85rem;padding-left:1.4rem;word-break:break-all}
#timeline li.none{list-style:none;margin-left:-1.4rem;font-family:inherit;color:var(--muted)}
@media (max-width:30rem){body{padding:0 .6rem 2rem}fieldset label{display:block}}
"""

JS = """(function(){
var stepId=document.body.getAttribute('data-step');var base=document.body.getAttribute('data-base');
function line(text,cls){var li=document.createElement('li');li.textContent=text;if(cls)li.className=cls;return li;}
function tick(){fetch(base+'state.json',{cache:'no-store'}).then(function(r){return r.json();}).then(function(s){
var id=s.step?String(s.step.id):'';if(id!==stepId){location.reload();return;}if(!s.step)return;
var st=document.getElementById('status');st.textContent=s.step.ended?('ended: '+s.step.ended):
('waiting, '+s.step.remaining_s+' s left');var ol=document.getElementById('timeline');
while(ol.firstChild)ol.removeChild(ol.firstChild);
if(!s.step.timeline.length){ol.appendChild(line(s.step.watching_wire?'nothing received yet':
'lerconf is not watching its endpoints in this step','none'));}
s.step.timeline.forEach(function(e){ol.appendChild(line('+'+e.t+' s  '+e.method+' '+e.path+' -> '+e.status));});})
.catch(function(){});}
setInterval(tick,1000);tick();})();
"""


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def qr_svg(uri: str) -> str:
    """The QR code of exactly ``uri`` as inline SVG (segno; no text of ours inside the markup)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff"))


def _link(uri: str) -> str:
    scheme = urlsplit(uri).scheme.lower() if uri else ""
    if scheme not in LINK_SCHEMES:
        return ""
    return f'<p><a href="{esc(uri)}" rel="noreferrer">open on this device (same-device flow)</a></p>'


#: step kind -> (the "done" button, the "error" button); a kind without a "done" button ends by itself
ACTION_LABELS = {
    "reset": ("Done: the wallet holds no credential from lerconf", "Wallet showed an error"),
    "consumer": ("The consumer says it has finished", "The consumer showed an error"),
    "login": ("", "The login failed (error)"),
}


def _labels(step: Step) -> tuple[str, str]:
    return ACTION_LABELS.get(step.kind, ("Wallet says it succeeded", "Wallet showed an error"))


def _questions(step: Step) -> str:
    """One fieldset per question, a radio button per choice (all required); what lerconf issued beside it."""
    out = []
    for q in step.questions:
        shown = f'<p class="shown">lerconf issued: {esc(q.shown)}</p>' if q.shown else ""
        radios = "".join(f'<label><input type="radio" name="q.{esc(q.id)}" value="{esc(value)}" required> {esc(label)}</label>'
                         for value, label in q.choices)
        out.append(f"<fieldset><legend>{esc(q.label)}</legend>{shown}{radios}</fieldset>")
    return "".join(out)


def _answer_form(step: Step, base: str) -> str:
    """The one form of a step: the questions (if any), what the screen said, ONE screenshot, the buttons."""
    if step.questions:
        buttons = ('<button class="primary" name="action" value="reported">Send what the screen showed</button>'
                   '<button name="action" value="error" formnovalidate>It could not open it (error)</button>'
                   '<button name="action" value="skip" formnovalidate>Skip this step (not run)</button>')
    else:
        done, error = _labels(step)
        buttons = (f'<button name="action" value="error">{esc(error)}</button>'
                   + (f'<button class="primary" name="action" value="done">{esc(done)}</button>' if done else "")
                   + '<button name="action" value="skip">Skip this step (not run)</button>')
    return (f'<form method="post" action="{base}answer" enctype="multipart/form-data" class="card">'
            f'<input type="hidden" name="step" value="{step.id}">{_questions(step)}'
            '<label>What the screen said (optional)<br><textarea name="message" rows="2" maxlength="2000">'
            '</textarea></label><br><label>Screenshot (optional, PNG/JPEG/GIF/WebP, at most '
            f'{MAX_SCREENSHOT // (1024 * 1024)} MB) <input type="file" name="screenshot" accept="image/*"></label><br>'
            f"{buttons}</form>")


def _step_html(step: Step, base: str) -> str:
    progress = f"Step {step.id} of {step.of}" if step.of else f"Step {step.id}"
    parts = [f'<p class="progress">{esc(progress)}</p><h2>{esc(step.title)}</h2>',
             f'<p class="todo">{esc(step.instructions)}</p>']
    if step.clear_first:
        parts.append(f'<p class="card clear"><strong>First:</strong> {esc(step.clear_first)}</p>')
    if step.links:
        parts.append('<ul class="links">' + "".join(
            f'<li><a href="{esc(ln.url)}" rel="noreferrer" target="_blank">{esc(ln.label)}</a> '
            f'<span class="uri">{esc(ln.url)}</span></li>' for ln in step.links if _link_ok(ln.url)) + "</ul>")
    if step.uri:
        parts.append(f'<div class="qr">{qr_svg(step.uri)}</div>')
        parts.append(f'<p class="uri">{esc(step.uri)}</p>{_link(step.uri)}')
    if step.tx_code:
        parts.append('<div class="box"><div>Transaction code (type it when the wallet asks; it is not in the QR '
                     f'code)</div><div class="tx">{esc(step.tx_code)}</div></div>')
    parts.append(f'<p id="status">{"ended: " + esc(step.ended) if step.ended else "waiting"}</p>')
    if step.ended is None:
        parts.append(_answer_form(step, base))
    events = step.timeline()
    items = "".join(f"<li>+{esc(e['t'])} s  {esc(e['method'])} {esc(e['path'])} -&gt; {esc(e['status'])}</li>"
                    for e in events)
    if not items:
        items = ('<li class="none">nothing received yet</li>' if step.wire is not None
                 else '<li class="none">lerconf is not watching its endpoints in this step</li>')
    parts.append(f'<h3>What lerconf\'s endpoints received</h3><ol id="timeline">{items}</ol>')
    return "".join(parts)


def _link_ok(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


def render_page(session: ManualSession, problem: str = "") -> str:
    """The whole page for the session's current step; every value escaped."""
    base = f"/session/{esc(session.token)}/"
    step = session.current
    info = session.info
    body = _step_html(step, base) if step is not None else "<p>No step yet: lerconf will show the first one here.</p>"
    labels = {"wallet": "wallet or displayer (name, version)", "device": "device and OS", "operator": "operator"}
    fields = "".join(f'<label>{labels[name]} <input name="{name}" value="{esc(info.get(name, ""))}" maxlength="200"></label> '
                     for name in ("wallet", "device", "operator"))
    asks = step is not None and bool(step.questions)
    footer = ('<p class="muted">What you report here is <span class="attested">attested</span> evidence: the report '
              "shows it apart from what lerconf observed itself (which status lists and keys were fetched).</p>" if asks
              else '<p class="muted">What you report here is evidence in the report; the verdicts come from what '
              "lerconf's own endpoints received.</p>")
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width,initial-scale=1"><title>lerconf operator page</title>'
            f'<link rel="stylesheet" href="{base}page.css"></head>'
            f'<body data-step="{step.id if step else ""}" data-base="{base}">'
            "<h1>lerconf: a test only a person can run</h1>"
            + (f'<p role="alert" class="card clear"><strong>{esc(problem)}</strong></p>' if problem else "")
            + body
            + f'<h3>Session</h3><form method="post" action="{base}info">{fields}<button>Save</button></form>'
            + footer
            + f'<script src="{base}page.js"></script></body></html>')


async def _capped_form(request: Request) -> Any:
    """The multipart form, refusing bodies over MAX_BODY before parsing them."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise _TooLarge
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > MAX_BODY:
            raise _TooLarge
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": bytes(data), "more_body": False}

    return await Request(request.scope, replay).form(max_files=1, max_fields=MAX_FIELDS, max_part_size=MAX_BODY)


class _TooLarge(Exception):
    pass


async def _read_upload(request: Request) -> tuple[Any, Screenshot | None, str | None]:
    """(the form, its screenshot if any, why the upload was refused): size and image type are checked by content."""
    try:
        form = await _capped_form(request)
    except _TooLarge:
        return None, None, f"upload refused: larger than {MAX_SCREENSHOT // (1024 * 1024)} MB"
    except Exception as exc:
        return None, None, f"unreadable form: {type(exc).__name__}"
    upload = form.get("screenshot")
    if upload is None or isinstance(upload, str):
        return form, None, None
    data = await upload.read(MAX_SCREENSHOT + 1)
    if not data:
        return form, None, None
    if len(data) > MAX_SCREENSHOT:
        return form, None, f"upload refused: larger than {MAX_SCREENSHOT // (1024 * 1024)} MB"
    kind = image_type(data)
    if kind is None:
        return form, None, "upload refused: not a PNG, JPEG, GIF or WebP image"
    return form, Screenshot(kind, data, str(upload.filename or "")[:200]), None


def _step_id(form: Any) -> int:
    value = str(form.get("step", ""))
    return int(value) if value.isdigit() else -1


def _secure(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


class _OperatorPage:
    """The page's endpoints for one session: every one checks the path token (and a POST's origin)."""

    def __init__(self, session: ManualSession) -> None:
        self.session = session
        self.base = f"/session/{session.token}/"

    def guard(self, request: Request) -> Response | None:
        if request.path_params.get("token") != self.session.token:
            return PlainTextResponse("not found", status_code=404)
        origin = request.headers.get("origin")
        if request.method == "POST" and origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
            return PlainTextResponse("cross-origin post refused", status_code=403)
        return None

    def back(self, problem: str | None) -> Response:
        return _secure(RedirectResponse(self.base + (f"?problem={quote(problem)}" if problem else ""), status_code=303))

    async def root(self, request: Request) -> Response:
        return _secure(RedirectResponse(self.base, status_code=303))

    async def page(self, request: Request) -> Response:
        problem = request.query_params.get("problem", "")[:300]
        return self.guard(request) or _secure(HTMLResponse(render_page(self.session, problem)))

    async def state(self, request: Request) -> Response:
        return self.guard(request) or _secure(JSONResponse(self.session.state()))

    async def asset(self, request: Request) -> Response:
        denied = self.guard(request)
        if denied:
            return denied
        name = request.path_params["name"]
        if name not in ("page.js", "page.css"):
            return PlainTextResponse("not found", status_code=404)
        text, kind = (JS, "text/javascript") if name == "page.js" else (CSS, "text/css")
        return _secure(Response(text, media_type=kind))

    async def answer(self, request: Request) -> Response:
        denied = self.guard(request)
        if denied:
            return denied
        form, shot, problem = await _read_upload(request)
        if problem:
            return self.back(problem)
        answers = {str(k)[2:]: str(v) for k, v in form.items() if str(k).startswith("q.") and isinstance(v, str)}
        return self.back(self.session.answer(_step_id(form), str(form.get("action", "")), str(form.get("message", "")), shot,
                                             answers))

    async def screenshot(self, request: Request) -> Response:
        denied = self.guard(request)
        if denied:
            return denied
        form, shot, problem = await _read_upload(request)
        if problem or shot is None:
            return self.back(problem or "no screenshot was chosen")
        return self.back(self.session.add_screenshot(_step_id(form), shot))

    async def info(self, request: Request) -> Response:
        denied = self.guard(request)
        if denied:
            return denied
        form, _, problem = await _read_upload(request)
        if problem:
            return self.back(problem)
        self.session.set_info({k: str(v) for k, v in form.items() if isinstance(v, str)})
        return self.back(None)


def create_page_app(session: ManualSession) -> Starlette:
    """The page's routes under ``/session/<token>/``; ``/`` redirects there (readable only locally)."""
    page = _OperatorPage(session)
    routes = [
        Route("/", page.root, methods=["GET"]),
        Route("/session/{token}/", page.page, methods=["GET"]),
        Route("/session/{token}/state.json", page.state, methods=["GET"]),
        Route("/session/{token}/{name:str}", page.asset, methods=["GET"]),
        Route("/session/{token}/answer", page.answer, methods=["POST"]),
        Route("/session/{token}/screenshot", page.screenshot, methods=["POST"]),
        Route("/session/{token}/info", page.info, methods=["POST"]),
    ]
    # DNS rebinding: a page of another site resolved to 127.0.0.1 arrives with its own Host
    return Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware,
                                                           allowed_hosts=["127.0.0.1", "localhost", "[::1]"])])


@dataclass
class PageServer:
    """The operator page running in a daemon thread on 127.0.0.1."""

    session: ManualSession
    port: int
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/session/{self.session.token}/"

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)


def start_page(session: ManualSession, port: int = 0, timeout: float = 10.0) -> PageServer:
    """Serve the page for ``session`` on 127.0.0.1:``port`` (0: any free port)."""
    sock = bind("127.0.0.1", port)
    config = uvicorn.Config(create_page_app(session), host="127.0.0.1", port=sock.getsockname()[1],
                            log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="lerconf-manual-page", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"the manual-mode operator page did not start on 127.0.0.1:{port}")
        time.sleep(0.02)
    return PageServer(session, sock.getsockname()[1], server, thread)
