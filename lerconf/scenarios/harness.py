"""The session of a harness run: vendors under test, lerconf's own roles, the engine.

Roles a vendor does not provide are played by lerconf itself: the embedded reference (started
on loopback for every run) issues, holds, verifies and publishes status lists, and its keys
sign the harness's own credentials, so every scenario can run whatever a vendor offers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from lerconf import entropy
from lerconf.checks.status import ListMinimum
from lerconf.clients.http import Timeouts, VendorClient
from lerconf.clients.vcapi import HolderClient, IssuerClient, VerifierClient
from lerconf.crypto.keys import BLS_G2
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.loader import DocumentLoader, LoaderSettings, private_network_allowed
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.errors import ProfileError
from lerconf.evidence import CURRENT_EVIDENCE
from lerconf.exchange import Exchange
from lerconf.negatives.mutators import MutationContext
from lerconf.profile.load import VendorProfile
from lerconf.verify.engine import Verifier

if TYPE_CHECKING:
    from lerconf.refimpl.keys import ReferenceKeys
    from lerconf.refimpl.server import RunningReference
    from lerconf.scenarios.vcapi import IssuedBadge


def _record(exchange: Exchange) -> None:
    evidence = CURRENT_EVIDENCE.get()
    if evidence is not None:
        evidence.record(exchange)


@dataclass
class VendorUnderTest:
    profile: VendorProfile
    http: VendorClient
    issuer: IssuerClient | None
    verifier: VerifierClient | None
    holder: HolderClient | None

    @property
    def name(self) -> str:
        return self.profile.name

    def __repr__(self) -> str:
        return f"VendorUnderTest({self.profile.name!r})"


#: (vendor, VC version, securing, status purpose) of an issued badge
IssuedKey = tuple[str, str, str, "str | None"]
#: (securing, VC version, curve, did:web, status purpose) of a badge lerconf signed
SignedKey = tuple[str, str, "str | None", bool, "str | None"]


@dataclass
class Memo:
    """What a run makes once and its scenarios share, keyed by what it was made for: a dozen
    scenarios judge one issued credential, and lerconf signs each kind of badge once."""

    issued: dict[IssuedKey, IssuedBadge] = field(default_factory=dict)
    signed: dict[SignedKey, dict[str, Any]] = field(default_factory=dict)
    jwt_badges: dict[str, str] = field(default_factory=dict)
    mutation_contexts: dict[tuple[str, str | None, bool], MutationContext] = field(default_factory=dict)


@dataclass
class Harness:
    """Everything a scenario may use; built once per run by the pytest plugin."""

    vendors: list[VendorUnderTest]
    own: VendorUnderTest                  # lerconf's embedded reference, playing missing roles
    engine: Verifier
    reference: RunningReference
    memo: Memo = field(default_factory=Memo)
    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    #: the fewest entries a status list may hold when lerconf's engine verifies (BSL-16): the spec's
    #: default unless a vendor profile or --status-list-minimum lowers it (status_list_minimum())
    status_list_minimum: ListMinimum = field(default_factory=ListMinimum)

    def __repr__(self) -> str:
        return f"Harness({[v.name for v in self.vendors]})"

    def vendor(self, name: str) -> VendorUnderTest:
        for v in self.vendors:
            if v.name == name:
                return v
        raise KeyError(name)

    @overload
    def role(self, vendor: VendorUnderTest, role: Literal["issuer"]) -> IssuerClient: ...
    @overload
    def role(self, vendor: VendorUnderTest, role: Literal["verifier"]) -> VerifierClient: ...
    @overload
    def role(self, vendor: VendorUnderTest, role: Literal["holder"]) -> HolderClient: ...
    def role(self, vendor: VendorUnderTest, role: str) -> Any:
        """The vendor's client for a role, or lerconf's own when the vendor lacks it (the
        embedded reference's profile declares all three roles)."""
        return getattr(vendor, role) or getattr(self.own, role)

    @property
    def keys(self) -> ReferenceKeys:
        return self.reference.keys

    def signer(self, suite: str, curve: str | None = None, *, did_web: bool = False) -> Signer:
        """lerconf's own issuer key for a cryptosuite.

        By default a did:key, which any verifier resolves without reaching this machine. The
        reference's did:web keys (resolvable only where the harness's loopback server is) are
        used where a DID document is needed, e.g. a key not authorised for assertions.
        """
        if did_web:
            return self.keys.p384 if curve == "P-384" else self.keys.signer_for(suite)
        wanted = curve or ("P-256" if suite.startswith("ecdsa") else BLS_G2 if suite == "bbs-2023" else "Ed25519")
        return Signer.did_key(deterministic_key(f"harness-issuer-{wanted}", wanted))

    def mutation_context(self, suite: str, curve: str | None = None, *, did_web: bool = False) -> MutationContext:
        """Signers and status entries the re-signing mutators need, cached per suite."""
        key = (suite, curve, did_web)
        if key not in self.memo.mutation_contexts:
            self.memo.mutation_contexts[key] = MutationContext(
                processor=self.engine.processor,
                signer=self.signer(suite, curve, did_web=did_web),
                suite=suite,
                other_signer=Signer.did_key(deterministic_key("harness-other-party", self.signer(suite, curve).key.curve)),
                unauthorised_signer=self.keys.unauthorised if did_web and self.keys.unauthorised.key.curve == "Ed25519"
                and not suite.startswith("ecdsa") else None,
                revoked_status=self.status_entry("revocation", set_bit=True),
                suspended_status=self.status_entry("suspension", set_bit=True),
                unreachable_status={
                    "id": f"{self.reference.base_url}/status-lists/missing-{entropy.token_hex(4)}#7",
                    "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "7",
                    "statusListCredential": f"{self.reference.base_url}/status-lists/missing-{entropy.token_hex(4)}",
                },
            )
        return self.memo.mutation_contexts[key]

    def status_entry(self, purpose: str, *, set_bit: bool) -> dict[str, Any]:
        """A status entry on the reference's list, with its bit set through the status API."""
        issuer = self.own.issuer
        assert issuer is not None
        credential = ob3_achievement_credential(self.reference.issuer_id, credential_id=f"urn:uuid:{_uuid()}")
        issued = issuer.issue(credential, {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose}})
        if not isinstance(issued.credential, dict) or "credentialStatus" not in issued.credential:
            raise RuntimeError(f"the embedded reference did not issue a {purpose} status entry: {issued.exchange.reason}")
        if set_bit:
            answer = issuer.update_status(credential["id"], purpose, True)
            if answer.outcome.value != "accepted":
                raise RuntimeError(f"the embedded reference did not set the {purpose} bit: {answer.reason}")
        return dict(issued.credential["credentialStatus"])


def _uuid() -> str:
    return entropy.uuid4()


def build_vendor(profile: VendorProfile, *, timeouts: Timeouts | None = None,
                 allow_private: bool | None = None, own: bool = False) -> VendorUnderTest:
    """The vendor's clients; private addresses only where its profile names the host, or everywhere
    when the user allowed them (``allow_private``, default: ``lerconf run --allow-private-network``)."""
    if allow_private is None:
        allow_private = private_network_allowed()
    if timeouts is None and profile.timeouts:  # the profile's `timeouts:` section; unset kinds keep lerconf's defaults
        timeouts = Timeouts(**profile.timeouts)
    # lerconf's own reference runs in a replay too: its calls are never answered from a recording
    http = VendorClient(profile, timeouts=timeouts, recorder=_record, allow_private_addresses=allow_private, taped=not own)
    issuer = profile.role("issuer")
    verifier = profile.role("verifier")
    holder = profile.role("holder")
    return VendorUnderTest(
        profile,
        http,
        IssuerClient(http, issuer) if issuer else None,
        VerifierClient(http, verifier) if verifier else None,
        HolderClient(http, holder) if holder else None,
    )


CLI_MINIMUM_SOURCE = "--status-list-minimum"


def status_list_minimum(profiles: list[VendorProfile], given: int | None = None) -> ListMinimum:
    """The run's status list minimum (BSL-16) for lerconf's own engine, and where it came from.

    ``lerconf run --status-list-minimum N`` (``given``) wins over every profile; otherwise the
    profiles' ``status_lists.minimum_entries``, which must agree (one run judges by one minimum);
    otherwise Bitstring Status List's default, 131,072."""
    if given is not None:
        return ListMinimum(given, CLI_MINIMUM_SOURCE)
    setting = [(p, p.status_list_minimum) for p in profiles if p.status_list_minimum is not None]
    values = {v for _, v in setting}
    if len(values) > 1:
        named = ", ".join(f"{Path(p.source).name} {v}" for p, v in setting)
        raise ProfileError(f"vendor profiles set different status_lists.minimum_entries ({named}); one run applies "
                           "one minimum: give them the same value, or choose with --status-list-minimum N")
    if not setting:
        return ListMinimum()
    names = ", ".join(Path(p.source).name for p, _ in setting)
    return ListMinimum(setting[0][1], f"vendor profile {names}")


def engine_for(reference: Any, profiles: list[VendorProfile], base: LoaderSettings) -> Verifier:
    """lerconf's own verifier: may reach the vendors' and the reference's hosts, maps the
    reference's did:web document (HTTPS-only by spec) to its file.

    A vendor's documents (DID documents, status lists, key URLs) may be fetched from the hosts
    its profile names (endpoints, a did:web issuer id, ``documents.hosts``), in every scenario,
    interop included; its ``tls.ca_file`` is trusted for those hosts only."""
    hosts = set(base.allowed_hosts) | set(reference.allowed_hosts)
    ca_files: dict[str, tuple[Path, ...]] = {k: tuple(v) for k, v in base.ca_files.items()}
    for p in profiles:
        hosts |= p.documents_hosts
        if p.tls_ca_file is not None:
            for host in p.documents_hosts:
                ca_files[host] = (*ca_files.get(host, ()), p.tls_ca_file)
    settings = LoaderSettings(
        context_dirs=base.context_dirs, schema_dirs=base.schema_dirs, cache_dir=base.cache_dir,
        url_map={**dict(base.url_map), **dict(reference.url_map)}, offline=base.offline,
        allow_unregistered_contexts=base.allow_unregistered_contexts, allowed_hosts=frozenset(hosts),
        allow_private_addresses=base.allow_private_addresses, allow_loopback=base.allow_loopback, ca_files=ca_files,
        fetch_timeout=base.fetch_timeout, fetch_deadline=base.fetch_deadline,
    )
    # what a vendor issued or delivered is judged as it is: a refresh service it names could hand back a
    # conformant stand-in for a non-conformant badge (OB-25 is judged on vendor verifiers, on the wire)
    return Verifier(DocumentLoader(settings), refreshes=False)
