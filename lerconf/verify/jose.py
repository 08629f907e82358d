"""Verify a JWT- or COSE-secured credential or presentation: decode, resolve the key, check.

``verify_jwt`` and ``verify_cose`` never raise for what a vendor sent: garbage gives a failed
JC-09 (parse) result, an unknown key a failed JC-04/JC-09, and so on. They raise only for
harness faults (e.g. a naive ``at``). Both return a ``JwtVerification``; a COSE_Sign1 is judged
through its JWS-shaped view (``ParsedCose.to_jws``) so both share one signature check.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lerconf.checks import jose as c
from lerconf.checks import jose_badges as badges
from lerconf.crypto.did import DidResolver, ResolvedMethod
from lerconf.crypto.jose.compact import JwsParseError, parse_compact
from lerconf.crypto.jose.cose import CoseParseError, parse_cose_input, parse_cose_sign1
from lerconf.crypto.jose.encodings import (
    JwtEncoding,
    credential_from_v11,
    detect_encoding,
    document_kind,
    strip_registered_claims,
)
from lerconf.crypto.jose.envelope import EnvelopeError, decode_enveloped, is_enveloped
from lerconf.crypto.jose.evidence import EnvelopedItem, JoseEvidence
from lerconf.crypto.jose.keyresolve import KeyResolution, resolve_signing_key
from lerconf.crypto.jose.sdjwt import apply_disclosures
from lerconf.results import VERIFICATION_CATEGORIES, CheckResult, Status
from lerconf.verify.di_proof import could_not_check


def jose_checks() -> tuple[Callable[[JoseEvidence], CheckResult], ...]:
    """Every JOSE check in reporting order; each takes one JoseEvidence."""
    return (
        c.jws_is_compact_serialization, c.alg_is_not_none, c.jws_signature_verifies,
        c.sd_jwt_disclosures_are_signed, c.signing_key_belongs_to_issuer, c.jose_credential_is_typed_vc_jwt,
        c.jose_payload_has_no_vc_or_vp_claim, c.jwt_iss_matches_issuer, c.jwt_validity_claims_are_current,
        c.jose_presentation_envelopes_credentials, c.enveloped_credentials_decode,
        c.jwt_encoding_follows_data_model, badges.ob_jose_header_is_valid, badges.ob_jwt_claims_mirror_credential,
        badges.ob_jwt_claims_verify, badges.v11_jwt_mirrors_credential, badges.v11_jwt_decodes_consistently,
    )


def cose_checks() -> tuple[Callable[[JoseEvidence], CheckResult], ...]:
    """Every check that applies to a COSE_Sign1, in reporting order (JWT-claim checks do not)."""
    return (
        c.jws_is_compact_serialization, c.alg_is_not_none, c.jws_signature_verifies,
        c.signing_key_belongs_to_issuer, c.cose_credential_is_typed_vc_cose,
        c.jose_presentation_envelopes_credentials, c.enveloped_credentials_decode,
        c.jwt_encoding_follows_data_model,
    )


@dataclass(frozen=True)
class JwtVerification:
    """The outcome of verifying one token. ``verified`` needs a valid signature and no failed
    verification-category check; ``checks`` holds everything, passed or not."""

    encoding: JwtEncoding
    kind: str
    header: Mapping[str, Any]
    payload: Mapping[str, Any]
    credential: dict[str, Any] | None
    key: ResolvedMethod | None
    checks: list[CheckResult]
    signature_valid: bool
    evidence: JoseEvidence = field(repr=False)

    @property
    def verified(self) -> bool:
        return self.signature_valid and not any(
            r.status is Status.FAILED and r.category in VERIFICATION_CATEGORIES for r in self.checks
        )

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.checks if r.status is Status.FAILED]

    def result(self, requirement: str) -> list[CheckResult]:
        """The results for one requirement id (several checks may share an id)."""
        return [r for r in self.checks if r.requirement == requirement]


def build_evidence(
    token: object, resolver: DidResolver, *, at: datetime, expect: JwtEncoding | None = None
) -> JoseEvidence:
    """Decode ``token`` and resolve its key, without judging anything yet."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")  # harness fault, not vendor data
    text = token if isinstance(token, str) else ""
    try:
        parsed = parse_compact(token)
    except JwsParseError as exc:
        return JoseEvidence(token=text, at=at, parse_error=str(exc), expected_encoding=expect)
    encoding, kind = detect_encoding(parsed.header, parsed.payload)
    problems: tuple[str, ...] = ()
    if encoding is JwtEncoding.VCDM11:
        document = credential_from_v11(parsed.payload, kind)
    elif parsed.is_sd_jwt or "_sd" in parsed.payload:
        disclosed = apply_disclosures(dict(parsed.payload), parsed.disclosures)
        document, problems = strip_registered_claims(disclosed.document), tuple(disclosed.problems)
    else:
        document = strip_registered_claims(parsed.payload)
    signer = _signer(parsed.payload, document, kind)
    key: KeyResolution = resolve_signing_key(parsed.header, signer, resolver)
    return JoseEvidence(
        token=text, at=at, parsed=parsed, encoding=encoding, kind=kind, credential=document, key=key,
        expected_encoding=expect, disclosure_problems=problems, embedded=_embedded(document, kind),
    )


def verify_jwt(
    token: str, resolver: DidResolver, *, at: datetime, expect: JwtEncoding | None = None
) -> JwtVerification:
    """Verify a JWT (or SD-JWT) credential/presentation at instant ``at``.

    ``expect`` names the encoding the caller requires (e.g. a profile that claims OB 3.0 JWT);
    a different one fails VCDM-D3. Enveloped credentials inside a presentation are decoded
    (VCDM-25) but not verified here: call ``verify_jwt`` on each ``envelope.token`` for that.
    """
    return _run(build_evidence(token, resolver, at=at, expect=expect), jose_checks())


def build_cose_evidence(data: object, resolver: DidResolver, *, at: datetime) -> JoseEvidence:
    """Decode a COSE_Sign1 (bytes, or its base64 text) and resolve its key, judging nothing yet."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")  # harness fault, not vendor data
    text = data if isinstance(data, str) else ""
    try:
        cose = parse_cose_input(data)
    except CoseParseError as exc:
        return JoseEvidence(token=text, at=at, parse_error=str(exc), securing="cose", encoding=JwtEncoding.COSE)
    # what the payload is decides how it is judged; JC-07 then holds typ to it (a credential
    # typed vp+cose is a credential with a bad media type, not a presentation without a holder)
    kind = document_kind(cose.document)
    parsed = cose.to_jws()
    key = resolve_signing_key(parsed.header, _signer({}, cose.document, kind), resolver)
    return JoseEvidence(
        token=text, at=at, parsed=parsed, encoding=JwtEncoding.COSE, kind=kind, credential=cose.document,
        key=key, embedded=_embedded(cose.document, kind), securing="cose", cose=cose,
    )


def verify_cose(data: bytes | str, resolver: DidResolver, *, at: datetime) -> JwtVerification:
    """Verify a COSE_Sign1-secured credential/presentation (``application/vc+cose``/``vp+cose``).

    ``data`` is the COSE_Sign1 itself (bytes) or its base64 text (str), as the W3C suite and
    ``data:`` URLs carry it. As with ``verify_jwt``, enveloped credentials inside a presentation
    are decoded (VCDM-25) but verified only by the caller (``lerconf.verify.enveloped`` does it).
    """
    return _run(build_cose_evidence(data, resolver, at=at), cose_checks())


def _run(ev: JoseEvidence, checks: tuple[Callable[[JoseEvidence], CheckResult], ...]) -> JwtVerification:
    results: list[CheckResult] = []
    signature_valid = False
    for run in checks:
        result = run(ev)
        if run.__name__ == "jws_signature_verifies":
            signature_valid = result.status is Status.PASSED
        if ev.key is not None and ev.key.unreached and result.status is Status.FAILED and run.__name__ in _NEEDS_KEY:
            # lerconf got no answer for the key's controller document: could not check, not refuted
            result = could_not_check(result, result.message, ev.key.fix)
        results.append(result)
    return JwtVerification(
        encoding=ev.encoding, kind=ev.kind, header=ev.header, payload=ev.payload, credential=ev.credential,
        key=ev.key.method if ev.key else None, checks=results, signature_valid=signature_valid, evidence=ev,
    )


#: the checks that need the resolved key (or its controller document) to reach a verdict
_NEEDS_KEY = frozenset({"jws_signature_verifies", "signing_key_belongs_to_issuer"})


def _signer(payload: Mapping[str, Any], document: Mapping[str, Any], kind: str) -> str | None:
    """The identifier a relative kid is resolved against: iss, else the issuer/holder id."""
    if isinstance(payload.get("iss"), str):
        return str(payload["iss"])
    field_name = "holder" if kind == "presentation" else "issuer"
    value = document.get(field_name)
    value = value.get("id") if isinstance(value, Mapping) else value
    return value if isinstance(value, str) else None


def _embedded(document: Mapping[str, Any], kind: str) -> tuple[EnvelopedItem, ...]:
    if kind != "presentation":
        return ()
    vcs = document.get("verifiableCredential", [])
    vcs = vcs if isinstance(vcs, list) else [vcs]
    items = []
    for index, vc in enumerate(vcs):
        if not is_enveloped(vc):
            items.append(EnvelopedItem(index, enveloped=False))
            continue
        try:
            envelope = decode_enveloped(vc)
        except EnvelopeError as exc:
            items.append(EnvelopedItem(index, True, error=str(exc)))
            continue
        if envelope.securing == "cose":
            try:
                items.append(EnvelopedItem(index, True, envelope, None, parse_cose_sign1(envelope.content)))
            except CoseParseError as exc:
                items.append(EnvelopedItem(index, True, envelope, f"{envelope.media_type}: {exc}"))
            continue
        try:
            inner = parse_compact(envelope.token, allow_sd_jwt=envelope.securing == "sd-jwt")
        except JwsParseError as exc:
            items.append(EnvelopedItem(index, True, envelope, f"{envelope.media_type}: {exc}"))
            continue
        items.append(EnvelopedItem(index, True, envelope, None, inner))
    return tuple(items)
