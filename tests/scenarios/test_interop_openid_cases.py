"""OpenID interop cases (issuer x wallet x verifier) generated from vendor profiles' claims."""
from __future__ import annotations

import base64
import json
from types import SimpleNamespace
from typing import Any

import pytest

from lerconf.evidence import Evidence
from lerconf.profile.load import VendorProfile, parse_profile
from lerconf.protocol.vp_verdict import Observation, Seen
from lerconf.scenarios.interop_openid import (
    LIFECYCLE,
    OPENID_KINDS,
    PRESENTATION,
    HeldOpenIdBadge,
    OpenIdInteropCase,
    expect_refused_as_revoked,
    expect_verified,
    openid_cases,
    revocation_url,
)
from lerconf.verdicts import Broken


def _issuer(host: str, formats: tuple[str, ...] = ("ldp_vc", "jwt_vc_json"), **options: Any) -> dict[str, Any]:
    return {"credential_issuer": f"https://{host}/oid4vci", "offer_url": f"https://{host}/offers",
            "claims": {"formats": list(formats), "grants": ["pre-authorized_code"], "features": ["tx_code"]},
            **({"options": options} if options else {})}


def _verifier(host: str, formats: tuple[str, ...] = ("ldp_vc", "jwt_vc_json"), *, hook: bool = True,
              prefixes: tuple[str, ...] = ("decentralized_identifier", "redirect_uri")) -> dict[str, Any]:
    section: dict[str, Any] = {"request_hook": f"https://{host}/requests",
                               "claims": {"formats": list(formats), "client_id_prefixes": list(prefixes)}}
    if hook:
        section["result_hook"] = f"https://{host}/results/{{state}}"
    else:
        section["verdict_from"] = "direct_post_status"
    return section


def _wallet(host: str, formats: tuple[str, ...] = ("ldp_vc", "jwt_vc_json"),
            prefixes: tuple[str, ...] = ("decentralized_identifier",)) -> dict[str, Any]:
    return {"adapter_url": f"https://{host}/wallet", "claims": {"formats": list(formats), "client_id_prefixes": list(prefixes)}}


def _profile(name: str, **sections: Any) -> VendorProfile:
    return parse_profile({"name": name, **sections}, "test")


def _triples(profiles: list[VendorProfile], kind: str = PRESENTATION) -> set[tuple[str, str, str, str]]:
    return {(c.issuer, c.wallet, c.verifier, c.format) for c in openid_cases(profiles, kind)}


def test_requirement_ids_pick_the_kind() -> None:
    assert OPENID_KINDS == {"VP-04": PRESENTATION, "LCW-02": LIFECYCLE}


def test_every_role_of_two_vendors_pairs_across_but_never_with_the_wallets_own_vendor() -> None:
    a = _profile("A", oid4vci_issuer=_issuer("a.example"), oid4vp_verifier=_verifier("a.example"), wallet=_wallet("a.example"))
    b = _profile("B", oid4vci_issuer=_issuer("b.example"), oid4vp_verifier=_verifier("b.example"),
                 wallet=_wallet("b.example", formats=("ldp_vc",)))
    assert _triples([a, b]) == {("A", "B", "A", "ldp_vc"),  # B's wallet takes ldp_vc only
                                ("B", "A", "B", "ldp_vc"), ("B", "A", "B", "jwt_vc_json")}
    case = next(iter(openid_cases([a, b], PRESENTATION)))
    assert case.client_id_prefix == "decentralized_identifier"
    assert case.to_json()["wallet"] == case.wallet and case.label == f"{case.issuer} → {case.wallet} → {case.verifier}"
    assert not _triples([a]), "one vendor has nobody to interoperate with"
    assert not _triples([a], LIFECYCLE)


def test_a_third_vendors_verifier_and_missing_roles() -> None:
    issuer = _profile("Issuer", oid4vci_issuer=_issuer("i.example"))
    wallet = _profile("Wallet", wallet=_wallet("w.example", formats=("jwt_vc_json",)))
    verifier = _profile("Verifier", oid4vp_verifier=_verifier("v.example"))
    # the issuer has no verifier, the verifier vendor no issuer: one flow through all three, in the shared format
    assert _triples([issuer, wallet, verifier]) == {("Issuer", "Wallet", "Verifier", "jwt_vc_json")}
    assert not _triples([issuer, wallet]), "no verifier: not claimed"
    assert not _triples([wallet, verifier]), "no issuer: not claimed"


def test_a_verifier_lerconf_cannot_read_or_a_wallet_it_cannot_talk_to_makes_no_case() -> None:
    issuer = _profile("Issuer", oid4vci_issuer=_issuer("i.example"))
    wallet = _profile("Wallet", wallet=_wallet("w.example"))
    blind = _profile("Blind", oid4vp_verifier=_verifier("v.example", hook=False))
    assert not _triples([issuer, wallet, blind]), "without a result hook the verdict is not observable"
    x509_only = _profile("X509", oid4vp_verifier=_verifier("x.example", prefixes=("x509_san_dns",)))
    assert not _triples([issuer, wallet, x509_only]), "no client_id prefix in common with the wallet"


def test_the_lifecycle_needs_a_way_to_revoke_and_ldp_vc() -> None:
    wallet = _profile("Wallet", wallet=_wallet("w.example"))
    verifier = _profile("Verifier", oid4vp_verifier=_verifier("v.example"))
    plain = _profile("Plain", oid4vci_issuer=_issuer("p.example"))
    explicit = _profile("Explicit", oid4vci_issuer=_issuer("e.example", status_url="https://e.example/status"))
    vcapi = _profile("VcApi", oid4vci_issuer=_issuer("c.example"),
                     issuer={"issue_url": "https://c.example/issue", "status_url": "https://c.example/status", "id": "did:web:c.example",
                             "claims": {"securing": ["eddsa-rdfc-2022"], "status": ["BitstringStatusList"]}})
    jwt_only = _profile("JwtOnly", oid4vci_issuer=_issuer("j.example", formats=("jwt_vc_json",), status_url="https://j.example/s"))
    assert revocation_url(plain) is None
    assert revocation_url(explicit) == "https://e.example/status" and revocation_url(vcapi) == "https://c.example/status"
    found = _triples([plain, explicit, vcapi, jwt_only, wallet, verifier], LIFECYCLE)
    assert found == {("Explicit", "Wallet", "Verifier", "ldp_vc"), ("VcApi", "Wallet", "Verifier", "ldp_vc")}
    # the presentation cases do not need revocation
    assert ("Plain", "Wallet", "Verifier", "ldp_vc") in _triples([plain, wallet, verifier])


# -- the verdicts: from the verifier's result hook, never from the wallet's own report ----------------
def _parties() -> Any:
    case = OpenIdInteropCase(PRESENTATION, "Issuer", "Wallet", "Verifier", "ldp_vc")
    return SimpleNamespace(case=case, issuer=SimpleNamespace(name="Issuer"), wallet=SimpleNamespace(name="Wallet"),
                           verifier=SimpleNamespace(name="Verifier"))


def _held(*seen: str, revoked: bool = False) -> Any:
    return HeldOpenIdBadge(driver=None, stored={"format": "ldp_vc", "credential": {"id": "urn:x"}},  # type: ignore[arg-type]
                           verdicts=[Observation(Seen(s), "the result hook says", "result_hook") for s in seen], revoked=revoked)


def test_verdicts_pass_fail_and_break_on_what_the_result_hook_says() -> None:
    expect_verified(_parties(), Evidence(), _held("success"))
    with pytest.raises(AssertionError, match="VP-04"):
        expect_verified(_parties(), Evidence(), _held("failure"))
    with pytest.raises(Broken):
        expect_verified(_parties(), Evidence(), _held("not_observable"))
    expect_refused_as_revoked(_parties(), Evidence(), _held("success", "failure", revoked=True))
    with pytest.raises(AssertionError, match="LCW-02"):
        expect_refused_as_revoked(_parties(), Evidence(), _held("success", "success", revoked=True))
    with pytest.raises(RuntimeError):  # judged only after the issuer revoked it
        expect_refused_as_revoked(_parties(), Evidence(), _held("success", "failure"))


def test_the_revoked_badge_is_named_by_its_id_in_either_format() -> None:
    payload = base64.urlsafe_b64encode(json.dumps({"jti": "urn:jwt", "vc": {"credentialStatus": {"statusPurpose": "revocation"}}})
                                       .encode()).decode().rstrip("=")
    held = HeldOpenIdBadge(driver=None, stored={"format": "jwt_vc_json", "credential": f"e30.{payload}.sig"})  # type: ignore[arg-type]
    assert held.credential is not None and held.credential["id"] == "urn:jwt"
    assert _held().credential == {"id": "urn:x"}
