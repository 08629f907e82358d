"""Vendor profiles: one YAML file per vendor, validated on load.

A profile names each role's endpoints, how to authenticate (secrets only by environment
variable name) and the capabilities the vendor *claims*. Errors name the file, the field and
the problem, so a user can fix a profile without reading lerconf's code.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from lerconf.errors import ProfileError
from lerconf.profile.artefacts import ArtefactIssuer, parse_artefacts
from lerconf.profile.ecosystems import parse_ecosystems
from lerconf.profile.obapi import parse_provider_section
from lerconf.profile.obconsumer import parse_consumer_section
from lerconf.profile.oid4vci import parse_issuer_section
from lerconf.profile.oid4vp import parse_section
from lerconf.profile.person import PERSON_SECTIONS, parse_person_section
from lerconf.profile.reach import document_hosts, limits, tls_ca_file
from lerconf.profile.reader import Reader, no_unknown
from lerconf.profile.status_lists import status_list_minimum
from lerconf.profile.variables import expand_variables
from lerconf.profile.vcalm import SECTIONS as VCALM_SECTIONS
from lerconf.profile.vcalm import parse_exchange_section
from lerconf.profile.vcalm_wallet import SECTION as VCALM_WALLET_SECTION
from lerconf.profile.vcalm_wallet import parse_section as parse_vcalm_wallet_section
from lerconf.profile.wallet import parse_section as parse_wallet_section
from lerconf.roles import VCAPI_ROLES

ROLES = VCAPI_ROLES
SECURING = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019", "Ed25519Signature2020",
            "ecdsa-sd-2023", "bbs-2023", "vc-jwt", "vc+jwt", "ob30-vc-jwt")
VC_VERSIONS = ("1.1", "2.0")
CREDENTIAL_TYPES = ("OpenBadgeCredential", "AchievementCredential", "ClrCredential", "EndorsementCredential")
STATUS_METHODS = ("BitstringStatusList", "StatusList2021", "1EdTechRevocationList")
FAILURE_STYLES = ("http_status", "verified_false", "either")
#: the claims of a VC API role section, and the values each may list
CLAIM_FIELDS = {"vc_versions": VC_VERSIONS, "credential_types": CREDENTIAL_TYPES, "securing": SECURING,
                "status": STATUS_METHODS}


@dataclass(frozen=True)
class Claims:
    """What a vendor says its implementation supports; scenarios outside it are skipped."""

    vc_versions: tuple[str, ...] = ()
    credential_types: tuple[str, ...] = ()
    securing: tuple[str, ...] = ()
    status: tuple[str, ...] = ()

    def missing(self, **needs: str | None) -> list[str]:
        """The needs this claim set does not cover, as 'securing=eddsa-rdfc-2022' strings."""
        out = []
        for key, value in needs.items():
            if value is None:
                continue
            if value not in getattr(self, key):
                out.append(f"{key}={value}")
        return out


@dataclass(frozen=True)
class Auth:
    bearer_token_env: str | None = None
    headers_env: Mapping[str, str] = field(default_factory=dict)
    oauth2: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class RoleEndpoints:
    role: str
    urls: Mapping[str, str]
    claims: Claims
    options: Mapping[str, Any] = field(default_factory=dict)
    issuer_id: str | None = None
    failure_style: str = "either"
    #: the claims the role section does not write at all (``[]`` written = claims none); lerconf.profile.claims.gaps
    omitted_claims: tuple[str, ...] = ()


@dataclass(frozen=True)
class VendorProfile:
    name: str
    source: str
    version: str | None
    contact: str | None
    auth: Auth
    roles: Mapping[str, RoleEndpoints]
    rate_limit_per_second: float | None = None
    max_requests: int | None = None
    allow_redirects_to: tuple[str, ...] = ()
    #: per-call limits in seconds ({"connect", "read", "total"}); None = lerconf's defaults
    timeouts: Mapping[str, float] | None = None
    #: the OID4VP verifier section (lerconf.profile.oid4vp.Oid4vpVerifierSection), parsed by its own module
    oid4vp_verifier: Any = None
    #: the OID4VCI issuer section (lerconf.profile.oid4vci.Oid4vciIssuer), parsed by its own module
    oid4vci_issuer: Any = None
    #: the wallet-under-test section (lerconf.profile.wallet.WalletSection), parsed by its own module
    wallet: Any = None
    #: the OB 3.0 / CLR 2.0 host section (lerconf.profile.obapi.ObProvider), parsed by its own module
    ob_provider: Any = None
    #: the OB 3.0 / CLR 2.0 consumer section (lerconf.profile.obconsumer.ObConsumer), parsed by its own module
    ob_consumer: Any = None
    #: VCALM workflows with exchanges (lerconf.profile.vcalm.VcalmExchangeSection), lerconf as the wallet
    vcalm_issuer: Any = None
    vcalm_verifier: Any = None
    #: a wallet in VCALM exchanges (lerconf.profile.vcalm_wallet.VcalmWalletSection), reached through ``wallet``
    vcalm_wallet: Any = None
    #: ``issuer.artefacts``: the issuer judged by what it delivered (lerconf.profile.artefacts.ArtefactIssuer)
    artefacts: Any = None
    #: roles only a person can drive (lerconf.profile.person.PersonSection): a badge displayer, a verifier web page
    displayer: Any = None
    page_verifier: Any = None
    #: ``tls.ca_file``: a CA certificate (PEM) lerconf trusts, besides the system store, for this
    #: vendor's endpoints and documents (e.g. the CA ``lerconf serve --tls --ca-out`` writes)
    tls_ca_file: Path | None = None
    #: ``documents.hosts``: further hosts (``host`` or ``host:port``) the vendor's DID documents,
    #: status lists and key URLs live on; lerconf may fetch from them even when they are private
    document_hosts: tuple[str, ...] = ()
    #: ``status_lists.minimum_entries``: the ecosystem's minimum status list length (BSL-16), lower
    #: than Bitstring Status List's default 131,072; None = the spec's default
    status_list_minimum: int | None = None
    #: ``ecosystems``: the ecosystem profiles the vendor claims (lerconf.profile.ecosystems)
    ecosystems: tuple[Any, ...] = ()

    def role(self, name: str) -> RoleEndpoints | None:
        return self.roles.get(name)

    @property
    def hosts(self) -> frozenset[str]:
        """Hosts the profile names: lerconf may contact these even when they are loopback."""
        hosts = set()
        urls = [url for role in self.roles.values() for url in role.urls.values()]
        urls += list(self.oid4vp_verifier.urls.values()) if self.oid4vp_verifier is not None else []
        urls += list(self.oid4vci_issuer.urls.values()) if self.oid4vci_issuer is not None else []
        urls += list(self.wallet.urls.values()) if self.wallet is not None else []
        urls += list(self.ob_provider.urls.values()) if self.ob_provider is not None else []
        urls += list(self.ob_consumer.urls.values()) if self.ob_consumer is not None else []
        urls += [u for s in (self.vcalm_issuer, self.vcalm_verifier) if s is not None for u in s.urls.values()]
        urls += list(self.artefacts.urls.values()) if self.artefacts is not None else []
        if self.auth.oauth2 and self.auth.oauth2.get("token_url"):
            urls.append(str(self.auth.oauth2["token_url"]))
        for url in urls:
            parts = urlsplit(url)
            if parts.hostname:
                # a URL names one port (its scheme's default if none is written): naming
                # 127.0.0.1:8000 or http://127.0.0.1/ must not open 127.0.0.1:22
                port = parts.port or (443 if parts.scheme == "https" else 80)
                hosts.add(f"{parts.hostname}:{port}")
        return frozenset(hosts)

    @property
    def documents_hosts(self) -> frozenset[str]:
        """Hosts this vendor's documents may be fetched from: its endpoints, the host of a did:web
        issuer id, and ``documents.hosts``."""
        hosts = set(self.hosts) | set(self.document_hosts)
        for role in self.roles.values():
            if role.issuer_id and role.issuer_id.startswith("did:web:"):
                parts = urlsplit("https://" + unquote(role.issuer_id[len("did:web:"):].split(":", 1)[0]))
                try:
                    if parts.hostname:
                        hosts.add(f"{parts.hostname}:{parts.port or 443}")
                except ValueError:  # not a host:port; resolving it will say so
                    pass
        return frozenset(hosts)

    def public_view(self) -> dict[str, Any]:
        """The profile as reports show it: endpoints and claims, never secret values."""
        return {
            "name": self.name,
            "version": self.version,
            "contact": self.contact,
            "auth": "bearer" if self.auth.bearer_token_env else "oauth2" if self.auth.oauth2 else
                    "headers" if self.auth.headers_env else "none",
            "roles": {
                name: {"urls": dict(r.urls), "claims": {k: list(v) for k, v in r.claims.__dict__.items()},
                       **({"issuer_id": r.issuer_id} if r.issuer_id else {}),
                       **({"failure_style": r.failure_style} if name == "verifier" else {})}
                for name, r in self.roles.items()
            },
            **({"oid4vci_issuer": self.oid4vci_issuer.public_view()} if self.oid4vci_issuer is not None else {}),
            **({"oid4vp_verifier": _section_view(self.oid4vp_verifier)} if self.oid4vp_verifier is not None else {}),
            **({"wallet": _section_view(self.wallet)} if self.wallet is not None else {}),
            **({"ob_provider": self.ob_provider.public_view()} if self.ob_provider is not None else {}),
            **({"ob_consumer": self.ob_consumer.public_view()} if self.ob_consumer is not None else {}),
            **{n: s.public_view() for n, s in (("vcalm_issuer", self.vcalm_issuer), ("vcalm_verifier", self.vcalm_verifier),
                                               ("vcalm_wallet", self.vcalm_wallet))
               if s is not None},
            **({"issuer_artefacts": self.artefacts.public_view()} if self.artefacts is not None else {}),
            **{n: s.public_view() for n, s in (("displayer", self.displayer), ("page_verifier", self.page_verifier))
               if s is not None},
            **({"tls": {"ca_file": str(self.tls_ca_file)}} if self.tls_ca_file is not None else {}),
            **({"documents": {"hosts": list(self.document_hosts)}} if self.document_hosts else {}),
            **({"status_lists": {"minimum_entries": self.status_list_minimum}}
               if self.status_list_minimum is not None else {}),
            **({"ecosystems": [{"ecosystem": e.ecosystem, "profile": e.name, "version": e.version, "url": e.url}
                               for e in self.ecosystems]} if self.ecosystems else {}),
        }


_ROLE_URLS = {
    "issuer": ("issue_url", "status_url"),
    "verifier": ("verify_credential_url", "verify_presentation_url", "challenges_url"),
    "holder": ("present_url", "derive_url"),  # derive_url: VC API Derive Credential (API-09), ecdsa-sd-2023 / bbs-2023
}
_REQUIRED_URL = {"issuer": "issue_url", "verifier": "verify_credential_url", "holder": "present_url"}


def _claims(r: Reader, raw: Any, where: str) -> Claims:
    m = r.mapping(raw, where)
    unknown = set(m) - {"vc_versions", "credential_types", "securing", "status"}
    if unknown:
        raise r.fail(where, f"unknown field(s) {', '.join(sorted(unknown))}")
    return Claims(
        vc_versions=r.choices(m.get("vc_versions"), f"{where}.vc_versions", VC_VERSIONS),
        credential_types=r.choices(m.get("credential_types"), f"{where}.credential_types", CREDENTIAL_TYPES),
        securing=r.choices(m.get("securing"), f"{where}.securing", SECURING),
        status=r.choices(m.get("status"), f"{where}.status", STATUS_METHODS),
    )


_INLINE_SECRETS = ("token", "bearer_token", "client_secret", "password", "api_key")


def _auth(r: Reader, raw: Any) -> Auth:
    m = r.mapping(raw, "auth")
    no_unknown(r, m, "auth", {"bearer_token_env", "oauth2", "headers_env"} | set(_INLINE_SECRETS))
    kinds = [k for k in ("bearer_token_env", "oauth2", "headers_env") if k in m]
    if len(kinds) > 1:
        raise r.fail("auth", f"use one of bearer_token_env, oauth2, headers_env (got {', '.join(kinds)})")
    oauth_raw = r.mapping(m.get("oauth2"), "auth.oauth2")
    for forbidden in _INLINE_SECRETS:
        for where, block in (("auth", m), ("auth.oauth2", oauth_raw)):
            if forbidden in block:
                raise r.fail(f"{where}.{forbidden}",
                             "secrets are never written in a profile; name an environment variable (…_env)")
    oauth = None
    if "oauth2" in m:
        o = oauth_raw
        no_unknown(r, o, "auth.oauth2", {"token_url", "client_id", "client_secret_env", "scopes", "audience"})
        r.url(o.get("token_url"), "auth.oauth2.token_url", required=True)
        r.string(o.get("client_id"), "auth.oauth2.client_id", required=True)
        r.string(o.get("client_secret_env"), "auth.oauth2.client_secret_env", required=True)
        oauth = dict(o)
    headers = r.mapping(m.get("headers_env"), "auth.headers_env")
    for name, env in headers.items():
        r.string(env, f"auth.headers_env.{name}", required=True)
    return Auth(bearer_token_env=r.string(m.get("bearer_token_env"), "auth.bearer_token_env"),
                headers_env={str(k): str(v) for k, v in headers.items()}, oauth2=oauth)


def parse_profile(data: Any, source: str, base_dir: Path | None = None) -> VendorProfile:
    """Validate a parsed profile; relative file paths in it (``tls.ca_file``) are resolved against
    ``base_dir`` (default: the folder of ``source``)."""
    r = Reader(source)
    top = r.mapping(data, "profile")
    if not top:
        raise r.fail("profile", "is empty")
    known = {"name", "version", "contact", "auth", "rate_limit_per_second", "max_requests", "allow_redirects_to",
             "timeouts", "oid4vp_verifier", "oid4vci_issuer", "wallet", "ob_provider", "ob_consumer", "tls", "documents",
             "status_lists", "ecosystems", VCALM_WALLET_SECTION, *VCALM_SECTIONS, *PERSON_SECTIONS, *ROLES}
    unknown = set(top) - known
    if unknown:
        raise r.fail("profile", f"unknown field(s) {', '.join(sorted(unknown))}")
    base = base_dir if base_dir is not None else Path(source).parent
    artefacts = _artefact_issuer(r, top.get("issuer"), base) if "issuer" in top else None
    sections = {role: top[role] for role in ROLES if role in top}
    if artefacts is not None:  # the artefacts are not part of the VC API role; without issue_url there is none
        live = {k: v for k, v in sections["issuer"].items() if k != "artefacts"}
        if "issue_url" in live:
            sections["issuer"] = live
        else:
            del sections["issuer"]
    roles = {role: _role(r, role, raw) for role, raw in sections.items()}
    oid4vp_verifier = None
    if "oid4vp_verifier" in top:
        oid4vp_verifier = parse_section(top["oid4vp_verifier"], r.fail)
    oid4vci_issuer = None
    if "oid4vci_issuer" in top:
        oid4vci_issuer = parse_issuer_section(top["oid4vci_issuer"], r.fail)
    wallet = None
    if "wallet" in top:
        wallet = parse_wallet_section(top["wallet"], r.fail)
    ob_provider = parse_provider_section(top["ob_provider"], r.fail) if "ob_provider" in top else None
    ob_consumer = parse_consumer_section(top["ob_consumer"], r.fail) if "ob_consumer" in top else None
    vcalm = {name: parse_exchange_section(top[name], name, r.fail) for name in VCALM_SECTIONS if name in top}
    vcalm_wallet = (parse_vcalm_wallet_section(top[VCALM_WALLET_SECTION], r.fail, has_wallet=wallet is not None)
                    if VCALM_WALLET_SECTION in top else None)
    person = {name: parse_person_section(top[name], name, r.fail) for name in PERSON_SECTIONS if name in top}
    if (not roles and all(s is None for s in (oid4vp_verifier, oid4vci_issuer, wallet, ob_provider, ob_consumer, artefacts))
            and not vcalm and not person):
        raise r.fail("profile", f"describes no role; add one of {', '.join(ROLES)}")
    rate, max_req, redirect_hosts, timeouts = limits(r, top)
    return VendorProfile(
        name=r.string(top.get("name"), "name", required=True) or "",
        source=source,
        version=r.string(top.get("version"), "version"),
        contact=r.string(top.get("contact"), "contact"),
        auth=_auth(r, top.get("auth")),
        roles=roles,
        rate_limit_per_second=float(rate) if rate is not None else None,
        max_requests=max_req,
        allow_redirects_to=tuple(h.lower() for h in (redirect_hosts or [])),
        timeouts={str(k): float(v) for k, v in timeouts.items()} or None,
        oid4vp_verifier=oid4vp_verifier,
        oid4vci_issuer=oid4vci_issuer,
        wallet=wallet,
        ob_provider=ob_provider,
        ob_consumer=ob_consumer,
        vcalm_issuer=vcalm.get("vcalm_issuer"),
        vcalm_verifier=vcalm.get("vcalm_verifier"),
        vcalm_wallet=vcalm_wallet,
        artefacts=artefacts,
        displayer=person.get("displayer"),
        page_verifier=person.get("page_verifier"),
        tls_ca_file=tls_ca_file(r, top.get("tls"), base),
        document_hosts=document_hosts(r, top.get("documents")),
        status_list_minimum=status_list_minimum(r, top.get("status_lists")),
        ecosystems=parse_ecosystems(top.get("ecosystems"), _sections_present(top, roles, artefacts), r.fail),
    )


def _sections_present(top: Mapping[str, Any], roles: Mapping[str, Any], artefacts: Any) -> set[str]:
    """The role names a profile describes, as ecosystem profiles name the roles they cover."""
    present = {name for name in top if name in (*VCALM_SECTIONS, "oid4vci_issuer", "oid4vp_verifier", "wallet",
                                                "ob_provider", "ob_consumer", *PERSON_SECTIONS)} | set(roles)
    return present | ({"artefact_issuer"} if artefacts is not None else set())


def _artefact_issuer(r: Reader, raw: Any, base_dir: Path) -> ArtefactIssuer | None:
    """``issuer.artefacts`` (lerconf.profile.artefacts), or None when the issuer section has none.
    Without ``issue_url`` the section has only ``artefacts`` and, optionally, ``id``: the VC API
    claims select live scenarios; the artefact scenarios are chosen by what was delivered."""
    m = r.mapping(raw, "issuer")
    if "artefacts" not in m:
        return None
    sources = parse_artefacts(m["artefacts"], r.fail, base_dir, securing=SECURING, vc_versions=VC_VERSIONS,
                              types=CREDENTIAL_TYPES)
    if "issue_url" not in m:
        extra = set(m) - {"artefacts", "id"}
        if extra:
            raise r.fail("issuer", f"{', '.join(sorted(extra))} need(s) issue_url (the live VC API issuer); an issuer "
                                   "of artefacts only has artefacts and id")
    return ArtefactIssuer(sources, issuer_id=r.string(m.get("id"), "issuer.id"))


def _role(r: Reader, role: str, raw: Any) -> RoleEndpoints:
    """One VC API role section: its endpoint URLs, claims, options, issuer id and failure style."""
    m = r.mapping(raw, role)
    allowed = {*_ROLE_URLS[role], "claims", "options", "id", "failure_style"}
    extra = set(m) - allowed
    if extra:
        raise r.fail(role, f"unknown field(s) {', '.join(sorted(extra))}")
    urls = {k: r.url(m.get(k), f"{role}.{k}", required=(k == _REQUIRED_URL[role])) for k in _ROLE_URLS[role]}
    style = r.string(m.get("failure_style"), f"{role}.failure_style") or "either"
    if style not in FAILURE_STYLES:
        raise r.fail(f"{role}.failure_style", f"{style!r} is not one of {', '.join(FAILURE_STYLES)}")
    return RoleEndpoints(
        role=role,
        urls={k: v for k, v in urls.items() if v},
        claims=_claims(r, m.get("claims"), f"{role}.claims"),
        options=dict(r.mapping(m.get("options"), f"{role}.options")),
        issuer_id=r.string(m.get("id"), f"{role}.id", required=(role == "issuer")),
        failure_style=style,
        omitted_claims=tuple(k for k in CLAIM_FIELDS if k not in r.mapping(m.get("claims"), f"{role}.claims")),
    )


def _section_view(section: Any) -> dict[str, Any]:
    """A protocol section as reports show it: its URLs and claims (these sections hold no secrets)."""
    view = getattr(section, "public_view", None)
    if callable(view):
        return dict(view())
    claims = getattr(section, "claims", None)
    return {"urls": dict(getattr(section, "urls", {}) or {}),
            "claims": {k: list(v) for k, v in vars(claims).items()} if claims is not None else {}}


def load_profile(path: Path) -> VendorProfile:
    """Read and validate a vendor profile file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read vendor profile: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: byte {exc.start}: not UTF-8 text; save the profile as UTF-8") from None
    text = expand_variables(text, str(path))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        raise ProfileError(f"{path}: {where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    return parse_profile(data, str(path), path.parent)
