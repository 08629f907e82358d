"""OID4VCI checks and key proofs: each check accepts what the spec allows and rejects the fault
it exists for; a refusal with another error code is a warning, an acceptance a failure."""
from __future__ import annotations

import time
from typing import Any

import pytest

from lerconf.checks import oid4vci as c
from lerconf.crypto.keys import generate
from lerconf.exchange import Exchange
from lerconf.outcome import classify_status
from lerconf.protocol.key_proof import (
    HolderKey,
    ProofProblem,
    ValidProof,
    did_jwk,
    key_of_did,
    make_key_proof,
    validate_key_proof,
)
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT, Answer, Metadata, Offer
from lerconf.results import Status

ISSUER = "https://issuer.example/tenant"
OB = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
METADATA = {
    "credential_issuer": ISSUER, "credential_endpoint": f"{ISSUER}/credential", "nonce_endpoint": f"{ISSUER}/nonce",
    "credential_configurations_supported": {
        "ob_ldp": {"format": "ldp_vc", "cryptographic_binding_methods_supported": ["did:jwk"],
                   "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256"]}},
                   "credential_definition": {"@context": OB, "type": ["VerifiableCredential", "OpenBadgeCredential"]}},
        "ob_jwt": {"format": "jwt_vc_json", "credential_definition": {"type": ["VerifiableCredential", "OpenBadgeCredential"]}},
    },
}


def answer(status: int, body: Any = None, **headers: str) -> Answer:
    ex = Exchange("POST", f"{ISSUER}/x", {}, None, classify_status(status), f"HTTP {status}", status,
                  {k.replace("_", "-"): v for k, v in headers.items()})
    return Answer(ex, body)


def metadata(doc: dict[str, Any] | None = None, placement: str | None = "final") -> Metadata:
    doc = METADATA if doc is None else doc
    a = answer(200, doc, content_type="application/json")
    return Metadata(ISSUER, a, doc if placement else None, placement, [a])


def status(result: Any) -> Status:
    return result.status


# -- key proofs ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def holder() -> HolderKey:
    return HolderKey(generate("P-256"))


def validate(token: str, **kw: Any) -> ValidProof | ProofProblem:
    return validate_key_proof(token, audience=ISSUER, algorithms=("ES256", "EdDSA"), **kw)


def test_a_valid_proof_names_its_key_as_did_jwk(holder: HolderKey) -> None:
    result = validate(make_key_proof(holder, audience=ISSUER, nonce="n-1"))
    assert isinstance(result, ValidProof) and result.nonce == "n-1" and result.holder_did == holder.did
    assert key_of_did(holder.did).to_jwk() == holder.jwk


@pytest.mark.parametrize("kwargs,needle", [
    ({"claims": {"aud": "https://other.example"}}, "aud"),
    ({"corrupt_signature": True}, "signature"),
    ({"header": {"typ": "JWT"}}, "typ"),
    ({"alg": "none"}, "alg"),
    ({"iat": int(time.time()) - 3600}, "iat"),
    ({"header": {"kid": "did:example:1"}}, "exactly one"),
])
def test_a_proof_with_one_fault_is_invalid_proof(holder: HolderKey, kwargs: dict[str, Any], needle: str) -> None:
    result = validate(make_key_proof(holder, audience=ISSUER, nonce="n", **kwargs))
    assert isinstance(result, ProofProblem) and result.error == "invalid_proof" and needle in result.description


def test_private_key_material_in_jwk_is_refused(holder: HolderKey) -> None:
    result = validate(make_key_proof(holder, audience=ISSUER, nonce="n", header={"jwk": holder.key.to_jwk()}))
    assert isinstance(result, ProofProblem) and "private" in result.description


def test_kid_with_did_key_is_accepted() -> None:
    from lerconf.crypto.signing import Signer

    key = generate("Ed25519")
    signer = Signer.did_key(key)
    token = make_key_proof(HolderKey(key), audience=ISSUER, nonce=None, header={"jwk": None, "kid": signer.verification_method})
    result = validate(token)
    assert isinstance(result, ValidProof) and result.holder_did == signer.controller


def test_did_jwk_ignores_member_order(holder: HolderKey) -> None:
    assert did_jwk(dict(reversed(list(holder.jwk.items())))) == holder.did


# -- metadata and offers --------------------------------------------------------------------------
def test_vci_01_accepts_final_path_and_rejects_draft_only() -> None:
    assert status(c.metadata_at_final_well_known_path(metadata())) is Status.PASSED
    assert status(c.metadata_at_final_well_known_path(metadata(placement="draft13"))) is Status.FAILED
    assert status(c.metadata_at_final_well_known_path(metadata(placement=None))) is Status.FAILED


def test_vci_02_rejects_a_mismatched_identifier_and_plain_http() -> None:
    assert status(c.metadata_identifies_the_issuer(metadata())) is Status.PASSED
    assert status(c.metadata_identifies_the_issuer(metadata({**METADATA, "credential_issuer": ISSUER + "/"}))) is Status.FAILED
    http = {**METADATA, "nonce_endpoint": "http://issuer.example/nonce"}
    assert status(c.metadata_identifies_the_issuer(metadata(http))) is Status.FAILED
    loopback = {**METADATA, "credential_issuer": ISSUER, "credential_endpoint": "http://127.0.0.1:8000/c"}
    assert status(c.metadata_identifies_the_issuer(metadata(loopback))) is Status.PASSED


def test_vci_03_needs_ob_types_and_contexts() -> None:
    assert status(c.configuration_follows_format_profile(metadata(), "ldp_vc")) is Status.PASSED
    assert status(c.configuration_follows_format_profile(metadata(), "jwt_vc_json")) is Status.PASSED
    broken = {**METADATA, "credential_configurations_supported": {"x": {
        "format": "ldp_vc", "credential_definition": {"@context": OB[:1], "type": ["OpenBadgeCredential"]}}}}
    assert status(c.configuration_follows_format_profile(metadata(broken), "ldp_vc")) is Status.FAILED
    assert status(c.configuration_follows_format_profile(metadata(broken), "jwt_vc_json")) is Status.FAILED


def test_vci_04_needs_the_token_endpoint_and_advertises_the_pre_authorized_grant() -> None:
    good = {"issuer": ISSUER, "token_endpoint": f"{ISSUER}/token", "grant_types_supported": [PRE_AUTHORIZED_GRANT]}
    assert status(c.authorization_server_supports_pre_authorized(answer(200, good), ISSUER)) is Status.PASSED
    # RFC 8414 makes grant_types_supported optional: an unadvertised grant is a warning, not a failure
    unlisted = {**good, "grant_types_supported": ["authorization_code"]}
    assert status(c.authorization_server_supports_pre_authorized(answer(200, unlisted), ISSUER)) is Status.WARNING
    no_token = {k: v for k, v in good.items() if k != "token_endpoint"}
    assert status(c.authorization_server_supports_pre_authorized(answer(200, no_token), ISSUER)) is Status.FAILED
    wrong = {**good, "issuer": "https://other.example"}
    assert status(c.authorization_server_supports_pre_authorized(answer(200, wrong), ISSUER)) is Status.FAILED


def _offer(doc: dict[str, Any], **kw: Any) -> Offer:
    return Offer(answer(201, {}), kw.pop("delivery", "by_value"), document=doc, **kw)


def test_vci_05_rejects_unadvertised_configurations() -> None:
    good = {"credential_issuer": ISSUER, "credential_configuration_ids": ["ob_ldp"]}
    assert status(c.offer_references_advertised_configurations(_offer(good), metadata())) is Status.PASSED
    unknown = {**good, "credential_configuration_ids": ["ob_ldp", "mystery"]}
    assert status(c.offer_references_advertised_configurations(_offer(unknown), metadata())) is Status.FAILED
    empty = {**good, "credential_configuration_ids": []}
    assert status(c.offer_references_advertised_configurations(_offer(empty), metadata())) is Status.FAILED


def test_vci_06_needs_a_json_offer_at_the_uri() -> None:
    resolved = answer(200, {"credential_issuer": ISSUER}, content_type="application/json")
    good = _offer({}, delivery="by_reference", offer_uri="https://issuer.example/o/1", resolved=resolved)
    assert status(c.offer_by_reference_resolves_to_json(good)) is Status.PASSED
    assert status(c.offer_by_reference_resolves_to_json(_offer({}))) is Status.FAILED
    jwt = _offer({}, delivery="by_reference", offer_uri="https://issuer.example/o/1",
                 resolved=answer(200, None, content_type="application/jwt"))
    assert status(c.offer_by_reference_resolves_to_json(jwt)) is Status.FAILED


# -- token, nonce, credential endpoint ----------------------------------------------------------------
@pytest.mark.parametrize("check,args", [
    (c.pre_authorized_code_single_use, ()),
    (c.token_error_is_defined, ("invalid_grant", "x")),
    (c.proof_required, ()),
    (c.credential_error_is_defined, ("invalid_nonce", "x")),
    (c.key_proof_refused, ("x",)),
])
def test_error_checks_fail_acceptance_and_warn_on_other_codes(check: Any, args: tuple[Any, ...]) -> None:
    expected = args[0] if args and args[0].startswith("invalid") else (
        "invalid_grant" if check is c.pre_authorized_code_single_use else "invalid_proof")
    assert status(check(answer(400, {"error": expected}), *args)) is Status.PASSED
    assert status(check(answer(200, {}), *args)) is Status.FAILED
    assert status(check(answer(400, {"error": "something_else"}), *args)) is Status.WARNING
    assert status(check(answer(422, {"error": expected}), *args)) is Status.FAILED


def test_vci_08_needs_no_store() -> None:
    body = {"access_token": "t", "token_type": "Bearer"}
    assert status(c.token_response_grants_access(answer(200, body, cache_control="no-store"))) is Status.PASSED
    assert status(c.token_response_grants_access(answer(200, body))) is Status.FAILED
    assert status(c.token_response_grants_access(answer(400, {"error": "invalid_grant"}))) is Status.FAILED


def test_vci_10_is_a_should() -> None:
    assert status(c.code_invalidated_after_guessing(answer(200, {}), 5)) is Status.WARNING


def test_vci_11_needs_fresh_uncacheable_nonces() -> None:
    def n(v: str, **h: str) -> Answer:
        return answer(200, {"c_nonce": v}, **h)
    assert status(c.nonce_is_fresh_and_uncacheable(n("a" * 20, cache_control="no-store"), n("b" * 20, cache_control="no-store"))) is Status.PASSED
    # the same value twice: a finding (§7.2 leaves when to issue a new c_nonce to the issuer), not a failure
    assert status(c.nonce_is_fresh_and_uncacheable(n("a" * 20, cache_control="no-store"), n("a" * 20, cache_control="no-store"))) is Status.WARNING
    assert status(c.nonce_is_fresh_and_uncacheable(n("a" * 20), n("b" * 20))) is Status.FAILED


def test_vci_12_needs_401() -> None:
    assert status(c.credential_endpoint_requires_token(answer(401, {}, www_authenticate="Bearer"), "x")) is Status.PASSED
    # RFC 6750 §3: the WWW-Authenticate challenge is a MUST; §3.1: 401 for invalid_token is a SHOULD
    missing = c.credential_endpoint_requires_token(answer(401, {}), "x")
    assert missing.status is Status.FAILED and "MUST" in missing.message
    assert status(c.credential_endpoint_requires_token(answer(400, {}), "x")) is Status.FAILED
    assert status(c.credential_endpoint_requires_token(answer(400, {}, www_authenticate="Bearer"), "x")) is Status.WARNING
    assert status(c.credential_endpoint_requires_token(answer(200, {}), "x")) is Status.FAILED


def test_vci_14_shape_per_format(holder: HolderKey) -> None:
    jwt = make_key_proof(holder, audience=ISSUER, nonce=None)
    assert status(c.credential_response_shape(answer(200, {"credentials": [{"credential": {"a": 1}}]}), "ldp_vc")) is Status.PASSED
    assert status(c.credential_response_shape(answer(200, {"credentials": [{"credential": jwt}]}), "jwt_vc_json")) is Status.PASSED
    assert status(c.credential_response_shape(answer(200, {"credential": {"a": 1}}), "ldp_vc")) is Status.FAILED
    assert status(c.credential_response_shape(answer(200, {"credentials": [{"credential": "{}"}]}), "ldp_vc")) is Status.FAILED


def test_vci_18_binding(holder: HolderKey) -> None:
    bound = {"credentialSubject": {"id": holder.did}}
    assert status(c.credential_bound_to_proof_key(bound, holder.key.public, holder.did)) is Status.PASSED
    other = HolderKey(generate("P-256"))
    assert status(c.credential_bound_to_proof_key({"credentialSubject": {"id": other.did}}, holder.key.public, holder.did)) is Status.FAILED
    assert status(c.credential_bound_to_proof_key({"credentialSubject": {}}, holder.key.public, holder.did)) is Status.FAILED


def test_vci_19_needs_the_vc_claim() -> None:
    from lerconf.crypto.jose.sign import sign_jwt
    from lerconf.documents.templates import ob3_achievement_credential

    key = generate("Ed25519")
    doc = ob3_achievement_credential("did:example:issuer", vc_version="1.1")
    assert status(c.jwt_vc_json_uses_vc_claim(sign_jwt(doc, key, None, "vcdm11-jwt"))) is Status.PASSED
    assert status(c.jwt_vc_json_uses_vc_claim(sign_jwt(doc, key, None, "ob30-vc-jwt"))) is Status.FAILED
    assert status(c.jwt_vc_json_uses_vc_claim({"a": 1})) is Status.NOT_APPLICABLE


def test_every_check_reports_its_requirement() -> None:
    result = c.metadata_at_final_well_known_path(metadata())
    assert result.requirement == "VCI-01" and result.message and result.spec_url


def test_authorization_response_must_carry_code_state_and_the_right_iss() -> None:
    """VCI-08: lerconf's valid authorization request comes back with a code, its own state and, when
    named, the authorization server as iss (a refusal, a lost state or a mix-up fails)."""
    from lerconf.checks.oid4vci import authorization_response_returns_code

    good = authorization_response_returns_code({"code": "c", "state": "s1", "iss": "https://as"}, "s1", "https://as")
    assert good.status is Status.PASSED and good.requirement == "VCI-08"
    assert authorization_response_returns_code({"code": "c", "state": "s1"}, "s1", "https://as").status is Status.PASSED
    refused = authorization_response_returns_code({"error": "access_denied", "state": "s1"}, "s1", "https://as")
    assert refused.status is Status.FAILED and "access_denied" in refused.message
    lost = authorization_response_returns_code({"code": "c", "state": "other"}, "s1", "https://as")
    assert lost.status is Status.FAILED and "state" in lost.message
    mixed = authorization_response_returns_code({"code": "c", "state": "s1", "iss": "https://evil"}, "s1", "https://as")
    assert mixed.status is Status.FAILED and "RFC 9207" in mixed.message
