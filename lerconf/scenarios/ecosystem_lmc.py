"""The LMC EdDSA profiles' scenarios as library functions: VCALM EdDSA (lerconf plays the wallet in
the vendor's VCALM exchange; steps judge with lerconf.scenarios.vcalm.judge) and OB 3.0 Direct
Delivery (the badges the vendor delivered as files, ``issuer.artefacts``, judged row by row as
lerconf.scenarios.artefacts judges them).

The issuer's rules are judged on the badge a complete issuing exchange hands out: its data model
and type (LMC-VE-01), its proof and the key it names as the issuer's DID document lists it
(LMC-VE-02, -03), its status list (LMC-VE-04). LMC-VE-05 is judged on TLS handshakes with every
endpoint the vendor profile names for the profile's roles; LMC-VE-06 on how often a verifying
exchange fetches a status list lerconf serves ``no-cache`` (lerconf's wire log).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization

from lerconf import entropy
from lerconf.checks import lmc as checks
from lerconf.checks.artefacts import file_holds_one_credential
from lerconf.checks.ecosystem import CacheObservation
from lerconf.clients.tls_probe import ProbeLimits, probe_tls
from lerconf.crypto.did import VerificationMethodError
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.errors import ResolutionError
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.refimpl.wire import wire_of
from lerconf.results import CheckResult, Status
from lerconf.scenarios import artefacts
from lerconf.scenarios.expect import expect_checks
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.vcalm import Attempt, complete
from lerconf.scenarios.vcalm_flow import SUITE, VcalmSession, expect_usable, presentation, started
from lerconf.verdicts import Broken, CannotJudge

__all__ = ["BadgeFacts", "delivered_as_json_files", "direct_delivery_rule", "endpoints_tls", "issued_badge_rules",
           "issuer_badge_facts", "status_each_verification"]


def _credential(attempt: Attempt) -> Mapping[str, Any]:
    body = attempt.answer.body if attempt.answer is not None else None
    vp = body.get("verifiablePresentation") if isinstance(body, Mapping) else None
    creds = vp.get("verifiableCredential") if isinstance(vp, Mapping) else None
    listed = creds if isinstance(creds, list) else [creds]
    found = next((c for c in listed if isinstance(c, Mapping)), None)
    if found is None:
        raise Broken("prerequisite: the issuing exchange hands out a credential (as a JSON object): none came")
    return found


def _key_facts(harness: Harness, credential: Mapping[str, Any]) -> tuple[str | None, list[str], str | None, str | None]:
    """(controller, relationships, method type, curve) of the key the credential's proof names."""
    proof = credential.get("proof")
    first = (proof[0] if isinstance(proof, list) and proof else proof) if proof else None
    vm = first.get("verificationMethod") if isinstance(first, Mapping) else None
    if not isinstance(vm, str):
        return None, [], None, None
    try:
        resolved = harness.engine.resolver.dereference(vm)
    except VerificationMethodError:
        return None, [], None, None
    method = resolved.method
    return method.controller, sorted(resolved.relationships), method.type, method.public_key.curve


def _status_list(harness: Harness, credential: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, str | None]:
    status = credential.get("credentialStatus")
    entry = next((e for e in (status if isinstance(status, list) else [status])
                  if isinstance(e, Mapping) and e.get("statusListCredential")), None)
    if entry is None:
        return None, "no statusListCredential"
    try:
        found = harness.engine.loader.load_remote_json(str(entry["statusListCredential"]))
    except ResolutionError as exc:
        return None, str(exc)
    return (found, None) if isinstance(found, Mapping) else (None, "not a JSON object")


def _spki(method: Any) -> bytes:
    return bytes(method.public_key.key.public_bytes(serialization.Encoding.DER,
                                                    serialization.PublicFormat.SubjectPublicKeyInfo))


def _issuer_key_signing(harness: Harness, issuer: Any, signed: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(the id, in the issuer's DID document, of the key that signed ``signed``; or None and why not).
    Keys are compared as public keys: the same key may be named under another DID (a did:key)."""
    proof = signed.get("proof")
    first = (proof[0] if isinstance(proof, list) and proof else proof) if proof else None
    vm = first.get("verificationMethod") if isinstance(first, Mapping) else None
    if not isinstance(vm, str) or not isinstance(issuer, str):
        return None, "the status list has no proof with a verificationMethod"
    try:
        signer = _spki(harness.engine.resolver.dereference(vm).method)
        document = harness.engine.resolver.resolve(issuer)
    except VerificationMethodError as exc:
        return None, str(exc)
    methods = document.get("verificationMethod")
    for entry in methods if isinstance(methods, list) else []:
        ref = entry.get("id") if isinstance(entry, Mapping) else None
        if not isinstance(ref, str):
            continue
        ref = issuer + ref if ref.startswith("#") else ref
        try:
            if _spki(harness.engine.resolver.dereference(ref).method) == signer:
                return ref, None
        except VerificationMethodError:
            continue
    return None, f"its key {vm} is none of {issuer}'s"


class BadgeFacts(NamedTuple):
    """What the LMC issuer rules read of an issued badge: its proof's key as the issuer's DID document
    lists it, and the status list it names with the key that signed that list."""

    issuer: Any
    controller: str | None
    relationships: list[str]
    method_type: str | None
    curve: str | None
    status_list: Mapping[str, Any] | None
    list_key: str | None
    list_problem: str | None


def issuer_badge_facts(harness: Harness, credential: Mapping[str, Any]) -> BadgeFacts:
    """The facts of ``credential`` every LMC profile's issuer rules are judged on."""
    controller, relationships, method_type, curve = _key_facts(harness, credential)
    status_list, fetch_error = _status_list(harness, credential)
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    list_key, why = _issuer_key_signing(harness, issuer_id, status_list) if status_list else (None, None)
    return BadgeFacts(issuer_id, controller, relationships, method_type, curve, status_list, list_key,
                      fetch_error or why)


def issued_badge_rules(session: VcalmSession) -> Attempt:
    """A complete issuing exchange, and the LMC issuer rules on the badge it handed out."""
    attempt = complete(session)
    credential = _credential(attempt)
    facts = issuer_badge_facts(session.harness, credential)
    results: list[CheckResult] = [
        checks.vcdm2_open_badge(credential),
        checks.eddsa_rdfc_assertion_proof(credential, facts.controller, facts.relationships),
        checks.did_web_or_key_ed25519(facts.issuer, facts.method_type, facts.curve),
        checks.own_bitstring_status_list(credential, facts.status_list, facts.list_key, facts.list_problem),
    ]
    return Attempt("the badge the issuing exchange handed out", attempt.answer, results)


#: how many presentations of the same badge the status-list scenario verifies
VERIFICATIONS = 2
NO_CACHE = "no-cache"


def status_each_verification(session: VcalmSession) -> Attempt:
    """The same valid badge, its status on a list lerconf serves ``no-cache``, presented in
    ``VERIFICATIONS`` fresh exchanges; the wire log counts the verifier's fetches of that list."""
    reference = session.harness.reference
    url = reference.state.status.probe(NO_CACHE)
    entry = session.harness.status_entry("revocation", set_bit=False)
    index = entry["statusListIndex"]
    signer = session.harness.signer(SUITE)
    credential = signer.sign(ob3_achievement_credential(
        signer.controller, session.holder.controller, credential_id=f"urn:uuid:{entropy.uuid4()}",
        credential_status={**entry, "id": f"{url}#{index}", "statusListCredential": url}), SUITE,
        session.harness.engine.processor)
    session.evidence.keep("presented badge (status on a no-cache list)", credential)
    wire = wire_of(reference.state)
    mark = wire.mark()
    answer = None
    for i in range(VERIFICATIONS):
        run = started(session)
        answer = session.client().present(run.url, presentation(session, run.request, credentials=[credential]))
        expect_usable(answer, f"presentation {i + 1} of a valid badge")
        if answer.outcome is not Outcome.ACCEPTED:
            raise Broken(f"prerequisite: the verifier accepts a valid badge (presentation {i + 1}): {answer.exchange.reason}")
    fetches = wire.fetches_since(mark, path=urlsplit(url).path)
    session.evidence.notes.append(f"fetches of {url}: " + "; ".join(f"#{f.seq} {f.who}" for f in fetches) if fetches
                          else f"no fetch of {url}")
    seen = CacheObservation(VERIFICATIONS, len(fetches), NO_CACHE)
    return Attempt("the verifier's status-list fetches", answer, [checks.status_checked_each_verification(seen)])


def endpoints_tls(session: VcalmSession) -> Attempt:
    """TLS handshakes with every endpoint the vendor profile names for the exchange's role (its
    ``vcalm_issuer`` or ``vcalm_verifier`` section)."""
    profile = session.vendor.profile
    urls = list(session.section.urls.values())
    ca_files = [profile.tls_ca_file] if profile.tls_ca_file is not None else []
    http = session.vendor.http  # the probe connects where, and as long as, the vendor's calls may
    limits = ProbeLimits(connect=http.timeouts.connect, total=http.timeouts.total,
                         allowed_hosts=frozenset(http.allowed_hosts), allow_private=http.allow_private)
    facts = [probe_tls(url, ca_files, limits) for url in dict.fromkeys(urls)]
    return Attempt("the endpoints' TLS", None, [checks.endpoints_tls12(facts)])


# -- OB 3.0 Direct Delivery: the badges delivered as files ----------------------------------------------------
def _badge_rule(harness: Harness, requirement: str, credential: Mapping[str, Any]) -> CheckResult:
    """One of LMC-DD-01..05 on one delivered credential (the facts gathered as for an exchange's badge)."""
    if requirement == "LMC-DD-01":
        return checks.dd_vcdm2_open_badge(credential)
    if requirement == "LMC-DD-05":
        return checks.dd_email_identified_recipient(credential)
    if requirement not in ("LMC-DD-02", "LMC-DD-03", "LMC-DD-04"):
        raise ValueError(f"{requirement} is not a rule lerconf judges on a delivered badge")
    facts = issuer_badge_facts(harness, credential)
    if requirement == "LMC-DD-02":
        return checks.dd_eddsa_rdfc_assertion_proof(credential, facts.controller, facts.relationships)
    if requirement == "LMC-DD-03":
        return checks.dd_did_web_or_key_ed25519(facts.issuer, facts.method_type, facts.curve)
    return checks.dd_own_bitstring_status_list(credential, facts.status_list, facts.list_key, facts.list_problem)


def direct_delivery_rule(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, requirement: str) -> None:
    """LMC-DD-01..05 on every badge the vendor delivered as a JSON file (the profile's delivery form)."""
    def judge(item: artefacts.Judged) -> CheckResult:
        assert item.report is not None
        document = item.report.document if isinstance(item.report.document, Mapping) else None
        if document is None:
            raise Broken(f"prerequisite: {item.label} holds a credential lerconf can read as a JSON object")
        return _badge_rule(harness, requirement, document)

    artefacts.judge_each(harness, vendor, evidence, artefacts.BADGE_JSON, judge)


def delivered_as_json_files(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> None:
    """LMC-DD-06: among what the vendor delivered, badges as JSON files, each one readable credential."""
    delivered = artefacts.delivered_artefacts(harness, vendor)
    evidence.keep("artefacts", [j.delivered.evidence() for j in delivered])
    problems = []
    for j in delivered:
        if j.form != artefacts.BADGE_JSON or j.delivered.unreached:
            continue
        kind, value = (j.parsed.kind, j.parsed.value) if j.parsed is not None else (None, None)
        one = file_holds_one_credential(kind, value, file_name=j.delivered.file_name, problem=j.problem)
        if one.status is not Status.PASSED:
            problems.append(f"{j.label}: {one.message}")
    unreached = [j for j in delivered if j.delivered.unreached]
    result = checks.dd_delivered_as_json_file([j.form for j in delivered if not j.delivered.unreached], problems)
    if result.status is Status.PASSED or not unreached:
        expect_checks(evidence, [result])
        return
    evidence.checks.append(result)
    raise CannotJudge(f"lerconf got no answer for {', '.join(j.label for j in unreached)}")
