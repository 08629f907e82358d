"""Data Integrity proof checks (DI §4.4 Verify Proof, CID §3.3, cryptosuite verify steps).

Each function is one step of proof verification with its requirement id; lerconf.verify.di_proof
runs them in order and stops at the first failure, since later steps depend on earlier ones.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.crypto.di.suites import Suite
from lerconf.crypto.did import ResolvedMethod
from lerconf.results import Category

PROOF = Category.PROOF


@check("DI-10", PROOF)
def proof_is_a_map(document: Any, proof: Any) -> Verdict:
    """A document that is not a map, or whose proof is not a map, MUST fail with PARSING_ERROR."""
    if not isinstance(document, Mapping):
        return failed("the secured document is not a JSON object", error="PARSING_ERROR")
    if not isinstance(proof, Mapping):
        return failed(f"proof is a {type(proof).__name__}, not an object", error="PARSING_ERROR")
    return passed("proof is an object")


@check("DI-11", PROOF)
def proof_has_required_fields(proof: Mapping[str, Any]) -> Verdict:
    """A proof missing type, verificationMethod or proofPurpose MUST fail with PROOF_VERIFICATION_ERROR."""
    missing = [k for k in ("type", "verificationMethod", "proofPurpose", "proofValue") if not proof.get(k)]
    if missing:
        return failed(f"proof lacks {', '.join(missing)}", error="PROOF_VERIFICATION_ERROR", missing=missing)
    if proof.get("type") == "DataIntegrityProof" and not isinstance(proof.get("cryptosuite"), str):
        return failed("DataIntegrityProof without a cryptosuite string", error="PROOF_VERIFICATION_ERROR")
    return passed("proof has type, verificationMethod, proofPurpose and proofValue")


@check("ED-09", PROOF)
def proof_uses_known_cryptosuite(proof: Mapping[str, Any], suite: Suite | None, accepted: Sequence[str] | None) -> Verdict:
    """A proof whose type or cryptosuite is not one the verifier implements MUST fail (PROOF_TRANSFORMATION_ERROR)."""
    name = proof.get("cryptosuite") or proof.get("type")
    if suite is None:
        return failed(f"unsupported proof type/cryptosuite {name!r}", error="PROOF_TRANSFORMATION_ERROR", cryptosuite=name)
    if accepted is not None and suite.name not in accepted:
        return failed(f"cryptosuite {suite.name} is not among those accepted ({', '.join(accepted)})",
                      error="PROOF_VERIFICATION_ERROR", cryptosuite=suite.name)
    return passed(f"cryptosuite {suite.name}", cryptosuite=suite.name)


@check("DI-12", PROOF)
def proof_purpose_matches(proof: Mapping[str, Any], expected: str) -> Verdict:
    """The proofPurpose MUST match the purpose the verifier expects (assertionMethod for VCs, authentication for VPs)."""
    if proof.get("proofPurpose") != expected:
        return failed(f"proofPurpose is {proof.get('proofPurpose')!r}, expected {expected!r}",
                      error="PROOF_VERIFICATION_ERROR")
    return passed(f"proofPurpose is {expected}")


@check("DI-13", PROOF)
def proof_domain_matches(proof: Mapping[str, Any], expected: str | Sequence[str] | None) -> Verdict:
    """If a domain is expected, it MUST match proof.domain (compared as sets), else INVALID_DOMAIN_ERROR."""
    if expected is None:
        return not_applicable("no domain expected")
    want = {expected} if isinstance(expected, str) else set(expected)
    got_raw = proof.get("domain")
    got = {got_raw} if isinstance(got_raw, str) else set(got_raw or [])
    if want != got:
        return failed(f"proof domain {got_raw!r} does not match expected {expected!r}", error="INVALID_DOMAIN_ERROR")
    return passed("proof domain matches")


@check("DI-14", PROOF)
def proof_challenge_matches(proof: Mapping[str, Any], expected: str | None) -> Verdict:
    """If a challenge is expected, it MUST equal proof.challenge, else INVALID_CHALLENGE_ERROR."""
    if expected is None:
        return not_applicable("no challenge expected")
    if proof.get("challenge") != expected:
        return failed(f"proof challenge {proof.get('challenge')!r} does not match the expected one",
                      error="INVALID_CHALLENGE_ERROR")
    return passed("proof challenge matches")


@check("ED-10", PROOF)
def legacy_suite_requirements(document: Mapping[str, Any], proof: Mapping[str, Any], suite: Suite) -> Verdict:
    """Ed25519Signature2020 proofs MUST carry created, and the document MUST use the suite context."""
    if suite.proof_type == "DataIntegrityProof":
        return not_applicable("not a legacy suite")
    if not proof.get("created"):
        return failed("Ed25519Signature2020 proof without created", error="PROOF_VERIFICATION_ERROR")
    ctx = document.get("@context")
    ctxs = ctx if isinstance(ctx, list) else [ctx]
    if suite.context and suite.context not in ctxs:
        return failed(f"document @context lacks {suite.context}", error="PROOF_VERIFICATION_ERROR")
    return passed("legacy Ed25519Signature2020 proof is well-formed")


@check("ED-08", PROOF)
def jcs_context_prefix(document: Mapping[str, Any], proof: Mapping[str, Any], suite: Suite) -> Verdict:
    """JCS: if proof.@context exists, the document @context MUST start with the same values in the same order."""
    if suite.transform != "jcs":
        return not_applicable("not a JCS suite")
    pctx = proof.get("@context")
    if pctx is None:
        return not_applicable("proof has no @context")
    pl = pctx if isinstance(pctx, list) else [pctx]
    dctx = document.get("@context")
    dl = dctx if isinstance(dctx, list) else [dctx]
    if dl[: len(pl)] != pl:
        return failed("document @context does not start with proof @context", error="PROOF_VERIFICATION_ERROR")
    return passed("document @context starts with proof @context")


@check("DI-16", PROOF)
def previous_proofs_present(proof: Mapping[str, Any], proof_ids: Sequence[str]) -> Verdict:
    """In a proof chain, every previousProof MUST reference a proof present in the set."""
    prev = proof.get("previousProof")
    if prev is None:
        return not_applicable("proof is not chained")
    refs = [prev] if isinstance(prev, str) else list(prev) if isinstance(prev, list) else [None]
    missing = [r for r in refs if r not in proof_ids]
    if missing:
        return failed(f"previousProof references missing proof(s) {missing}", error="PROOF_VERIFICATION_ERROR")
    return passed(f"previousProof references {len(refs)} present proof(s)")


@check("CID-01", PROOF)
def verification_method_retrieved(vm_url: str, method: ResolvedMethod | None, error_code: str | None, reason: str) -> Verdict:
    """The verification method MUST be retrieved from a controller document whose id, method id and controller match.

    A bare identifier as ``verificationMethod`` (``did:key:z6Mk…``, no fragment) is refused, with
    the key URL it should have been (``did:key:X#X``). Verifiers are split on it (the 1EdTech
    validator accepts it, the Digital Bazaar stack refuses it); lerconf follows the specifications:

    - VC Data Integrity §2.1 (Proofs), ``verificationMethod``: "A verification method is the means
      and information needed to verify the proof. If included, the value MUST be a string that maps
      to a URL"; verifying a proof (§4.4) retrieves *that verification method*.
    - Controlled Identifiers §3.3 (Retrieve Verification Method): the controller document is the
      URL without its fragment, the method is the one the fragment selects, and if the method's
      ``id`` is not the requested URL an error MUST be raised (INVALID_VERIFICATION_METHOD).
    - DID Core §7.2 (DID URL Dereferencing): a DID without a fragment dereferences to the DID
      document, not to one of its verification methods.
    - The did:key method (§3.1, document creation): the one verification method's id is
      ``did:key:<multibase>#<multibase>``.

    So ``did:key:X`` names the document, never the key: the proof fails CID-01 with a message that
    gives ``did:key:X#X``. Accepting it would mean guessing which key a document-level URL means,
    which no specification defines (it is only unambiguous for single-key methods).
    """
    if method is None:
        return failed(f"cannot use verification method {vm_url}: {reason}", error=error_code, subject=vm_url)
    return passed(f"{method.method.type} {vm_url} (controller {method.method.controller})")


#: key type -> (Multikey multicodec header, how its publicKeyMultibase starts)
MULTIKEY_HEADERS = {"Ed25519": ("0xed01", "z6Mk"), "P-256": ("0x1200", "zDn"), "P-384": ("0x1201", "z82"),
                    "BLS12-381-G2": ("0xeb01", "zUC7")}


def _key_type(curve: str) -> str:
    header = MULTIKEY_HEADERS.get(curve)
    return f"{curve} ({header[1]}…, multicodec {header[0]})" if header else curve


@check("CID-02", PROOF)
def key_matches_cryptosuite(method: ResolvedMethod, suite: Suite) -> Verdict:
    """The verification method MUST hold a key of the type the cryptosuite is defined for.

    CID §2.2.2 (Multikey) names each key type by its multicodec header; the cryptosuites fix the
    type: EdDSA §2.1.1, an Ed25519 key (``0xed01``, ``z6Mk…``) for eddsa-rdfc-2022, eddsa-jcs-2022
    and Ed25519Signature2020; ECDSA §2.1.1, a P-256 (``0x1200``, ``zDn…``) or P-384 (``0x1201``,
    ``z82…``) key for ecdsa-rdfc-2019 and ecdsa-jcs-2019. A proof whose method holds another type
    (an Ed25519 key under ecdsa-rdfc-2019, a P-256 key under eddsa) is the issuer's defect, said as
    such here rather than only as a signature that does not verify.
    """
    curve = method.method.public_key.curve
    wanted = " or ".join(_key_type(c) for c in suite.curves)
    if curve not in suite.curves:
        return failed(f"{method.method.id} is a {method.method.type} holding a {_key_type(curve)} key, but {suite.name} "
                      f"is defined for {wanted} keys: the verification method does not fit the cryptosuite",
                      error="PROOF_VERIFICATION_ERROR", key_type=curve,
                      cryptosuite=suite.name, expected=list(suite.curves))
    return passed(f"{curve} key fits {suite.name}", key_type=curve, cryptosuite=suite.name)


@check("DI-19", PROOF)
def method_authorised_for_purpose(method: ResolvedMethod, purpose: str) -> Verdict:
    """The verification method MUST be listed under the proof purpose's relationship by its controller."""
    if not method.authorised_for(purpose):
        listed = ", ".join(sorted(method.relationships)) or "no relationship"
        return failed(f"{method.method.id} is not an {purpose} method of {method.method.controller} (listed under: {listed})",
                      error="INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD")
    return passed(f"{method.method.id} is listed under {purpose}")


@check("DI-06", PROOF)
def signed_content_is_lossless(dropped_terms: Sequence[str]) -> Verdict:
    """Signed content MUST NOT contain terms that JSON-LD processing drops (undefined terms)."""
    if dropped_terms:
        return failed(f"terms not defined by the contexts are outside the signature: {', '.join(dropped_terms)}",
                      error="DATA_LOSS_DETECTION_ERROR", terms=list(dropped_terms))
    return passed("every term is defined by the contexts")


@check("DI-15", PROOF)
def signature_verifies(valid: bool, suite: Suite, reason: str = "") -> Verdict:
    """The proof value MUST verify over the transformed document and proof configuration."""
    if not valid:
        return failed(f"{suite.name} signature does not verify{': ' + reason if reason else ''}",
                      error="PROOF_VERIFICATION_ERROR")
    return passed(f"{suite.name} signature verifies")
