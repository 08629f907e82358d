"""OB-25 for a vendor's verifier: the 1EdTech credential refresh, judged on lerconf's wire.

lerconf signs a badge whose ``refreshService`` is a ``1EdTechCredentialRefresh`` service its embedded
reference runs for that badge alone (lerconf.refimpl.refresh): a GET of it answers the same badge
valid from a day later, signed again, and naming the same refresh service again. Every call to it is recorded (the wire
log's fetches), so what the verifier did is seen, not asked:

* a valid badge: the verifier accepts it and calls the service at most once. Not at all is allowed:
  the refresh service may be out of the verifier's reach, and OB 3.0 lets a verifier whose refresh is
  not successful go on with the original, so a verifier that never refreshes cannot be told from one
  whose refresh failed. A second call (the refreshed badge names the service again) is the fault.
* a badge whose proof no longer covers it: the verifier refuses it and never calls its service.
  Refresh comes after the proof check, or a forger chooses what replaces his badge: the service
  here answers a validly signed badge, so a verifier that refreshes first and judges what it got
  accepts the forgery. The valid twin (its own service) is accepted first, in a fresh call.
"""
from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlsplit

from lerconf import entropy
from lerconf.checks.refresh import REFRESH_TYPE, refresh_called_at_most_once, refresh_never_called
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.evidence import Evidence
from lerconf.negatives.mutators import mutate
from lerconf.refimpl.refresh import new_service, publish
from lerconf.refimpl.wire import wire_of
from lerconf.scenarios.expect import expect_checks, under_positive_control
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.ob_verifier import accepted_control
from lerconf.scenarios.vcapi import HOLDER_SUBJECT, Badge

__all__ = ["broken_refreshable_badge", "called_at_most_once", "never_called", "refreshable_badge"]

#: the refreshed badge's validFrom: a day after the original's (lerconf.documents.templates), so the two differ
REFRESHED_FROM = "2026-01-16T09:00:00Z"
#: how the badge is broken: a claim changed after signing, so the proof no longer covers it
BROKEN = "tampered-claim"


def _refreshable(harness: Harness, securing: str) -> dict[str, Any]:
    """A badge naming a refresh service of its own, which answers the badge signed again."""
    signer = harness.signer(securing)
    url = new_service(harness.reference.state)
    unsigned = ob3_achievement_credential(signer.controller, HOLDER_SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}")
    unsigned["refreshService"] = {"id": url, "type": REFRESH_TYPE}
    badge = signer.sign(copy.deepcopy(unsigned), securing, harness.engine.processor)
    publish(harness.reference.state, url, signer.sign({**unsigned, "validFrom": REFRESHED_FROM}, securing,
                                                      harness.engine.processor))
    return badge


def refreshable_badge(harness: Harness, evidence: Evidence, securing: str) -> Badge:
    """A valid badge with a 1EdTech refresh service lerconf runs."""
    badge = Badge(_refreshable(harness, securing), securing, "2.0")
    evidence.keep("credential signed by lerconf", badge.credential)
    return badge


def broken_refreshable_badge(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str) -> Badge:
    """A badge with a refresh service whose proof no longer covers it, once the verifier accepted its
    valid twin; its refresh service answers a validly signed badge (the bait)."""
    twin = Badge(_refreshable(harness, securing), securing, "2.0")
    under_positive_control(evidence, accepted_control(harness, vendor, evidence, twin),
                           "a valid badge with a refresh service of its own")
    broken = mutate(_refreshable(harness, securing), BROKEN, harness.mutation_context(securing))
    evidence.keep("credential whose proof no longer covers it, with a refresh service", broken)
    return Badge(broken, securing, "2.0", mutator=BROKEN)


def _calls(harness: Harness, badge: Badge) -> tuple[str, int]:
    """The badge's refresh service and how often anyone asked it for the refreshed badge (a GET: the
    service is the badge's alone, so every call is about it; a HEAD asks for nothing and is not counted)."""
    url = str(badge.credential["refreshService"]["id"])
    fetches = wire_of(harness.reference.state).fetches_since(0, path=urlsplit(url).path)
    return url, sum(1 for f in fetches if f.method == "GET")


def called_at_most_once(harness: Harness, evidence: Evidence, badge: Badge) -> None:
    """OB-25 on lerconf's wire: the verifier asked the badge's refresh service at most once."""
    expect_checks(evidence, [refresh_called_at_most_once(*_calls(harness, badge))])


def never_called(harness: Harness, evidence: Evidence, badge: Badge) -> None:
    """OB-25 on lerconf's wire: the verifier never asked the refresh service of a badge whose proof fails."""
    expect_checks(evidence, [refresh_never_called(*_calls(harness, badge))])
