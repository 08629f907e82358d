"""The LMC VCALM EdDSA profile's scenarios as library functions (lerconf plays the wallet in the
vendor's VCALM exchange); steps call these in one line and judge with lerconf.scenarios.vcalm.judge.

The issuer's rules are judged on the badge a complete issuing exchange hands out: its data model
and type (LMC-VE-01), its proof and the key it names as the issuer's DID document lists it
(LMC-VE-02, -03), its status list (LMC-VE-04). LMC-VE-05 is judged on TLS handshakes with every
endpoint the vendor profile names for the profile's roles; LMC-VE-06 on how often a verifying
exchange fetches a status list lerconf serves ``no-cache`` (lerconf's wire log).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization

from lerconf import entropy
from lerconf.checks import lmc as checks
from lerconf.checks.ecosystem import CacheObservation
from lerconf.clients.tls_probe import ProbeLimits, probe_tls
from lerconf.crypto.did import VerificationMethodError
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.errors import ResolutionError
from lerconf.outcome import Outcome
from lerconf.refimpl.wire import wire_of
from lerconf.results import CheckResult
from lerconf.scenarios.harness import Harness
from lerconf.scenarios.vcalm import Attempt, complete
from lerconf.scenarios.vcalm_flow import SUITE, VcalmSession, expect_usable, presentation, started
from lerconf.verdicts import Broken

__all__ = ["endpoints_tls", "issued_badge_rules", "status_each_verification"]


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


def issued_badge_rules(session: VcalmSession) -> Attempt:
    """A complete issuing exchange, and the LMC issuer rules on the badge it handed out."""
    attempt = complete(session)
    credential = _credential(attempt)
    controller, relationships, method_type, curve = _key_facts(session.harness, credential)
    status_list, fetch_error = _status_list(session.harness, credential)
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    list_key, why = _issuer_key_signing(session.harness, issuer_id, status_list) if status_list else (None, None)
    results: list[CheckResult] = [
        checks.vcdm2_open_badge(credential),
        checks.eddsa_rdfc_assertion_proof(credential, controller, relationships),
        checks.did_web_or_key_ed25519(issuer_id, method_type, curve),
        checks.own_bitstring_status_list(credential, status_list, list_key, fetch_error or why),
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
