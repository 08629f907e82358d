"""What each requirement of a wallet in VCALM exchanges is judged by (``Then the wallet's exchange
satisfies "<id>"``), and the lifecycle over exchanges (LCX-08: issue into the wallet, present,
revoke, present again).

Each entry gathers its facts from what lerconf's exchange endpoints received
(:class:`~lerconf.scenarios.vcalm_wallet.WalletExchange`) and from lerconf's own exchange record
and verifier, and runs the checks of :mod:`lerconf.checks.vcalm_wallet`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf.checks import vcalm_wallet as checks
from lerconf.evidence import Evidence
from lerconf.results import CheckResult
from lerconf.scenarios.expect import expect_checks, expect_satisfied
from lerconf.scenarios.subjects import satisfied
from lerconf.scenarios.vcalm_wallet import WalletExchange, exchange_record, hold_exchange_badge, run_exchange
from lerconf.scenarios.vcapi import verify
from lerconf.scenarios.wallet_lifecycle import revoke_own_badge
from lerconf.verdicts import Broken, NotClaimed

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["EXCHANGE_REQUIREMENTS", "ExchangeLifecycle", "expect_accepted", "hold_revocable_exchange_badge",
           "present_again", "revoke", "satisfies"]

REVOCATION = "revocation"


def _request(exchange: WalletExchange) -> Mapping[str, Any]:
    vpr = exchange.request()
    if vpr is None:
        raise Broken("prerequisite: the wallet never started lerconf's exchange, so no request was served to answer")
    return vpr


def _presentation(exchange: WalletExchange, evidence: Evidence) -> Mapping[str, Any]:
    exchange.refresh()
    if not exchange.presentations:
        raise Broken(f"prerequisite: the wallet sent lerconf's exchange no presentation ({len(exchange.posts)} step(s) "
                     f"received; adapter outcome {exchange.answer.outcome if exchange.answer else None!r})")
    record, vp = exchange.presentations[0]
    evidence.keep("presentation received by lerconf's exchange", vp)
    evidence.notes.append(f"lerconf's exchange answered the presentation HTTP {record.status}")
    return vp


def protocols_followed(harness: Harness, exchange: WalletExchange, evidence: Evidence) -> list[CheckResult]:
    """LCX-05: the interaction URL's protocols read as JSON, then the vcapi exchange they name."""
    exchange.refresh()
    return [checks.wallet_follows_interaction_protocols(exchange.interaction_reads, exchange.posts, exchange.exchange_url)]


def started_and_answered(harness: Harness, exchange: WalletExchange, evidence: Evidence) -> list[CheckResult]:
    """API-19 (wallet side): ``{}`` starts the exchange, ``{verifiablePresentation}`` answers it."""
    exchange.refresh()
    return [checks.wallet_starts_and_answers(exchange.posts)]


def did_authenticated(harness: Harness, exchange: WalletExchange, evidence: Evidence) -> list[CheckResult]:
    """API-10 (wallet side): the DIDAuthentication proof answers the request lerconf served,
    and lerconf's verifier accepts its signature (the presentation's own proof)."""
    vp = _presentation(exchange, evidence)
    vpr = _request(exchange)
    challenge, domain = str(vpr.get("challenge")), str(vpr.get("domain"))
    label = "the wallet's presentation"
    report = verify(harness, dict(vp), label, challenge=challenge, domain=domain)
    problems = [f"{r.requirement}: {r.message}" for source, r in report.blocking_failures() if source == label]
    return [checks.did_authentication_answers_request(vp, challenge, domain, problems)]


def only_requested(harness: Harness, exchange: WalletExchange, evidence: Evidence) -> list[CheckResult]:
    """LCX-06: only credentials the QueryByExample's examples match were presented."""
    vp = _presentation(exchange, evidence)
    return [checks.presents_only_requested(checks.presented_credentials(vp), checks.query_examples(_request(exchange)),
                                           exchange.unrequested)]


def kept_unchanged(harness: Harness, exchange: WalletExchange, evidence: Evidence) -> list[CheckResult]:
    """LCX-07: an issuing exchange's badge is listed unchanged (GET /credentials); a verifying
    exchange's presentation carries the badge exactly as lerconf issued it."""
    if exchange.badge is not None:
        _presentation(exchange, evidence)
        return [checks.presented_as_issued(exchange.badge, exchange.presented())]
    exchange.refresh()
    issued = exchange.issued()
    if not issued:
        raise Broken("prerequisite: lerconf's issuing exchange issued the wallet nothing")
    listed = exchange.driver.credentials()
    if listed.not_supported:
        raise NotClaimed("the wallet cannot list what it stored (GET /credentials answers 501; a manual-mode wallet "
                         "has no adapter to ask), so storing unchanged cannot be judged")
    stored = listed.listed
    evidence.keep("stored by the wallet (GET /credentials)", stored)
    return [checks.stored_as_issued(issued, stored)]


#: requirement id -> what the wallet's part in one exchange is judged by
EXCHANGE_REQUIREMENTS: dict[str, Callable[[Harness, WalletExchange, Evidence], list[CheckResult]]] = {
    "LCX-05": protocols_followed,
    "API-19": started_and_answered,
    "API-10": did_authenticated,
    "LCX-06": only_requested,
    "LCX-07": kept_unchanged,
}


# -- the lifecycle over exchanges ------------------------------------------------------------------
@dataclass
class ExchangeLifecycle:
    """The revocable badge the wallet got from lerconf's issuing exchange, and its presentations since."""

    issuance: WalletExchange = field(repr=False)
    badge: Mapping[str, Any] = field(repr=False)
    presentations: list[WalletExchange] = field(default_factory=list, repr=False)
    revoked: bool = False


def hold_revocable_exchange_badge(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> ExchangeLifecycle:
    """The wallet obtains a badge with a revocation entry from lerconf's issuing exchange."""
    issuance, badge = hold_exchange_badge(harness, vendor, evidence)
    status = badge.get("credentialStatus")
    if not isinstance(status, Mapping) or status.get("statusPurpose") != REVOCATION:
        raise RuntimeError("lerconf's issuing exchange issued the lifecycle badge without a revocation entry")
    return ExchangeLifecycle(issuance, badge)


def present_again(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: ExchangeLifecycle) -> None:
    """A fresh verifying exchange of lerconf's, its interaction URL handed to the same wallet."""
    held.presentations.append(run_exchange(harness, vendor, evidence, held.issuance.driver, "verifying", badge=held.badge))


def _verdict(harness: Harness, exchange: WalletExchange, evidence: Evidence) -> tuple[bool | None, str | None]:
    """lerconf's verifying exchange's verdict (None: none) and its problem, noted as evidence."""
    exchange.refresh()
    record = exchange_record(harness, exchange)
    result = dict(record.result) if record is not None else {}
    verified = result.get("verified") if isinstance(result.get("verified"), bool) else None
    problem = str(result["problem"]) if result.get("problem") else None
    evidence.notes.append(f"lerconf's verifying exchange {exchange.exchange_id}: {len(exchange.presentations)} presentation(s), "
                          f"verified {verified}" + (f", problem: {problem[:300]}" if problem else ""))
    return verified, problem


def expect_accepted(harness: Harness, held: ExchangeLifecycle, evidence: Evidence) -> None:
    """Before revocation the wallet presents the badge as issued and lerconf's exchange accepts it."""
    exchange = held.presentations[-1]
    verified, problem = _verdict(harness, exchange, evidence)
    expect_checks(evidence, [checks.held_badge_accepted_before_revocation(exchange.presented(), held.badge, verified, problem)])


def revoke(harness: Harness, held: ExchangeLifecycle, evidence: Evidence) -> None:
    """lerconf's issuer sets the badge's revocation bit (its VC API status endpoint)."""
    revoke_own_badge(harness, str(held.badge.get("id")), evidence)
    held.revoked = True


def refused_as_revoked(harness: Harness, held: ExchangeLifecycle, evidence: Evidence) -> list[CheckResult]:
    """LCX-08: after revocation the exchange fails: lerconf's verifying exchange refuses the
    presentation (its problem names the status), or the wallet presents nothing."""
    if not held.revoked or len(held.presentations) < 2:
        raise RuntimeError("LCX-08 is judged on a presentation after lerconf's issuer revoked the badge")
    exchange = held.presentations[-1]
    verified, problem = _verdict(harness, exchange, evidence)
    return [checks.revoked_badge_refused_at_exchange(len(exchange.presentations), verified, problem)]


LIFECYCLE_REQUIREMENTS: dict[str, Callable[[Harness, ExchangeLifecycle, Evidence], list[CheckResult]]] = {
    "LCX-08": refused_as_revoked,
}


def satisfies(harness: Harness, observed: WalletExchange | ExchangeLifecycle, evidence: Evidence, requirement: str) -> None:
    """The wallet satisfies ``requirement`` on what the scenario observed (expect_satisfied)."""
    if isinstance(observed, WalletExchange):
        expect_satisfied(evidence, satisfied(EXCHANGE_REQUIREMENTS, requirement, harness, observed, evidence))
    else:
        expect_satisfied(evidence, satisfied(LIFECYCLE_REQUIREMENTS, requirement, harness, observed, evidence))
