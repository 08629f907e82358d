"""`lerconf init URL`: probe a vendor's base URL and write a commented starting profile.

Every probe is harmless: GETs of discovery documents, and POSTs of ``{}`` to the VC API
endpoints (an empty body issues, verifies, presents and revokes nothing; a conformant instance
answers 400). An endpoint counts as found when it answers anything but 404/405 (401/403: found,
behind authentication). Only the given URL's origin is contacted.

Probed (``BASE`` = the URL given, ``ORIGIN`` = its scheme://host:port):

* VC API: ``POST BASE/credentials/issue``, ``/credentials/status``, ``/credentials/verify``,
  ``/presentations/verify``, ``/challenges``, ``/presentations``;
* the issuer's did:web: ``GET ORIGIN/.well-known/did.json``;
* OID4VCI: ``/.well-known/openid-credential-issuer`` for the identifiers BASE and BASE/oid4vci
  (final placement, then draft 13's), then the authorization server metadata
  (``/.well-known/oauth-authorization-server``) of its identifier;
* a wallet adapter: ``GET BASE/wallet/capabilities`` (docs/wallet-adapter.openapi.yaml);
* Open Badges 3.0 discovery: ``GET BASE/ims/ob/v3p0/discovery`` (noted; lerconf does not test that API).

What is found is written with the values learnt (formats, grants, proof types, issuer id,
wallet claims); what could not be learnt (the claims of VC API roles, the OID4VCI offer hook, an
OID4VP verifier's test hooks, the auth secret's variable) is written as a ``TODO`` comment or a
placeholder value that the preflight of `lerconf run` reports until it is filled in.
Exit 0: a profile was written; 1: the URL answered but no endpoint was found (a template
with TODOs is written); 2: the URL is unreachable or not a URL (nothing written).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from lerconf.protocol.oid4vci import AS_WELL_KNOWN, ISSUER_WELL_KNOWN, well_known_url
from lerconf.run.cli_args import EXIT_FAILED, EXIT_OK, UsageError

__all__ = ["Probe", "add_init", "cmd_init", "probe", "render"]

VCAPI = {  # (section, field) -> path under BASE
    ("issuer", "issue_url"): "/credentials/issue",
    ("issuer", "status_url"): "/credentials/status",
    ("verifier", "verify_credential_url"): "/credentials/verify",
    ("verifier", "verify_presentation_url"): "/presentations/verify",
    ("verifier", "challenges_url"): "/challenges",
    ("holder", "present_url"): "/presentations",
    ("holder", "derive_url"): "/credentials/derive",  # VC API Derive Credential (API-09): selective disclosure
}


def schema_path() -> str:
    """The vendor profile JSON Schema shipped in the package (for the editor modeline)."""
    from importlib import resources

    return str(resources.files("lerconf.data") / "vendor-profile.schema.json")


@dataclass
class Probe:
    base: str
    reachable: bool = False
    unreachable_reason: str = ""
    vcapi: dict[tuple[str, str], str] = field(default_factory=dict)
    needs_auth: list[str] = field(default_factory=list)
    issuer_did: str | None = None
    oid4vci: Mapping[str, Any] | None = None
    oid4vci_identifier: str | None = None
    oid4vci_as: Mapping[str, Any] | None = None
    oid4vci_draft13: bool = False
    wallet: Mapping[str, Any] | None = None
    ob_discovery: str | None = None
    log: list[str] = field(default_factory=list)

    @property
    def found_any(self) -> bool:
        return bool(self.vcapi or self.oid4vci or self.wallet)


#: the most of one answer a probe reads (a discovery document is a few kB): a server streaming more is cut off
MAX_PROBE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Answer:
    """One probe's answer: the status and at most MAX_PROBE_BYTES of the (decoded) body."""

    status_code: int
    body: bytes


def _json(response: Answer) -> Any:
    try:
        return json.loads(response.body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python parses: nothing found
        return None


def _read(client: httpx.Client, method: str, url: str, deadline: float) -> Answer:
    """The answer, read in chunks: never more than MAX_PROBE_BYTES nor past ``deadline`` (a hostile
    or broken server that streams without end, or a decompression bomb, ends the read, not the probe)."""
    body = bytearray()
    with client.stream(method, url, json={} if method == "POST" else None) as response:
        for chunk in response.iter_bytes():
            body.extend(chunk[: MAX_PROBE_BYTES - len(body)])
            if len(body) >= MAX_PROBE_BYTES or time.monotonic() > deadline:
                break
        return Answer(response.status_code, bytes(body))


def probe(base: str, *, timeout: float = 5.0, verify: Any = True, transport: httpx.BaseTransport | None = None) -> Probe:
    base = base.rstrip("/")
    parts = urlsplit(base)
    if parts.username or parts.password:  # it would be written into the profile and printed
        raise UsageError("the URL carries credentials (user:password@): give the bare URL; lerconf init writes an "
                         "auth: section to fill in when the vendor asks for authentication")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{base!r} is not an http(s) URL")
    origin = f"{parts.scheme}://{parts.netloc}"
    result = Probe(base)
    with httpx.Client(trust_env=False, timeout=timeout, follow_redirects=False, verify=verify,
                      transport=transport, headers={"Accept": "application/json"}) as client:

        def call(method: str, url: str) -> Answer | None:
            if not url.startswith(origin + "/"):
                result.log.append(f"not probed (another origin): {url}")
                return None
            try:
                response = _read(client, method, url, time.monotonic() + timeout)
            except httpx.HTTPError as exc:
                result.unreachable_reason = result.unreachable_reason or f"{type(exc).__name__}: {exc}"
                result.log.append(f"{method} {url}: no answer ({type(exc).__name__})")
                return None
            result.reachable = True
            result.log.append(f"{method} {url}: HTTP {response.status_code}")
            return response

        for key, path in VCAPI.items():
            response = call("POST", base + path)
            if response is None and not result.reachable:
                return result  # the first call could not connect: nothing more to learn
            if response is not None and response.status_code not in (404, 405) and response.status_code < 500:
                result.vcapi[key] = base + path
                if response.status_code in (401, 403):
                    result.needs_auth.append(base + path)
        did = call("GET", origin + "/.well-known/did.json")
        body = _json(did) if did is not None and did.status_code == 200 else None
        if isinstance(body, Mapping) and str(body.get("id", "")).startswith("did:web:"):
            result.issuer_did = str(body["id"])
        _probe_oid4vci(result, call, base)
        response = call("GET", base + "/wallet/capabilities")
        body = _json(response) if response is not None and response.status_code == 200 else None
        if isinstance(body, Mapping) and "formats" in body:
            result.wallet = body
        elif response is not None and response.status_code in (401, 403):
            result.needs_auth.append(base + "/wallet/capabilities")
        response = call("GET", base + "/ims/ob/v3p0/discovery")
        if response is not None and response.status_code == 200:
            result.ob_discovery = base + "/ims/ob/v3p0/discovery"
    return result


def _probe_oid4vci(result: Probe, call: Any, base: str) -> None:
    tried: set[str] = set()
    for identifier in (base, base + "/oid4vci"):
        for placement in ("final", "draft13"):
            url = well_known_url(identifier, ISSUER_WELL_KNOWN, placement=placement)
            if url in tried:  # a base without a path: both placements are the same URL
                continue
            tried.add(url)
            response = call("GET", url)
            body = _json(response) if response is not None and response.status_code == 200 else None
            if isinstance(body, Mapping) and body.get("credential_issuer"):
                result.oid4vci, result.oid4vci_identifier = body, str(body["credential_issuer"])
                servers = body.get("authorization_servers")
                server = str(servers[0]) if isinstance(servers, list) and servers else result.oid4vci_identifier
                for as_placement in ("final", "draft13"):
                    meta = call("GET", well_known_url(server, AS_WELL_KNOWN, placement=as_placement))
                    as_body = _json(meta) if meta is not None and meta.status_code == 200 else None
                    if isinstance(as_body, Mapping):
                        result.oid4vci_as = as_body
                        break
                result.oid4vci_draft13 = placement == "draft13"
                return


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) if re.search(r"[:#,\[\]{}]|^\d", v) else v for v in values) + "]"


def _oid4vci_claims(meta: Mapping[str, Any], as_meta: Mapping[str, Any] | None) -> dict[str, list[str]]:
    configs = meta.get("credential_configurations_supported")
    configs = configs if isinstance(configs, Mapping) else {}
    formats = sorted({str(c.get("format")) for c in configs.values() if isinstance(c, Mapping)} & {"ldp_vc", "jwt_vc_json"})
    proofs = sorted({str(p) for c in configs.values() if isinstance(c, Mapping)
                     for p in (c.get("proof_types_supported") or {})} & {"jwt", "di_vp"})
    grants_raw = (as_meta or {}).get("grant_types_supported") or []
    grants = []
    if "urn:ietf:params:oauth:grant-type:pre-authorized_code" in grants_raw:
        grants.append("pre-authorized_code")
    if "authorization_code" in grants_raw:
        grants.append("authorization_code")
    features = ["deferred"] if meta.get("deferred_credential_endpoint") else []
    return {"formats": formats, "grants": grants, "proof_types": proofs, "features": features}


def render(found: Probe, name: str) -> str:
    """The profile text: what was found, TODOs for the rest (it loads as is when a role was found)."""
    out = [f"# yaml-language-server: $schema={schema_path()}",
           f"# Written by `lerconf init {found.base}`. Check every TODO, then:",
           "#   lerconf run --vendor THIS_FILE",
           "# Probes:", *(f"#   {line}" for line in found.log), "",
           f"name: {json.dumps(name)}", "version: \"TODO\"                   # the implementation version under test (optional)"]
    if found.needs_auth:
        env = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") + "_TOKEN"
        out += ["", "# TODO: these endpoints answered 401/403, so they need credentials:",
                *(f"#   {u}" for u in found.needs_auth),
                "# name the environment variable holding the token (or use oauth2 / headers_env, see README)",
                "auth:", f"  bearer_token_env: {env}"]
    else:
        out += ["", "# auth: {bearer_token_env: VENDOR_TOKEN}   # TODO if the API needs credentials (none were asked for)"]
    sections = {s for s, _ in found.vcapi}
    claim_todo = ("    # TODO: lerconf cannot learn these by probing: list what this instance supports\n"
                  "    # (vc_versions: 1.1, 2.0; securing: eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019,\n"
                  "    # ecdsa-jcs-2019, Ed25519Signature2020, vc-jwt, vc+jwt, ob30-vc-jwt)")
    if "issuer" in sections:
        out += ["", "issuer:", *_urls(found, "issuer"),
                (f"  id: {found.issuer_did}        # from ORIGIN/.well-known/did.json; check it is the id it signs as"
                 if found.issuer_did else "  id: TODO                 # TODO: the issuer id (DID) the vendor signs as"),
                "  claims:", claim_todo,
                "    vc_versions: [\"2.0\"]", "    credential_types: [OpenBadgeCredential]",
                "    securing: [eddsa-rdfc-2022]", "    status: []            # TODO: [BitstringStatusList] if it has status_url"]
    if "verifier" in sections:
        out += ["", "verifier:", *_urls(found, "verifier"),
                "  failure_style: either     # TODO: http_status (400/422) or verified_false (200 + verified: false)",
                "  claims:", claim_todo,
                "    vc_versions: [\"2.0\"]", "    credential_types: [OpenBadgeCredential]",
                "    securing: [eddsa-rdfc-2022]", "    status: []            # TODO: [BitstringStatusList] if it checks status"]
    if "holder" in sections:
        out += ["", "holder:", *_urls(found, "holder"), "  claims:", claim_todo,
                "    vc_versions: [\"2.0\"]", "    securing: [eddsa-rdfc-2022]"]
    if found.oid4vci is not None and found.oid4vci_identifier:
        claims = _oid4vci_claims(found.oid4vci, found.oid4vci_as)
        draft = found.oid4vci_draft13
        out += ["", "oid4vci_issuer:", f"  credential_issuer: {found.oid4vci_identifier}",
                f"  offer_url: {found.oid4vci_identifier}/offers   # TODO: the test hook that creates offers "
                "(lerconf/profile/oid4vci.py); not discoverable",
                "  claims:   # from the issuer" + (" and authorization server" if found.oid4vci_as else "") + " metadata"]
        for key in ("formats", "grants", "proof_types"):
            if claims[key]:
                out.append(f"    {key}: {_flow(claims[key])}")
            else:
                out.append(f"    # {key}: TODO (not found in the metadata)")
        out.append(f"    features: {_flow(claims['features'])}   # TODO: add tx_code, offer_by_value, "
                   "offer_by_reference, nonce_expiry if it supports them (not in the metadata)")
        out.append(f"    spec_versions: [{'draft13' if draft else 'final'}]")
        if not found.oid4vci_as:
            out.append("  # TODO: no authorization server metadata found (/.well-known/oauth-authorization-server)")
    else:
        out += ["", "# oid4vci_issuer: TODO if the vendor issues over OID4VCI "
                "(no /.well-known/openid-credential-issuer found)"]
    out += ["", "# oid4vp_verifier: TODO if the vendor verifies over OID4VP: its test hooks cannot be discovered",
            "#   request_hook: https://…/requests", "#   result_hook: https://…/results/{state}"]
    if found.wallet is not None:
        w = found.wallet
        out += ["", "wallet:   # from GET wallet/capabilities", f"  adapter_url: {found.base}/wallet"]
        if w.get("scenario_isolation") is True:  # each X-Lerconf-Scenario value is a wallet of its own (LCW-05)
            out.append("  isolation: scenario")
        out.append("  claims:")
        for key, allowed in (("formats", ("ldp_vc", "jwt_vc_json")), ("grants", ("pre-authorized_code", "authorization_code")),
                             ("response_modes", ("direct_post", "direct_post.jwt")),
                             ("client_id_prefixes", ("redirect_uri", "decentralized_identifier", "x509_san_dns", "x509_hash"))):
            values = [str(v) for v in w.get(key) or [] if str(v) in allowed]
            if values:
                out.append(f"    {key}: {_flow(values)}")
        out.append(f"    dcql: {'true' if w.get('dcql', True) is True else 'false'}")
        exchanges = [str(v) for v in w.get("vcalm_exchanges") or [] if str(v) in ("issuing", "verifying")]
        if exchanges:  # the adapter takes VCALM interaction URLs (POST /interactions)
            out += ["", "vcalm_wallet:   # from GET wallet/capabilities (vcalm_exchanges)", "  claims:",
                    f"    exchanges: {_flow(exchanges)}"]
    if found.ob_discovery:
        out += ["", f"# Open Badges 3.0 API discovery found at {found.ob_discovery} (lerconf does not test the OB API)"]
    if not found.found_any:
        out += ["", "# TODO: no endpoint was found under this URL. Add at least one role, e.g.:",
                "# issuer:", "#   issue_url: https://…/credentials/issue", "#   id: did:web:…",
                "#   claims: {vc_versions: [\"2.0\"], securing: [eddsa-rdfc-2022]}"]
    return "\n".join(out) + "\n"


def _urls(found: Probe, section: str) -> list[str]:
    return [f"  {key}: {url}" for (s, key), url in found.vcapi.items() if s == section]


def add_init(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = sub.add_parser("init", help="probe a vendor's base URL and write a starting vendor profile",
                          description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    init.add_argument("url", metavar="URL", help="the vendor's base URL, e.g. https://staging.acme.example")
    init.add_argument("--out", type=Path, metavar="FILE", help="write the profile here (default: print it)")
    init.add_argument("--name", help="the vendor's name in the profile (default: the URL's host)")
    init.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    init.add_argument("--ca-file", type=Path, metavar="PEM", help="trust this CA for the probes (written as tls.ca_file)")
    init.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS", help="per probe (default 5)")
    init.set_defaults(handler=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    if args.out is not None and args.out.exists() and not args.force:
        raise UsageError(f"{args.out} exists; pass --force to overwrite it")
    if args.ca_file is not None and not args.ca_file.is_file():
        raise UsageError(f"--ca-file {args.ca_file}: no such file")
    import ssl

    verify: Any = ssl.create_default_context(cafile=str(args.ca_file)) if args.ca_file else True
    found = probe(args.url, timeout=args.timeout, verify=verify)
    if not found.reachable:
        raise UsageError(f"{found.base}: unreachable ({found.unreachable_reason or 'no answer'}); nothing written. "
                         "Check the URL, that the service runs, and (HTTPS with a private CA) --ca-file")
    name = args.name or (urlsplit(found.base).hostname or "vendor")
    text = render(found, name)
    if args.ca_file is not None:
        text += f"\ntls:\n  ca_file: {args.ca_file.resolve()}\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    where = str(args.out) if args.out else "stdout"
    found_list = sorted({s for s, _ in found.vcapi} | ({"oid4vci_issuer"} if found.oid4vci else set())
                        | ({"wallet"} if found.wallet else set()))
    if not found.found_any:
        print(f"lerconf: {found.base} answered but no endpoint was found; wrote a template with TODOs to {where}",
              file=sys.stderr)
        return EXIT_FAILED
    todos = text.count("TODO")
    print(f"lerconf: found {', '.join(found_list)}; wrote {where} ({todos} TODO(s) to check)", file=sys.stderr)
    return EXIT_OK

