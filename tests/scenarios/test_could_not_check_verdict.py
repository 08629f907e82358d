"""Issue 12 (points 2 and 6): when lerconf's engine could not check a vendor's document (it got no
answer for a key or status list), the scenario *cannot be judged* — with the cause and the fix —
never a vendor failure. One rule (lerconf.scenarios.expect.expect_checkable), used by the VC API
Then steps (lerconf.scenarios.vcapi_judge)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile.server import HostileServer

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.loader import FIX_OFFLINE, DocumentLoader, LoaderSettings
from lerconf.documents.netguard import FIX_GUARD
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.evidence import Evidence
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import Issued
from lerconf.scenarios import vcapi_judge
from lerconf.scenarios.expect import expect_checkable
from lerconf.scenarios.vcapi import IssuedBadge
from lerconf.verdicts import CannotJudge
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerificationReport

DID = "did:web:issuer.example"
WEB = Signer(deterministic_key("scenario-could-not-check", "Ed25519"), f"{DID}#key-1", DID)
KEY = Signer.did_key(deterministic_key("scenario-could-not-check-key", "Ed25519"))


@pytest.fixture(scope="module")
def verifier(offline_settings: LoaderSettings, tmp_path_factory: pytest.TempPathFactory) -> Verifier:
    """lerconf's engine, offline, naming no host: a did:web and a loopback status list are out of reach."""
    return Verifier(DocumentLoader(LoaderSettings(
        context_dirs=offline_settings.context_dirs, schema_dirs=offline_settings.schema_dirs,
        cache_dir=tmp_path_factory.mktemp("cache"), offline=True, fetch_timeout=2.0)))


@pytest.fixture(scope="module")
def plain() -> Iterator[HostileServer]:
    with HostileServer(lifetime=120) as server:
        yield server


def issued(verifier: Verifier, credential: dict[str, Any]) -> IssuedBadge:
    exchange = Exchange("POST", "https://issuer.vendor.example/credentials/issue", {}, {}, Outcome.ACCEPTED,
                        "HTTP 201", status=201, json={"verifiableCredential": credential})
    return IssuedBadge({}, Issued(exchange, credential), verifier.verify_document(credential, "issued credential"))


def did_web_badge(verifier: Verifier) -> IssuedBadge:
    return issued(verifier, WEB.sign(ob3_achievement_credential(DID), "eddsa-rdfc-2022", verifier.processor))


def status_badge(verifier: Verifier, list_url: str) -> IssuedBadge:
    status = {"id": f"{list_url}#3", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
              "statusListIndex": "3", "statusListCredential": list_url}
    credential = ob3_achievement_credential(KEY.controller, credential_status=status)
    return issued(verifier, KEY.sign(credential, "eddsa-rdfc-2022", verifier.processor))


# -- the rule ------------------------------------------------------------------------------------
def test_only_could_not_check_failures_cannot_be_judged(verifier: Verifier) -> None:
    report = did_web_badge(verifier).report
    assert report is not None
    with pytest.raises(CannotJudge) as caught:
        expect_checkable(report.all_checks())
    reason = caught.value.reason
    assert reason.startswith("cannot be judged: lerconf could not check the vendor's document: CID-01: cannot resolve ")
    assert f"DI-07: cannot resolve {DID}#key-1" in reason and reason.endswith(f"(fix: {FIX_OFFLINE})")


def test_a_real_failure_beside_them_is_judged(verifier: Verifier) -> None:
    credential = WEB.sign(ob3_achievement_credential(DID), "eddsa-rdfc-2022", verifier.processor)
    credential["credentialSubject"] = "not an object"
    report = verifier.verify_document(credential)
    assert report.outcome == "failed"
    expect_checkable(report.all_checks())  # no CannotJudge: the vendor's own defect decides


def test_nothing_applied_and_the_report_could_not_check_cannot_be_judged(verifier: Verifier) -> None:
    report = did_web_badge(verifier).report
    with pytest.raises(CannotJudge):
        expect_checkable([], report)
    expect_checkable([], VerificationReport("x", "credential"))  # nothing unchecked: the caller judges


# -- the VC API Then steps -----------------------------------------------------------------------
@pytest.mark.parametrize("requirement", ["DI-07", "CID-01"])
def test_issuer_binding_of_an_unreachable_did_web_cannot_be_judged(verifier: Verifier, requirement: str) -> None:
    evidence = Evidence()
    with pytest.raises(CannotJudge) as caught:
        vcapi_judge.issued_credential_satisfies(evidence, did_web_badge(verifier), requirement)
    assert f"cannot resolve {DID}#key-1" in caught.value.reason and FIX_OFFLINE in caught.value.reason
    assert "none of the parts" not in caught.value.reason
    assert any(r.requirement == requirement and r.details.get("could_not_check") for r in evidence.checks)


def test_the_proof_of_an_unreachable_did_web_cannot_be_judged(verifier: Verifier) -> None:
    with pytest.raises(CannotJudge, match="could not check the vendor's document"):
        vcapi_judge.issued_proof_verifies(Evidence(), did_web_badge(verifier))


def test_a_status_list_on_a_refused_host_cannot_be_judged(offline_settings: LoaderSettings, tmp_path: Path,
                                                          plain: HostileServer) -> None:
    online = Verifier(DocumentLoader(LoaderSettings(context_dirs=offline_settings.context_dirs,
                                                    schema_dirs=offline_settings.schema_dirs, cache_dir=tmp_path,
                                                    fetch_timeout=2.0)))  # online, but naming no host
    badge = status_badge(online, plain.serve("/status/1", {"never": "fetched"}))
    with pytest.raises(CannotJudge) as caught:
        vcapi_judge.issued_credential_satisfies(Evidence(), badge, "BSL-04")  # composed: its parts never ran
    assert "BSL-13: status list http://127.0.0.1:" in caught.value.reason and FIX_GUARD in caught.value.reason
    assert "none of its parts applied" not in caught.value.reason


def test_a_vendors_own_defect_still_fails(verifier: Verifier) -> None:
    credential = KEY.sign(ob3_achievement_credential(KEY.controller), "eddsa-rdfc-2022", verifier.processor)
    credential["name"] = "changed after signing"
    with pytest.raises(AssertionError):
        vcapi_judge.issued_proof_verifies(Evidence(), issued(verifier, credential))
