"""Preflight: before any scenario, check that every vendor can be tested at all.

A run whose setup is wrong (a secret not exported, a base URL nobody listens on, a token the vendor
refuses, a proxy answering an HTML error page) would otherwise end with dozens of "broken"
scenarios and exit 1, as if the vendor were at fault. Preflight finds these first and stops the
run with exit 2 (no run directory is made), one line per problem: what, where (vendor, role, URL)
and how to fix it. ``lerconf run --no-preflight`` skips these checks (profile validation still
applies; a missing claim is then printed as a warning).

Per vendor, in this order:

0. **Profile complete**: the VC API role sections list the claims every scenario of the role
   selects by (``lerconf.profile.claims.gaps``: ``vc_versions`` and ``securing``); the message
   names the claim and its values. Claims with a documented default (``status``: ``[]``) are
   printed at the start of the run, with or without preflight.
1. **Secrets**: every environment variable ``auth`` names (``bearer_token_env``,
   ``headers_env``, ``oauth2.client_secret_env``) is set and not empty. Messages name the
   variable, never a value. A vendor with a missing secret gets no network check.
2. **Reachability and authentication**, with one harmless call per endpoint (the profile's auth
   sent as in the run; calls go through VendorClient, so timeouts, ``tls.ca_file``, the
   address guard and the request budget apply):

   ==========================  =====================================================  ==========
   section / role              call                                                   judged
   ==========================  =====================================================  ==========
   issuer                      ``POST issue_url`` with ``{}`` (nothing to issue:       reach, auth
                               a conformant instance answers 400)
   verifier                    ``POST verify_credential_url`` with ``{}`` (400, or     reach, auth
                               200 verified:false)
   holder                      ``POST present_url`` with ``{}`` (400)                  reach, auth
   oid4vci_issuer              ``GET`` the issuer metadata (final, then draft-13       reach
                               placement; public, sent without auth)
   wallet (adapter)            ``GET adapter_url/capabilities``                        reach, auth,
                                                                                       isolation
   other URLs (hooks, token)   ``HEAD`` once per origin not reached yet               reach only
   ==========================  =====================================================  ==========

   ``status_url``, the offer and request hooks are never POSTed: those calls change state.

   A wallet profile with ``isolation: scenario`` needs ``scenario_isolation: true`` in that answer
   (its scenarios would otherwise run at once on one shared wallet), checked whatever ``--role`` selects
   (the OpenID interop cases using the wallet run under any selection); an answer that cannot be read is a
   warning.

   An answer is a setup problem when it is: no answer (connection refused, DNS, TLS, timeout,
   the address guard) -> "unreachable"; 401/403 -> "authentication refused"; 404 (or 405 on a
   POST) -> "no such endpoint"; a redirect to another origin (a login page) -> "redirected";
   a 5xx that is not JSON (a proxy's or framework's error page) -> "server error". Anything
   else (2xx, 400, 422, a JSON 5xx) means the endpoint is there and let lerconf in: judging
   the answer is the scenarios' job. A JSON 5xx is printed as a warning and does not stop the run.
   An OAuth2 token request that fails is an authentication problem.

With ``--role``, only the selected sections are checked. With no ``--vendor`` (the embedded
reference) there is nothing to check.
"""
from __future__ import annotations

import os
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lerconf.clients.http import Timeouts, VendorClient
from lerconf.errors import LerconfError, ProfileError
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.profile.claims import gaps
from lerconf.profile.load import VendorProfile
from lerconf.protocol.oid4vci import well_known_url
from lerconf.redact import redact_text

__all__ = ["PreflightError", "Problem", "before_run", "check_vendor", "incomplete", "missing_secrets", "preflight"]

#: preflight's own limits: a setup check should answer fast (the profile's timeouts, if lower, win)
PREFLIGHT_TIMEOUTS = Timeouts(connect=5.0, read=10.0, total=15.0)


@dataclass(frozen=True)
class Problem:
    vendor: str
    where: str      # role or section ("issuer", "auth", "oid4vci_issuer", ...)
    what: str
    fix: str
    url: str = ""
    warning: bool = False

    def line(self) -> str:
        """The problem on one line, scrubbed of every secret lerconf knows (it may quote a vendor's answer)."""
        at = f" at {self.url}" if self.url else ""
        return redact_text(f"{self.vendor} / {self.where}: {self.what}{at}; fix: {self.fix}")


class PreflightError(LerconfError):
    """Setup problems found before any scenario ran (exit 2)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p.line()}" for p in self.problems)
        super().__init__(f"preflight found {len(self.problems)} setup problem(s); no scenario ran "
                         f"(fix them, or skip these checks with --no-preflight):\n{lines}")


def missing_secrets(profile: VendorProfile, env: os._Environ[str] | dict[str, str] | None = None) -> list[Problem]:
    """The environment variables the profile's ``auth`` names that are unset or empty."""
    values = os.environ if env is None else env
    auth = profile.auth
    named: list[tuple[str, str]] = []
    if auth.bearer_token_env:
        named.append((auth.bearer_token_env, "auth.bearer_token_env"))
    named += [(var, f"auth.headers_env.{header}") for header, var in auth.headers_env.items()]
    if auth.oauth2 and auth.oauth2.get("client_secret_env"):
        named.append((str(auth.oauth2["client_secret_env"]), "auth.oauth2.client_secret_env"))
    return [Problem(profile.name, "auth", f"environment variable {var} is not set ({field}, {profile.source})",
                    f"export {var}=<the secret for {profile.name}> (in CI: from the secret store)")
            for var, field in named if not values.get(var)]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _content_type(ex: Exchange) -> str:
    return next((v for k, v in ex.response_headers.items() if k.lower() == "content-type"), "").split(";")[0].strip()


class _Checker:
    def __init__(self, profile: VendorProfile, client: VendorClient, roles: Collection[str] = ()) -> None:
        self.profile = profile
        self.client = client
        self.roles = set(roles)  # --role: only these sections (empty: all)
        self.problems: list[Problem] = []
        self.reached: set[str] = set()
        self.unreachable: set[str] = set()
        #: non-JSON 5xx answers: a setup problem when every judged call got one, else warnings
        self.html_errors: list[Problem] = []
        self.calls = 0

    def add(self, where: str, what: str, fix: str, url: str = "", *, warning: bool = False) -> None:
        self.problems.append(Problem(self.profile.name, where, what, fix, url, warning))

    def _auth_fix(self) -> str:
        auth = self.profile.auth
        if auth.bearer_token_env:
            return f"check that ${auth.bearer_token_env} (auth.bearer_token_env) holds a token this endpoint accepts"
        if auth.headers_env:
            names = ", ".join(f"${v}" for v in auth.headers_env.values())
            return f"check the header values in {names} (auth.headers_env)"
        if auth.oauth2:
            return "check auth.oauth2 (client_id, scopes, audience) and the secret in $" + str(auth.oauth2["client_secret_env"])
        return "the endpoint wants authentication: add an auth section (bearer_token_env, headers_env or oauth2)"

    def call(self, where: str, method: str, url: str, body: Any = None, *, with_auth: bool = True,
             reach_only: bool = False) -> Exchange | None:
        """One harmless call; records a problem and returns None when the answer is a setup problem
        (with ``reach_only`` only "no answer" is one: any HTTP answer means the origin is there)."""
        origin = _origin(url)
        if origin in self.unreachable:
            return None
        try:
            ex = self.client.request(method, url, json_body=body, with_auth=with_auth)
        except ProfileError as exc:  # the OAuth2 token request failed (the message names no secret)
            token_url = str((self.profile.auth.oauth2 or {}).get("token_url", ""))
            self.add("auth", f"could not obtain an OAuth2 token ({exc})", self._auth_fix(), token_url)
            self.unreachable.add(origin)
            return None
        shown = f"{method} {url}"
        if ex.outcome is Outcome.TRANSPORT_ERROR:
            reason = ex.reason
            low = reason.lower()
            if ex.status is not None or any(k in low for k in ("read timeout", "write timeout", "total time", "exceeded")):
                # connected, then too slow or too large: reachable; how it behaves is the scenarios' business
                self.reached.add(origin)
                self.add(where, f"answered a harmless call with {reason}", "none needed to start; if every call is "
                         "this slow, raise the profile's timeouts", shown, warning=True)
                return ex
            self.unreachable.add(origin)
            if "certificate" in low or "ssl" in low:
                fix = "the TLS certificate is not trusted: name its CA in tls.ca_file"
            elif "non-public address" in low:
                fix = "lerconf's address guard refused it: name the host in the profile or pass --allow-private-network"
            elif "resolve" in low:
                fix = "the host name does not resolve: check its spelling and your DNS"
            else:
                fix = "check the host and port, and that the service is running and reachable from here"
            self.add(where, f"unreachable ({reason})", fix, shown)
            return None
        self.reached.add(origin)
        if reach_only:
            return ex
        self.calls += 1
        status = ex.status or 0
        if ex.outcome is Outcome.AUTH_ERROR:
            self.add(where, f"authentication refused (HTTP {status})", self._auth_fix(), shown)
            return None
        if status == 404 or (status == 405 and method == "POST"):
            self.add(where, f"no such endpoint (HTTP {status})",
                     f"check the URL in the profile's {where} section (path and base)", shown)
            return None
        if 300 <= status < 400:
            self.add(where, f"redirected elsewhere (HTTP {status}: {ex.reason})",
                     "use the final URL in the profile, or list the host in allow_redirects_to "
                     "(a redirect to a login page means the credentials were not accepted)", shown)
            return None
        if ex.outcome is Outcome.SERVER_ERROR:
            ctype = _content_type(ex) or "no content type"
            if "json" in ctype:
                self.add(where, f"HTTP {status} (JSON) to a harmless call", "none needed to start; the scenarios will "
                         "judge it (check the service's logs if every call fails)", shown, warning=True)
                return ex
            self.html_errors.append(Problem(
                self.profile.name, where, f"server error (HTTP {status}, {ctype}) to a harmless call",
                "the answers are not the API's: check the service is up and the URL points to its API "
                "(not a web page, proxy or load balancer error page)", shown))
            return None
        return ex

    def wanted(self, section: str) -> bool:
        return not self.roles or section in self.roles or section == "auth"

    def check(self) -> list[Problem]:
        p = self.profile
        for role, url_key in (("issuer", "issue_url"), ("verifier", "verify_credential_url"), ("holder", "present_url")):
            endpoints = p.role(role)
            if endpoints is not None and url_key in endpoints.urls and self.wanted(role):
                self.call(role, "POST", endpoints.urls[url_key], {})
        if p.oid4vci_issuer is not None and self.wanted("oid4vci_issuer"):
            self._oid4vci(p.oid4vci_issuer)
        # an isolated wallet is checked whatever --role says: the OpenID interop cases that use it run under any
        # selection, dealt one by one on the strength of that claim
        if p.wallet is not None and p.wallet.adapter_url and (self.wanted("wallet") or self.wanted("vcalm_wallet")
                                                              or p.wallet.isolated):
            answer = self.call("wallet", "GET", f"{p.wallet.adapter_url}/capabilities")
            if answer is not None and p.wallet.isolated:
                self._isolation(answer)
        for where, url in self._other_urls():
            if not self.wanted(where):
                continue
            origin = _origin(url)
            if origin not in self.reached and origin not in self.unreachable:
                self.call(where, "HEAD", url, with_auth=where != "auth", reach_only=True)
        every = bool(self.html_errors) and len(self.html_errors) == self.calls
        self.problems += [Problem(q.vendor, q.where, q.what, q.fix, q.url, warning=not every) for q in self.html_errors]
        return self.problems

    def _isolation(self, answer: Exchange) -> None:
        """``isolation: scenario`` runs the wallet's scenarios at once: its adapter must say it keeps them
        apart (whether it does, LCW-05 judges), else every scenario would share one wallet. An answer that could
        not be read (a JSON 5xx, a read timeout: warnings already) confirms nothing either way."""
        if answer.status is None or not 200 <= answer.status < 300:
            self.add("wallet", f"could not read whether the adapter keeps scenarios apart (GET /capabilities: "
                     f"{answer.reason}); its scenarios run at once as the profile says (isolation: scenario)",
                     "check the adapter; LCW-05 judges whether it keeps each scenario's wallet apart",
                     f"GET {answer.url}", warning=True)
            return
        advertised = answer.json.get("scenario_isolation") if isinstance(answer.json, dict) else None
        if advertised is not True:
            self.add("wallet", "the profile says isolation: scenario, but the adapter's GET /capabilities does not "
                     f"advertise scenario_isolation: true (it says {redact_text(repr(advertised))[:80]})",
                     "remove wallet.isolation from the profile (the wallet's scenarios then run one after another), "
                     "or make the adapter give each X-Lerconf-Scenario value a wallet of its own and advertise it",
                     f"GET {answer.url}")

    def _oid4vci(self, section: Any) -> None:
        identifier = str(section.credential_issuer)
        placements = ("final", "draft13") if section.mode == "final" else ("draft13", "final")
        tried = []
        for placement in placements:
            url = well_known_url(identifier, placement=placement)
            ex = self.call("oid4vci_issuer", "GET", url, with_auth=False) if url not in tried else None
            tried.append(url)
            if ex is not None and ex.outcome is Outcome.ACCEPTED:
                # a metadata found at the other placement is the scenarios' business (OID4VCI-12)
                self.problems = [q for q in self.problems if not (q.where == "oid4vci_issuer" and "no such" in q.what)]
                return
            if _origin(url) in self.unreachable:
                return

    def _other_urls(self) -> Iterable[tuple[str, str]]:
        p = self.profile
        for role in p.roles.values():
            for url in role.urls.values():
                yield role.role, url
        if p.oid4vci_issuer is not None:
            for url in p.oid4vci_issuer.urls.values():
                yield "oid4vci_issuer", url
        if p.oid4vp_verifier is not None:
            for url in p.oid4vp_verifier.urls.values():
                yield "oid4vp_verifier", url
        if p.auth.oauth2 and p.auth.oauth2.get("token_url"):
            yield "auth", str(p.auth.oauth2["token_url"])


def check_vendor(profile: VendorProfile, *, allow_private: bool = False, timeouts: Timeouts | None = None,
                 transport: Any = None, roles: Collection[str] = ()) -> list[Problem]:
    """The setup problems of one vendor (warnings included, ``warning=True``); with ``roles``
    (``lerconf run --role``) only those sections are called."""
    problems = missing_secrets(profile)
    if problems:
        return problems
    if timeouts is None:
        given = profile.timeouts or {}
        timeouts = Timeouts(**{k: min(float(given.get(k, v)), v) for k, v in vars(PREFLIGHT_TIMEOUTS).items()})
    try:
        client = VendorClient(profile, timeouts=timeouts, allow_private_addresses=allow_private, transport=transport)
    except ProfileError as exc:  # tls.ca_file unusable
        return [Problem(profile.name, "tls", str(exc), "name a readable PEM CA certificate in tls.ca_file")]
    try:
        return _Checker(profile, client, roles).check()
    finally:
        client.close()


def preflight(profiles: Sequence[VendorProfile], *, allow_private: bool = False,
              roles: Collection[str] = ()) -> list[Problem]:
    """Every vendor's problems; raises PreflightError when one is not a warning."""
    found = [q for p in profiles for q in check_vendor(p, allow_private=allow_private, roles=roles)]
    errors = [q for q in found if not q.warning]
    if errors:
        raise PreflightError(errors)
    return found


def incomplete(profile: VendorProfile, roles: Collection[str] = ()) -> tuple[list[Problem], list[str]]:
    """The profile's claim gaps (lerconf.profile.claims.gaps) as problems, and its default notes
    (with ``roles``: of those role sections only)."""
    errors, notes = gaps(profile)
    problems = []
    for error in errors:
        what, _, fix = error.partition("; ")
        role = what.split(".", 1)[0]
        if not roles or role in roles:
            problems.append(Problem(profile.name, role, f"{what} ({profile.source})", fix))
    return problems, [n for n in notes if not roles or n.split(".", 1)[0] in roles]


def before_run(profiles: Sequence[VendorProfile], *, check: bool = True, allow_private: bool = False,
               roles: Collection[str] = ()) -> None:
    """What `lerconf run` does between loading the profiles and the first scenario: print the claim
    defaults the profiles received, then (unless --no-preflight, which turns the problems into
    printed warnings) check the profiles are complete and every vendor reachable and authenticated."""
    gaps_found: list[Problem] = []
    for p in profiles:
        problems, notes = incomplete(p, roles)
        gaps_found += problems
        for note in notes:
            print(f"lerconf: {p.name}: {note}", flush=True)
    if not check:
        for q in gaps_found:
            print(f"lerconf: warning (--no-preflight): {q.line()}", flush=True)
        return
    if not profiles:
        return
    started = time.monotonic()
    found = gaps_found + [q for p in profiles for q in check_vendor(p, allow_private=allow_private, roles=roles)]
    errors = [q for q in found if not q.warning]
    if errors:
        raise PreflightError(errors)
    for w in found:
        print(f"lerconf: preflight warning: {w.line()}", flush=True)
    print(f"lerconf: preflight passed for {', '.join(p.name for p in profiles)} "
          f"({time.monotonic() - started:.1f} s; --no-preflight skips it)", flush=True)
