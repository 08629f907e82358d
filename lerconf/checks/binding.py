"""Issuer and holder binding: the signing key must belong to the party the document names.

A valid signature by someone else's key is not a verified credential. The W3C test vectors
pair an example issuer URL with a did:key signer on purpose: their proofs verify while this
check fails, and lerconf reports the two separately.
"""
from __future__ import annotations

from collections.abc import Mapping
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


def _listed_by(resolver: DidResolver, controller: str, vm_id: str, relationship: str) -> tuple[bool, str]:
    try:
        doc = resolver.resolve(controller)
    except VerificationMethodError as exc:
        return False, str(exc)
    value = doc.get(relationship)
    items = value if isinstance(value, list) else ([value] if value else [])
    for item in items:
        ref = item.get("id") if isinstance(item, Mapping) else item
        if isinstance(ref, str) and (ref == vm_id or (ref.startswith("#") and controller + ref == vm_id)):
            return True, ""
    return False, f"{controller} does not list {vm_id} under {relationship}"


@check("DI-07", Category.ISSUER_BINDING)
def signing_key_belongs_to_issuer(credential: Mapping[str, Any], method: ResolvedMethod | None, resolver: DidResolver) -> Verdict:
    """The verificationMethod MUST be controlled by the issuer and listed under its assertionMethod relationship."""
    issuer = party_id(credential.get("issuer"))
    if method is None:
        return not_applicable("no verified proof to bind")
    if issuer is None:
        return failed("credential has no issuer id to bind the key to", error="PROOF_VERIFICATION_ERROR")
    vm = method.method
    if vm.controller == issuer:
        return passed(f"key {vm.id} is controlled by the issuer {issuer}", issuer=issuer, controller=vm.controller)
    ok, why = _listed_by(resolver, issuer, vm.id, "assertionMethod")
    if ok:
        return passed(f"issuer {issuer} lists {vm.id} under assertionMethod", issuer=issuer)
    return failed(
        f"signed by {vm.id}, controlled by {vm.controller}, not by the issuer {issuer} ({why})",
        error="PROOF_VERIFICATION_ERROR",
        issuer=issuer,
        controller=vm.controller,
    )


@check("DIVP-03", Category.ISSUER_BINDING)
def presentation_signed_by_holder(presentation: Mapping[str, Any], method: ResolvedMethod | None, resolver: DidResolver) -> Verdict:
    """A presentation's holder, when present, MUST be the controller of the presentation proof's verification method."""
    holder = party_id(presentation.get("holder"))
    if method is None:
        return not_applicable("no verified presentation proof")
    if holder is None:
        return not_applicable("presentation names no holder")
    vm = method.method
    if vm.controller == holder:
        return passed(f"presentation signed by the holder {holder}")
    ok, why = _listed_by(resolver, holder, vm.id, "authentication")
    if ok:
        return passed(f"holder {holder} lists {vm.id} under authentication")
    return failed(f"presentation signed by {vm.controller}, not by the holder {holder} ({why})",
                  error="PROOF_VERIFICATION_ERROR")
