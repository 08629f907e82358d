"""DCQL claims paths (OID4VP 1.0 §6.3, §7.1, App. B.1.3.1): lerconf's verifier asks for a
jwt_vc_json badge's claims from the credential's root, as the spec's example does, and its
reference wallet matches either reading (from the ``vc`` claim or from the JWT payload)."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.protocol.dcql import claims_present, credential_queries, ob3_query
from lerconf.refimpl.oid4vp.store import PresentationTransaction, RequestOptions

BADGE: dict[str, Any] = {"type": ["VerifiableCredential", "OpenBadgeCredential"],
                         "credentialSubject": {"achievement": {"name": "Welding", "criteria": [{"narrative": "a"}]}}}


def _query(path: list[Any], fmt: str = "jwt_vc_json") -> dict[str, Any]:
    return {"credentials": [{"id": "q", "format": fmt,
                             "meta": {"type_values": [["https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"]]},
                             "claims": [{"path": path}]}]}


@pytest.mark.parametrize("fmt", ["ldp_vc", "jwt_vc_json"])
def test_the_reference_verifier_asks_from_the_credential_root(fmt: str) -> None:
    txn = PresentationTransaction("t", "s", "n" * 32, "redirect_uri:https://v.example/r", "https://v.example/r", "get",
                                  False, RequestOptions(format=fmt))
    query = ob3_query(txn.dcql_query(), formats=(fmt,))
    assert query is not None
    assert query.claim_paths == (("credentialSubject", "achievement", "name"),)


@pytest.mark.parametrize("path", [["credentialSubject", "achievement", "name"],
                                  ["vc", "credentialSubject", "achievement", "name"]])
def test_a_jwt_vc_json_badge_answers_either_reading(path: list[Any]) -> None:
    (query,) = credential_queries(_query(path))
    assert claims_present(BADGE, query.claim_paths, jwt_payload={"iss": "did:example:i", "vc": BADGE})


@pytest.mark.parametrize("path", [["credentialSubject", "achievement", "image"], ["vc", "credentialSubject", "x"],
                                  ["credentialSubject", "achievement", "criteria", 3]])
def test_a_claim_the_badge_lacks_does_not_match(path: list[Any]) -> None:
    (query,) = credential_queries(_query(path))
    assert not claims_present(BADGE, query.claim_paths, jwt_payload={"vc": BADGE})


def test_array_steps_select_elements() -> None:
    (query,) = credential_queries(_query(["credentialSubject", "achievement", "criteria", None, "narrative"]))
    assert claims_present(BADGE, query.claim_paths)
    (query,) = credential_queries(_query(["credentialSubject", "achievement", "criteria", 0, "narrative"]))
    assert claims_present(BADGE, query.claim_paths)
    (query,) = credential_queries(_query(["type", 5]))
    assert not claims_present(BADGE, query.claim_paths)


def test_malformed_paths_are_not_claims() -> None:
    dcql = _query(["credentialSubject"])
    dcql["credentials"][0]["claims"] = [{"path": []}, {"path": [True]}, {"path": "credentialSubject"}, "x"]
    (query,) = credential_queries(dcql)
    assert query.claim_paths == ()

