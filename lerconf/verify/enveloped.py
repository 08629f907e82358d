"""JWT- and COSE-secured documents in the verification engine: compact JWTs, COSE_Sign1 and
enveloped credentials.

The JOSE/COSE layer (lerconf.crypto.jose) judges the envelope: signature, algorithm, key binding and
the typing rules of its encoding. The credential inside then goes through the same content
stages as an embedded-proof credential (structure, contexts, dates, status, schema, format).
Credentials enveloped inside a presentation are verified by the presentation stage, which
hands each EnvelopedVerifiableCredential back to ``verify_enveloped``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.checks import parse
from lerconf.checks.dual_proof import embedded_proof_inside_jwt_verifies
from lerconf.crypto.jose.envelope import EnvelopeError, decode_enveloped
from lerconf.results import CheckResult
from lerconf.verify.jose import JwtVerification, verify_cose, verify_jwt
from lerconf.verify.refresh import refresh
from lerconf.verify.report import VerificationReport, VerifyOptions
from lerconf.verify.stages import CONTENT_STAGES, Verifying, stage_proofs


def verify_jwt_document(verifier: Verifying, token: str, source: str, options: VerifyOptions) -> VerificationReport:
    """Verify a compact JWT / SD-JWT, then its payload as a credential or presentation."""
    result = verify_jwt(token, verifier.resolver, at=options.at)
    return _report(verifier, result, "jwt", source, options)


def verify_cose_document(verifier: Verifying, data: bytes | str, source: str, options: VerifyOptions) -> VerificationReport:
    """Verify a COSE_Sign1 (bytes or base64 text), then its payload as a credential or presentation."""
    result = verify_cose(data, verifier.resolver, at=options.at)
    return _report(verifier, result, "cose", source, options)


def _report(
    verifier: Verifying, result: JwtVerification, securing: str, source: str, options: VerifyOptions
) -> VerificationReport:
    kind = result.kind if result.credential is not None else securing
    report = VerificationReport(source, kind, result.credential, source_secured_by=securing)
    report.checks.extend(result.checks)
    if isinstance(result.credential, Mapping):
        refreshed = refresh(verifier, result.credential, options, report)  # OB 3.0 step 3, after the JWT's signature
        if refreshed is not None:
            return refreshed
        for stage in CONTENT_STAGES:
            stage(verifier, result.credential, options, report)
        if securing == "jwt" and result.credential.get("proof") and result.kind == "credential":
            report.checks.append(_embedded_proof(verifier, result.credential, options))
    return report


def _embedded_proof(verifier: Verifying, credential: Mapping[str, Any], options: VerifyOptions) -> CheckResult:
    """OB-15: a dual-proof badge's embedded Data Integrity proof, verified on the credential the JWT carries."""
    inner = VerificationReport("embedded proof", "credential", credential)
    stage_proofs(verifier, credential, options, inner)
    return embedded_proof_inside_jwt_verifies(inner.checks)


def verify_enveloped(verifier: Verifying, document: Mapping[str, Any], source: str, options: VerifyOptions) -> VerificationReport:
    """Verify an EnvelopedVerifiableCredential/Presentation by the token in its ``data:`` URL."""
    try:
        envelope = decode_enveloped(document)
    except EnvelopeError as exc:
        report = VerificationReport(source, "enveloped", document)
        report.checks.append(parse.input_is_parseable(f"enveloped credential cannot be decoded: {exc}"))
        return report
    if envelope.securing == "cose" and isinstance(envelope.content, bytes):
        return verify_cose_document(verifier, envelope.content, source, options)
    if envelope.securing != "jwt" or not isinstance(envelope.content, str):
        report = VerificationReport(source, "enveloped", document)
        report.checks.append(parse.input_is_parseable(
            f"enveloped {envelope.media_type} is not verified by lerconf yet (only vc+jwt/vp+jwt and vc+cose/vp+cose)"))
        return report
    return verify_jwt_document(verifier, envelope.content, source, options)
