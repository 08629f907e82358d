"""Cross-vendor interop cases, generated from what each vendor claims.

Every claimed issuer's badges go to every other vendor's verifier (for each securing method and
VC version both claim), every holder's presentations to every other verifier, and the
revocation lifecycle runs across vendors: A issues, B's holder presents (lerconf when no other
holder), C verifies, A revokes, C must now reject. What a vendor delivered as files
(``issuer.artefacts``) goes to every other vendor's verifier too ("artefact" cases; which
artefacts each verifier claims is known once they are read: lerconf.scenarios.artefacts).
A selective-disclosure issuer's base proof (ecdsa-sd-2023, bbs-2023) is for a holder to derive from,
never for a verifier (EC-05, LBB-03): issuer and verifier are not paired directly on those suites.
Instead a "disclosure" case runs A issues a base proof, B's holder derives a disclosure (lerconf
when no third vendor's holder names a derive_url for the suite), C verifies it.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lerconf.profile.load import VendorProfile

KINDS = ("credential", "presentation", "lifecycle", "artefact", "disclosure")
#: securing methods whose issued form a verifier must refuse (a base proof awaits a holder's derivation)
HOLDER_DERIVES = frozenset({"ecdsa-sd-2023", "bbs-2023"})


@dataclass(frozen=True)
class InteropCase:
    kind: str
    issuer: str | None
    holder: str | None
    verifier: str
    securing: str
    vc_version: str

    @property
    def label(self) -> str:
        parts = [p for p in (self.issuer, self.holder) if p]
        return f"{' → '.join(parts)} → {self.verifier}"

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.label}:{self.securing}:{self.vc_version}"

    def to_json(self) -> dict[str, str | None]:
        return {"kind": self.kind, "issuer": self.issuer, "holder": self.holder, "verifier": self.verifier,
                "securing": self.securing, "vc_version": self.vc_version}


def _claims(profile: VendorProfile, role: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    endpoints = profile.role(role)
    if endpoints is None:
        return None
    securing = tuple(s for s in endpoints.claims.securing if role != "issuer" or s not in HOLDER_DERIVES)
    return securing, endpoints.claims.vc_versions or ("2.0",)


def cases(profiles: list[VendorProfile], kind: str) -> Iterator[InteropCase]:
    """The interop cases of one kind between distinct vendors."""
    for verifier in profiles:
        v = _claims(verifier, "verifier")
        if v is None:
            continue
        if kind == "disclosure":
            yield from _disclosure_cases(profiles, verifier)
            continue
        if kind == "artefact":
            for issuer in profiles:
                if issuer.name != verifier.name and issuer.artefacts is not None:
                    yield InteropCase(kind, issuer.name, None, verifier.name, "as delivered", "as delivered")
            continue
        if kind in ("credential", "lifecycle"):
            for issuer in profiles:
                i = _claims(issuer, "issuer")
                if issuer.name == verifier.name or i is None:
                    continue
                if kind == "lifecycle":
                    role = issuer.role("issuer")
                    if role is None or "status_url" not in role.urls or "BitstringStatusList" not in role.claims.status:
                        continue
                    holder_name = next((h.name for h in profiles if h.role("holder") and h.name not in (issuer.name, verifier.name)), None)
                    securing = [s for s in i[0] if s in v[0]][:1]
                    for s in securing:
                        yield InteropCase(kind, issuer.name, holder_name, verifier.name, s, "2.0")
                    continue
                for s in (s for s in i[0] if s in v[0]):
                    for version in (x for x in i[1] if x in v[1]):
                        yield InteropCase(kind, issuer.name, None, verifier.name, s, version)
        elif kind == "presentation":
            for holder in profiles:
                h = _claims(holder, "holder")
                if holder.name == verifier.name or h is None:
                    continue
                shared = [x for x in h[0] if x in v[0]]
                if shared:  # the holder signs its presentation with its own first shared suite
                    yield InteropCase(kind, None, holder.name, verifier.name, shared[0], "2.0")


def _deriving_holder(profiles: list[VendorProfile], suite: str, *, not_: tuple[str, ...]) -> str | None:
    """A vendor other than ``not_`` whose holder claims ``suite`` and names a derive_url (VC API Derive)."""
    for profile in profiles:
        holder = profile.role("holder")
        if profile.name not in not_ and holder is not None and suite in holder.claims.securing \
                and "derive_url" in holder.urls:
            return profile.name
    return None


def _disclosure_cases(profiles: list[VendorProfile], verifier: VendorProfile) -> Iterator[InteropCase]:
    """Every other vendor's SD issuer, disclosed by a third vendor's holder (else lerconf), to ``verifier``."""
    v = verifier.role("verifier")
    if v is None:
        return
    for issuer in profiles:
        i = issuer.role("issuer")
        if issuer.name == verifier.name or i is None:
            continue
        for suite in (s for s in i.claims.securing if s in HOLDER_DERIVES and s in v.claims.securing):
            holder = _deriving_holder(profiles, suite, not_=(issuer.name, verifier.name))
            yield InteropCase("disclosure", issuer.name, holder, verifier.name, suite, "2.0")
