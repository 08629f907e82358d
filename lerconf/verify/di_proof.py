"""Verify Proof (DI §4.4) and proof sets/chains (§4.5), step by step with a result per step."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lerconf.checks import bbs_2023 as bbs
from lerconf.checks import di as c
from lerconf.checks import ecdsa_sd as sd
from lerconf.crypto.di import bbs_2023
from lerconf.crypto.di.ecdsa_sd import SdVerification, verify_base, verify_derived
from lerconf.crypto.di.suites import Suite, suite_for
from lerconf.crypto.di.transform import HashData, hash_data, proof_configuration
from lerconf.crypto.did import DidResolver, ResolvedMethod, VerificationMethodError
from lerconf.crypto.encoding import multibase_decode
from lerconf.documents.jsonld import JsonLdError, Processor
from lerconf.errors import ResolutionError
from lerconf.results import CheckResult, Status


@dataclass
class ProofOutcome:
    """What verifying one proof found; ``valid`` only when every step passed."""

    index: int
    proof: Any
    results: list[CheckResult] = field(default_factory=list)
    suite: Suite | None = None
    method: ResolvedMethod | None = None
    #: why the verification method could not be retrieved (every check that needs the key says so)
    method_error: str = ""
    #: lerconf got no answer for the method's controller document: it *could not be checked*
    method_unreached: bool = False
    #: how to let lerconf reach it (with ``method_unreached``)
    method_fix: str = ""
    data: HashData | None = None

    @property
    def valid(self) -> bool:
        return bool(self.results) and not any(r.status is Status.FAILED for r in self.results)

    def add(self, result: CheckResult) -> bool:
        """Record a step; return True when verification may go on."""
        result = _with_subject(result, f"proof[{self.index}]")
        self.results.append(result)
        return result.status is not Status.FAILED


def _with_subject(result: CheckResult, subject: str) -> CheckResult:
    if result.subject:
        return result
    return CheckResult(result.requirement, result.status, result.severity, result.category, result.message,
                       result.spec_url, result.error_type, subject, result.details)


def proofs_of(document: Mapping[str, Any]) -> list[Any]:
    proof = document.get("proof")
    if proof is None:
        return []
    return list(proof) if isinstance(proof, list) else [proof]


def verify_proofs(
    document: Any,
    resolver: DidResolver,
    processor: Processor,
    *,
    purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | Sequence[str] | None = None,
    accepted_suites: Sequence[str] | None = None,
    verifier_id: str | None = None,
) -> list[ProofOutcome]:
    """Verify every proof on a document (a proof set or chain, DI §4.5: all must verify). Which
    proof binds the credential to its issuer is the binding check's question (DI-07), not this one's."""
    if not isinstance(document, Mapping):
        outcome = ProofOutcome(0, None)
        outcome.add(c.proof_is_a_map(document, None))
        return [outcome]
    proofs = proofs_of(document)
    ids = [pid for p in proofs if isinstance(p, Mapping) and isinstance(pid := p.get("id"), str)]
    return [
        verify_proof(document, proof, resolver, processor, index=i, purpose=purpose, challenge=challenge,
                     domain=domain, proof_ids=ids, all_proofs=proofs, accepted_suites=accepted_suites,
                     verifier_id=verifier_id)
        for i, proof in enumerate(proofs)
    ]


def verify_proof(
    document: Mapping[str, Any],
    proof: Any,
    resolver: DidResolver,
    processor: Processor,
    *,
    index: int = 0,
    purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | Sequence[str] | None = None,
    proof_ids: Sequence[str] = (),
    all_proofs: Sequence[Any] = (),
    accepted_suites: Sequence[str] | None = None,
    verifier_id: str | None = None,
) -> ProofOutcome:
    """DI §4.4 Verify Proof, one step at a time: each step's result is kept, and the first failure
    ends verification (a later step would only restate it)."""
    out = ProofOutcome(index, proof)
    suite = _check_options(out, document, proof, purpose=purpose, challenge=challenge, domain=domain,
                           proof_ids=proof_ids, accepted_suites=accepted_suites)
    if suite is None or not _resolve_method(out, resolver, proof, suite, purpose) or out.method is None:
        return out
    curve = out.method.method.public_key.curve
    if suite.name == "ecdsa-sd-2023":  # a derived proof: its own verification algorithm (ECDSA §3.6.2)
        outcome = _verify_selective(document, proof, out.method.method.public_key, processor)
        if not out.add(sd.derived_proof_value_is_derived(outcome.message if outcome.requirement == "EC-05" else None)):
            if "found a base proof" in outcome.message:  # still say whether the issuer's base proof is right (EC-03)
                base, _ = verify_base(document, proof, out.method.method.public_key, processor)
                out.add(sd.base_proof_verifies(base.valid, base.message))
            return out
        if not out.add(sd.derived_proof_matches_the_statements(outcome.message if outcome.requirement == "EC-06" else None)):
            return out
        out.add(c.signature_verifies(outcome.valid, suite, "" if outcome.valid else outcome.message))
        return out
    if suite.name == "bbs-2023":  # a derived proof: BBS ProofVerify (W3C Data Integrity BBS)
        _verify_bbs(out, document, proof, out.method.method.public_key.key, processor, verifier_id)
        return out
    try:
        out.data = hash_data(suite, _unsecured(document, proof, suite, all_proofs), _configuration(document, proof, suite),
                             curve, processor)
    except JsonLdError as exc:
        out.add(c.signature_verifies(False, suite, f"document cannot be canonicalized: {exc}"))
        return out
    except ResolutionError as exc:
        if exc.setup:
            raise
        out.add(c.signature_verifies(False, suite, f"a context could not be loaded: {exc}"))
        return out
    if not out.add(c.signed_content_is_lossless(out.data.dropped_terms)):
        return out
    try:
        signature = _signature(proof)
    except ValueError as exc:
        out.add(c.signature_verifies(False, suite, str(exc)))
        return out
    valid = out.method.method.public_key.verify(signature, out.data.combined, suite.hash_name(curve))
    out.add(c.signature_verifies(valid, suite))
    return out


def _check_options(out: ProofOutcome, document: Mapping[str, Any], proof: Any, *, purpose: str, challenge: str | None,
                   domain: str | Sequence[str] | None, proof_ids: Sequence[str],
                   accepted_suites: Sequence[str] | None) -> Suite | None:
    """The proof's shape, suite and options (purpose, challenge, domain, chain): the suite when all hold."""
    if not out.add(c.proof_is_a_map(document, proof)) or not out.add(c.proof_has_required_fields(proof)):
        return None
    suite = suite_for(proof)
    out.suite = suite
    if not out.add(c.proof_uses_known_cryptosuite(proof, suite, accepted_suites)) or suite is None:
        return None
    steps = (
        c.proof_purpose_matches(proof, purpose),
        c.proof_challenge_matches(proof, challenge),
        c.proof_domain_matches(proof, domain),
        c.legacy_suite_requirements(document, proof, suite),
        c.jcs_context_prefix(document, proof, suite),
        c.previous_proofs_present(proof, proof_ids),
    )
    return suite if all(out.add(step) for step in steps) else None


def _resolve_method(out: ProofOutcome, resolver: DidResolver, proof: Mapping[str, Any], suite: Suite, purpose: str) -> bool:
    """Dereference the verification method; its key must fit the suite and be authorised for the purpose."""
    vm_url = str(proof["verificationMethod"])
    try:
        out.method = resolver.dereference(vm_url)
        code, reason = None, ""
    except VerificationMethodError as exc:
        code, reason = exc.code, str(exc)
        out.method_error = reason
        out.method_unreached, out.method_fix = exc.unreached, exc.fix
    retrieved = c.verification_method_retrieved(vm_url, out.method, code, reason)
    if out.method_unreached:  # lerconf got no answer: the proof could not be checked (still not verified)
        retrieved = could_not_check(retrieved, f"cannot resolve {vm_url}: {reason}", out.method_fix)
    if not out.add(retrieved) or out.method is None:
        return False
    return out.add(c.key_matches_cryptosuite(out.method, suite)) and out.add(c.method_authorised_for_purpose(out.method, purpose))


def _verify_selective(document: Mapping[str, Any], proof: Mapping[str, Any], key: Any, processor: Processor) -> SdVerification:
    try:
        return verify_derived(document, proof, key, processor)
    except JsonLdError as exc:
        return SdVerification(False, f"document cannot be canonicalized: {exc}")
    except ResolutionError as exc:
        if exc.setup:
            raise
        return SdVerification(False, f"a context could not be loaded: {exc}")


def _verify_bbs(out: ProofOutcome, document: Mapping[str, Any], proof: Mapping[str, Any], key: bytes,
                processor: Processor, verifier_id: str | None = None) -> None:
    """bbs-2023's steps: a derived proof (LBB-03; a base proof is refused, and said whether it is a
    sound base proof, LBB-01), no feature lerconf cannot check (LBB-05: a pseudonym needs the verifier's
    id: ``verifier_id``, ``lerconf verify --verifier-id``), its structure (LBB-04), the BBS proof (DI-15)."""
    suite = out.suite
    assert suite is not None
    nym_verifier = verifier_id.encode() if verifier_id is not None else None
    outcome = _guarded(lambda: bbs_2023.verify_derived(document, proof, key, processor, verifier_id=nym_verifier))
    if not out.add(bbs.derived_proof_value_is_derived(outcome.message if outcome.requirement == "LBB-03" else None)):
        if "found a base proof" in outcome.message:
            base = _guarded(lambda: bbs_2023.verify_base(document, proof, key, processor)[0])
            out.add(bbs.base_proof_verifies(base.valid, base.message))
        return
    unsupported = outcome.feature if outcome.requirement == "LBB-05" else None
    if not out.add(bbs.feature_is_supported(unsupported, outcome.message if unsupported else "", outcome.feature)):
        return
    if not out.add(bbs.derived_proof_matches_the_statements(outcome.message if outcome.requirement == "LBB-04" else None)):
        return
    out.add(c.signature_verifies(outcome.valid, suite, "" if outcome.valid else outcome.message))


def _guarded(run: Callable[[], bbs_2023.BbsVerification]) -> bbs_2023.BbsVerification:
    """A bbs-2023 verification whose document cannot be canonicalized is a failed verification."""
    try:
        return run()
    except JsonLdError as exc:
        return bbs_2023.BbsVerification(False, f"document cannot be canonicalized: {exc}")
    except ResolutionError as exc:
        if exc.setup:
            raise
        return bbs_2023.BbsVerification(False, f"a context could not be loaded: {exc}")


def could_not_check(result: CheckResult, message: str, fix: str) -> CheckResult:
    """``result`` (a failure) marked as *could not be checked*: lerconf got no answer for a document
    it needs. It stays FAILED (verification fails closed); the details carry the cause and the fix."""
    from dataclasses import replace

    return replace(result, message=message, details={**result.details, "could_not_check": True, "fix": fix})


def _unsecured(document: Mapping[str, Any], proof: Mapping[str, Any], suite: Suite, all_proofs: Sequence[Any]) -> dict[str, Any]:
    """The document as it was signed: without its proofs, with the proofs a chained proof covers (DI §4.5)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    prev = proof.get("previousProof")
    if prev is not None:
        refs = [prev] if isinstance(prev, str) else list(prev)
        matching = [p for p in all_proofs if isinstance(p, Mapping) and p.get("id") in refs]
        unsecured["proof"] = matching[0] if len(matching) == 1 else matching
    if suite.transform == "jcs" and "@context" in proof:
        unsecured["@context"] = proof["@context"]
    return unsecured


def _configuration(document: Mapping[str, Any], proof: Mapping[str, Any], suite: Suite) -> dict[str, Any]:
    """The proof configuration that was hashed with the document (the proof without its value)."""
    if suite.transform == "jcs":
        return {k: v for k, v in proof.items() if k != "proofValue"}
    return proof_configuration(document, proof)


def _signature(proof: Mapping[str, Any]) -> bytes:
    value = proof["proofValue"]
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("proofValue is not base58btc multibase ('z…')")
    return multibase_decode(value)
