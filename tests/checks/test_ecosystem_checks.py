"""The generic ecosystem checks (lerconf.checks.ecosystem): DID method allow-list, status-list
caching, resultDescription linking, and the TLS rule on facts; the LMC checks that use them."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.checks import lmc
from lerconf.checks.ecosystem import (
    CacheObservation,
    TlsFacts,
    did_method_problem,
    result_description_problems,
    status_cache_problems,
    tls_problems,
)
from lerconf.results import Status

WEB, KEY = "did:web:issuer.example", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


@pytest.mark.parametrize("identifier", [WEB, KEY])
def test_an_allowed_did_method_passes(identifier: str) -> None:
    assert did_method_problem(identifier, ["web", "key"]) is None


@pytest.mark.parametrize(("identifier", "said"), [
    ("did:jwk:eyJrdHkiOiJPS1AifQ", "uses did:jwk"),
    ("https://issuer.example/profile", "is not a DID"),
    (None, "has no identifier"),
])
def test_another_did_method_is_named(identifier: Any, said: str) -> None:
    problem = did_method_problem(identifier, ["web", "key"])
    assert problem is not None and said in problem and "did:web, did:key" in problem


def _badge(results: list[dict[str, Any]], declared: list[str]) -> dict[str, Any]:
    return {"credentialSubject": {"achievement": {"resultDescription": [{"id": d} for d in declared]},
                                  "result": results}}


def test_results_naming_declared_descriptions_pass() -> None:
    badge = _badge([{"resultDescription": "urn:uuid:rd-1", "value": "A"}, {"value": "no link"}], ["urn:uuid:rd-1"])
    assert result_description_problems(badge) == []


def test_a_result_naming_an_undeclared_description_is_caught() -> None:
    badge = _badge([{"resultDescription": "urn:uuid:rd-9", "value": "A"}], ["urn:uuid:rd-1"])
    [problem] = result_description_problems(badge)
    assert "result[0].resultDescription 'urn:uuid:rd-9'" in problem and "urn:uuid:rd-1" in problem


def test_a_result_without_any_declared_description_is_caught() -> None:
    assert result_description_problems(_badge([{"resultDescription": "urn:uuid:rd-1"}], []))


@pytest.mark.parametrize(("seen", "ok"), [
    (CacheObservation(3, 1, "max-age=300"), True),      # cached within max-age
    (CacheObservation(3, 3, "max-age=300"), False),     # fetched every time despite max-age
    (CacheObservation(3, 3, "no-cache"), True),         # fetched every time, as asked
    (CacheObservation(3, 1, "no-store"), False),        # cached what it was told not to
    (CacheObservation(2, 1, "max-age=0"), False),
    (CacheObservation(2, 0, "max-age=300"), False),     # never checked status at all
])
def test_status_list_caching_honours_cache_control(seen: CacheObservation, ok: bool) -> None:
    assert (status_cache_problems(seen) == []) is ok


def test_plain_http_and_old_tls_and_bad_certificates_are_named() -> None:
    assert "plain HTTP" in tls_problems(TlsFacts("http://v.example/x", "http"))[0]
    assert "below TLSv1.2" in tls_problems(TlsFacts("https://v.example/x", "https", version="TLSv1.1"))[0]
    assert "accepts TLSv1" in tls_problems(TlsFacts("https://v.example/x", "https", version="TLSv1.3",
                                                    obsolete_accepted="TLSv1"))[0]
    assert "certificate not valid: expired" in tls_problems(TlsFacts("https://v.example/x", "https", version="TLSv1.3",
                                                                     certificate_error="expired"))[0]
    assert tls_problems(TlsFacts("https://v.example/x", "https", version="TLSv1.2")) == []


CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
              "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": {"id": WEB},
              "credentialStatus": {"type": "BitstringStatusListEntry", "statusListCredential": "https://issuer.example/sl/1",
                                   "statusListIndex": "7", "statusPurpose": "revocation"},
              "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod",
                        "created": "2026-01-01T00:00:00Z", "verificationMethod": WEB + "#key-1"}}


def test_the_lmc_issuer_rules_pass_a_profile_badge() -> None:
    assert lmc.vcdm2_open_badge(CREDENTIAL).status is Status.PASSED
    assert lmc.eddsa_rdfc_assertion_proof(CREDENTIAL, WEB, ["assertionMethod"]).status is Status.PASSED
    assert lmc.did_web_or_key_ed25519(WEB, "Multikey", "Ed25519").status is Status.PASSED
    assert lmc.own_bitstring_status_list(CREDENTIAL, {"issuer": WEB}, WEB + "#key-1").status is Status.PASSED


def test_the_lmc_issuer_rules_catch_what_ob30_allows() -> None:
    """Each of these conforms to Open Badges 3.0 and VCDM, and breaks the LMC profile."""
    v11 = {**CREDENTIAL, "@context": ["https://www.w3.org/2018/credentials/v1", *CREDENTIAL["@context"][1:]]}
    assert "not https://www.w3.org/ns/credentials/v2" in lmc.vcdm2_open_badge(v11).message
    alias = {**CREDENTIAL, "type": ["VerifiableCredential", "AchievementCredential"]}
    assert "without OpenBadgeCredential" in lmc.vcdm2_open_badge(alias).message
    jcs = {**CREDENTIAL, "proof": {**CREDENTIAL["proof"], "cryptosuite": "eddsa-jcs-2022"}}
    assert lmc.eddsa_rdfc_assertion_proof(jcs, WEB, ["assertionMethod"]).status is Status.FAILED
    undated = {**CREDENTIAL, "proof": {k: v for k, v in CREDENTIAL["proof"].items() if k != "created"}}
    assert "no creation date" in lmc.eddsa_rdfc_assertion_proof(undated, WEB, ["assertionMethod"]).message
    assert "not to the issuer" in lmc.eddsa_rdfc_assertion_proof(CREDENTIAL, KEY, ["assertionMethod"]).message
    assert "uses did:jwk" in lmc.did_web_or_key_ed25519("did:jwk:abc", "Multikey", "Ed25519").message
    assert "not Ed25519" in lmc.did_web_or_key_ed25519(WEB, "Multikey", "P-256").message
    assert "not a Multikey" in lmc.did_web_or_key_ed25519(WEB, "JsonWebKey", "Ed25519").message
    unlisted = {k: v for k, v in CREDENTIAL.items() if k != "credentialStatus"}
    assert "no BitstringStatusListEntry" in lmc.own_bitstring_status_list(unlisted, None, None).message
    assert "not signed with a key of the credential issuer" in lmc.own_bitstring_status_list(
        CREDENTIAL, {"issuer": "did:web:other.example"}, None, "its key is none of the issuer's").message


def test_lmc_tls_needs_every_endpoint_on_tls12() -> None:
    good = TlsFacts("https://v.example/w", "https", version="TLSv1.3")
    assert lmc.endpoints_tls12([good]).status is Status.PASSED
    bad = lmc.endpoints_tls12([good, TlsFacts("http://v.example/x", "http")])
    assert bad.status is Status.FAILED and "plain HTTP" in bad.message and bad.requirement == "LMC-VE-05"
    assert lmc.endpoints_tls12([]).status is Status.FAILED


ECDSA_BADGE = {**CREDENTIAL, "validUntil": "2027-01-01T00:00:00Z",
               "proof": {**CREDENTIAL["proof"], "cryptosuite": "ecdsa-rdfc-2019"}}


def test_the_oid4_ecdsa_rules_pass_a_profile_badge_and_catch_the_eddsa_one() -> None:
    assert lmc.oe_vcdm2_open_badge(ECDSA_BADGE).status is Status.PASSED
    assert lmc.oe_ecdsa_rdfc_assertion_proof(ECDSA_BADGE, WEB, ["assertionMethod"]).status is Status.PASSED
    eddsa = lmc.oe_ecdsa_rdfc_assertion_proof(CREDENTIAL, WEB, ["assertionMethod"])  # the vcalm-eddsa badge
    assert eddsa.status is Status.FAILED and "not DataIntegrityProof/ecdsa-rdfc-2019" in eddsa.message
    assert lmc.oe_did_web_or_key_p256(WEB, "Multikey", "P-256").status is Status.PASSED
    assert "not P-256" in lmc.oe_did_web_or_key_p256(WEB, "Multikey", "Ed25519").message
    assert lmc.oe_own_bitstring_status_list(ECDSA_BADGE, {"issuer": WEB}, WEB + "#key-p256").status is Status.PASSED
    assert lmc.oe_valid_until(ECDSA_BADGE).status is Status.PASSED
    endless = lmc.oe_valid_until(CREDENTIAL)
    assert endless.status is Status.WARNING and endless.severity.value == "SHOULD" and "validUntil" in endless.message


def test_the_oid4_ecdsa_issuer_must_issue_through_both_grants() -> None:
    both = {"pre-authorized_code": None, "authorization_code": None}
    assert lmc.oe_issues_through_both_grants(both).status is Status.PASSED
    one = lmc.oe_issues_through_both_grants({**both, "authorization_code": "the token request was refused"})
    assert one.status is Status.FAILED and "authorization_code: the token request was refused" in one.message
    assert lmc.oe_issues_through_both_grants({}).status is Status.FAILED  # nothing tried is nothing issued


def test_the_oid4_ecdsa_tls_rule_names_every_plain_endpoint() -> None:
    good = TlsFacts("https://i.example/oid4vci", "https", version="TLSv1.2")
    assert lmc.oe_endpoints_tls12([good]).status is Status.PASSED
    bad = lmc.oe_endpoints_tls12([good, TlsFacts("http://i.example/oid4vci/credential", "http")])
    assert bad.status is Status.FAILED and "credential is plain HTTP" in bad.message and bad.requirement == "LMC-OE-06"
