"""VCALM checks on a wallet (lerconf runs the issuing and verifying exchanges, the vendor's wallet
takes part): following the interaction URL's protocols, starting and answering the exchange, the
DIDAuthentication it signs, presenting only what QueryByExample asked for, keeping the issued
badge unchanged, and the lifecycle (the revoked badge refused at the next exchange).

Each check judges what lerconf's exchange endpoints received (:class:`WireRecord` lists, narrowed
to one exchange by the scenario) and plain facts the scenario read from lerconf's own exchange or
verifier. What the wallet or its adapter reports never reaches a check.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.protocol.wire_record import WireRecord
from lerconf.results import Category

__all__ = ["as_list", "credential_matches", "presented_credentials", "query_examples"]

#: the short types an OB 3.0 badge may carry under either name
BADGE_ALIASES = frozenset({"OpenBadgeCredential", "AchievementCredential"})


def _types(doc: Any) -> set[str]:
    value = doc.get("type") if isinstance(doc, Mapping) else None
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def as_list(value: Any) -> list[Any]:
    """A JSON member that may be one value or a list of them, as a list (none: empty)."""
    return value if isinstance(value, list) else [] if value is None else [value]


def _shown(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, sort_keys=True, default=str) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + "…"


def credential_matches(example: Mapping[str, Any], credential: Any) -> bool:
    """The credential has every type a QueryByExample ``example`` names (a badge under either name)."""
    wanted, held = _types(example) - {"VerifiableCredential"}, _types(credential)
    if held & BADGE_ALIASES:
        held |= BADGE_ALIASES
    return bool(wanted) and wanted <= held


def query_examples(vpr: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The ``example`` of every credentialQuery of the request's QueryByExample queries."""
    return [q["example"] for query in as_list(vpr.get("query")) if isinstance(query, Mapping)
            and query.get("type") == "QueryByExample" for q in as_list(query.get("credentialQuery"))
            if isinstance(q, Mapping) and isinstance(q.get("example"), Mapping)]


def presented_credentials(vp: Any) -> list[Any]:
    """The credentials a presentation carries (none when it is not an object)."""
    return as_list(vp.get("verifiableCredential")) if isinstance(vp, Mapping) else []


# -- LCX-05 protocols --------------------------------------------------------------------------------
@check("LCX-05", Category.PROTOCOL)
def wallet_follows_interaction_protocols(reads: Sequence[WireRecord], exchange_posts: Sequence[WireRecord],
                                         exchange_url: str) -> Verdict:
    """The wallet GETs the interaction URL as a JSON client (answered ``{protocols}``), then takes
    part at the vcapi exchange URL the answer named."""
    if not reads:
        return failed("the wallet never read the interaction URL: no GET of it reached lerconf")
    as_json = [r for r in reads if r.status == 200 and isinstance(body := r.response_json(), Mapping)
               and isinstance(body.get("protocols"), Mapping)]
    if not as_json:
        statuses = sorted({r.status for r in reads})
        return failed(f"the wallet read the interaction URL but never its protocols as JSON (Accept: application/json; "
                      f"lerconf answered HTTP {statuses} with a page for browsers or an error)")
    if not exchange_posts:
        return failed(f"the wallet read the protocols but never took part in the vcapi exchange they name ({exchange_url})")
    if exchange_posts[0].seq < as_json[0].seq:
        return failed("the wallet posted to the exchange before it read the interaction URL's protocols")
    return passed(f"the wallet read the interaction URL's protocols as JSON and took part at the vcapi URL they name "
                  f"({len(exchange_posts)} step(s))")


# -- API-19 start and answer -------------------------------------------------------------------------
@check("API-19", Category.PROTOCOL)
def wallet_starts_and_answers(posts: Sequence[WireRecord]) -> Verdict:
    """The wallet starts the exchange with ``{}`` and answers the verifiablePresentationRequest it
    was given with ``{verifiablePresentation}`` (VCALM Participate in an Exchange)."""
    if not posts:
        return failed("the wallet sent nothing to lerconf's exchange")
    first = posts[0].json()
    if first != {}:
        return failed(f"the wallet's first step to the exchange was not {{}} (it sent {_shown(first)})")
    later = [p.json() for p in posts[1:]]
    odd = [b for b in later if not isinstance(b, Mapping) or set(b) != {"verifiablePresentation"}]
    if odd:
        return failed(f"the wallet sent the exchange a step that is not {{verifiablePresentation}}: {_shown(odd[0])}")
    if not later:
        return failed("the wallet started the exchange but never answered its verifiablePresentationRequest")
    if not all(isinstance(b["verifiablePresentation"], Mapping) for b in later):
        return failed("the wallet's verifiablePresentation is not a JSON object")
    return passed(f"the wallet started the exchange with {{}} and answered its request ({len(later)} presentation(s))")


# -- API-10 DIDAuthentication ------------------------------------------------------------------------
@check("API-10", Category.PROOF)
def did_authentication_answers_request(vp: Any, challenge: str, domain: str, signature_problems: Sequence[str]) -> Verdict:
    """The presentation is DIDAuthentication for this request: ``holder`` a DID, one proof for
    ``authentication`` with the request's challenge and domain, made with a key of the holder DID,
    and a signature lerconf's verifier accepts (``signature_problems`` empty)."""
    if not isinstance(vp, Mapping):
        return failed("the wallet's answer carries no presentation object")
    holder = vp.get("holder")
    holder = holder.get("id") if isinstance(holder, Mapping) else holder
    if not isinstance(holder, str) or not holder.startswith("did:"):
        return failed(f"the presentation's holder {_shown(holder)} is not a DID: DIDAuthentication needs one")
    proofs = as_list(vp.get("proof"))
    if len(proofs) != 1 or not isinstance(proofs[0], Mapping):
        return failed(f"the presentation carries {len(proofs)} proofs; DIDAuthentication is one proof by the holder")
    proof = proofs[0]
    if proof.get("proofPurpose") != "authentication":
        return failed(f"the wallet signed its DIDAuthentication for the wrong proof purpose: "
                      f"proofPurpose is {_shown(proof.get('proofPurpose'))}, not authentication")
    if proof.get("challenge") != challenge:
        return failed(f"the proof's challenge {_shown(proof.get('challenge'), 40)} is not the challenge lerconf's exchange asked for")
    if proof.get("domain") != domain:
        return failed(f"the proof's domain {_shown(proof.get('domain'), 80)} is not the domain lerconf's exchange asked for ({domain})")
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or method.split("#", 1)[0] != holder:
        return failed(f"the proof's key {_shown(method, 80)} is not a key of the holder {holder}")
    if signature_problems:
        return failed("lerconf's verifier refused the DIDAuthentication proof: " + "; ".join(signature_problems[:3]))
    return passed(f"DIDAuthentication by {holder}: proofPurpose authentication, the exchange's challenge and domain, "
                  "a key of the holder DID, a signature lerconf verified")


# -- LCX-06 only what was asked ----------------------------------------------------------------------
@check("LCX-06", Category.PROTOCOL)
def presents_only_requested(presented: Sequence[Any], examples: Sequence[Mapping[str, Any]], held_unrequested: int) -> Verdict:
    """Every presented credential matches an example of the request's QueryByExample, and at
    least one does (the wallet holds the badge asked for and ``held_unrequested`` others)."""
    if not examples:
        return failed("lerconf's verifying exchange asked for no credential by example (a lerconf fault)")
    extra = [c for c in presented if not any(credential_matches(e, c) for e in examples)]
    if extra:
        kinds = sorted({"/".join(sorted(_types(c) - {"VerifiableCredential"})) or "untyped" for c in extra})
        return failed(f"the wallet presented {len(extra)} credential(s) the QueryByExample did not ask for "
                      f"({', '.join(kinds)}) besides what it asked for", extra=len(extra))
    if not presented:
        return failed("the wallet presented no credential although it holds the badge the QueryByExample asks for")
    return passed(f"the wallet presented only the {len(presented)} credential(s) the request asked for "
                  f"(and none of the {held_unrequested} it holds that the request did not ask for)")


# -- LCX-07 unchanged --------------------------------------------------------------------------------
@check("LCX-07", Category.PROTOCOL)
def stored_as_issued(issued: Sequence[Any], stored: Sequence[Any]) -> Verdict:
    """What lerconf's issuing exchange returned is among what the wallet lists, byte for byte as JSON."""
    if not issued:
        return failed("lerconf's issuing exchange returned no credential to compare")
    missing = [c for c in issued if c not in stored]
    if missing:
        return failed(f"the wallet did not store the credential as the exchange issued it: {len(missing)} of "
                      f"{len(issued)} issued credential(s) are not among the {len(stored)} it lists unchanged")
    return passed(f"the wallet stored the {len(issued)} issued credential(s) exactly as the exchange returned them")


@check("LCX-07", Category.PROTOCOL)
def presented_as_issued(issued: Any, presented: Sequence[Any]) -> Verdict:
    """The badge lerconf's issuing exchange gave the wallet is presented exactly as issued."""
    if issued in presented:
        return passed("the wallet presented the badge exactly as lerconf's issuing exchange issued it")
    same_id = [c for c in presented if isinstance(c, Mapping) and isinstance(issued, Mapping) and c.get("id") == issued.get("id")]
    if same_id:
        return failed("the wallet presented the badge lerconf issued, but changed: it is not exactly as the exchange issued it")
    return failed("the wallet did not present the badge lerconf's issuing exchange issued to it")


# -- LCX-08 the lifecycle ----------------------------------------------------------------------------
@check("LCX-08", Category.STATUS)
def held_badge_accepted_before_revocation(presented: Sequence[Any], issued: Any, verified: bool | None,
                                          problem: str | None) -> Verdict:
    """Before revocation the wallet presents the badge as issued and lerconf's verifying exchange accepts it."""
    if issued not in presented:
        return failed("before revocation the wallet did not present the badge exactly as lerconf issued it")
    if verified is not True:
        return failed(f"lerconf's verifying exchange refused the wallet's presentation before revocation: {problem or 'no verdict'}")
    return passed("before revocation the wallet presented the badge as issued and lerconf's verifying exchange accepted it")


@check("LCX-08", Category.STATUS)
def revoked_badge_refused_at_exchange(presentations: int, verified: bool | None, problem: str | None) -> Verdict:
    """After revocation the exchange never succeeds: lerconf's verifying exchange refuses the
    presentation, or the wallet presents nothing (it declined to present a revoked badge)."""
    if verified is True:
        return failed("after revocation lerconf's verifying exchange still accepted the wallet's presentation")
    if presentations == 0:
        return passed("after revocation the wallet presented nothing to lerconf's verifying exchange (it declined)")
    if not problem or not any(word in problem for word in ("revoked", "BSL-", "status")):
        return failed(f"after revocation lerconf's verifying exchange refused the presentation for another reason than "
                      f"the badge's status: {problem or 'no reason recorded'}")
    return passed(f"after revocation lerconf's verifying exchange refused the presentation: {problem}")
