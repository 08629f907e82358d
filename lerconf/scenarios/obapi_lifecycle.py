"""The LER lifecycle through a badge host (issue 14): the issuer's revocable badge is stored on the
host under test, read back equal, accepted by a verifier, revoked, and the badge the host still
returns is refused.

Parties: the vendor's issuer and verifier when it has them, lerconf's otherwise (as in the VC API
lifecycle); the host is always the vendor's (its ``ob_provider`` section, the OB 3.0 API). The
verdicts are the usual ones: OBAPI-09 for the read-back (the OB equality algorithm, nothing lost),
the verifier's answer for BSL-10, judged on what the *host* returns, not on what was issued."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lerconf import entropy
from lerconf.checks import obapi as checks
from lerconf.clients.obapi import ObApiClient
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.evidence import Evidence
from lerconf.protocol.obapi import Comparison, compare
from lerconf.protocol.vcapi import Issued, VerifierAnswer
from lerconf.results import CheckResult
from lerconf.scenarios import vcapi
from lerconf.scenarios.expect import expect_accepted
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.obapi_provider_flow import connect, open_session, require, scope_for
from lerconf.scenarios.reach import clear_on_lerconf_lists, verify_reaching
from lerconf.verdicts import Broken

__all__ = ["VERDICT_IDS", "HostedBadge", "hosted_badge_read_back", "issue_for_host", "revoke_hosted", "store_on_host", "verify_hosted"]

SUITE = "eddsa-rdfc-2022"
#: page size for reading every credential back
PAGE = 50
#: what the verifier's verdicts judge (the read-back is OBAPI-09's, judged on its own)
VERDICT_IDS = ("BSL-10",)


def issue_for_host(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> vcapi.IssuedBadge:
    """A revocable badge for the host: the vendor's issuer when it has one; otherwise lerconf signs it with
    its did:key (which any host resolves, unlike the did:web of lerconf's loopback reference) and puts it
    on lerconf's status list (an entry the reference issued, revoked through its status API)."""
    if vendor.issuer is not None:
        return vcapi.issue_badge(harness, vendor, evidence, vc_version="2.0", securing=SUITE,
                                 status_purpose="revocation", fresh=True)
    own = harness.own.issuer
    assert own is not None  # the embedded reference plays the issuer
    holder = ob3_achievement_credential(harness.reference.issuer_id, credential_id=f"urn:uuid:{entropy.uuid4()}")
    entry = own.issue(holder, {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}})
    if not isinstance(entry.credential, dict) or "credentialStatus" not in entry.credential:
        raise Broken(f"prerequisite: lerconf's status list gave no revocation entry: {entry.exchange.reason}")
    signer = harness.signer(SUITE)
    badge = ob3_achievement_credential(signer.controller, vcapi.HOLDER_SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}",
                                       credential_status=dict(entry.credential["credentialStatus"]))
    signed = signer.sign(badge, SUITE, harness.engine.processor)
    evidence.keep("badge lerconf issued for the host (did:key, lerconf's status list)", signed)
    return vcapi.IssuedBadge(badge, Issued(entry.exchange, signed), None, status_holder=str(holder["id"]))


@dataclass
class HostedBadge:
    """The issued badge, the consumer session that stored it, and what the host returned for it."""

    issued: vcapi.IssuedBadge = field(repr=False)
    client: ObApiClient = field(repr=False)
    returned: Mapping[str, Any] | None = field(default=None, repr=False)

    @property
    def credential(self) -> Mapping[str, Any]:
        credential = self.issued.issued.credential
        if not isinstance(credential, Mapping):
            raise Broken("prerequisite: the issuer issued no badge object")
        return credential


def store_on_host(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, badge: vcapi.IssuedBadge) -> HostedBadge:
    """Upsert the issuer's badge to the host under test (read and write scopes only)."""
    if badge.issued.credential is None:
        raise Broken(f"prerequisite: the issuer issued no badge: {badge.issued.exchange.reason}")
    session = open_session(harness, vendor, evidence, "ob")
    client = connect(session, [scope_for(session, "getCredentials"), scope_for(session, "upsertCredential")]).client
    require(client.upsert(dict(badge.issued.credential)), "the upsert of the issued badge")
    return HostedBadge(badge, client)


def _every_credential(hosted: HostedBadge, when: str) -> list[Mapping[str, Any]]:
    walk = hosted.client.walk_pages(PAGE)
    for page in walk.pages:
        require(page.answer, f"getCredentials {when}")
    if walk.problem is not None:
        raise Broken(f"prerequisite: getCredentials {when}: {walk.problem}")
    return walk.credentials


def _returned(hosted: HostedBadge, when: str) -> Mapping[str, Any]:
    """The host's copy of the badge (by the OB equality algorithm), read now; broken when it has none."""
    found = [c for c in _every_credential(hosted, when) if compare(hosted.credential, c) is not Comparison.DIFFERENT]
    if not found:
        raise Broken(f"prerequisite: the host does not return the stored badge {hosted.credential.get('id')} {when}")
    hosted.returned = found[-1]
    return found[-1]


def hosted_badge_read_back(hosted: HostedBadge, evidence: Evidence) -> list[CheckResult]:
    """OBAPI-09: what the host returns is the badge stored, nothing lost."""
    listed = _every_credential(hosted, "after the upsert")
    result = checks.read_back_equals_upserted(hosted.credential, listed)
    evidence.keep("the badge as the host returns it", next(
        (c for c in listed if compare(hosted.credential, c) is not Comparison.DIFFERENT), {}))
    return [result]


def verify_hosted(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, hosted: HostedBadge) -> VerifierAnswer:
    """The verifier (vendor's or lerconf's) judges the badge the host returns now; a badge that depends on
    lerconf's status list is watched on lerconf's wire (lerconf.scenarios.reach)."""
    credential = dict(_returned(hosted, "before verifying it"))
    verifier = harness.role(vendor, "verifier")
    return verify_reaching(harness, vendor, evidence, credential, lambda: verifier.verify_credential(credential),
                           valid=clear_on_lerconf_lists(harness, credential))


def revoke_hosted(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, hosted: HostedBadge) -> None:
    """The issuer revokes the badge: the vendor's through its status API, or lerconf on its own list."""
    holder = hosted.issued.status_holder
    if holder is None:
        vcapi.revoke(harness, vendor, evidence, hosted.issued)
        return
    own = harness.own.issuer
    assert own is not None
    expect_accepted(own.update_status(holder, "revocation", True), "lerconf's revocation of its badge")
