"""The lifecycle through a badge host (issue 14): against the embedded reference it passes end to end;
a host that hands back an altered badge fails the read-back (OBAPI-09); an issuer whose revocation
does not take fails the last verdict (BSL-10) — each for its own reason."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from lerconf.documents.loader import LoaderSettings
from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierVerdict
from lerconf.scenarios import obapi_lifecycle as lifecycle
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios.expect import expect_checks, expect_verdict
from lerconf.scenarios.harness import Harness, build_vendor, engine_for


@pytest.fixture(scope="module")
def run(ref: Any, offline_settings: LoaderSettings) -> Harness:
    profile = ref.profile()
    vendor = build_vendor(profile, allow_private=True)
    return Harness(vendors=[vendor], own=vendor, engine=engine_for(ref, [profile], offline_settings), reference=ref)


def _stored(run: Harness) -> tuple[lifecycle.HostedBadge, Evidence]:
    evidence = Evidence()
    vendor = run.vendors[0]
    badge = flows.issue_badge(run, vendor, evidence, vc_version="2.0", securing="eddsa-rdfc-2022",
                              status_purpose="revocation", fresh=True)
    return lifecycle.store_on_host(run, vendor, evidence, badge), evidence


def _verdict(run: Harness, hosted: lifecycle.HostedBadge, evidence: Evidence, expected: VerifierVerdict) -> None:
    answer = lifecycle.verify_hosted(run, run.vendors[0], evidence, hosted)
    expect_verdict(evidence, answer, expected, lifecycle.VERDICT_IDS)


def test_the_lifecycle_through_the_reference_host_passes(run: Harness) -> None:
    hosted, evidence = _stored(run)
    expect_checks(evidence, lifecycle.hosted_badge_read_back(hosted, evidence))
    _verdict(run, hosted, evidence, VerifierVerdict.ACCEPTED)
    lifecycle.revoke_hosted(run, run.vendors[0], evidence, hosted)
    _verdict(run, hosted, evidence, VerifierVerdict.REJECTED)
    assert hosted.returned is not None and hosted.returned["id"] == hosted.credential["id"]


def test_a_host_that_hands_back_an_altered_badge_fails_the_read_back(run: Harness, ref: Any) -> None:
    hosted, evidence = _stored(run)
    store = ref.server.config.app.state.obhost["ob"]
    with store.lock:
        for items in store.credentials.values():
            for item in items:
                if isinstance(item.credential, dict) and item.credential.get("id") == hosted.credential["id"]:
                    item.credential = copy.deepcopy(item.credential)
                    item.credential["credentialSubject"]["achievement"].pop("criteria")
    with pytest.raises(AssertionError, match="OBAPI-09"):
        expect_checks(evidence, lifecycle.hosted_badge_read_back(hosted, evidence))


def test_a_revocation_that_does_not_take_fails_the_last_verdict(run: Harness, ref: Any) -> None:
    hosted, evidence = _stored(run)
    _verdict(run, hosted, evidence, VerifierVerdict.ACCEPTED)
    lifecycle.revoke_hosted(run, run.vendors[0], evidence, hosted)
    index = ref.state.status.index_of(str(hosted.credential["id"]), "revocation")
    assert index is not None
    ref.state.status.apply_changes({"cleared": {"revocation": [index]}})  # the issuer's list forgets the revocation
    with pytest.raises(AssertionError, match="BSL-10"):
        _verdict(run, hosted, evidence, VerifierVerdict.REJECTED)


def test_the_host_lifecycle_needs_a_host_that_reads_and_writes() -> None:
    from lerconf.profile.claims import not_claimed
    from lerconf.profile.load import parse_profile

    meta = {"role": "lifecycle", "tags": ["lifecycle", "ob_provider", "obv3"], "example": {}}
    issuer_only = parse_profile({"name": "Acme", "issuer": {"id": "did:web:acme.example", "issue_url": "https://acme.example/i",
                                                            "claims": {"vc_versions": ["2.0"], "securing": ["eddsa-rdfc-2022"]}}},
                                "acme.yaml")
    assert not_claimed(issuer_only, meta) == "Acme has no ob_provider section (the host the badge is stored on)"
    read_only = parse_profile({"name": "Host", "ob_provider": {"base_url": "https://host.example", "apis": ["ob"],
                                                               "claims": {"operations": ["read"], "formats": ["ldp_vc"]}}},
                              "host.yaml")
    reason = not_claimed(read_only, meta)
    assert reason is not None and reason.startswith("ob_provider does not claim") and "write" in reason


def test_a_host_only_vendor_gets_a_badge_any_host_can_verify(ref: Any, offline_settings: LoaderSettings) -> None:
    """A vendor with only a host: lerconf signs the badge with its did:key (any host resolves it, unlike the
    did:web of its loopback reference), keeps it on its own status list and revokes it there."""
    from lerconf.profile.load import parse_profile

    host = parse_profile({"name": "Host only", "ob_provider": {
        "base_url": ref.base_url, "apis": ["ob"], "claims": {"operations": ["read", "write"], "formats": ["ldp_vc"]}}},
        "host-only.yaml")
    own_profile = ref.profile()
    run = Harness(vendors=[build_vendor(host, allow_private=True)], own=build_vendor(own_profile, allow_private=True, own=True),
                  engine=engine_for(ref, [host], offline_settings), reference=ref)
    vendor, evidence = run.vendors[0], Evidence()
    badge = lifecycle.issue_for_host(run, vendor, evidence)
    assert str(badge.issued.credential["issuer"]["id"]).startswith("did:key:") and badge.status_holder
    hosted = lifecycle.store_on_host(run, vendor, evidence, badge)
    expect_checks(evidence, lifecycle.hosted_badge_read_back(hosted, evidence))
    _verdict(run, hosted, evidence, VerifierVerdict.ACCEPTED)
    lifecycle.revoke_hosted(run, vendor, evidence, hosted)
    _verdict(run, hosted, evidence, VerifierVerdict.REJECTED)
