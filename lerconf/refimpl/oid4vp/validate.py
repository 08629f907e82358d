"""How the reference verifier reads a response: opens a ``direct_post.jwt`` JWE, and validates
the vp_token (VP §8.6) — a Data Integrity presentation (``ldp_vc``: ``challenge`` = nonce,
``domain`` = the full client_id) or a VCDM 1.1 VP JWT (``jwt_vc_json``: ``nonce`` and ``aud``),
keyed by the DCQL id; in the pre-final draft mode, the presentation itself with a
``presentation_submission``. Every presentation and credential goes through lerconf's engine.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lerconf import entropy
from lerconf.crypto.encoding import b64url_decode
from lerconf.crypto.jose.compact import parse_compact
from lerconf.refimpl.oid4vp.store import QUERY_ID, PresentationTransaction, store_of
from lerconf.results import VERIFICATION_CATEGORIES, Status
from lerconf.verify.jose import verify_jwt
from lerconf.verify.report import VerifyOptions

if TYPE_CHECKING:
    from lerconf.refimpl.state import ReferenceState

__all__ = ["open_response", "validate_vp_token"]

OB3_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
#: how far a VP JWT's iat may be from now (seconds)
IAT_LEEWAY = 600


def _types(doc: Mapping[str, Any]) -> set[str]:
    value = doc.get("type")
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def open_response(state: ReferenceState, form: Mapping[str, str]) -> tuple[PresentationTransaction | None, dict[str, Any], str | None]:
    """(transaction, response parameters, problem) of a posted form.

    ``direct_post``: the form itself. ``direct_post.jwt``: the ``response`` JWE, found by its
    ``kid`` (each transaction has its own key) and decrypted; a transaction that asked for an
    encrypted response refuses a plain one (``store.accepts_plain``).
    """
    store = store_of(state)
    if "response" not in form:
        txn = store.by_state(form.get("state", ""))
        if txn is not None and txn.options.response_mode == "direct_post.jwt" and not store.accepts_plain(txn):
            return txn, {}, "this request asked for response_mode direct_post.jwt: the response must be an encrypted JWE"
        return txn, dict(form), None
    from joserfc import jwe
    from joserfc.errors import JoseError

    token = form["response"]
    try:
        header = _jwe_header(token)
    except (ValueError, JoseError):
        return None, {}, "the response parameter is not a compact JWE"
    txn = store.by_kid(str(header.get("kid", "")))
    if txn is None:
        return None, {}, "the response JWE names no encryption key of this verifier (kid)"
    if header.get("alg") != "ECDH-ES" or header.get("enc") not in ("A128GCM", "A256GCM"):
        return txn, {}, f"the response JWE uses alg {header.get('alg')!r} / enc {header.get('enc')!r}, not offered"
    try:
        plaintext = jwe.decrypt_compact(token, txn.encryption_key).plaintext
        params = json.loads(plaintext or b"")
    except (ValueError, JoseError) as exc:
        return txn, {}, f"the response JWE does not decrypt with the key of its kid ({type(exc).__name__})"
    if not isinstance(params, dict):
        return txn, {}, "the decrypted response is not a JSON object"
    if params.get("state") != txn.state:
        return txn, {}, "the decrypted response's state is not the state of the request its key belongs to"
    return txn, params, None


def _jwe_header(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 5:
        raise ValueError("not a compact JWE")
    header = json.loads(b64url_decode(parts[0]))
    if not isinstance(header, dict):
        raise ValueError("header is not an object")
    return header


def validate_vp_token(state: ReferenceState, txn: PresentationTransaction, raw: Any,
                      submission: Any = None) -> list[str]:
    """Why ``raw`` (the vp_token: form text, or the decrypted JSON) does not answer ``txn``; empty
    when it does (VP §8.6). ``submission``: the draft mode's presentation_submission."""
    if txn.options.draft:
        return _validate_draft(state, txn, raw, submission)
    if isinstance(raw, str):
        try:
            token = json.loads(raw)
        except ValueError:
            return ["vp_token is not JSON"]
    else:
        token = raw
    if not isinstance(token, dict):
        return ["vp_token is not a JSON object keyed by DCQL credential query ids"]
    unknown = set(token) - {QUERY_ID}
    if unknown:
        return [f"vp_token has unknown credential query id(s) {sorted(unknown)}"]
    presentations = token.get(QUERY_ID)
    if not isinstance(presentations, list) or len(presentations) != 1:
        return [f"vp_token[{QUERY_ID!r}] must be an array with one presentation"]
    return _presentation(state, txn, presentations[0], txn.options.format)


def _presentation(state: ReferenceState, txn: PresentationTransaction, vp: Any, fmt: str) -> list[str]:
    if fmt == "unsupported":
        return ["this request asked for an mso_mdoc credential, which the reference does not verify"]
    if fmt == "jwt_vc_json":
        if not isinstance(vp, str):
            return ["jwt_vc_json was asked for: the presentation must be a VP JWT (a compact JWS string)"]
        return _jwt_presentation(state, txn, vp)
    if not isinstance(vp, dict) or "VerifiablePresentation" not in _types(vp):
        return [("the presentation is not a VerifiablePresentation: holder binding is required "
                 "(require_cryptographic_holder_binding defaults to true)")]
    if not vp.get("proof"):
        return ["the presentation has no proof: holder binding is required"]
    options = VerifyOptions(challenge=txn.nonce, domain=txn.client_id, status_list_minimum=state.status_list_minimum)
    report = state.verifier.verify_document(vp, f"vp_token.{QUERY_ID}[0]", options)
    errors = [f"{source}: {r.requirement}: {r.message}" for source, r in report.blocking_failures()]
    credentials = vp.get("verifiableCredential")
    credentials = credentials if isinstance(credentials, list) else [credentials]
    if not any(isinstance(c, dict) and _types(c) & OB3_TYPES for c in credentials):
        errors.append("no presented credential is an OpenBadgeCredential (the DCQL type_values)")
    return errors


def _jwt_presentation(state: ReferenceState, txn: PresentationTransaction, token: str) -> list[str]:
    """A VCDM 1.1 VP JWT: signature and holder key, nonce and aud, then each credential JWT."""
    source = f"vp_token.{QUERY_ID}[0]"
    now = entropy.utc_now()
    result = verify_jwt(token, state.verifier.resolver, at=now)
    if result.kind != "presentation":
        return [f"{source}: the JWT is not a presentation (no vp claim)"]
    errors = [f"{source}: {r.requirement}: {r.message}" for r in result.checks
              if r.status is Status.FAILED and r.category in VERIFICATION_CATEGORIES]
    if not result.signature_valid and not errors:
        errors.append(f"{source}: the VP JWT's signature does not verify")
    payload = result.payload
    errors += [f"{source}: {p}" for p in store_of(state).binding_problems(txn, payload.get("nonce"), payload.get("aud"))]
    iat = payload.get("iat")
    if isinstance(iat, (int, float)) and not isinstance(iat, bool) and abs(now.timestamp() - iat) > IAT_LEEWAY:
        errors.append(f"{source}: the VP JWT's iat is more than {IAT_LEEWAY} s from now")
    vp = payload.get("vp")
    credentials = vp.get("verifiableCredential") if isinstance(vp, Mapping) else None
    credentials = credentials if isinstance(credentials, list) else [credentials]
    ob3 = False
    for i, credential in enumerate(credentials):
        where = f"{source}#verifiableCredential[{i}]"
        if not isinstance(credential, str):
            errors.append(f"{where}: a jwt_vc_json presentation carries credential JWTs, not {type(credential).__name__}")
            continue
        report = state.verifier.verify_jwt(credential, where, VerifyOptions(status_list_minimum=state.status_list_minimum))
        errors += [f"{s}: {r.requirement}: {r.message}" for s, r in report.blocking_failures()]
        try:
            inner = parse_compact(credential).payload
        except ValueError:
            continue
        vc_claim = inner.get("vc")
        vc = vc_claim if isinstance(vc_claim, Mapping) else inner
        ob3 = ob3 or bool(_types(vc) & OB3_TYPES)
    if not ob3:
        errors.append("no presented credential is an OpenBadgeCredential (the DCQL type_values)")
    return errors


def _validate_draft(state: ReferenceState, txn: PresentationTransaction, raw: Any, submission: Any) -> list[str]:
    """Pre-final drafts: vp_token is the presentation itself, described by a presentation_submission."""
    if isinstance(submission, str):
        try:
            submission = json.loads(submission)
        except ValueError:
            return ["presentation_submission is not JSON"]
    if not isinstance(submission, Mapping):
        return ["the draft mode needs a presentation_submission describing the vp_token"]
    if submission.get("definition_id") != QUERY_ID:
        return [f"presentation_submission.definition_id is {submission.get('definition_id')!r}, not {QUERY_ID!r}"]
    entries = submission.get("descriptor_map")
    entry = next((e for e in entries if isinstance(e, Mapping) and e.get("id") == QUERY_ID), None) \
        if isinstance(entries, list) else None
    if entry is None or entry.get("path") != "$":
        return [f"presentation_submission.descriptor_map has no entry {QUERY_ID!r} with path '$'"]
    vp: Any = raw
    if isinstance(raw, str) and raw.lstrip().startswith(("{", "[")):
        try:
            vp = json.loads(raw)
        except ValueError:
            return ["vp_token is not JSON"]
    fmt = "jwt_vc_json" if entry.get("format") in ("jwt_vp", "jwt_vp_json") else "ldp_vc"
    if fmt != txn.options.format:
        return [f"the descriptor's format {entry.get('format')!r} is not the one asked for"]
    return _presentation(state, txn, vp, fmt)
