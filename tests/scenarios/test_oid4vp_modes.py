"""lerconf's wallet side of the OID4VP modes beyond the plain 1.0 request: x509 client
identifiers (chain, SAN, hash, signature), direct_post.jwt encryption, the draft-era checks, and
the profile's trust_anchors and draft claims. Each check is shown catching its defect."""
from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from lerconf.checks import oid4vp as checks
from lerconf.crypto.encoding import b64url_encode
from lerconf.crypto.jose.algorithms import sign
from lerconf.crypto.keys import generate
from lerconf.crypto.signing import deterministic_key
from lerconf.errors import ProfileError
from lerconf.profile.load import parse_profile
from lerconf.protocol.presentation_exchange import ob3_descriptor
from lerconf.protocol.request_object import read_request_object
from lerconf.protocol.request_signature import verify_request_signature
from lerconf.protocol.vp_response import (
    encrypt_response,
    encryption_key,
    other_key_like,
    presentation_submission,
)
from lerconf.protocol.x509_request import (
    chain_problem,
    client_id_problem,
    leaf_hash,
    x509_request_problem,
)
from lerconf.refimpl.oid4vp.x509 import make_ca, make_leaf, verifier_certificates
from lerconf.results import Status
from lerconf.verdicts import NotObservable

CERTS = verifier_certificates()
ANCHORS = [CERTS.ca]


def _object(claims: dict[str, Any], *, x5c: list[str] | None = None, key: Any = None, alg: str = "ES256") -> Any:
    header = {"typ": "oauth-authz-req+jwt", "alg": alg, "x5c": x5c if x5c is not None else CERTS.x5c}
    head = b64url_encode(json.dumps(header).encode())
    body = b64url_encode(json.dumps(claims).encode())
    signature = b64url_encode(sign(alg, key or CERTS.leaf_key, f"{head}.{body}".encode()))
    return read_request_object(f"{head}.{body}.{signature}", "application/oauth-authz-req+jwt")


def _b64(cert: Any) -> str:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


# -- x509 client identifiers --------------------------------------------------------------------------
def test_x509_san_dns_and_hash_request_objects_verify_against_the_anchor() -> None:
    assert x509_request_problem(_object({"client_id": "x509_san_dns:localhost"}), ANCHORS) is None
    assert x509_request_problem(_object({"client_id": f"x509_hash:{CERTS.leaf_hash}"}), ANCHORS) is None
    assert verify_request_signature(_object({"client_id": "x509_san_dns:localhost"}), resolver=None,  # type: ignore[arg-type]
                                    trust_anchors=ANCHORS) is None


def test_x509_san_mismatch_is_caught() -> None:
    problem = x509_request_problem(_object({"client_id": "x509_san_dns:verifier.example"}), ANCHORS)
    assert problem and "SAN dNSNames" in problem and "verifier.example" in problem


def test_x509_hash_mismatch_is_caught() -> None:
    other = b64url_encode(b"\x00" * 32)
    problem = x509_request_problem(_object({"client_id": f"x509_hash:{other}"}), ANCHORS)
    assert problem and "is not the leaf certificate's SHA-256" in problem
    assert client_id_problem(f"x509_hash:{leaf_hash(CERTS.leaf)}", CERTS.leaf) is None


def test_x509_untrusted_chain_is_caught() -> None:
    rogue_key = generate("P-256")
    rogue_ca = make_ca(rogue_key, "lerconf test verifier CA")      # same name, another key
    leaf_key = generate("P-256")
    leaf = make_leaf(leaf_key, rogue_ca, rogue_key)
    obj = _object({"client_id": "x509_san_dns:localhost"}, x5c=[_b64(leaf)], key=leaf_key)
    problem = x509_request_problem(obj, ANCHORS)
    assert problem and "does not lead to a trust anchor" in problem
    assert "no trust anchors" in str(x509_request_problem(_object({"client_id": "x509_san_dns:localhost"}), []))


def test_x509_expired_leaf_and_non_ca_issuer_are_caught() -> None:
    ca_key = deterministic_key("refimpl-oid4vp-verifier-ca", "P-256")
    key = generate("P-256")
    old = make_leaf(key, CERTS.ca, ca_key, not_before=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
                    not_after=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    assert "is not valid now" in str(chain_problem([old], ANCHORS))
    second = generate("P-256")
    below_leaf = make_leaf(second, CERTS.leaf, CERTS.leaf_key)      # issued by a non-CA leaf
    assert "is not a CA certificate" in str(chain_problem([below_leaf, CERTS.leaf], ANCHORS))


def test_x509_signature_by_another_key_and_missing_x5c_are_caught() -> None:
    assert "does not verify" in str(x509_request_problem(
        _object({"client_id": "x509_san_dns:localhost"}, key=generate("P-256")), ANCHORS))
    assert "no x5c" in str(x509_request_problem(_object({"client_id": "x509_san_dns:localhost"}, x5c=[]), ANCHORS))


def test_vp02_fails_an_x509_request_with_a_signature_problem() -> None:
    obj = _object({"client_id": "x509_san_dns:verifier.example"})
    result = checks.request_object_is_typed_and_signed(obj, x509_request_problem(obj, ANCHORS))
    assert result.status is Status.FAILED and "SAN" in result.message


# -- direct_post.jwt ------------------------------------------------------------------------------------
def _metadata() -> tuple[Any, dict[str, Any]]:
    from joserfc.jwk import ECKey

    key = ECKey.generate_key("P-256", parameters={"kid": "k1", "use": "enc", "alg": "ECDH-ES"}, private=True)
    return key, {"jwks": {"keys": [key.as_dict(private=False)]}, "encrypted_response_enc_values_supported": ["A256GCM"]}


def test_encrypted_response_opens_with_the_offered_key_only() -> None:
    from joserfc import jwe
    from joserfc.errors import JoseError

    key, meta = _metadata()
    jwk, enc, problem = encryption_key(meta)
    assert problem is None and enc == "A256GCM" and jwk is not None and "d" not in jwk
    token = encrypt_response({"vp_token": {"q": ["x"]}, "state": "s"}, jwk, enc)
    opened = jwe.decrypt_compact(token, key)
    assert json.loads(opened.plaintext) == {"vp_token": {"q": ["x"]}, "state": "s"}
    assert opened.protected["kid"] == "k1" and opened.protected["alg"] == "ECDH-ES"
    wrong = encrypt_response({"state": "s"}, other_key_like(jwk), enc)
    with pytest.raises(JoseError):
        jwe.decrypt_compact(wrong, key)


@pytest.mark.parametrize("meta, words", [
    ({}, "no jwks"),
    ({"jwks": {"keys": [{"kty": "OKP", "crv": "X25519", "x": "AA"}]}}, "no public P-256 key"),
    ({"jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "secret"}]}}, "no public P-256 key"),
    ({"jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}]},
      "encrypted_response_enc_values_supported": ["A192CBC-HS384"]}, "has none of"),
])
def test_vp01_encryption_key_check_rejects_unusable_metadata(meta: dict[str, Any], words: str) -> None:
    result = checks.client_metadata_offers_encryption_key({"response_mode": "direct_post.jwt", "client_metadata": meta})
    assert result.status is Status.FAILED and words in result.message


def test_vp01_encryption_key_check_accepts_an_offered_key() -> None:
    _, meta = _metadata()
    result = checks.client_metadata_offers_encryption_key({"response_mode": "direct_post.jwt", "client_metadata": meta})
    assert result.status is Status.PASSED and result.requirement == "VP-01"
    assert checks.client_metadata_offers_encryption_key({"response_mode": "direct_post"}).status is Status.NOT_APPLICABLE


# -- DCQL format, draft form -----------------------------------------------------------------------------
def test_vp03_requires_the_asked_format() -> None:
    from lerconf.protocol.dcql import OB_VOCAB

    dcql = {"credentials": [{"id": "q", "format": "ldp_vc", "meta": {"type_values": [[OB_VOCAB + "OpenBadgeCredential"]]}}]}
    assert checks.dcql_asks_for_open_badge(dcql, "ldp_vc").status is Status.PASSED
    failed = checks.dcql_asks_for_open_badge(dcql, "jwt_vc_json")
    assert failed.status is Status.FAILED and "in jwt_vc_json" in failed.message


DEFINITION = {"id": "pd", "input_descriptors": [{"id": "badge", "format": {"ldp_vp": {}},
              "constraints": {"fields": [{"path": ["$.type"], "filter": {"contains": {"const": "OpenBadgeCredential"}}}]}}]}


def test_draft_checks_accept_a_draft_request_and_reject_a_1_0_one() -> None:
    draft = {"client_id": "https://v.example/cb", "client_id_scheme": "redirect_uri", "response_type": "vp_token",
             "nonce": "n" * 30, "presentation_definition": DEFINITION, "response_mode": "direct_post"}
    assert checks.draft_request_has_required_parameters(draft).status is Status.PASSED
    final = {k: v for k, v in draft.items() if k not in ("client_id_scheme", "presentation_definition")}
    result = checks.draft_request_has_required_parameters(final)
    assert result.status is Status.FAILED and "client_id_scheme" in result.message
    assert checks.presentation_definition_asks_for_open_badge(DEFINITION).status is Status.PASSED
    other = {"id": "pd", "input_descriptors": [{"id": "x", "constraints": {"fields": [{"path": ["$.type"]}]}}]}
    assert checks.presentation_definition_asks_for_open_badge(other).status is Status.FAILED


def test_presentation_exchange_descriptor_and_submission() -> None:
    query = ob3_descriptor(DEFINITION, ("ldp_vc",))
    assert query is not None and query.id == "badge" and query.format == "ldp_vc"
    assert ob3_descriptor(DEFINITION, ("jwt_vc_json",)) is None
    submission = presentation_submission("pd", "badge", "ldp_vc")
    assert submission["definition_id"] == "pd"
    assert submission["descriptor_map"] == [{"id": "badge", "format": "ldp_vp", "path": "$",
                                             "path_nested": {"format": "ldp_vc", "path": "$.verifiableCredential[0]"}}]


# -- profile ---------------------------------------------------------------------------------------------
def _profile(**section: Any) -> Any:
    body = {"request_hook": "http://127.0.0.1:9/requests", "result_hook": "http://127.0.0.1:9/r/{state}", **section}
    return parse_profile({"name": "v", "oid4vp_verifier": body}, "test.yaml").oid4vp_verifier


def test_profile_reads_trust_anchors_and_the_draft_claim(tmp_path: Any) -> None:
    section = _profile(trust_anchors=[CERTS.ca_pem], claims={"spec_versions": ["draft"]})
    assert [a.subject for a in section.trust_anchors] == [CERTS.ca.subject]
    assert section.claims.spec_versions == ("draft-20",) and section.draft_only
    path = tmp_path / "ca.pem"
    path.write_text(CERTS.ca_pem)
    assert len(_profile(trust_anchors=[str(path)]).trust_anchors) == 1
    assert section.public_view()["trust_anchors"] == [CERTS.ca.subject.rfc4514_string()]
    with pytest.raises(ProfileError, match="trust_anchors"):
        _profile(trust_anchors=["-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"])
    with pytest.raises(ProfileError, match="trust_anchors"):
        _profile(trust_anchors=[str(tmp_path / "missing.pem")])


def test_reference_profile_anchor_validates_the_reference_leaf(monkeypatch: pytest.MonkeyPatch) -> None:
    from lerconf.profile.load import load_profile
    from lerconf.refimpl.server import PROFILE_PATH

    monkeypatch.setenv("LERCONF_REFERENCE_PORT", "9")
    section = load_profile(PROFILE_PATH).oid4vp_verifier
    assert chain_problem([CERTS.leaf], section.trust_anchors) is None


def test_a_draft_only_verifier_is_not_judged_by_final_spec_scenarios() -> None:
    """Scenarios without a spec_version column are 1.0 scenarios: skipped for a draft-only verifier."""
    from lerconf.profile.oid4vp import not_claimed

    def section(versions: list[str]) -> Any:
        return parse_profile({"name": "v", "oid4vp_verifier": {
            "request_hook": "http://127.0.0.1:9/requests", "result_hook": "http://127.0.0.1:9/results/{state}",
            "claims": {"spec_versions": versions}}}, "inline").oid4vp_verifier

    draft_only, both = section(["draft"]), section(["1.0", "draft"])
    assert not_claimed(draft_only, "v", {}) == "oid4vp_verifier does not claim spec_versions=1.0"
    assert not_claimed(draft_only, "v", {"spec_version": "draft"}) is None
    assert not_claimed(both, "v", {}) is None and not_claimed(both, "v", {"spec_version": "draft"}) is None
    assert not_claimed(section(["1.0"]), "v", {"spec_version": "draft"}) == "oid4vp_verifier does not claim spec_versions=draft-20"


def test_vp_02_invocation_client_id_must_be_the_request_objects() -> None:
    assert checks.invocation_client_id_matches("redirect_uri:https://v.example/r", "redirect_uri:https://v.example/r").status is Status.PASSED
    mismatch = checks.invocation_client_id_matches("redirect_uri:https://other.example/r", "redirect_uri:https://v.example/r")
    assert mismatch.requirement == "VP-02" and mismatch.status is Status.FAILED
    assert checks.invocation_client_id_matches(None, "x").status is Status.NOT_APPLICABLE


def test_a_verdict_the_profile_cannot_observe_is_reported_as_not_observable_not_broken() -> None:
    from types import SimpleNamespace

    from lerconf.outcome import Outcome
    from lerconf.protocol.vp_verdict import Observation, Seen
    from lerconf.scenarios.oid4vp_requirements import NO_SUCCESS
    from lerconf.scenarios.subjects import satisfied

    answer = SimpleNamespace(observation=Observation(Seen.NOT_OBSERVABLE, "a wallet error is answered like any other",
                                                     "direct_post_status"),
                             exchange=SimpleNamespace(outcome=Outcome.ACCEPTED, reason="HTTP 200"), sent="a wallet error")
    with pytest.raises(NotObservable, match="not observable"):
        satisfied(NO_SUCCESS, "VP-12", answer)
