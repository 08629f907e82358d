"""OB-16: each proof's key is an HTTP(S) URL or a DID URL that dereferences; a key id no relying party
can fetch fails, a key lerconf could not reach is *could not be checked*."""
from __future__ import annotations

from lerconf.checks.binding import SigningKey
from lerconf.checks.ob_keys import issuer_key_is_dereferenceable, key_url_kind
from lerconf.results import Status
from lerconf.verify.report import could_not_check


def _resolved(vm: str) -> SigningKey:
    # the check reads only whether a key came back, not which
    return SigningKey("proof[0]", vm, method=object())  # type: ignore[arg-type]


def test_the_key_url_kinds() -> None:
    assert key_url_kind("did:web:example.edu#key-1") == "DID URL"
    assert key_url_kind("https://example.edu/keys/1") == "HTTPS URL"
    assert key_url_kind("http://example.edu/keys/1") == "HTTP URL"
    assert key_url_kind("urn:uuid:6f1c0e2a-1111-4d5e-9a4b-3c2d1e0f9a8b") is None
    assert key_url_kind("#key-1") is None and key_url_kind("did:") is None and key_url_kind("https:///k") is None


def test_a_did_url_or_https_key_that_dereferences_passes() -> None:
    result = issuer_key_is_dereferenceable([_resolved("did:key:z6MkExample#z6MkExample"),
                                            _resolved("https://example.edu/keys/1")])
    assert result.status is Status.PASSED and "DID URL" in result.message and "HTTPS URL" in result.message


def test_a_key_under_a_urn_fails_even_when_lerconf_was_given_it() -> None:
    result = issuer_key_is_dereferenceable([_resolved("urn:uuid:6f1c0e2a-1111-4d5e-9a4b-3c2d1e0f9a8b")])
    assert result.status is Status.FAILED and "neither an HTTP(S) URL nor a DID URL" in result.message
    assert result.requirement == "OB-16"


def test_a_key_url_that_gives_no_key_fails() -> None:
    key = SigningKey("proof[0]", "https://example.edu/keys/1", cause="no verification method with that id")
    result = issuer_key_is_dereferenceable([key])
    assert result.status is Status.FAILED and "does not dereference to a key" in result.message
    assert not could_not_check(result)


def test_a_key_lerconf_could_not_reach_is_not_the_issuers_failure() -> None:
    key = SigningKey("proof[0]", "https://example.edu/keys/1", cause="connection refused", unreached=True,
                     fix="allow the host with --url-map")
    result = issuer_key_is_dereferenceable([key])
    assert could_not_check(result) and "--url-map" in result.details["fix"]


def test_no_data_integrity_proof_is_not_applicable() -> None:
    assert issuer_key_is_dereferenceable([]).status is Status.NOT_APPLICABLE


