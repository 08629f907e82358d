"""The Learning Mobility Collaborative's profiles, rule by rule: VCALM EdDSA (LMC vcalm-eddsa 0.1,
``LMC-VE-*``), OB 3.0 Direct Delivery (LMC ob-3.0-direct-delivery 0.1, ``LMC-DD-*``), whose issuer
rules on the badge are the same four plus the email-identified recipient and the JSON file, and OID4
ECDSA (LMC oid4-ecdsa 0.1, ``LMC-OE-*``): the same four on ECDSA P-256, both OID4VCI grants, TLS.

Each check judges facts a scenario gathered (the credential an issuing exchange handed out, the
key its proof names as the issuer's DID document lists it, the status list it points to, what a
TLS handshake showed) against one ``LMC-VE-*`` requirement of lerconf/data/ecosystems/lmc.yaml,
which cites the profile's section. These results are ecosystem conformance, never specification
conformance: the same credential may conform to OB 3.0 and fail here.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.checks.ecosystem import (
    CacheObservation,
    TlsFacts,
    di_assertion_proof_problems,
    email_subject_problems,
    issuer_id,
    issuer_key_problems,
    own_status_list_problems,
    status_cache_problems,
    tls_problems,
    vcdm2_type_problems,
)
from lerconf.results import Category

__all__: list[str] = []  # checks register themselves; find them by requirement id

#: the issuer DID methods the profiles allow (Data Integrity › Profile Requirements)
DID_METHODS = ("web", "key")
SUITE = "eddsa-rdfc-2022"


def _verdict(problems: Sequence[str], holds: str) -> Verdict:
    return failed("; ".join(problems)) if problems else passed(holds)


# -- the issuer rules both EdDSA profiles share (vcalm-eddsa: LMC-VE-01..04; ob-3.0-direct-delivery: LMC-DD-01..04)
def _open_badge_v2(credential: Mapping[str, Any]) -> Verdict:
    return _verdict(vcdm2_type_problems(credential, "OpenBadgeCredential"), "a VC Data Model 2.0 OpenBadgeCredential")


def _eddsa_proof(credential: Mapping[str, Any], controller: str | None, relationships: Sequence[str]) -> Verdict:
    return _verdict(di_assertion_proof_problems(credential, SUITE, controller, relationships),
                    f"{SUITE} proof for assertionMethod with created, by a key of {issuer_id(credential)}")


def _ed25519_issuer(issuer: Any, method_type: str | None, curve: str | None) -> Verdict:
    return _verdict(issuer_key_problems(issuer, DID_METHODS, method_type, curve, "Ed25519"),
                    f"issuer {issuer} signs with an Ed25519 Multikey")


def _own_list(credential: Mapping[str, Any], status_list: Mapping[str, Any] | None, list_key: str | None,
              fetch_error: str | None) -> Verdict:
    status = credential.get("credentialStatus")
    listed = next((e.get("statusListCredential") for e in (status if isinstance(status, list) else [status])
                   if isinstance(e, Mapping) and e.get("statusListCredential")), None)
    return _verdict(own_status_list_problems(credential, status_list, list_key, fetch_error),
                    f"status list {listed} signed with the issuer's key {list_key}")


@check("LMC-VE-01", Category.STRUCTURE)
def vcdm2_open_badge(credential: Mapping[str, Any]) -> Verdict:
    """VCDM 2.0 (its base context first) and the ``OpenBadgeCredential`` type."""
    return _open_badge_v2(credential)


@check("LMC-VE-02", Category.PROOF)
def eddsa_rdfc_assertion_proof(credential: Mapping[str, Any], controller: str | None,
                               relationships: Sequence[str]) -> Verdict:
    """One Data Integrity proof: eddsa-rdfc-2022, assertionMethod, ``created``, and a key the
    issuer's DID document lists for assertionMethod (``controller``/``relationships`` as resolved)."""
    return _eddsa_proof(credential, controller, relationships)


@check("LMC-VE-03", Category.ISSUER_BINDING)
def did_web_or_key_ed25519(issuer_id: Any, method_type: str | None, curve: str | None) -> Verdict:
    """The issuer is a did:web or did:key, and its signing key an Ed25519 Multikey."""
    return _ed25519_issuer(issuer_id, method_type, curve)


@check("LMC-VE-04", Category.STATUS)
def own_bitstring_status_list(credential: Mapping[str, Any], status_list: Mapping[str, Any] | None,
                              list_key: str | None, fetch_error: str | None = None) -> Verdict:
    """A BitstringStatusListEntry whose list is signed with a key of the credential issuer's DID document."""
    return _own_list(credential, status_list, list_key, fetch_error)


@check("LMC-VE-05", Category.PROTOCOL)
def endpoints_tls12(facts: Sequence[TlsFacts]) -> Verdict:
    """Every endpoint of the profile's roles: HTTPS, TLS 1.2 or later, a valid certificate."""
    return _tls_verdict(facts, "the vendor profile names no endpoint for this profile's roles")


def _tls_verdict(facts: Sequence[TlsFacts], none: str) -> Verdict:
    if not facts:
        return failed(none)
    problems = [p for f in facts for p in tls_problems(f)]
    unprobed = [f.url for f in facts if f.scheme == "https" and not f.obsolete_probed]
    if problems:
        return failed("; ".join(problems))
    note = f" (TLS below 1.2 not probed for {', '.join(unprobed)}: the local OpenSSL cannot offer it)" if unprobed else ""
    return passed(f"{len(facts)} endpoint(s) on TLS {', '.join(sorted({f.version or '?' for f in facts}))}{note}")


@check("LMC-VE-06", Category.STATUS)
def status_checked_each_verification(seen: CacheObservation) -> Verdict:
    """Every verification of a badge whose list is served ``no-cache`` fetched the list again."""
    problems = status_cache_problems(seen)
    if problems:
        return failed("; ".join(problems))
    return passed(f"{seen.verifications} verifications fetched the status list {seen.fetches} time(s) "
                  f"(served with Cache-Control: {seen.cache_control})")


# -- OB 3.0 Direct Delivery: the badge a vendor hands over as a file ----------------------------------------
@check("LMC-DD-01", Category.STRUCTURE)
def dd_vcdm2_open_badge(credential: Mapping[str, Any]) -> Verdict:
    """VCDM 2.0 (its base context first) and the ``OpenBadgeCredential`` type."""
    return _open_badge_v2(credential)


@check("LMC-DD-02", Category.PROOF)
def dd_eddsa_rdfc_assertion_proof(credential: Mapping[str, Any], controller: str | None,
                                  relationships: Sequence[str]) -> Verdict:
    """eddsa-rdfc-2022 for assertionMethod, ``created``, by a key the issuer's DID document lists."""
    return _eddsa_proof(credential, controller, relationships)


@check("LMC-DD-03", Category.ISSUER_BINDING)
def dd_did_web_or_key_ed25519(issuer_id: Any, method_type: str | None, curve: str | None) -> Verdict:
    """The issuer is a did:web or did:key, and its signing key an Ed25519 Multikey."""
    return _ed25519_issuer(issuer_id, method_type, curve)


@check("LMC-DD-04", Category.STATUS)
def dd_own_bitstring_status_list(credential: Mapping[str, Any], status_list: Mapping[str, Any] | None,
                                 list_key: str | None, fetch_error: str | None = None) -> Verdict:
    """A BitstringStatusListEntry whose list is signed with a key of the credential issuer's DID document."""
    return _own_list(credential, status_list, list_key, fetch_error)


@check("LMC-DD-05", Category.STRUCTURE)
def dd_email_identified_recipient(credential: Mapping[str, Any]) -> Verdict:
    """The recipient is named by an email address (an OB 3.0 IdentityObject of type emailAddress)."""
    return _verdict(email_subject_problems(credential), "the recipient is identified by an email address")


@check("LMC-DD-06", Category.PARSE)
def dd_delivered_as_json_file(forms: Sequence[str], problems: Sequence[str]) -> Verdict:
    """The vendor hands its badges over as JSON files (``forms``: what each delivered artefact turned
    out to be; ``problems``: badge JSON files lerconf could not read as one credential)."""
    if "badge JSON" not in forms:
        return failed(f"no badge delivered as a JSON file (delivered: {', '.join(sorted(set(forms))) or 'nothing'})")
    if problems:
        return failed("; ".join(problems))
    return passed(f"{forms.count('badge JSON')} badge(s) delivered as JSON files")


# -- OID4 ECDSA: the badge an OID4VCI issuer issues (LMC-OE-*) -------------------------------------------------
ECDSA_SUITE = "ecdsa-rdfc-2019"
#: the two OID4VCI 1.0 grants the profile makes an issuer support
GRANTS = ("pre-authorized_code", "authorization_code")


@check("LMC-OE-01", Category.STRUCTURE)
def oe_vcdm2_open_badge(credential: Mapping[str, Any]) -> Verdict:
    """VCDM 2.0 (its base context first) and the ``OpenBadgeCredential`` type."""
    return _open_badge_v2(credential)


@check("LMC-OE-02", Category.PROOF)
def oe_ecdsa_rdfc_assertion_proof(credential: Mapping[str, Any], controller: str | None,
                                  relationships: Sequence[str]) -> Verdict:
    """ecdsa-rdfc-2019 for assertionMethod, ``created``, by a key the issuer's DID document lists."""
    return _verdict(di_assertion_proof_problems(credential, ECDSA_SUITE, controller, relationships),
                    f"{ECDSA_SUITE} proof for assertionMethod with created, by a key of {issuer_id(credential)}")


@check("LMC-OE-03", Category.ISSUER_BINDING)
def oe_did_web_or_key_p256(issuer: Any, method_type: str | None, curve: str | None) -> Verdict:
    """The issuer is a did:web or did:key, and its signing key a P-256 Multikey."""
    return _verdict(issuer_key_problems(issuer, DID_METHODS, method_type, curve, "P-256"),
                    f"issuer {issuer} signs with a P-256 Multikey")


@check("LMC-OE-04", Category.STATUS)
def oe_own_bitstring_status_list(credential: Mapping[str, Any], status_list: Mapping[str, Any] | None,
                                 list_key: str | None, fetch_error: str | None = None) -> Verdict:
    """A BitstringStatusListEntry whose list is signed with a key of the credential issuer's DID document."""
    return _own_list(credential, status_list, list_key, fetch_error)


@check("LMC-OE-05", Category.PROTOCOL)
def oe_issues_through_both_grants(issued: Mapping[str, str | None]) -> Verdict:
    """A badge came through each grant (``issued``: grant -> None when it did, else why not)."""
    missing = [f"{grant}: {why}" for grant in GRANTS if (why := issued.get(grant, "not tried")) is not None]
    if missing:
        return failed("no badge issued through " + "; ".join(missing))
    return passed(f"a badge issued through each of {', '.join(GRANTS)}")


@check("LMC-OE-06", Category.PROTOCOL)
def oe_endpoints_tls12(facts: Sequence[TlsFacts]) -> Verdict:
    """Every OID4VCI endpoint (the profile's and the metadata's): HTTPS, TLS 1.2 or later, a valid certificate."""
    return _tls_verdict(facts, "no OID4VCI endpoint to connect to (the profile and the metadata name none)")


@check("LMC-OE-07", Category.DATES)
def oe_valid_until(credential: Mapping[str, Any]) -> Verdict:
    """The badge states its expiration in ``validUntil`` (SHOULD)."""
    until = credential.get("validUntil")
    if not isinstance(until, str) or not until:
        return failed("the badge states no expiration date (validUntil)")
    return passed(f"the badge expires at {until}")
