"""VP-02 rules of a Request Object that lerconf added after an independent verifier was run
against it (issue 13): ``aud`` under static discovery (VP 1.0 §5.8), the ``wallet_nonce`` echo
(§5.10) and, under ``x509_san_dns:``, the response_uri's host (§5.9.3)."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.checks import oid4vp as checks
from lerconf.protocol.request_object import RequestObject
from lerconf.protocol.x509_request import response_uri_problem
from lerconf.refimpl.oid4vp.store import Oid4vpStore
from lerconf.results import Severity, Status


def _obj(signed: bool = True, **claims: Any) -> RequestObject:
    base = {"client_id": "decentralized_identifier:did:key:z6Mk", "aud": "https://self-issued.me/v2"}
    return RequestObject({"typ": "oauth-authz-req+jwt", "alg": "EdDSA" if signed else "none"}, {**base, **claims},
                         "t", signed)


@pytest.mark.parametrize(("aud", "status"), [("https://self-issued.me/v2", Status.PASSED),
                                             (["https://self-issued.me/v2"], Status.PASSED),
                                             ("decentralized_identifier:did:key:z6Mk", Status.FAILED),
                                             (None, Status.FAILED)])
def test_a_signed_request_object_is_addressed_to_the_static_audience(aud: Any, status: Status) -> None:
    result = checks.request_object_audience(_obj(aud=aud))
    assert result.status is status, result.message
    if status is Status.FAILED:
        assert "§5.8" in result.message


def test_an_unsigned_request_object_is_not_judged_on_its_audience() -> None:
    assert checks.request_object_audience(_obj(signed=False, aud=None)).status is Status.NOT_APPLICABLE


def test_the_wallet_nonce_lerconf_posted_must_come_back() -> None:
    assert checks.wallet_nonce_echoed("wn-1", _obj(wallet_nonce="wn-1")).status is Status.PASSED
    missing = checks.wallet_nonce_echoed("wn-1", _obj())
    assert missing.status is Status.FAILED and "does not include it" in missing.message
    assert checks.wallet_nonce_echoed("wn-1", _obj(wallet_nonce="other")).status is Status.FAILED
    assert checks.wallet_nonce_echoed(None, _obj()).status is Status.NOT_APPLICABLE


@pytest.mark.parametrize(("response_uri", "problem"), [("https://verifier.example/cb", False),
                                                       ("https://VERIFIER.example:8443/cb", False),
                                                       ("https://other.example/cb", True),
                                                       ("http://127.0.0.1:9/cb", True)])
def test_x509_san_dns_response_uri_host_is_the_client_identifier(response_uri: str, problem: bool) -> None:
    found = response_uri_problem("x509_san_dns:verifier.example", response_uri)
    assert (found is not None) is problem, found
    assert response_uri_problem("x509_hash:abc", "https://other.example/cb") is None


def test_a_mismatched_san_response_uri_is_a_should_finding_for_the_verifier() -> None:
    result = checks.response_uri_is_the_san_name(_obj(client_id="x509_san_dns:verifier.example",
                                                      response_uri="https://other.example/cb"))
    assert result.status is Status.WARNING and result.severity is Severity.SHOULD
    assert "will refuse" in result.message


def test_the_reference_verifier_answers_at_its_certificate_name_under_x509_san_dns() -> None:
    txn = Oid4vpStore().create("http://127.0.0.1:8123", "x509_san_dns")
    assert txn.response_uri == "http://localhost:8123/oid4vp/responses"
    assert response_uri_problem(txn.client_id, txn.response_uri) is None
    other = Oid4vpStore().create("http://127.0.0.1:8123", "decentralized_identifier")
    assert other.response_uri == "http://127.0.0.1:8123/oid4vp/responses"
