"""Which scenarios a replay must skip because a person took part: never wait for a login or an operator."""
from __future__ import annotations

from typing import Any

from lerconf.profile.load import parse_profile
from lerconf.run.tapes import _by_a_person

HOST = {"base_url": "https://host.example", "apis": ["ob"],
        "claims": {"operations": ["read"], "formats": []}}


def _meta(role: str, **example: str) -> dict[str, Any]:
    return {"role": role, "tags": [role], "example": example}


def test_a_login_by_hand_or_a_consumer_by_hand_is_not_replayed() -> None:
    by_person = parse_profile({"name": "v", "ob_provider": {**HOST, "options": {"login": "person"}}}, "v.yaml")
    automatic = parse_profile({"name": "v", "ob_provider": HOST}, "v.yaml")
    assert _by_a_person(by_person, _meta("ob_provider", api="ob"))
    assert not _by_a_person(automatic, _meta("ob_provider", api="ob"))
    consumer = parse_profile({"name": "c", "ob_consumer": {"by_hand": {"open": "x"}, "apis": ["ob"],
                                                          "claims": {"operations": ["read"], "formats": []}}}, "c.yaml")
    assert _by_a_person(consumer, _meta("ob_consumer", api="ob"))
    assert not _by_a_person(consumer, _meta("issuer"))


def test_an_oid4vci_login_by_hand_skips_only_the_authorization_code_rows() -> None:
    issuer = {"credential_issuer": "https://issuer.example", "offer_url": "https://issuer.example/test/offers",
              "claims": {"formats": ["ldp_vc"], "grants": ["authorization_code"]},
              "options": {"authorization": {"login": "person"}}}
    profile = parse_profile({"name": "v", "oid4vci_issuer": issuer}, "v.yaml")
    assert _by_a_person(profile, _meta("oid4vci_issuer", grant="authorization_code", format="ldp_vc"))
    assert not _by_a_person(profile, _meta("oid4vci_issuer", grant="pre-authorized_code", format="ldp_vc"))
    ecosystem_row = {"role": "oid4vci_issuer", "tags": ["oid4vci_issuer", "lmc-oid4-ecdsa"], "example": {}}
    assert _by_a_person(profile, ecosystem_row)  # it runs the authorization code flow too
