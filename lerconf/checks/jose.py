"""JOSE/JWT/COSE checks: VC-JOSE-COSE (JC-*), VCDM 1.1 VC-JWT (JWT11-*), Open Badges 3.0 VC-JWT (OB-*).

Every check takes one ``JoseEvidence`` (built by ``lerconf.crypto.jose.verify_jwt``) and says
``not_applicable`` for encodings it does not govern, naming the encoding it expects.
"""
from __future__ import annotations

from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed, warning
from lerconf.crypto.jose.algorithms import (
    SIGNATURE_ALGORITHMS,
    is_forbidden,
    key_mismatch,
    verify_signature,
)
from lerconf.crypto.jose.cose import (
    ALG,
    CONTENT_TYPE,
    CONTENT_TYPES,
    COSE_TYPES,
    CRIT,
    TYP,
    UNDERSTOOD_LABELS,
)
from lerconf.crypto.jose.encodings import (
    V1_CONTEXT,
    V2_CONTEXT,
    JwtEncoding,
    numeric_date,
    subject_ids,
)
from lerconf.crypto.jose.evidence import JoseEvidence
from lerconf.results import Category

NOT_PARSED = "the token did not decode, so nothing else can be assessed"


# -- parsing and signature -------------------------------------------------------------------
@check("JC-09", Category.PARSE)
def jws_is_compact_serialization(ev: JoseEvidence) -> Verdict:
    """Verifies the JWS per RFC 7515 and supports compact serialization (the input must decode; for COSE, a COSE_Sign1 per RFC 9052)."""
    cose = ev.securing == "cose"
    if ev.parsed is None:
        what, code = ("COSE_Sign1 with a JSON payload", "MALFORMED_COSE") if cose else ("compact JWS", "MALFORMED_JWS")
        return failed(f"not a decodable {what}: {ev.parse_error}", error=code)
    what = "COSE_Sign1 with a JSON payload" if cose else "compact JWS with JSON header and payload"
    return passed(what, alg=ev.header.get("alg"), typ=ev.header.get("typ"))


@check("JC-05", Category.PROOF)
def alg_is_not_none(ev: JoseEvidence) -> Verdict:
    """alg is never none (all parties MUST understand its effect); HMAC algorithms are refused too."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    alg = ev.header.get("alg")
    if is_forbidden(alg):
        return failed(f"alg {alg!r} gives no issuer signature (none or a shared-secret MAC)", error="FORBIDDEN_ALG", alg=alg)
    if alg not in SIGNATURE_ALGORITHMS:
        return failed(f"alg {alg!r} is not a supported asymmetric signature algorithm", error="UNSUPPORTED_ALG", alg=alg)
    return passed(f"alg {alg} is an asymmetric signature", alg=alg)


@check("JC-09", Category.PROOF)
def jws_signature_verifies(ev: JoseEvidence) -> Verdict:
    """Verifies the JWS per RFC 7515 and ignores claim sets without integrity protection."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    alg = ev.header.get("alg")
    if is_forbidden(alg):
        return failed(f"alg {alg!r} cannot be verified as a signature", error="FORBIDDEN_ALG", alg=alg)
    key = ev.key.public_key if ev.key else None
    if key is None:
        reason = ev.key.error if ev.key else "no key resolution was attempted"
        return failed(f"no verification key: {reason}", error="KEY_NOT_RESOLVED")
    mismatch = key_mismatch(str(alg), key)
    if mismatch:
        return failed(mismatch, error="ALG_KEY_MISMATCH", alg=alg)
    if not verify_signature(str(alg), key, ev.parsed.signing_input, ev.parsed.signature):
        return failed(f"{alg} signature does not verify with the resolved key", error="INVALID_SIGNATURE",
                      key=_key_name(ev))
    return passed(f"{alg} signature verifies", key=_key_name(ev))


@check("JC-09", Category.PROOF)
def sd_jwt_disclosures_are_signed(ev: JoseEvidence) -> Verdict:
    """Ignores claim sets without integrity protection (every SD-JWT disclosure is digested in the signed payload)."""
    if ev.parsed is None or not ev.parsed.is_sd_jwt:
        return not_applicable("not an SD-JWT")
    if ev.disclosure_problems:
        return failed("; ".join(ev.disclosure_problems), error="INVALID_DISCLOSURE")
    return passed(f"{len(ev.parsed.disclosures)} disclosure(s) match signed digests")


def _key_name(ev: JoseEvidence) -> str:
    if ev.key and ev.key.method:
        return ev.key.method.method.id
    return f"embedded {ev.key.source if ev.key else 'none'} key"


@check("JC-04", Category.ISSUER_BINDING)
def signing_key_belongs_to_issuer(ev: JoseEvidence) -> Verdict:
    """kid MUST be present when the key is identified by a DID URL, and resolves to a key the issuer controls.

    OB 3.0 (JSON Web Token Proof Format, Create the JOSE Header): without kid the public key MUST
    be in jwk; such a key is the issuer's when the issuer's DID document (or the key URL the JWK
    names) lists the same public key, under assertionMethod for a credential.
    """
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    signer = ev.signer_id or (ev.payload.get("iss") if isinstance(ev.payload.get("iss"), str) else None)
    role = "holder" if ev.kind == "presentation" else "issuer"
    res = ev.key
    if res is None or (res.method is None and res.embedded_key is None):
        error = res.error if res else "no key resolution was attempted"
        return failed(f"signing key not resolved: {error}", error=(res.error_code if res else None) or "KEY_NOT_RESOLVED")
    if ev.is_vc_jose_cose and res.source == "iss":
        return failed("no kid: VC-JOSE-COSE requires kid when the key is identified by a DID URL", error="MISSING_KID")
    if not signer:
        return failed(f"the document names no {role}, so the key cannot be bound to one", error="NO_SIGNER")
    if res.method is None:
        # an embedded jwk (OB 3.0 lets it stand in for kid) is bound only through the signer's
        # controller document or the key URL the JWK names; keyresolve found neither
        jwk = ev.header.get("jwk")
        why = f": {res.error}" if res.error else ""
        return failed(f"embedded jwk is not bound to {role} {signer}{why}", error="KEY_NOT_BOUND",
                      jwk_kty=(jwk or {}).get("kty") if isinstance(jwk, dict) else None)
    method = res.method
    if method.method.controller != signer:
        return failed(
            f"key {method.method.id} is controlled by {method.method.controller}, not the {role} {signer}",
            error="KEY_NOT_CONTROLLED_BY_ISSUER", key=method.method.id,
        )
    needed = {"assertionMethod"} if ev.kind == "credential" else {"authentication", "assertionMethod"}
    if not needed & method.relationships:
        return failed(f"{method.method.id} is not listed under {' or '.join(sorted(needed))} by its controller",
                      error="INVALID_PROOF_PURPOSE_FOR_VERIFICATION_METHOD")
    return passed(f"key {method.method.id} is controlled by the {role}", key=method.method.id)


# -- VC-JOSE-COSE ------------------------------------------------------------------------------
@check("JC-01", Category.JOSE_CLAIMS)
def jose_credential_is_typed_vc_jwt(ev: JoseEvidence) -> Verdict:
    """A JOSE-secured VC is a compact JWS of media type application/vc+jwt; typ SHOULD be vc+jwt and cty, if present, SHOULD be vc."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    if ev.encoding not in (JwtEncoding.JOSE, JwtEncoding.SD_JWT, JwtEncoding.UNKNOWN):
        return not_applicable(f"{ev.encoding.value} is not a JOSE/SD-JWT VC-JOSE-COSE encoding (COSE is JC-07)")
    typ, cty = ev.header.get("typ"), ev.header.get("cty")
    if ev.encoding is JwtEncoding.UNKNOWN:
        return failed(f"typ {typ!r} names no credential media type (expected vc+jwt or vp+jwt)", error="BAD_MEDIA_TYPE", typ=typ)
    short = "vp" if ev.kind == "presentation" else "vc"
    if cty is not None and cty not in (short, f"application/{short}"):
        return warning(f"cty {cty!r} SHOULD be {short!r}", error="BAD_CONTENT_TYPE", cty=cty)
    return passed(f"typ {typ}", typ=typ, cty=cty)


@check("JC-07", Category.JOSE_CLAIMS)
def cose_credential_is_typed_vc_cose(ev: JoseEvidence) -> Verdict:
    """COSE: COSE_Sign1, typ application/vc+cose, content type application/vc (vp+cose / application/vp for a presentation)."""
    if ev.cose is None:
        return not_applicable(NOT_PARSED if ev.securing == "cose" else f"{ev.encoding.value} is not COSE-secured")
    cose, short = ev.cose, "vp" if ev.kind == "presentation" else "vc"
    typ, cty = cose.param(TYP), cose.param(CONTENT_TYPE)
    if ALG not in cose.protected:
        return failed("alg is not in the protected header, so the signature does not cover it", error="ALG_NOT_PROTECTED")
    crit = cose.protected.get(CRIT, [])
    unknown = [c for c in crit if not isinstance(c, int) or c not in UNDERSTOOD_LABELS] if isinstance(crit, list) else [crit]
    if unknown:
        return failed(f"crit names header label(s) lerconf does not understand: {unknown}", error="UNKNOWN_CRITICAL_HEADER")
    if typ is not None and (not isinstance(typ, str) or COSE_TYPES.get(typ) != ev.kind):
        return failed(f"typ {typ!r} is not application/{short}+cose", error="BAD_MEDIA_TYPE", typ=typ)
    if typ is None:
        return warning(f"typ (16) is absent; it SHOULD be application/{short}+cose", error="MISSING_TYP")
    if cty is not None and cty != CONTENT_TYPES[ev.kind]:
        return warning(f"content type {cty!r} SHOULD be {CONTENT_TYPES[ev.kind]!r}", error="BAD_CONTENT_TYPE", cty=cty)
    return passed(f"COSE_Sign1 typ {typ}", typ=typ, cty=cty, tagged=cose.tagged)


@check("JC-02", Category.JOSE_CLAIMS)
def jose_payload_has_no_vc_or_vp_claim(ev: JoseEvidence) -> Verdict:
    """The JWT payload is the VCDM 2.0 credential; the vc and vp claims MUST NOT be present."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    if not ev.is_jose:
        return not_applicable(f"{ev.encoding.value} is not VC-JOSE-COSE")
    present = [c for c in ("vc", "vp") if c in ev.payload]
    if present:
        return failed(f"payload carries forbidden claim(s) {', '.join(present)}", error="FORBIDDEN_CLAIM", claims=present)
    return passed("payload is the document itself, no vc/vp claim")


@check("JC-03", Category.JOSE_CLAIMS)
def jwt_iss_matches_issuer(ev: JoseEvidence) -> Verdict:
    """iss, if present, equals issuer (or issuer.id); claims SHOULD NOT conflict with jti/id or sub/credentialSubject.id."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    if not ev.is_jose:
        return not_applicable(f"{ev.encoding.value} is not VC-JOSE-COSE")
    p, doc = ev.payload, ev.credential or {}
    if "iss" in p and p["iss"] != ev.signer_id:
        role = "holder" if ev.kind == "presentation" else "issuer"
        return failed(f"iss {p['iss']!r} differs from {role} {ev.signer_id!r}", error="ISS_MISMATCH")
    conflicts = []
    if "jti" in p and "id" in doc and p["jti"] != doc["id"]:
        conflicts.append(f"jti {p['jti']!r} != id {doc['id']!r}")
    if "sub" in p and ev.kind == "credential" and subject_ids(doc) and p["sub"] not in subject_ids(doc):
        conflicts.append(f"sub {p['sub']!r} is not a credentialSubject id")
    if conflicts:
        return warning("; ".join(conflicts), error="CLAIM_CONFLICT")
    if "nbf" in p:
        return warning("nbf is NOT RECOMMENDED for VC-JOSE-COSE (use validFrom)", error="NBF_PRESENT")
    return passed("registered claims agree with the document")


@check("JC-03", Category.JOSE_CLAIMS)
def jwt_validity_claims_are_current(ev: JoseEvidence) -> Verdict:
    """Registered claims are processed per RFC 7519: a token is not accepted after exp or before nbf."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    if not ev.is_jose:
        return not_applicable(f"{ev.encoding.value}: time claims are checked by its own requirement")
    return validity_window(ev.payload, ev)


def validity_window(p: Any, ev: JoseEvidence) -> Verdict:
    for claim in ("exp", "nbf"):
        if claim in p and numeric_date(p[claim]) is None:
            return failed(f"{claim} is not a NumericDate: {p[claim]!r}", error="BAD_NUMERIC_DATE")
    exp, nbf = numeric_date(p.get("exp")), numeric_date(p.get("nbf"))
    if exp is not None and exp <= ev.at:
        return failed(f"exp {exp.isoformat()} has passed at {ev.at.isoformat()}", error="EXPIRED")
    if nbf is not None and nbf > ev.at:
        return failed(f"nbf {nbf.isoformat()} is in the future at {ev.at.isoformat()}", error="NOT_YET_VALID")
    return passed("exp/nbf allow use now", at=ev.at.isoformat())


@check("JC-08", Category.STRUCTURE)
def jose_presentation_envelopes_credentials(ev: JoseEvidence) -> Verdict:
    """Contained VCs MUST be secured and embedded as EnvelopedVerifiableCredential."""
    if ev.parsed is None or not ev.is_vc_jose_cose or ev.kind != "presentation":
        return not_applicable("not a VC-JOSE-COSE presentation")
    bare = [item.index for item in ev.embedded if not item.enveloped]
    if bare:
        return failed(f"verifiableCredential entries {bare} are not enveloped", error="NOT_ENVELOPED")
    return passed(f"{len(ev.embedded)} enveloped credential(s)")


@check("VCDM-25", Category.PARSE)
def enveloped_credentials_decode(ev: JoseEvidence) -> Verdict:
    """EnvelopedVerifiableCredential: id is a data: URL carrying the secured VC, type is EnvelopedVerifiableCredential."""
    items = [item for item in ev.embedded if item.enveloped]
    if ev.parsed is None or not items:
        return not_applicable("no enveloped credentials in this document")
    bad = [f"#{item.index}: {item.error}" for item in items if item.error]
    if bad:
        return failed("enveloped credential(s) do not decode: " + "; ".join(bad), error="BAD_ENVELOPE")
    return passed(f"{len(items)} enveloped credential(s) decode", media_types=[i.envelope.media_type for i in items if i.envelope])


@check("VCDM-D3", Category.JOSE_CLAIMS)
def jwt_encoding_follows_data_model(ev: JoseEvidence) -> Verdict:
    """v1.1 VC-JWT carries a vc claim; v2.0 moved JWT securing to VC-JOSE-COSE, which forbids vc/vp."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    if ev.expected_encoding and ev.encoding is not ev.expected_encoding:
        return failed(f"expected {ev.expected_encoding.value}, token is {ev.encoding.value}", error="WRONG_ENCODING")
    ctx = (ev.credential or {}).get("@context")
    first = ctx[0] if isinstance(ctx, list) and ctx else ctx
    if ev.encoding is JwtEncoding.VCDM11 and first == V2_CONTEXT:
        return failed("a VCDM 2.0 document inside a 1.1 vc/vp claim", error="V2_IN_VC_CLAIM")
    if ev.is_vc_jose_cose and first == V1_CONTEXT:
        return failed("VC-JOSE-COSE secures VCDM 2.0 only; this is a 1.1 document", error="V1_IN_JOSE")
    if ev.encoding is JwtEncoding.OB30 and first == V1_CONTEXT:
        return warning("OB 3.0 JWT encoding of a 1.1 document: valid for OB 3.0, not a VCDM 1.1 VC-JWT",
                       error="V1_WITHOUT_VC_CLAIM")
    return passed(f"{ev.encoding.value} fits a document whose base context is {first}")




