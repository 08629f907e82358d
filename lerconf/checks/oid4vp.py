"""OpenID for Verifiable Presentations 1.0, verifier side: what the verifier's authorization
request and its direct_post answer must look like (VP-01..04), and what its verdict on lerconf's
answers must be (VP-04..08, VP-12): judged from the verdict as lerconf observed it
(lerconf.protocol.vp_verdict.Observation). A scenario breaks before a verdict check runs when
there was no verdict to judge (lerconf.scenarios.oid4vp_requirements); a verdict check seeing
none says so as not applicable.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed, warning
from lerconf.outcome import Outcome
from lerconf.protocol.dcql import OB3_TYPE_IRIS
from lerconf.protocol.presentation_exchange import ob3_descriptor
from lerconf.protocol.vp_response import encryption_key
from lerconf.protocol.vp_verdict import Seen
from lerconf.protocol.x509_request import response_uri_problem
from lerconf.results import Category, Severity

if TYPE_CHECKING:
    from lerconf.exchange import Exchange
    from lerconf.protocol.request_object import RequestObject
    from lerconf.protocol.vp_verdict import Observation

PROTOCOL = Category.PROTOCOL
KNOWN_PREFIXES = ("redirect_uri", "decentralized_identifier", "x509_san_dns", "x509_hash", "verifier_attestation",
                  "openid_federation", "origin")
_URL_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")
W3C_FORMATS = ("ldp_vc", "jwt_vc_json")


@check("VP-01", PROTOCOL)
def request_has_required_parameters(params: Mapping[str, Any]) -> Verdict:
    """The Authorization Request has client_id (with a prefix), response_type=vp_token, a nonce,
    exactly one of dcql_query / scope, and response_mode."""
    problems = []
    client_id = params.get("client_id")
    if not isinstance(client_id, str) or not client_id:
        problems.append("no client_id")
    elif client_id.partition(":")[0] not in KNOWN_PREFIXES:
        problems.append(f"client_id {client_id!r} has no known Client Identifier Prefix")
    if params.get("response_type") != "vp_token":
        problems.append(f"response_type is {params.get('response_type')!r}, not 'vp_token'")
    if not isinstance(params.get("nonce"), str) or not params.get("nonce"):
        problems.append("no nonce")
    if ("dcql_query" in params) == ("scope" in params):
        problems.append("needs exactly one of dcql_query and scope")
    if "presentation_definition" in params:
        problems.append("carries presentation_definition (removed in 1.0: a draft-era request)")
    if params.get("response_mode") not in ("direct_post", "direct_post.jwt", "dc_api", "dc_api.jwt", "fragment", "query"):
        problems.append(f"response_mode {params.get('response_mode')!r} is missing or unknown")
    if problems:
        return failed("; ".join(problems), client_id=client_id)
    return passed("the request has client_id with a prefix, response_type=vp_token, a nonce, a DCQL query "
                  "and a response_mode", client_id=client_id, response_mode=params.get("response_mode"))


@check("VP-01", PROTOCOL)
def nonces_are_fresh(nonces: Sequence[str]) -> Verdict:
    """A fresh nonce for every request: two requests never share one."""
    repeated = [n for n, count in Counter(nonces).items() if count > 1]
    if len(nonces) < 2:
        return not_applicable("fewer than two requests to compare")
    if repeated:
        return failed(f"{len(repeated)} nonce value(s) were issued for more than one request", requests=len(nonces))
    return passed(f"{len(nonces)} requests, {len(nonces)} different nonces")


@check("VP-01", PROTOCOL, severity=Severity.SHOULD)
def nonce_has_enough_entropy(nonce: str) -> Verdict:
    """The nonce SHOULD carry at least 128 bits of entropy, in URL-safe characters."""
    if not _URL_SAFE.match(nonce or ""):
        return warning("the nonce uses characters outside the URL-safe set", length=len(nonce or ""))
    alphabet = len(set(nonce))
    bits = len(nonce) * math.log2(max(alphabet, 2)) if alphabet > 1 else 0.0
    bound = len(nonce) * 6  # base64url at most
    if min(bits, bound) < 128:
        return warning(f"the nonce is {len(nonce)} characters: at most {min(bits, bound):.0f} bits, below 128")
    return passed(f"the nonce is {len(nonce)} URL-safe characters (up to {min(bits, bound):.0f} bits)")


@check("VP-02", PROTOCOL)
def request_served_by_reference(delivered_by: str, obj: RequestObject | None) -> Verdict:
    """The verifier serves its request by reference: a Request Object the wallet fetches from request_uri."""
    if obj is None:
        return failed(f"the request came {delivered_by}, not as a request object from request_uri",
                      delivered_by=delivered_by)
    return passed("the request object was fetched from request_uri", delivered_by=delivered_by)


@check("VP-02", PROTOCOL)
def request_object_is_typed_and_signed(obj: RequestObject, signature_problem: str | None) -> Verdict:
    """A Request Object is a JWT with typ oauth-authz-req+jwt, signed as its client-id prefix requires."""
    if obj.header.get("typ") != "oauth-authz-req+jwt":
        return failed(f"typ is {obj.header.get('typ')!r}, not 'oauth-authz-req+jwt'", header=obj.header)
    if obj.content_type and obj.content_type != "application/oauth-authz-req+jwt":
        return failed(f"request_uri served Content-Type {obj.content_type!r}, not application/oauth-authz-req+jwt")
    client_id = str(obj.claims.get("client_id", ""))
    prefix = client_id.partition(":")[0]
    if prefix == "redirect_uri":
        if obj.signed:
            return failed("a request under the redirect_uri: prefix is signed; it cannot be (VP §5.9.3)")
        return passed("unsigned request object under the redirect_uri: prefix", client_id=client_id)
    if signature_problem:
        return failed(f"request object signature: {signature_problem}", client_id=client_id, header=obj.header)
    return passed(f"request object signed by a key of its {prefix}: client_id", client_id=client_id,
                  alg=obj.header.get("alg"), kid=obj.header.get("kid"))


@check("VP-02", PROTOCOL)
def invocation_client_id_matches(outer_client_id: str | None, object_client_id: str) -> Verdict:
    """The client_id the invocation (request URI) names next to request_uri is the request object's
    client_id (OID4VP 1.0 §5.10, RFC 9101 §5: a wallet must refuse a mismatch)."""
    if outer_client_id is None:
        return not_applicable("the invocation names no client_id next to request_uri")
    if outer_client_id != object_client_id:
        return failed(f"the invocation names client_id {outer_client_id!r}, the request object {object_client_id!r}")
    return passed("the invocation's client_id is the request object's", client_id=object_client_id)


#: the ``aud`` of a Request Object when the verifier used static discovery metadata (VP §5.8)
STATIC_DISCOVERY_AUDIENCE = "https://self-issued.me/v2"


@check("VP-02", PROTOCOL)
def request_object_audience(obj: RequestObject) -> Verdict:
    """A signed Request Object's ``aud`` is ``https://self-issued.me/v2``: lerconf's wallet sends no
    wallet metadata ``issuer`` (no dynamic discovery), so VP §5.8 leaves the static value, a MUST.
    An unsigned request object (redirect_uri:) carries nothing an audience would protect: not judged."""
    if not obj.signed:
        return not_applicable("an unsigned request object: its aud protects nothing")
    aud = obj.claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if STATIC_DISCOVERY_AUDIENCE in audiences:
        return passed(f"aud is {STATIC_DISCOVERY_AUDIENCE} (static discovery)")
    return failed(f"aud is {aud!r}: with static discovery (the wallet named no issuer) it must be "
                  f"{STATIC_DISCOVERY_AUDIENCE!r} (VP 1.0 §5.8)", aud=aud)


@check("VP-02", PROTOCOL, severity=Severity.SHOULD)
def response_uri_is_the_san_name(obj: RequestObject) -> Verdict:
    """Under ``x509_san_dns:`` the response_uri's host is the client identifier's DNS name (VP 1.0
    §5.9.3): a wallet that does not already trust the client_id MUST refuse another host, so a
    verifier that relies on being pre-trusted is flagged (a warning), not failed."""
    client_id = str(obj.claims.get("client_id", ""))
    if not client_id.startswith("x509_san_dns:"):
        return not_applicable("not an x509_san_dns: request")
    problem = response_uri_problem(client_id, obj.claims.get("response_uri"))
    if problem:
        return warning(f"{problem}: wallets that do not list this verifier will refuse the request")
    return passed("the response_uri's host is the certificate's DNS name")


@check("VP-02", PROTOCOL)
def wallet_nonce_echoed(sent: str | None, obj: RequestObject) -> Verdict:
    """When the wallet POSTed a ``wallet_nonce`` to request_uri, the Request Object carries it
    unchanged (VP 1.0 §5.10: the verifier MUST include it; it binds the object to this fetch)."""
    if sent is None:
        return not_applicable("the request object was fetched by GET: no wallet_nonce was sent")
    echoed = obj.claims.get("wallet_nonce")
    if echoed == sent:
        return passed("the request object echoes the wallet_nonce lerconf sent")
    if echoed is None:
        return failed("lerconf POSTed a wallet_nonce to request_uri; the request object does not include it (VP 1.0 §5.10)")
    return failed("the request object's wallet_nonce is not the one lerconf POSTed (VP 1.0 §5.10)")


@check("VP-03", PROTOCOL)
def dcql_asks_for_open_badge(dcql: Any, format: str | None = None) -> Verdict:
    """The DCQL credentials list is non-empty with unique ids, each with format and meta; for W3C
    formats meta.type_values holds expanded type IRIs (here: an Open Badges 3.0 credential, in
    ``format`` when the scenario asked for one)."""
    if not isinstance(dcql, Mapping):
        return failed(f"dcql_query is not a JSON object ({type(dcql).__name__})")
    creds = dcql.get("credentials")
    if not isinstance(creds, list) or not creds:
        return failed("dcql_query.credentials is missing or empty")
    ids = [c.get("id") for c in creds if isinstance(c, Mapping)]
    if len(ids) != len(creds) or not all(isinstance(i, str) and re.match(r"^[A-Za-z0-9_-]+$", i) for i in ids):
        return failed("every credential query needs an id of alphanumerics, '_' or '-'", ids=ids)
    if len(set(ids)) != len(ids):
        return failed("credential query ids are not unique", ids=ids)
    problems, ob3 = [], []
    for c in creds:
        fmt, meta = c.get("format"), c.get("meta")
        if not isinstance(fmt, str):
            problems.append(f"{c['id']}: no format")
            continue
        if not isinstance(meta, Mapping):
            problems.append(f"{c['id']}: no meta (required in 1.0)")
            continue
        if fmt in W3C_FORMATS:
            tv = meta.get("type_values")
            if not isinstance(tv, list) or not tv or not all(isinstance(a, list) and a for a in tv):
                problems.append(f"{c['id']}: meta.type_values must be a non-empty array of non-empty arrays")
                continue
            short = [t for a in tv for t in a if isinstance(t, str) and ":" not in t]
            if short:
                problems.append(f"{c['id']}: type_values holds unexpanded type names {short} (they match nothing)")
                continue
            if any(set(a) & OB3_TYPE_IRIS for a in tv) and format in (None, fmt):
                ob3.append(c["id"])
    if problems:
        return failed("; ".join(problems))
    if not ob3:
        return failed("no credential query asks for an OpenBadgeCredential by its expanded type IRI"
                      + (f" in {format}" if format else ""), ids=ids, formats=[c.get("format") for c in creds])
    return passed(f"credential query {ob3[0]!r} asks for an OpenBadgeCredential by its expanded IRI"
                  + (f" in {format}" if format else ""), ids=ids)


@check("VP-04", PROTOCOL)
def direct_post_answered_with_json(exchange: Exchange) -> Verdict:
    """The response_uri accepts the form-encoded vp_token and answers 200 application/json,
    optionally with a redirect_uri."""
    if exchange.status != 200:
        return failed(f"the direct_post was answered HTTP {exchange.status} ({exchange.reason})")
    ctype = exchange.response_headers.get("content-type", "")
    if "application/json" not in ctype or not isinstance(exchange.json, Mapping):
        return failed(f"the direct_post answer is not a JSON object (Content-Type {ctype or 'missing'})")
    redirect = exchange.json.get("redirect_uri")
    if redirect is not None and not (isinstance(redirect, str) and redirect.startswith(("https://", "http://"))):
        return failed(f"redirect_uri {redirect!r} is not a URL")
    return passed("the direct_post was answered 200 with a JSON object" + (" carrying a redirect_uri" if redirect else ""))


@check("VP-01", PROTOCOL)
def client_metadata_offers_encryption_key(params: Mapping[str, Any]) -> Verdict:
    """A request with response_mode direct_post.jwt carries in client_metadata a public key to
    encrypt the response to (jwks: EC P-256 for ECDH-ES) and content encryption it accepts."""
    if params.get("response_mode") != "direct_post.jwt":
        return not_applicable(f"response_mode is {params.get('response_mode')!r}: no encrypted response")
    jwk, enc, problem = encryption_key(params.get("client_metadata"))
    if problem or jwk is None:
        return failed(f"the request asks for direct_post.jwt but {problem}")
    return passed(f"client_metadata offers a P-256 ECDH-ES key (kid {jwk.get('kid')!r}) and {enc}",
                  kid=jwk.get("kid"), enc=enc)


@check("VP-01", PROTOCOL)
def draft_request_has_required_parameters(params: Mapping[str, Any]) -> Verdict:
    """(pre-final draft form) The Authorization Request has client_id with a client_id_scheme,
    response_type=vp_token, a nonce, a presentation_definition and a response_mode."""
    problems = []
    if not isinstance(params.get("client_id"), str) or not params.get("client_id"):
        problems.append("no client_id")
    if not isinstance(params.get("client_id_scheme"), str):
        problems.append("no client_id_scheme (drafts before 22 name the scheme in this parameter)")
    if params.get("response_type") != "vp_token":
        problems.append(f"response_type is {params.get('response_type')!r}, not 'vp_token'")
    if not isinstance(params.get("nonce"), str) or not params.get("nonce"):
        problems.append("no nonce")
    if not isinstance(params.get("presentation_definition"), Mapping):
        problems.append("no presentation_definition object")
    if params.get("response_mode") not in ("direct_post", "direct_post.jwt"):
        problems.append(f"response_mode {params.get('response_mode')!r} is missing or unknown")
    if problems:
        return failed("; ".join(problems), client_id=params.get("client_id"))
    return passed("the draft-form request has client_id and client_id_scheme, response_type=vp_token, a nonce, "
                  "a presentation_definition and a response_mode", client_id_scheme=params.get("client_id_scheme"))


@check("VP-03", PROTOCOL)
def presentation_definition_asks_for_open_badge(definition: Any) -> Verdict:
    """(pre-final draft form) The presentation_definition has an id and an input descriptor
    that asks for an OpenBadgeCredential in a W3C format."""
    if not isinstance(definition, Mapping) or not isinstance(definition.get("id"), str):
        return failed("presentation_definition is not an object with an id")
    descriptors = definition.get("input_descriptors")
    if not isinstance(descriptors, list) or not descriptors:
        return failed("presentation_definition.input_descriptors is missing or empty")
    query = ob3_descriptor(definition, W3C_FORMATS)
    if query is None:
        return failed("no input descriptor asks for an OpenBadgeCredential in ldp_vc or jwt_vc_json",
                      ids=[d.get("id") for d in descriptors if isinstance(d, Mapping)])
    return passed(f"input descriptor {query.id!r} asks for an OpenBadgeCredential ({query.format})")


# -- the verifier's verdict on lerconf's answers ------------------------------------------------------
def _reported_success(observation: Observation, sent: str) -> Verdict:
    """Passed when the verifier reported success for ``sent``; failed when it reported failure."""
    if observation.seen is Seen.SUCCESS:
        return passed(f"the verifier reported success for {sent}", source=observation.source)
    if observation.seen is Seen.FAILURE:
        return failed(f"{sent} was not accepted: {observation.reason}", source=observation.source)
    return not_applicable(f"no verdict on {sent} was observed: {observation}")


def _never_success(observation: Observation, sent: str) -> Verdict:
    """Failed when the verifier reported success for ``sent``; passed when it reported failure."""
    if observation.seen is Seen.SUCCESS:
        return failed(f"the verifier reported success for {sent} ({observation.source}: {observation.reason})",
                      source=observation.source)
    if observation.seen is Seen.FAILURE:
        return passed(f"the verifier did not accept {sent} ({observation.source}: {observation.reason})",
                      source=observation.source)
    return not_applicable(f"no verdict on {sent} was observed: {observation}")


@check("VP-04", PROTOCOL)
def response_accepted(observation: Observation, sent: str) -> Verdict:
    """The response_uri accepts the response (for direct_post.jwt: vp_token and state as one JWE
    encrypted to the verifier's key), and the verifier reports success for it."""
    return _reported_success(observation, sent)


@check("VP-04", PROTOCOL)
def unencrypted_response_not_accepted(observation: Observation, sent: str) -> Verdict:
    """A verifier that asked for an encrypted response (direct_post.jwt) never reports success for
    the response sent unencrypted."""
    return _never_success(observation, sent)


@check("VP-04", PROTOCOL)
def unattributable_response_refused(exchange: Exchange, observation: Observation, sent: str) -> Verdict:
    """The response_uri refuses (400) a response it cannot attribute to a transaction it started (a
    state it never issued, a JWE it cannot decrypt), and the verifier never reports success for it."""
    if exchange.outcome is Outcome.ACCEPTED:
        return failed(f"{sent} was accepted ({exchange.reason}); it must be refused")
    if exchange.outcome is not Outcome.REJECTED:
        return not_applicable(f"the direct_post of {sent} got no usable answer: {exchange.outcome.value}")
    if observation.seen is Seen.SUCCESS:
        return failed(f"the verifier refused the direct_post but reported success for {sent} "
                      f"({observation.source}: {observation.reason})")
    return passed(f"the direct_post of {sent} was refused ({exchange.reason})", verdict=observation.seen.value)


@check("VP-05", PROTOCOL)
def valid_presentation_accepted(observation: Observation, sent: str) -> Verdict:
    """The verifier validates the VP token (keyed by the DCQL ids; every presentation and credential
    intact; the query met; the holder bound) and accepts a valid one: it reports success."""
    return _reported_success(observation, sent)


@check("VP-05", PROTOCOL)
def defective_credential_not_accepted(observation: Observation, sent: str) -> Verdict:
    """A bad VP token is rejected: the verifier never reports success for a presentation carrying a
    credential that fails its integrity or revocation checks."""
    return _never_success(observation, sent)


@check("OB-23", PROTOCOL)
def dual_proof_badge_accepted(observation: Observation, sent: str) -> Verdict:
    """A badge secured both ways (a Data Integrity proof inside a VC-JWT) is accepted: OB 3.0 verification
    step 2 needs one valid proof, and the embedded one verifies too."""
    return _reported_success(observation, sent)


@check("OB-24", PROTOCOL)
def badge_jwt_contradicting_its_credential_not_accepted(observation: Observation, sent: str) -> Verdict:
    """A badge VC-JWT whose claims contradict the credential it carries (jti is not its id, sub not its
    subject), validly signed, is rejected: OB 3.0 "Verify a Credential VC-JWT Signature" compares them."""
    return _never_success(observation, sent)


@check("VP-06", PROTOCOL)
def presentation_bound_elsewhere_not_accepted(observation: Observation, sent: str) -> Verdict:
    """A presentation whose challenge (VP JWT: nonce) is not the request's nonce, or whose domain
    (VP JWT: aud) is not the full client_id, is rejected: the verifier never reports success for it."""
    return _never_success(observation, sent)


@check("VP-07", PROTOCOL)
def replayed_presentation_not_accepted(observation: Observation, sent: str) -> Verdict:
    """Replay: a VP captured from one transaction and submitted in another is rejected."""
    return _never_success(observation, sent)


@check("VP-08", PROTOCOL)
def unbound_credential_not_accepted(observation: Observation, sent: str) -> Verdict:
    """When cryptographic holder binding is required (the default), a credential without a
    presentation proof is rejected: the verifier never reports success for it."""
    return _never_success(observation, sent)


@check("VP-12", PROTOCOL)
def wallet_error_not_reported_as_success(observation: Observation, sent: str) -> Verdict:
    """A wallet's error response (e.g. access_denied) carries no presentation: the verifier never
    reports it as a successful presentation."""
    return _never_success(observation, sent)
