"""OID4VCI 1.0 issuer checks (lerconf plays the wallet): metadata, offers, token, nonce,
credential endpoint. One function per requirement id; each judges what the wire showed.

A check here never decides "broken": the flow (lerconf.scenarios.oid4vci_issuer) turns 5xx, timeouts and
unreadable answers into a broken scenario before a check sees them. Error codes the spec lists
are graded as warnings when the refusal itself was right (pitfall "error-code strictness"), by the
one reason rule of lerconf.checks.refusal_reason (another code, or none, is a warning).
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed, warning
from lerconf.checks.refusal_reason import Reason, judge_reason
from lerconf.crypto.jose.compact import JwsParseError, parse_compact
from lerconf.crypto.keys import PublicKey
from lerconf.outcome import Outcome
from lerconf.protocol.key_proof import key_of_did
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT, Answer, Metadata, Offer
from lerconf.results import Category, Status

OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")
VC_CONTEXTS = ("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1")
OB_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"


def _https_or_loopback(url: Any) -> bool:
    """https, or http on a loopback host (lerconf's own test deployments; reported in details)."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    if parts.scheme == "https":
        return True
    try:
        return parts.scheme == "http" and (parts.hostname == "localhost" or ipaddress.ip_address(parts.hostname or "").is_loopback)
    except ValueError:
        return False


def _error_verdict(answer: Answer, codes: Iterable[str], what: str, status: int = 400) -> Verdict:
    """A refusal with ``status`` and one of ``codes``: accepted fails, another 4xx code warns."""
    codes = tuple(codes)
    if answer.outcome is Outcome.ACCEPTED:
        return failed(f"{what} was accepted (HTTP {answer.exchange.status}); it must be refused with {' or '.join(codes)}")
    if answer.exchange.status != status:
        return failed(f"{what} was answered HTTP {answer.exchange.status}, not {status}", expected=codes)
    judged = judge_reason(answer.exchange.status, answer.body, codes)  # the one rule (lerconf.checks.refusal_reason)
    if judged.reason is not Reason.MATCHES:
        return warning(f"{what} was {judged.message}", error_code=answer.error, refusal_reason=judged.reason.value)
    return passed(f"{what} was refused with {answer.error}", error_code=answer.error)


@check("VCI-01", Category.PROTOCOL)
def metadata_at_final_well_known_path(metadata: Metadata, mode: str = "final") -> Verdict:
    """The Credential Issuer Metadata MUST be retrievable at /.well-known/openid-credential-issuer inserted between
    host and path of the Credential Issuer Identifier."""
    url = metadata.attempts[0].exchange.url if metadata.attempts else ""
    if mode == "draft13":  # draft 13 §11.2.2: appended to the identifier (draft-only result)
        if metadata.placement == "draft13":
            return passed(f"draft 13: metadata found at the appended path {url}", url=url, mode=mode)
        return failed(f"draft 13: no metadata at the appended path {url}"
                      + (" (found only at the 1.0 path)" if metadata.placement == "final" else ""), url=url, mode=mode)
    if metadata.placement == "final":
        ctype = metadata.answer.header("content-type") if metadata.answer else ""
        if "application/json" not in (ctype or ""):
            return failed(f"metadata at {url} is served as {ctype!r}, not application/json")
        return passed(f"metadata found at {url}", url=url)
    if metadata.placement == "draft13":
        return failed(f"no metadata at {url}; found only at the draft-13 path (appended to the issuer path)",
                      url=url, draft_url=metadata.attempts[-1].exchange.url)
    return failed(f"no metadata at {url}: {metadata.attempts[0].exchange.reason if metadata.attempts else 'not requested'}")


@check("VCI-02", Category.PROTOCOL)
def metadata_identifies_the_issuer(metadata: Metadata) -> Verdict:
    """credential_issuer MUST be identical to the Credential Issuer Identifier used to build the metadata URL;
    credential_endpoint is REQUIRED and endpoints use https."""
    doc = metadata.document or {}
    if doc.get("credential_issuer") != metadata.identifier:
        return failed(f"credential_issuer is {doc.get('credential_issuer')!r}, not the identifier {metadata.identifier!r}")
    if not isinstance(doc.get("credential_endpoint"), str):
        return failed("credential_endpoint is missing")
    names = ("credential_endpoint", "nonce_endpoint", "deferred_credential_endpoint", "notification_endpoint")
    bad = [n for n in names if n in doc and not _https_or_loopback(doc[n])]
    if bad:
        return failed(f"not https: {', '.join(bad)}", endpoints={n: doc[n] for n in bad})
    return passed("credential_issuer matches the identifier and endpoints are https (or loopback)",
                  credential_issuer=metadata.identifier)


@check("VCI-03", Category.PROTOCOL)
def configuration_follows_format_profile(metadata: Metadata, fmt: str) -> Verdict:
    """Each credential configuration MUST have a format and a credential_definition (type; @context for ldp_vc);
    binding methods imply proof_types_supported with signing algorithms."""
    found = [(cid, c) for cid, c in metadata.configurations.items() if isinstance(c, Mapping) and c.get("format") == fmt]
    if not found:
        return failed(f"no credential configuration with format {fmt}", configurations=list(metadata.configurations))
    for cid, c in found:
        definition = c.get("credential_definition")
        types = definition.get("type") if isinstance(definition, Mapping) else None
        if not isinstance(types, list) or not any(t in OB_TYPES for t in types):
            continue
        if fmt == "ldp_vc":
            ctx = definition.get("@context") if isinstance(definition, Mapping) else None
            if not isinstance(ctx, list) or not any(x in VC_CONTEXTS for x in ctx) or not any(
                    isinstance(x, str) and x.startswith(OB_CONTEXT_PREFIX) for x in ctx):
                return failed(f"{cid}: credential_definition.@context lacks the VC or OB 3.0 context", context=ctx)
        if "cryptographic_binding_methods_supported" in c:
            proofs = c.get("proof_types_supported")
            jwt = proofs.get("jwt") if isinstance(proofs, Mapping) else None
            algs = jwt.get("proof_signing_alg_values_supported") if isinstance(jwt, Mapping) else None
            if not isinstance(proofs, Mapping) or not proofs or (jwt is not None and not algs):
                return failed(f"{cid}: binding methods without proof_types_supported and signing algorithms")
        return passed(f"{cid} describes an OB 3.0 {fmt} credential", configuration=cid, type=types)
    return failed(f"no {fmt} configuration has an OB 3.0 credential_definition.type ({' or '.join(OB_TYPES)})")


@check("VCI-04", Category.PROTOCOL)
def authorization_server_supports_pre_authorized(answer: Answer, expected_issuer: str) -> Verdict:
    """The authorization server publishes RFC 8414 metadata with its token endpoint and the pre-authorized code grant."""
    doc = answer.body if isinstance(answer.body, Mapping) else {}
    if doc.get("issuer") != expected_issuer:
        return failed(f"issuer is {doc.get('issuer')!r}, not {expected_issuer!r}")
    if not isinstance(doc.get("token_endpoint"), str):
        return failed("token_endpoint is missing")
    grants = doc.get("grant_types_supported")
    if not isinstance(grants, list) or PRE_AUTHORIZED_GRANT not in grants:
        # RFC 8414 makes grant_types_supported optional: not advertising the grant is a warning, not a failure
        return warning("grant_types_supported does not list the pre-authorized code grant (RFC 8414 makes it "
                       "optional; wallets cannot discover the grant)", grant_types_supported=grants)
    return passed("RFC 8414 metadata lists the token endpoint and the pre-authorized code grant")


@check("VCI-04", Category.PROTOCOL)
def authorization_server_supports_authorization_code(answer: Answer, expected_issuer: str) -> Verdict:
    """The authorization server publishes RFC 8414 metadata with its authorization and token endpoints and response
    type code; not advertising PKCE S256 is a warning (RFC 9700 §2.1.1 recommends publishing
    code_challenge_methods_supported)."""
    doc = answer.body if isinstance(answer.body, Mapping) else {}
    if doc.get("issuer") != expected_issuer:
        return failed(f"issuer is {doc.get('issuer')!r}, not {expected_issuer!r}")
    missing = [n for n in ("authorization_endpoint", "token_endpoint") if not isinstance(doc.get(n), str)]
    if missing:
        return failed(f"{' and '.join(missing)} missing")
    grants = doc.get("grant_types_supported", ["authorization_code", "implicit"])  # RFC 8414 §2 default
    if not isinstance(grants, list) or "authorization_code" not in grants:
        return failed("grant_types_supported does not list authorization_code", grant_types_supported=grants)
    responses = doc.get("response_types_supported")
    if not isinstance(responses, list) or "code" not in responses:
        return failed("response_types_supported does not list code", response_types_supported=responses)
    methods = doc.get("code_challenge_methods_supported")
    if not isinstance(methods, list) or "S256" not in methods:  # RFC 9700 §2.1.1 recommends publishing it
        return warning("code_challenge_methods_supported does not list S256: PKCE support is not advertised "
                       "(the PKCE scenarios test the support itself)", code_challenge_methods_supported=methods)
    return passed("RFC 8414 metadata lists the authorization endpoint, response type code and PKCE S256",
                  code_challenge_methods_supported=methods)


@check("VCI-05", Category.PROTOCOL)
def offer_references_advertised_configurations(offer: Offer, metadata: Metadata) -> Verdict:
    """A credential offer MUST carry credential_issuer and a non-empty credential_configuration_ids whose values are
    keys of credential_configurations_supported."""
    doc = offer.document or {}
    if doc.get("credential_issuer") != metadata.identifier:
        return failed(f"offer names issuer {doc.get('credential_issuer')!r}, not {metadata.identifier!r}")
    ids = doc.get("credential_configuration_ids")
    if not isinstance(ids, list) or not ids or len(set(map(str, ids))) != len(ids):
        return failed("credential_configuration_ids is missing, empty or has duplicates", ids=ids)
    unknown = [i for i in ids if i not in metadata.configurations]
    if unknown:
        return failed(f"offer names configurations the metadata does not advertise: {unknown}")
    grants = doc.get("grants")
    if grants is not None and not isinstance(grants, Mapping):
        return failed("grants is not an object")
    return passed(f"offer ({offer.delivery}) references {ids}", delivery=offer.delivery)


@check("VCI-06", Category.PROTOCOL)
def offer_by_reference_resolves_to_json(offer: Offer) -> Verdict:
    """credential_offer_uri MUST be https and answer GET with the offer as application/json."""
    if offer.offer_uri is None or offer.resolved is None:
        return failed("the issuer delivered the offer by value although lerconf asked for it by reference")
    if not _https_or_loopback(offer.offer_uri):
        return failed(f"credential_offer_uri {offer.offer_uri} is not https")
    ctype = offer.resolved.header("content-type") or ""
    if "application/json" not in ctype or not isinstance(offer.resolved.body, Mapping):
        return failed(f"GET credential_offer_uri answered {ctype!r}, not a JSON offer object")
    return passed("credential_offer_uri resolves to a JSON offer")


@check("VCI-07", Category.PROTOCOL)
def pre_authorized_code_single_use(second: Answer) -> Verdict:
    """A pre-authorized code MUST be single-use: a second token request with it is refused (invalid_grant)."""
    return _error_verdict(second, ("invalid_grant",), "a second redemption of the pre-authorized code")


@check("VCI-08", Category.PROTOCOL)
def token_response_grants_access(answer: Answer) -> Verdict:
    """A valid pre-authorized token request yields 200 with access_token and token_type (Cache-Control: no-store)."""
    body = answer.body if isinstance(answer.body, Mapping) else {}
    if answer.outcome is not Outcome.ACCEPTED:
        return failed(f"the token request was refused: {answer.exchange.reason}")
    if not isinstance(body.get("access_token"), str) or not isinstance(body.get("token_type"), str):
        return failed("the token response lacks access_token or token_type", members=sorted(body))
    if "no-store" not in (answer.header("cache-control") or ""):
        return failed("the token response lacks Cache-Control: no-store (RFC 6749 §5.1)")
    return passed(f"access token of type {body['token_type']} issued")


@check("VCI-08", Category.PROTOCOL)
def authorization_response_returns_code(params: Mapping[str, str], sent_state: str, as_issuer: Any) -> Verdict:
    """lerconf's valid authorization request (PKCE S256, state) comes back with a ``code`` and the
    ``state`` lerconf sent (RFC 6749 §4.1.2) and, when the response names its issuer, the
    authorization server's own identifier (RFC 9207 ``iss``)."""
    if not params.get("code"):
        return failed(f"the authorization server refused a valid authorization request (error "
                      f"{params.get('error')!r}: {params.get('error_description')!r})")
    if params.get("state") != sent_state:
        return failed("the authorization response does not echo state (RFC 6749 §4.1.2)")
    issuer = params.get("iss")
    if issuer is not None and issuer != as_issuer:
        return failed(f"the authorization response's iss {issuer!r} is not the authorization server {as_issuer!r} "
                      "(RFC 9207)")
    return passed("the authorization response carries a code and the state lerconf sent"
                  + (", and names the authorization server (iss)" if issuer is not None else ""))


@check("VCI-09", Category.PROTOCOL)
def token_error_is_defined(answer: Answer, expected: str | tuple[str, ...], what: str) -> Verdict:
    """Token errors are 400 JSON: a missing or unexpected tx_code is invalid_request; a wrong tx_code, a used
    authorization code, a wrong or missing code_verifier (RFC 7636 §4.6) or another redirect_uri (RFC 6749 §4.1.3) is
    invalid_grant."""
    return _error_verdict(answer, (expected,) if isinstance(expected, str) else expected, what)


@check("VCI-10", Category.PROTOCOL)
def code_invalidated_after_guessing(answer: Answer, attempts: int) -> Verdict:
    """After repeated wrong tx_codes the pre-authorized code SHOULD be invalidated, so even the right tx_code fails."""
    return _error_verdict(answer, ("invalid_grant",), f"the right tx_code after {attempts} wrong ones")


@check("VCI-11", Category.PROTOCOL)
def nonce_is_fresh_and_uncacheable(first: Answer, second: Answer) -> Verdict:
    """The nonce endpoint answers an unauthenticated POST with a c_nonce and Cache-Control: no-store (MUSTs); a
    value repeated between two calls is a finding only (§7.2 does not say when a new one is due)."""
    values = []
    for answer in (first, second):
        body = answer.body if isinstance(answer.body, Mapping) else {}
        if not isinstance(body.get("c_nonce"), str) or not body["c_nonce"]:
            return failed("the nonce response has no c_nonce string")
        if "no-store" not in (answer.header("cache-control") or ""):
            return failed("the nonce response lacks Cache-Control: no-store", cache_control=answer.header("cache-control"))
        values.append(body["c_nonce"])
    if values[0] == values[1]:  # §7.2 leaves when to return a new challenge to the issuer: a finding, not a failure
        return warning("two nonce requests returned the same c_nonce: OpenID4VCI 1.0 §7.2 leaves when to issue a "
                       "new one to the issuer, but a repeated value lets a captured proof be replayed")
    if min(len(v) for v in values) < 16:
        return warning("c_nonce is shorter than 16 characters: it may be guessable", length=min(map(len, values)))
    return passed("fresh, uncacheable c_nonce values")


@check("VCI-12", Category.PROTOCOL)
def credential_endpoint_requires_token(answer: Answer, what: str) -> Verdict:
    """The credential endpoint MUST refuse a request without a valid access token, with a
    WWW-Authenticate challenge (RFC 6750 §3: MUST); the status SHOULD be 401 (RFC 6750 §3.1)."""
    if answer.outcome is Outcome.ACCEPTED:
        return failed(f"a credential request with {what} was accepted")
    if not (answer.header("www-authenticate") or "").lower().startswith(("bearer", "dpop")):
        return failed(f"a credential request with {what} was refused (HTTP {answer.exchange.status}) without a "
                      "WWW-Authenticate challenge: RFC 6750 §3 says the resource server MUST include it")
    if answer.exchange.status != 401:
        return warning(f"a credential request with {what} was answered HTTP {answer.exchange.status}; "
                       "RFC 6750 §3.1 says invalid_token SHOULD be answered 401")
    return passed(f"a credential request with {what} was refused with 401 and a WWW-Authenticate challenge")


@check("VCI-13", Category.PROTOCOL)
def proof_required(answer: Answer) -> Verdict:
    """proofs is REQUIRED when the configuration has proof_types_supported: a request without it gets invalid_proof."""
    return _error_verdict(answer, ("invalid_proof",), "a credential request without proofs")


@check("VCI-14", Category.PROTOCOL)
def credential_response_shape(answer: Answer, fmt: str, mode: str = "final") -> Verdict:
    """The credential response is 200 {credentials: [{credential}]}; ldp_vc is a JSON object, jwt_vc_json a compact JWT string."""
    body = answer.body if isinstance(answer.body, Mapping) else {}
    if answer.outcome is not Outcome.ACCEPTED or answer.exchange.status != 200:
        return failed(f"the credential request was answered {answer.exchange.reason}")
    if mode == "draft13":  # draft 13 §7.3: one credential in 'credential'
        if "credential" not in body or "credentials" in body:
            return failed("draft 13: the response has no single 'credential'", members=sorted(body))
        first = body["credential"]
    else:
        items = body.get("credentials")
        if "credential" in body or not isinstance(items, list) or not items:
            return failed("the response has no credentials array (draft form 'credential'?)", members=sorted(body))
        first = items[0].get("credential") if isinstance(items[0], Mapping) else None
    if fmt == "ldp_vc" and not isinstance(first, Mapping):
        return failed(f"the ldp_vc credential is a {type(first).__name__}, not a JSON object")
    if fmt == "jwt_vc_json":
        try:
            parse_compact(first, allow_sd_jwt=False)
        except JwsParseError as exc:
            return failed(f"the jwt_vc_json credential is not a compact JWT: {exc}")
    where = "credential" if mode == "draft13" else "credentials[0].credential"
    return passed(f"{fmt} credential delivered in {where}", mode=mode)


@check("VCI-14", Category.PROTOCOL)
def deferred_issuance_follows_protocol(first: Answer, polls: list[Answer], fmt: str) -> Verdict:
    """A deferred credential response is 202 {transaction_id, interval} without credentials; the deferred credential
    endpoint answers 202 {interval} while pending, then 200 {credentials} (§8.3, §9.2)."""
    body = first.body if isinstance(first.body, Mapping) else {}
    if first.exchange.status != 202:
        return failed(f"the credential request of a deferred offer was answered {first.exchange.reason}, not 202")
    interval = body.get("interval")
    if not isinstance(body.get("transaction_id"), str) or not isinstance(interval, (int, float)) or interval <= 0:
        return failed("the 202 answer lacks a transaction_id or a positive interval", members=sorted(body))
    if "credentials" in body:
        return failed("the 202 answer carries credentials")
    if not polls:
        return failed("lerconf could not poll the deferred credential endpoint")
    for answer in polls[:-1]:
        pending = answer.body if isinstance(answer.body, Mapping) else {}
        if answer.exchange.status != 202 or not isinstance(pending.get("interval"), (int, float)):
            return failed(f"a pending deferred request was answered {answer.exchange.reason}, not 202 with interval "
                          "(draft form: issuance_pending?)")
    last = polls[-1]
    if last.exchange.status == 202:
        return failed(f"the credential was still pending after {len(polls)} polls (options.deferred_timeout_s)")
    shape = credential_response_shape(last, fmt)
    if shape.status is not Status.PASSED:
        return failed(f"the deferred credential response: {shape.message}")
    return passed(f"202 with transaction_id and interval {interval}, then the {fmt} credential after {len(polls)} poll(s)",
                  polls=len(polls))


@check("VCI-14", Category.PROTOCOL)
def unknown_transaction_refused(answer: Answer) -> Verdict:
    """The deferred credential endpoint refuses an unknown or already redeemed transaction_id with invalid_transaction_id (§9.3)."""
    return _error_verdict(answer, ("invalid_transaction_id",), "a deferred credential request for an unknown transaction_id")


@check("VCI-15", Category.PROTOCOL)
def credential_error_is_defined(answer: Answer, expected: str | tuple[str, ...], what: str) -> Verdict:
    """Credential request errors are 400 JSON with error invalid_credential_request, unknown_credential_configuration,
    invalid_proof or invalid_nonce."""
    return _error_verdict(answer, (expected,) if isinstance(expected, str) else expected, what)


@check("LCI-01", Category.PROTOCOL)
def replayed_nonce_refused(answer: Answer, expected: tuple[str, ...]) -> Verdict:
    """lerconf's recommendation: a key proof's c_nonce is good for one credential request; the same
    proof sent again is refused with invalid_nonce. Not a MUST of OpenID4VCI 1.0 (§13.8 lets the
    issuer bound proofs by its nonce lifetime), so accepting it is a SHOULD-level finding."""
    return _error_verdict(answer, expected or ("invalid_nonce",), "a key proof replayed with a c_nonce already used")


@check("VCI-17", Category.PROTOCOL)
def di_vp_proof_accepted(answer: Answer, credential: Mapping[str, Any] | None, proof_key: PublicKey, holder_did: str) -> Verdict:
    """A di_vp key proof (a Data Integrity presentation, proofPurpose authentication, domain the issuer, challenge the
    c_nonce) is accepted where advertised, and the credential is bound to its key."""
    if answer.outcome is not Outcome.ACCEPTED:
        return failed(f"a valid di_vp key proof was refused: {answer.exchange.reason}")
    bound = credential_bound_to_proof_key(credential, proof_key, holder_did)
    if bound.status is not Status.PASSED:
        return failed(f"the di_vp proof was accepted but {bound.message}")
    return passed(f"the di_vp proof of {holder_did[:40]}… was accepted and the credential names its key")


@check("VCI-17", Category.PROTOCOL)
def di_vp_proof_refused(answer: Answer, expected: tuple[str, ...], what: str) -> Verdict:
    """A di_vp proof with another challenge than the c_nonce (invalid_nonce), another domain than the issuer, another
    purpose than authentication or a signature that does not verify (invalid_proof) is refused."""
    return _error_verdict(answer, expected, f"a di_vp key proof with {what}")


@check("VCI-16", Category.PROTOCOL)
def key_proof_refused(answer: Answer, what: str, *, age_bounded_by_nonce: bool = False) -> Verdict:
    """A key proof with a wrong typ, alg or aud, a private key, or a signature that does not verify
    MUST be refused (invalid_proof). An old ``iat`` is a defect only for an issuer that does not
    bound proof age with its own nonces: App. F.4 lets it check freshness "either [by] the issuance
    time, or a server managed timestamp via the nonce claim" (§13.8), so accepting an hour-old
    ``iat`` that carries a c_nonce it issued a moment earlier is conformant
    (``age_bounded_by_nonce``)."""
    if age_bounded_by_nonce and answer.outcome is Outcome.ACCEPTED:
        return passed(f"a key proof with {what} but a fresh c_nonce was accepted: the issuer bounds proof age by its "
                      "nonce (OID4VCI 1.0 App. F.4, §13.8), which the spec allows", age_bounded_by="c_nonce")
    return _error_verdict(answer, ("invalid_proof",), f"a key proof with {what}")


def _same_key(a: PublicKey, b: PublicKey) -> bool:
    return a.to_jwk() == b.to_jwk()


@check("VCI-18", Category.PROTOCOL)
def credential_bound_to_proof_key(document: Mapping[str, Any] | None, proof_key: PublicKey, holder_did: str) -> Verdict:
    """The issued credential is bound to the proven key: credentialSubject.id names it (did:jwk or did:key)."""
    if not isinstance(document, Mapping):
        return failed("no readable credential to check the binding of")
    subject = document.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    ids = [str(s["id"]) for s in subjects if isinstance(s, Mapping) and isinstance(s.get("id"), str)]
    if not ids:
        return failed("credentialSubject has no id: the credential is not bound to the wallet key")
    for sid in ids:
        key = key_of_did(sid)
        if key is not None and _same_key(key, proof_key):
            return passed(f"credentialSubject.id {sid[:40]}… names the proven key", subject=sid)
    return failed(f"credentialSubject.id {ids[0]!r} does not name the proven key {holder_did[:48]}…", subject=ids[0])


@check("VCI-19", Category.PROTOCOL)
def jwt_vc_json_uses_vc_claim(credential: Any) -> Verdict:
    """jwt_vc_json credentials follow VCDM 1.1: the credential is in the vc claim of the JWT."""
    if not isinstance(credential, str):
        return not_applicable("not a JWT credential")
    try:
        parsed = parse_compact(credential, allow_sd_jwt=False)
    except JwsParseError as exc:
        return failed(f"not a compact JWT: {exc}")
    if not isinstance(parsed.payload.get("vc"), Mapping):
        return failed("the JWT payload has no vc claim (VC-JOSE-COSE or OB 3.0 top-level encoding?)",
                      claims=sorted(parsed.payload))
    return passed("the credential is carried in the vc claim", typ=parsed.header.get("typ"))
