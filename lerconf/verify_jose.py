"""JWT-secured documents in the verification engine: compact JWTs and enveloped credentials.

The JOSE layer (lerconf.jose) judges the envelope: signature, algorithm, key binding and the
claims of the JWT encoding. The credential inside then goes through the same content stages
as an embedded-proof credential (structure, contexts, dates, status, schema, format).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from lerconf.checks import parse
from lerconf.jose import EnvelopeError, decode_enveloped, verify_jwt

if TYPE_CHECKING:
    from lerconf.verify import VerificationReport, Verifier, VerifyOptions


def verify_jwt_document(verifier: "Verifier", token: str, source: str, options: "VerifyOptions") -> "VerificationReport":
    from lerconf.verify import CONTENT_STAGES, VerificationReport

    result = verify_jwt(token, verifier.resolver, at=options.at)
    kind = result.kind if result.credential is not None else "jwt"
    report = VerificationReport(source, kind, result.credential, source_secured_by="jwt")
    report.checks.extend(result.checks)
    if isinstance(result.credential, Mapping):
        for stage in CONTENT_STAGES:
            stage(verifier, result.credential, options, report)
        for i, item in enumerate(result.evidence.enveloped if hasattr(result.evidence, "enveloped") else ()):
            envelope = getattr(item, "envelope", None)
            token_text = getattr(envelope, "content", None) if envelope is not None else None
            if isinstance(token_text, str) and getattr(envelope, "securing", "") == "jwt":
                report.nested.append(verify_jwt_document(verifier, token_text, f"{source}#verifiableCredential[{i}]", options))
    return report


def verify_enveloped(verifier: "Verifier", document: Mapping[str, Any], source: str, options: "VerifyOptions") -> "VerificationReport":
    from lerconf.verify import VerificationReport

    try:
        envelope = decode_enveloped(document)
    except EnvelopeError as exc:
        report = VerificationReport(source, "enveloped", document)
        report.checks.append(parse.input_is_parseable(f"enveloped credential cannot be decoded: {exc}"))
        return report
    if envelope.securing != "jwt" or not isinstance(envelope.content, str):
        report = VerificationReport(source, "enveloped", document)
        report.checks.append(parse.input_is_parseable(
            f"enveloped {envelope.media_type} is not verified by lerconf yet (only JOSE vc+jwt/vp+jwt)"))
        return report
    return verify_jwt_document(verifier, envelope.content, source, options)
