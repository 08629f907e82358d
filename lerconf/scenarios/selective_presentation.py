"""Badges disclosed in part inside presentations (issue 18): a verifier's VC API ``/presentations/verify``
gets a presentation lerconf signed that carries a disclosure (ecdsa-sd-2023 or bbs-2023 derived
proof), which it must accept, or the issuer's undivided base proof, which it must refuse (EC-05,
LBB-03: a base proof is for the holder to derive from, never for a verifier, inside a presentation
as much as on its own).

The refusal counts only once the same verifier accepted a presentation of a valid disclosure of the
same badge (the positive control, in a fresh call with its own challenge): a verifier that refuses
every presentation, or every SD suite, passes no negative here.
"""
from __future__ import annotations

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierVerdict
from lerconf.scenarios.expect import PositiveControl, under_positive_control
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.selective import selective_badge
from lerconf.scenarios.vcapi import PRESENTATION_DOMAIN, Badge, new_challenge, present_signed_for
from lerconf.verdicts import Broken

__all__ = ["base_proof_whose_disclosure_is_accepted"]


def base_proof_whose_disclosure_is_accepted(harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
                                            suite: str) -> Badge:
    """The base-proof badge, once the verifier accepted a presentation of a valid disclosure of it."""
    valid = selective_badge(harness, evidence, "a valid disclosure", suite)
    under_positive_control(evidence, _presented_disclosure_accepted(harness, vendor, valid),
                           f"lerconf's presentation of a valid {suite} disclosure of the same badge")
    return selective_badge(harness, evidence, "the base proof itself", suite)


def _presented_disclosure_accepted(harness: Harness, vendor: VendorUnderTest, valid: Badge) -> PositiveControl:
    def control() -> None:
        challenge = new_challenge()
        answer = present_signed_for(harness, vendor, valid, challenge=challenge, domain=PRESENTATION_DOMAIN,
                                    expected_challenge=challenge, expected_domain=PRESENTATION_DOMAIN)
        if answer.verdict is VerifierVerdict.BROKEN:
            raise Broken(f"the positive control (a presentation of a valid disclosure) got no verdict: {answer.reason}")
        if answer.verdict is not VerifierVerdict.ACCEPTED:
            raise AssertionError(f"{answer.verdict.value}: {answer.reason}")
    return control
