"""Issuer and holder binding: the signing key must belong to the party the document names.

A valid signature by someone else's key is not a verified credential. The W3C test vectors
pair an example issuer URL with a did:key signer on purpose: their proofs verify while this
check fails, and lerconf reports the two separately.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.crypto.did import DidResolver, ResolvedMethod, VerificationMethodError
from lerconf.results import Category


def party_id(value: Any) -> str | None:
    """The id of an issuer/holder given as a URL string or an object with an id."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


@dataclass(frozen=True)
class Unreached:
    """lerconf got no answer for a document the binding needs: the binding *could not be checked*."""

    cause: str
    fix: str = ""


def _listed_by(resolver: DidResolver, controller: str, vm_id: str, relationship: str) -> tuple[bool, str]:
    try:
        doc = resolver.resolve(controller)
    except VerificationMethodError as exc:
        if exc.unreached:
            raise _NoAnswer(f"cannot resolve {controller}: {exc}", exc.fix) from None
        return False, str(exc)
    value = doc.get(relationship)
    items = value if isinstance(value, list) else ([value] if value else [])
    for item in items:
        ref = item.get("id") if isinstance(item, Mapping) else item
        if isinstance(ref, str) and (ref == vm_id or (ref.startswith("#") and controller + ref == vm_id)):
            return True, ""
    return False, f"{controller} does not list {vm_id} under {relationship}"


class _NoAnswer(Exception):
    def __init__(self, cause: str, fix: str) -> None:
        super().__init__(cause)
        self.fix = fix


def _could_not_check(causes: Sequence[Unreached]) -> dict[str, Any]:
    """The details that mark a failed binding as *could not be checked*, with how to fix it."""
    fixes = list(dict.fromkeys(u.fix for u in causes if u.fix))
    return {"could_not_check": True, "fix": "; ".join(fixes)} if causes else {}


@dataclass(frozen=True)
class SigningKey:
    """The key one proof of a set or chain names: resolved, or why it could not be.

    ``role`` says what a proof by another party than the issuer is: a ``co-signer`` signs the
    credential beside the issuer (a proof set), an ``endorser`` signs over earlier proofs (a chain
    link, ``previousProof``)."""

    proof: str
    verification_method: str
    method: ResolvedMethod | None = None
    cause: str = ""
    role: str = "co-signer"
    #: lerconf got no answer for the key's controller document (``cause`` says why; ``fix`` how to
    #: let lerconf reach it): the binding could not be checked, not failed by the issuer
    unreached: bool = False
    fix: str = ""


def _issuer_binds(resolver: DidResolver, issuer: str, method: ResolvedMethod) -> tuple[bool, str]:
    vm = method.method
    if vm.controller == issuer:
        return True, f"key {vm.id} is controlled by the issuer {issuer}"
    ok, why = _listed_by(resolver, issuer, vm.id, "assertionMethod")
    if ok:
        return True, f"issuer {issuer} lists {vm.id} under assertionMethod"
    return False, why


@check("DI-07", Category.ISSUER_BINDING)
def signing_key_belongs_to_issuer(credential: Mapping[str, Any], keys: Sequence[SigningKey], resolver: DidResolver) -> Verdict:
    """The verificationMethod MUST be controlled by the issuer and listed under its assertionMethod relationship.

    With several proofs (a proof set or chain, DI §4.5) every proof must verify (DI-15, DI-16),
    and at least one of them must be by a key the issuer controls; the others are by other parties
    (co-signers, endorsers), reported with their controllers as evidence, never as failures.
    A key that cannot be resolved leaves the binding unknown: the result says why, naming the key
    and the cause, rather than that nothing applied.
    """
    issuer = party_id(credential.get("issuer"))
    resolved = [k for k in keys if k.method is not None]
    unresolved = [k for k in keys if k.method is None and k.cause]
    if not resolved and not unresolved:
        return not_applicable("no proof reached the verification method to bind")
    if issuer is None:
        return failed("credential has no issuer id to bind the key to", error="PROOF_VERIFICATION_ERROR")
    bound: list[tuple[SigningKey, ResolvedMethod, str]] = []
    others: list[tuple[SigningKey, ResolvedMethod, str]] = []
    no_answer: list[Unreached] = []  # the issuer's own document could not be had for a resolved key
    for key in keys:
        if key.method is not None:
            try:
                ok, why = _issuer_binds(resolver, issuer, key.method)
            except _NoAnswer as exc:
                no_answer.append(Unreached(f"{key.proof + ' ' if len(keys) > 1 else ''}signed by {key.method.method.id}, "
                                           f"controlled by {key.method.method.controller}: whether the issuer lists it "
                                           f"is unknown ({exc})", exc.fix))
                continue
            (bound if ok else others).append((key, key.method, why))
    cannot = [f"cannot resolve {k.verification_method}: {k.cause}" for k in unresolved]
    cannot += list(dict.fromkeys(u.cause for u in no_answer))
    # a key lerconf could not reach might be the issuer's: the binding is unknown, not refuted
    unknown = _could_not_check([Unreached(c, k.fix) for c, k in zip(cannot, unresolved, strict=False) if k.unreached]
                               + no_answer)
    other_parties = [{"proof": k.proof, "verificationMethod": m.method.id, "controller": m.method.controller,
                      "role": k.role} for k, m, _ in others]
    if bound:
        _, method, why = bound[0]
        also = "".join(f"; {p['proof']} is by {p['role']} {p['controller']}" for p in other_parties)
        return passed(f"{why}{also}", issuer=issuer, controller=method.method.controller,
                      issuer_proofs=[k.proof for k, _, _ in bound], other_signers=other_parties)
    if not others:
        return failed("; ".join(cannot), error="PROOF_VERIFICATION_ERROR", issuer=issuer,
                      unresolved=[k.verification_method for k in unresolved], **unknown)
    reasons = [f"{k.proof + ' ' if len(keys) > 1 else ''}signed by {m.method.id}, controlled by "
               f"{m.method.controller}, not by the issuer {issuer} ({why})" for k, m, why in others]
    if len(keys) > 1:
        reasons.insert(0, f"none of the {len(keys)} proofs is by a key the issuer {issuer} controls")
    return failed("; ".join(reasons + cannot), error="PROOF_VERIFICATION_ERROR", issuer=issuer,
                  controller=others[0][1].method.controller, other_signers=other_parties,
                  unresolved=[k.verification_method for k in unresolved], **unknown)


@check("DIVP-03", Category.ISSUER_BINDING)
def presentation_signed_by_holder(presentation: Mapping[str, Any], method: ResolvedMethod | None, resolver: DidResolver,
                                  cause: str = "", *, unreached: bool = False, fix: str = "") -> Verdict:
    """A presentation's holder, when present, MUST be the controller of the presentation proof's verification method.

    ``cause`` is why the proof's key could not be resolved: the binding is then unknown, and the
    result says why rather than that nothing applied; ``unreached`` when lerconf got no answer
    for it (the binding *could not be checked*; ``fix`` says how to let lerconf reach it)."""
    holder = party_id(presentation.get("holder"))
    if method is None and cause and holder is not None:
        return failed(cause, error="PROOF_VERIFICATION_ERROR", **_could_not_check([Unreached(cause, fix)] if unreached else []))
    if method is None:
        return not_applicable("no verified presentation proof")
    if holder is None:
        return not_applicable("presentation names no holder")
    vm = method.method
    if vm.controller == holder:
        return passed(f"presentation signed by the holder {holder}")
    try:
        ok, why = _listed_by(resolver, holder, vm.id, "authentication")
    except _NoAnswer as exc:
        return failed(str(exc), error="PROOF_VERIFICATION_ERROR", **_could_not_check([Unreached(str(exc), exc.fix)]))
    if ok:
        return passed(f"holder {holder} lists {vm.id} under authentication")
    return failed(f"presentation signed by {vm.controller}, not by the holder {holder} ({why})",
                  error="PROOF_VERIFICATION_ERROR")
