"""VCI-22 in the wallet scenario accepts every key proof type lerconf's issuer advertises for the
offered configuration (OID4VCI 1.0 Appendix F.1 jwt, F.2 di_vp): a wallet that sends only di_vp
key proofs is judged on their domain and challenge, as a jwt proof is on aud and nonce."""
from __future__ import annotations

import json
from typing import Any, cast

from lerconf.evidence import Evidence
from lerconf.protocol.wire_record import WireRecord, token_digest
from lerconf.refimpl.oid4vci.store import PATH as VCI_PATH
from lerconf.results import Status
from lerconf.scenarios.wallet_issuance import WalletIssuance, advertised_proof_types, key_proof_bound

ISSUER = "http://127.0.0.1:9/oid4vci"
TOKEN = "access-token-1"


def record(seq: int, path: str, *, body: Any = None, response: Any = None, status: int = 200, token: str = "") -> WireRecord:
    raw = json.dumps(body).encode() if body is not None else b""
    return WireRecord(seq, 0.0, "POST", VCI_PATH + path, "application/json" if body is not None else "", raw, status,
                      json.dumps(response).encode() if response is not None else b"", token_sha256=token)


def di_vp(challenge: str) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "holder": "did:key:z6Mk",
            "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "authentication",
                      "domain": ISSUER, "challenge": challenge, "verificationMethod": "did:key:z6Mk#z6Mk", "proofValue": "z1"}}


def credential_request(seq: int, challenge: str, status: int = 200) -> WireRecord:
    response = {"credentials": [{"credential": {"id": "urn:uuid:1"}}]} if status == 200 else {"error": "invalid_nonce"}
    return record(seq, "/credential", body={"credential_configuration_id": "OpenBadgeCredential_ldp_vc",
                                            "proofs": {"di_vp": [di_vp(challenge)]}},
                  response=response, status=status, token=token_digest(TOKEN))


def issuance(wire: list[WireRecord], fmt: str, *, nonce_refused: bool = False) -> WalletIssuance:
    return WalletIssuance(ISSUER, "code", None, None, cast(Any, None), wire, cast(Any, None),
                          nonce_refused=nonce_refused, proof_types=advertised_proof_types(fmt))


def flow(*requests: WireRecord) -> list[WireRecord]:
    return [record(1, "/token", response={"access_token": TOKEN}), record(2, "/nonce", response={"c_nonce": "n-1"}),
            *requests]


def test_advertised_proof_types_follow_lerconfs_issuer_metadata() -> None:
    assert advertised_proof_types("ldp_vc") == ("jwt", "di_vp")
    assert advertised_proof_types("jwt_vc_json") == ("jwt",)


def test_vci_22_passes_a_wallet_that_sends_only_di_vp_key_proofs() -> None:
    [result] = key_proof_bound(cast(Any, None), issuance(flow(credential_request(3, "n-1")), "ldp_vc"), Evidence())
    assert result.requirement == "VCI-22" and result.status is Status.PASSED, result.message
    assert result.details["proof_type"] == "di_vp"


def test_vci_22_fails_a_di_vp_proof_with_a_stale_challenge() -> None:
    [result] = key_proof_bound(cast(Any, None), issuance(flow(credential_request(3, "old")), "ldp_vc"), Evidence())
    assert result.status is Status.FAILED and "challenge is not the latest c_nonce" in result.message


def test_vci_22_fails_di_vp_where_the_configuration_advertises_only_jwt() -> None:
    [result] = key_proof_bound(cast(Any, None), issuance(flow(credential_request(3, "n-1")), "jwt_vc_json"), Evidence())
    assert result.status is Status.FAILED and "none of which the issuer advertises here" in result.message


def test_vci_22_retry_after_invalid_nonce_with_di_vp_key_proofs() -> None:
    wire = flow(credential_request(3, "n-1", status=400), record(4, "/nonce", response={"c_nonce": "n-2"}),
                credential_request(5, "n-2"))
    [result] = key_proof_bound(cast(Any, None), issuance(wire, "ldp_vc", nonce_refused=True), Evidence())
    assert result.status is Status.PASSED, result.message
