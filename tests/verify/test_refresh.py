"""OB-25: the 1EdTech credential refresh in lerconf's engine (issue 15). After the proof check, once,
the refresh service is fetched through the loader; the refreshed credential is verified from the
start and replaces the original only when its proof verifies and it is the same credential; anything
else keeps the original with the reason. The refresh URL is an input like any other: the tests serve
it from an in-process transport (no socket at all), and what must be refused is refused before that
transport is asked for anything."""
from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import CONTEXTS_DIR
from lerconf.checks.refresh import refreshable
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import MAX_DOCUMENT_BYTES, DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.results import CheckResult, Status
from lerconf.run.cli import main
from lerconf.scenarios.ob_verifier import endorsement_credential
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VERIFIED, VerificationReport, VerifyOptions

KEY = Signer.did_key(deterministic_key("refresh-issuer", "Ed25519"))
OTHER = Signer.did_key(deterministic_key("refresh-other-issuer", "Ed25519"))
HOST = "issuer.example"
URL = f"https://{HOST}/credentials/3732/refresh"
BADGE_ID = "urn:uuid:6a0c7f52-4d1e-4b8a-9f3e-2c5b7d9e1a10"
SERVICE = {"id": URL, "type": "1EdTechCredentialRefresh"}


class Served:
    """An in-process transport answering every request with ``answer``; it records what it was asked."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.requests: list[str] = []
        self._answer = answer
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        answer = self._answer(request)  # as a stream, the way a socket delivers it (the loader reads it raw)
        return httpx.Response(answer.status_code, headers=answer.headers, stream=httpx.ByteStream(answer.read()))


def _json(document: Any) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(200, json=document)


def _badge(signer: Signer = KEY, *, valid_until: str | None = None, service: dict[str, Any] | None = SERVICE,
           credential_id: str = BADGE_ID, name: str | None = None) -> dict[str, Any]:
    document = ob3_achievement_credential(signer.controller, credential_id=credential_id, valid_until=valid_until)
    if service is not None:
        document["refreshService"] = service
    if name is not None:
        document["name"] = name
    return signer.sign(document, "eddsa-rdfc-2022", _PROCESSOR)


def _verifier(settings: LoaderSettings, served: Served, *, named: bool = True, offline: bool = True) -> Verifier:
    """``named``: the refresh host is one the user named (reachable offline, no DNS asked); else
    the address guard decides, as for any document a credential names."""
    return Verifier(DocumentLoader(dataclasses.replace(settings, offline=offline,
                                                       allowed_hosts=frozenset({HOST}) if named else frozenset()),
                                   transport=served.transport))


def _ob25(report: VerificationReport) -> CheckResult:
    found = [r for r in report.checks if r.requirement == "OB-25"]
    assert len(found) == 1, [r.to_json() for r in report.checks]
    return found[0]


#: signs the badges: contexts from the shared directory, nothing fetched
_PROCESSOR = Processor(DocumentLoader(LoaderSettings(context_dirs=(CONTEXTS_DIR,), offline=True)))
EXPIRED = "2026-02-01T00:00:00Z"
RENEWED = "2099-01-01T00:00:00Z"


def test_an_expired_badge_refreshed_once_is_verified_as_the_refreshed_one(offline_settings: LoaderSettings) -> None:
    """The refreshed badge names the same refresh service again: it is never followed a second time."""
    refreshed = _badge(valid_until=RENEWED)
    served = Served(_json(refreshed))
    report = _verifier(offline_settings, served).verify_document(_badge(valid_until=EXPIRED), "badge.json")
    assert served.requests == [URL]
    assert report.outcome == VERIFIED, report.to_json()["errors"]
    assert _ob25(report).status is Status.PASSED
    assert report.document == refreshed and report.source == "badge.json"
    assert report.refreshed_from is not None  # the original as far as it went: its proof, not its dates
    assert {r.category.value for r in report.refreshed_from.checks} <= {"parse", "proof", "issuer-binding"}
    assert "refreshed_from" in report.to_json()


def test_without_the_refresh_the_expired_badge_is_not_verified(offline_settings: LoaderSettings) -> None:
    """The positive control of the test above: the same badge, no refresh service, fails on its dates."""
    served = Served(_json({}))
    report = _verifier(offline_settings, served).verify_document(_badge(valid_until=EXPIRED, service=None), "badge.json")
    assert not report.verified and served.requests == []
    assert not [r for r in report.checks if r.requirement == "OB-25"]


def test_a_badge_whose_proof_fails_is_never_refreshed(offline_settings: LoaderSettings) -> None:
    """A forged badge must not choose what replaces it: the service would hand out a valid badge."""
    served = Served(_json(_badge(valid_until=RENEWED)))
    tampered = _badge()
    tampered["name"] = "Confined Space Entry — Level 3"
    report = _verifier(offline_settings, served).verify_document(tampered, "badge.json")
    assert served.requests == []
    assert not report.verified
    result = _ob25(report)
    assert result.status is Status.NOT_APPLICABLE and "proof did not verify" in result.message


@pytest.mark.parametrize(("refreshed", "reason"), [
    (lambda: _badge(valid_until=RENEWED, credential_id="urn:uuid:00000000-0000-4000-8000-000000000001"),
     "is not the original's"),
    (lambda: _badge(OTHER, valid_until=RENEWED), "the refreshed credential's issuer"),
    (lambda: {**_badge(valid_until=RENEWED), "name": "Changed after signing"}, "proof does not verify"),
    (lambda: {k: v for k, v in _badge(valid_until=RENEWED).items() if k != "proof"}, "proof does not verify"),
    (lambda: ["not", "a", "credential"], "answered no credential"),
], ids=["another-id", "another-issuer", "tampered", "unsigned", "not-an-object"])
def test_a_refresh_that_is_not_the_same_verified_credential_keeps_the_original(
        offline_settings: LoaderSettings, refreshed: Callable[[], Any], reason: str) -> None:
    original = _badge()
    served = Served(_json(refreshed()))
    report = _verifier(offline_settings, served).verify_document(original, "badge.json")
    assert served.requests == [URL]
    assert report.outcome == VERIFIED and report.document == original and report.refreshed_from is None
    result = _ob25(report)
    assert result.status is Status.WARNING and reason in result.message, result.message
    assert "verification continues with the original" in result.message


def test_a_vc_jwt_badge_is_refreshed_after_its_signature_and_may_come_back_as_a_jwt(offline_settings: LoaderSettings) -> None:
    """OB 3.0's VC-JWT securing: the JWT's signature is step 2; the service answers a compact JWS."""
    def unsigned(valid_until: str) -> dict[str, Any]:
        document = ob3_achievement_credential(KEY.controller, credential_id=BADGE_ID, valid_until=valid_until)
        return {**document, "refreshService": SERVICE}

    refreshed = sign_jwt(unsigned(RENEWED), KEY.key, KEY.verification_method, JwtEncoding.OB30)
    served = Served(lambda request: httpx.Response(200, text=refreshed, headers={"Content-Type": "text/plain"}))
    token = sign_jwt(unsigned(EXPIRED), KEY.key, KEY.verification_method, JwtEncoding.OB30)
    report = _verifier(offline_settings, served).verify_jwt(token, "badge.jwt", VerifyOptions())
    assert served.requests == [URL] and report.outcome == VERIFIED, report.to_json()["errors"]
    assert _ob25(report).status is Status.PASSED and report.source_secured_by == "jwt"
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    report = _verifier(offline_settings, served).verify_jwt(forged, "badge.jwt", VerifyOptions())
    assert served.requests == [URL] and _ob25(report).status is Status.NOT_APPLICABLE  # no second request


def test_an_endorsement_is_refreshed_by_its_own_steps(offline_settings: LoaderSettings) -> None:
    """OB 3.0's EndorsementCredential verification has the same step 3: the endorsement carried by a
    badge (here without a refresh service of its own) is refreshed once, after its own proof."""
    endorsement = endorsement_credential(OTHER.controller, "https://riverside.example/achievements/confined-space-entry-2",
                                         credential_id="urn:uuid:9e1d2c3b-0000-4000-8000-00000000e001")
    endorsement["refreshService"] = SERVICE
    served = Served(_json(OTHER.sign({**endorsement, "validFrom": "2026-01-11T00:00:00Z"}, "eddsa-rdfc-2022", _PROCESSOR)))
    badge = ob3_achievement_credential(KEY.controller, credential_id=BADGE_ID)
    badge["credentialSubject"]["achievement"]["endorsement"] = [OTHER.sign(endorsement, "eddsa-rdfc-2022", _PROCESSOR)]
    report = _verifier(offline_settings, served).verify_document(KEY.sign(badge, "eddsa-rdfc-2022", _PROCESSOR), "badge.json")
    assert served.requests == [URL] and report.outcome == VERIFIED, report.to_json()["errors"]
    assert not [r for r in report.checks if r.requirement == "OB-25"]
    (nested,) = report.nested
    assert _ob25(nested).status is Status.PASSED and nested.document["validFrom"] == "2026-01-11T00:00:00Z"


# -- the refresh URL as a hostile input -----------------------------------------------------------------------------
def test_a_garbage_body_keeps_the_original_with_a_clear_reason(offline_settings: LoaderSettings) -> None:
    served = Served(lambda request: httpx.Response(200, content=b"\x89PNG\r\n\x1a\n\x00\x00garbage"))
    report = _verifier(offline_settings, served).verify_document(_badge(), "badge.json")
    assert report.outcome == VERIFIED
    result = _ob25(report)
    assert result.status is Status.WARNING and "not UTF-8 text" in result.message


def test_a_text_body_that_is_no_credential_keeps_the_original(offline_settings: LoaderSettings) -> None:
    served = Served(lambda request: httpx.Response(200, text="<html>Service temporarily unavailable</html>"))
    report = _verifier(offline_settings, served).verify_document(_badge(), "badge.json")
    assert report.outcome == VERIFIED
    assert "neither JSON nor a compact JWT" in _ob25(report).message


def test_a_huge_body_is_cut_at_the_document_limit(offline_settings: LoaderSettings) -> None:
    served = Served(lambda request: httpx.Response(200, content=b"{" + b" " * (MAX_DOCUMENT_BYTES + 10) + b"}"))
    report = _verifier(offline_settings, served).verify_document(_badge(), "badge.json")
    assert report.outcome == VERIFIED
    result = _ob25(report)
    assert result.status is Status.WARNING and "exceeded the 2 MB limit" in result.message


def test_a_private_address_is_refused_before_any_connection(offline_settings: LoaderSettings) -> None:
    """10.0.0.1 is only ever a value here: the guard refuses it before the transport is asked."""
    served = Served(_json(_badge(valid_until=RENEWED)))
    badge = _badge(service={"id": "http://10.0.0.1/refresh/1", "type": "1EdTechCredentialRefresh"})
    report = _verifier(offline_settings, served, named=False, offline=False).verify_document(badge, "badge.json")
    assert served.requests == []
    assert report.outcome == VERIFIED
    result = _ob25(report)
    assert result.status is Status.WARNING and "non-public address 10.0.0.1" in result.message


@pytest.mark.parametrize("url", ["file:///etc/passwd", "urn:uuid:7d1c2b3a-0000-4000-8000-000000000002", "ftp://issuer.example/refresh"])
def test_a_refresh_service_that_is_not_an_http_url_is_not_fetched(offline_settings: LoaderSettings, url: Any) -> None:
    served = Served(_json(_badge(valid_until=RENEWED)))
    report = _verifier(offline_settings, served).verify_document(
        _badge(service={"id": url, "type": "1EdTechCredentialRefresh"}), "badge.json")
    assert served.requests == [] and report.outcome == VERIFIED
    result = _ob25(report)
    assert result.status is Status.WARNING and "not an http(s) URL" in result.message


def test_a_redirect_to_a_refused_address_is_not_followed(offline_settings: LoaderSettings) -> None:
    served = Served(lambda request: httpx.Response(302, headers={"Location": "http://10.0.0.1/refresh/1"}))
    report = _verifier(offline_settings, served).verify_document(_badge(), "badge.json")
    assert served.requests == [URL]  # the redirect was answered, and nothing went where it pointed
    assert report.outcome == VERIFIED
    assert "redirected to another origin (http://10.0.0.1/refresh/1); not followed" in _ob25(report).message


def test_offline_the_refresh_is_not_attempted_and_not_held_against_the_badge(offline_settings: LoaderSettings) -> None:
    served = Served(_json(_badge(valid_until=RENEWED)))
    report = _verifier(offline_settings, served, named=False).verify_document(_badge(), "badge.json")
    assert served.requests == [] and report.outcome == VERIFIED
    result = _ob25(report)
    assert result.status is Status.NOT_APPLICABLE and "offline" in result.message


def test_only_a_1edtech_refresh_service_of_an_open_badge_is_followed() -> None:
    badge = ob3_achievement_credential(KEY.controller, credential_id=BADGE_ID)
    assert refreshable({**badge, "refreshService": [{"id": URL, "type": "ManualRefreshService2018"}, SERVICE]})
    assert not refreshable({**badge, "refreshService": {"id": URL, "type": "VerifiableCredentialRefreshService2021"}})
    assert not refreshable({**badge, "type": ["VerifiableCredential"], "refreshService": SERVICE})
    assert refreshable({**badge, "type": ["VerifiableCredential", "EndorsementCredential"], "refreshService": SERVICE})


# -- lerconf verify ----------------------------------------------------------------------------------------------
def test_lerconf_verify_refreshes_through_the_url_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`lerconf verify` refreshes by the loader's rules: here offline, the refresh URL mapped to a file."""
    (tmp_path / "refreshed.json").write_text(json.dumps(_badge(valid_until=RENEWED)), encoding="utf-8")
    (tmp_path / "map.json").write_text(json.dumps({URL: "refreshed.json"}), encoding="utf-8")
    badge = tmp_path / "badge.json"
    badge.write_text(json.dumps(_badge(valid_until=EXPIRED)), encoding="utf-8")
    assert main(["verify", "--offline", "--json", "-j", "1", "--url-map", str(tmp_path / "map.json"), str(badge)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verified"] is True and out["refreshed_from"]["checks"]
    assert any(c["id"] == "OB-25" and c["status"] == "passed" for c in out["checks"])
    assert main(["verify", "--offline", "--json", "-j", "1", str(badge)]) == 1  # unmapped: not refreshed, expired
    out = json.loads(capsys.readouterr().out)
    assert "refreshed_from" not in out


def test_refreshing_copies_nothing_into_the_original(offline_settings: LoaderSettings) -> None:
    original = _badge()
    before = copy.deepcopy(original)
    _verifier(offline_settings, Served(_json(_badge(valid_until=RENEWED)))).verify_document(original, "badge.json")
    assert original == before


@pytest.mark.parametrize("url", ["https://issuer.example:99999/refresh", "https://issuer.example:123456789/refresh"])
def test_a_refresh_url_that_cannot_be_parsed_keeps_the_original_instead_of_crashing(
        offline_settings: LoaderSettings, url: str) -> None:
    served = Served(_json(_badge(valid_until=RENEWED)))
    report = _verifier(offline_settings, served).verify_document(
        _badge(service={"id": url, "type": "1EdTechCredentialRefresh"}), "badge.json")
    assert served.requests == [] and report.outcome == VERIFIED
    result = _ob25(report)
    assert result.status is Status.WARNING and "not a usable URL" in result.message


def test_lerconf_judging_what_a_vendor_delivered_never_refreshes_it(offline_settings: LoaderSettings) -> None:
    """A refresh service could hand back a conformant stand-in for a badge that is not: the harness's engine
    judges the document as delivered (refreshes=False), so its own defects (here: no criteria) count."""
    clean = _badge(valid_until=RENEWED)
    served = Served(_json(clean))
    unsigned = {k: v for k, v in _badge().items() if k != "proof"}
    del unsigned["name"], unsigned["credentialSubject"]["achievement"]["criteria"]
    nameless = KEY.sign(unsigned, "eddsa-rdfc-2022", _PROCESSOR)  # validly signed, not conformant
    judged = Verifier(DocumentLoader(dataclasses.replace(offline_settings, allowed_hosts=frozenset({HOST})),
                                     transport=served.transport), refreshes=False).verify_document(nameless, "badge.json")
    assert served.requests == [] and not [r for r in judged.checks if r.requirement == "OB-25"]
    assert not judged.conformant and judged.document == nameless
    followed = _verifier(offline_settings, served).verify_document(nameless, "badge.json")
    assert served.requests == [URL] and followed.document == clean  # a verifier does refresh (the control)
