"""Mutators: named edits of a validly secured credential that break exactly one thing.

Negative fixtures are made at run time from a good credential, so each one fails for one known
reason. A mutator either edits the signed credential (the signature then no longer covers it),
or edits the unsigned credential and re-signs it with the harness's signer (so only the named
property is wrong). ``expect`` lists the requirement ids of which at least one must fail;
``expected_errors`` the error types a verifier's rejection should carry (VC Data Model 2.0 §7.1,
Data Integrity §4, Controlled Identifiers §3.3, Bitstring Status List §3.2; None where the specs
name none). :func:`mutate` records the defect, concretely and as a diff against the valid
credential, in the running scenario's evidence.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from lerconf import entropy
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.jsonld import Processor
from lerconf.evidence import json_changes, note_defect

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"

#: a signature over other bytes than were signed (Data Integrity §4.4 verify proof; VCDM 2.0 §7.1 -65)
PROOF = frozenset({"PROOF_VERIFICATION_ERROR", "CRYPTOGRAPHIC_SECURITY_ERROR"})
#: a value the data model does not allow (VCDM 2.0 §7.1), found before or instead of the signature
MALFORMED = frozenset({"MALFORMED_VALUE_ERROR", "PARSING_ERROR"})


class MutationError(ValueError):
    """The mutator cannot apply to this credential (e.g. it needs a signer or a status entry)."""


@dataclass
class MutationContext:
    """What re-signing mutators need: the signer and, for some, a second key or status URLs."""

    processor: Processor | None = None
    signer: Signer | None = None
    suite: str = "eddsa-rdfc-2022"
    other_signer: Signer | None = None           # a key of someone else (valid signature, wrong party)
    unauthorised_signer: Signer | None = None    # the issuer's key that is not an assertionMethod
    revoked_status: Mapping[str, Any] | None = None
    suspended_status: Mapping[str, Any] | None = None
    unreachable_status: Mapping[str, Any] | None = None
    now: datetime = field(default_factory=entropy.utc_now)

    def resign(self, unsigned: Mapping[str, Any], **options: Any) -> dict[str, Any]:
        if self.signer is None or self.processor is None:
            raise MutationError("this mutator re-signs and needs a signer")
        return self.signer.sign(unsigned, self.suite, self.processor, **options)


@dataclass(frozen=True)
class Mutator:
    name: str
    description: str
    expect: tuple[str, ...]
    resigns: bool
    apply: Callable[[dict[str, Any], MutationContext], dict[str, Any]]
    expected_errors: frozenset[str] | None = None


MUTATORS: dict[str, Mutator] = {}


MutatorFunc = Callable[..., dict[str, Any]]


def mutator(name: str, description: str, *expect: str, resigns: bool = False,
            errors: frozenset[str] | None = None) -> Callable[[MutatorFunc], MutatorFunc]:
    def register(func: Callable[[dict[str, Any], MutationContext], dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        MUTATORS[name] = Mutator(name, description, tuple(expect), resigns, func, errors)
        return func

    return register


def mutate(credential: Mapping[str, Any], name: str, ctx: MutationContext | None = None) -> dict[str, Any]:
    """Apply a named mutator to a copy of a signed credential."""
    try:
        m = MUTATORS[name]
    except KeyError:
        raise MutationError(f"unknown mutator {name!r}; known: {', '.join(sorted(MUTATORS))}") from None
    mutated = m.apply(copy.deepcopy(dict(credential)), ctx or MutationContext())
    note_defect(concrete_description(m, credential, mutated), credential, mutated, m.expected_errors, kind="credential")
    return mutated


def concrete_description(m: Mutator, credential: Any, mutated: Any) -> str:
    """The mutator's description with what it changed (outside the proof, where it changed anything
    else): "a subject claim changed after signing: /credentialSubject/achievement/name: "A" -> "A (tampered)"."""
    changes = json_changes(credential, mutated)
    content = [c for c in changes if not c.startswith("/proof")] or changes
    shown = "; ".join(content[:2]) + (f"; and {len(content) - 2} more" if len(content) > 2 else "")
    return f"{m.description}: {shown}" if shown else m.description


def _unsigned(credential: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in credential.items() if k != "proof"}


def _first_proof(credential: dict[str, Any]) -> dict[str, Any]:
    proof = credential.get("proof")
    first = proof[0] if isinstance(proof, list) and proof else proof
    if not isinstance(first, dict):
        raise MutationError("credential has no proof to mutate")
    return first


def _stamp(ts: datetime) -> str:
    return ts.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _proof_options(credential: dict[str, Any]) -> dict[str, Any]:
    proof = _first_proof(credential) if credential.get("proof") else {}
    return {"created": proof.get("created")} if proof.get("created") else {}


# -- edits after signing: the signature no longer covers the document ---------------------------
@mutator("tampered-claim", "a subject claim changed after signing", "DI-15", "JC-09", errors=PROOF)
def _tampered_claim(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    subject = c.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) else subject
    if not isinstance(subject, dict):
        raise MutationError("no credentialSubject object to tamper with")
    achievement = subject.get("achievement")
    target = achievement if isinstance(achievement, dict) else subject
    keys = [k for k, v in target.items() if isinstance(v, str) and k not in ("id", "type")]
    key = "name" if "name" in keys else (keys[0] if keys else None)
    if key is None:
        target["id"] = str(target.get("id", "did:example:x")) + "-tampered"
    else:
        target[key] = str(target[key]) + " (tampered)"
    return c


@mutator("tampered-issuer", "the issuer name changed after signing", "DI-15", "DI-07", errors=PROOF)
def _tampered_issuer(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    issuer = c.get("issuer")
    if isinstance(issuer, dict):
        issuer["name"] = str(issuer.get("name", "")) + " (tampered)"
    else:
        c["issuer"] = "did:example:someone-else"
    return c


@mutator("tampered-validity", "validFrom moved after signing", "DI-15", errors=PROOF)
def _tampered_validity(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    key = "validFrom" if "validFrom" in c else "issuanceDate"
    c[key] = "2020-01-01T00:00:00Z"
    return c


@mutator("tampered-proof-value", "one character of the proof value changed", "DI-15", errors=PROOF)
def _tampered_proof_value(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    proof = _first_proof(c)
    value = str(proof.get("proofValue", "z"))
    i = len(value) // 2
    proof["proofValue"] = value[:i] + ("2" if value[i] != "2" else "3") + value[i + 1:]
    return c


@mutator("proof-removed", "the proof deleted", "VCDM-15", errors=PROOF)
def _proof_removed(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    c.pop("proof", None)
    return c


@mutator("wrong-verification-method", "the proof names another key than the one that signed", "DI-15",
         errors=PROOF | {"INVALID_VERIFICATION_METHOD"})
def _wrong_vm(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    proof = _first_proof(c)
    other = ctx.other_signer
    suite = str(proof.get("cryptosuite") or proof.get("type"))
    curve = "P-256" if suite.startswith("ecdsa") else "Ed25519"  # same key type: only the key is wrong
    if other is None or other.key.curve != curve:
        other = Signer.did_key(deterministic_key("mutator-wrong-vm", curve))
    proof["verificationMethod"] = other.verification_method
    return c


@mutator("proof-purpose-changed", "proofPurpose changed to authentication after signing", "DI-12", errors=PROOF)
def _purpose_changed(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    _first_proof(c)["proofPurpose"] = "authentication"
    return c


@mutator("unknown-cryptosuite", "the cryptosuite renamed to one that does not exist", "ED-09",
         errors=PROOF | {"PROOF_TRANSFORMATION_ERROR"})
def _unknown_suite(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    proof = _first_proof(c)
    if proof.get("type") == "DataIntegrityProof":
        proof["cryptosuite"] = "eddsa-unknown-2099"
    else:
        proof["type"] = "UnknownSignature2099"
    return c


@mutator("context-reordered", "the first two @context entries swapped", "VCDM-01", "VCDM-D1", "OB-01", "DI-15",
         errors=MALFORMED | PROOF)
def _context_reordered(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    contexts = c.get("@context")
    if not isinstance(contexts, list) or len(contexts) < 2:
        raise MutationError("needs at least two contexts")
    contexts[0], contexts[1] = contexts[1], contexts[0]
    return c


@mutator("missing-base-context", "the VC base context removed", "VCDM-01", "VCDM-D1", "DI-15",
         errors=MALFORMED | PROOF | {"DATA_LOSS_DETECTION_ERROR"})
def _missing_base(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    contexts = c.get("@context")
    c["@context"] = [x for x in (contexts if isinstance(contexts, list) else [contexts]) if x not in (VC_V1, VC_V2)]
    return c


@mutator("missing-type", "the type property removed", "VCDM-03", "DI-15", errors=MALFORMED | PROOF)
def _missing_type(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    c.pop("type", None)
    return c


@mutator("malformed-issuer", "issuer replaced by a number", "VCDM-06", "DI-15", "DI-07", errors=MALFORMED | PROOF)
def _malformed_issuer(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    c["issuer"] = 42
    return c


# A context with @vocab (e.g. the W3C examples context) defines every term; there the added
# claim is caught as tampering (DI-15) instead.
@mutator("undefined-term", "a claim no context defines added to the subject", "DI-06", "VCDM-16", "DI-15",
         errors=MALFORMED | PROOF | {"DATA_LOSS_DETECTION_ERROR"})
def _undefined_term(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    subject = c.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) else subject
    if not isinstance(subject, dict):
        raise MutationError("no credentialSubject object")
    subject["favouriteColour"] = "teal"
    return c


@mutator("mixed-base-contexts", "the VC 1.1 and 2.0 base contexts both present", "VCDM-D1", "DI-15",
         errors=MALFORMED | PROOF)
def _mixed(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    contexts = c.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    extra = VC_V1 if VC_V2 in contexts else VC_V2
    c["@context"] = [contexts[0], extra, *contexts[1:]]
    return c


# -- re-signed: a valid signature over a credential that is wrong in one way ---------------------
@mutator("signed-by-another-party", "validly signed by a key that is not the issuer's", "DI-07", resigns=True,
         errors=PROOF | {"INVALID_VERIFICATION_METHOD", "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT"})
def _other_party(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    if ctx.other_signer is None or ctx.processor is None:
        raise MutationError("needs other_signer")
    return ctx.other_signer.sign(_unsigned(c), ctx.suite, ctx.processor, **_proof_options(c))


@mutator("unauthorised-key", "signed by an issuer key not listed under assertionMethod", "DI-19", resigns=True,
         errors=PROOF | {"INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD"})
def _unauthorised(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    if ctx.unauthorised_signer is None or ctx.processor is None:
        raise MutationError("needs unauthorised_signer")
    return ctx.unauthorised_signer.sign(_unsigned(c), ctx.suite, ctx.processor, **_proof_options(c))


@mutator("wrong-proof-purpose", "re-signed with proofPurpose authentication", "DI-12", resigns=True, errors=PROOF)
def _wrong_purpose(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    return ctx.resign(_unsigned(c), purpose="authentication", **_proof_options(c))


def _validity(c: dict[str, Any], start: datetime, end: datetime | None) -> dict[str, Any]:
    v2 = VC_V2 in (c.get("@context") or [])
    u = _unsigned(c)
    if v2:
        u["validFrom"] = _stamp(start)
        if end:
            u["validUntil"] = _stamp(end)
    else:
        u["issuanceDate"] = _stamp(start)
        if "validFrom" in u:
            u["validFrom"] = _stamp(start)
        if end:
            u["expirationDate"] = _stamp(end)
    return u


@mutator("expired", "re-signed with a validity period that ended yesterday", "VCDM-34", "OB-27", resigns=True)
def _expired(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    return ctx.resign(_validity(c, ctx.now - timedelta(days=30), ctx.now - timedelta(days=1)), **_proof_options(c))


@mutator("not-yet-valid", "re-signed with validFrom tomorrow", "VCDM-34", "OB-27", resigns=True)
def _not_yet_valid(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    return ctx.resign(_validity(c, ctx.now + timedelta(days=1), None), **_proof_options(c))


def _with_status(c: dict[str, Any], ctx: MutationContext, entry: Mapping[str, Any] | None, what: str) -> dict[str, Any]:
    if entry is None:
        raise MutationError(f"needs a {what} status entry")
    u = _unsigned(c)
    u["credentialStatus"] = dict(entry)
    return ctx.resign(u, **_proof_options(c))


@mutator("schema-defect", "the achievement's required criteria removed, then validly re-signed (a schema defect "
         "the signature covers)", "OB-21", "OB-11", resigns=True)
def _schema_defect(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    u = _unsigned(c)
    achievement = (u.get("credentialSubject") or {}).get("achievement")
    if not isinstance(achievement, dict) or "criteria" not in achievement:
        raise MutationError("needs an OB 3.0 badge whose achievement has criteria")
    del achievement["criteria"]
    return ctx.resign(u, **_proof_options(c))


@mutator("revoked", "re-signed with a status entry whose revocation bit is set", "BSL-18", resigns=True)
def _revoked(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    return _with_status(c, ctx, ctx.revoked_status, "revoked")


@mutator("suspended", "re-signed with a status entry whose suspension bit is set", "BSL-18", resigns=True)
def _suspended(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    return _with_status(c, ctx, ctx.suspended_status, "suspended")


@mutator("status-list-unreachable", "re-signed with a status list URL that cannot be fetched", "BSL-13", resigns=True,
         errors=frozenset({"STATUS_RETRIEVAL_ERROR"}))
def _unreachable(c: dict[str, Any], ctx: MutationContext) -> dict[str, Any]:
    return _with_status(c, ctx, ctx.unreachable_status, "unreachable")
