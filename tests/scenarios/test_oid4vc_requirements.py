"""The OID4VCI issuer and OID4VP verifier scenarios judge every requirement id through a table
(lerconf.scenarios.oid4vci_requirements / oid4vp_requirements) and every refusal under the one
positive-control mechanism: a refusal counts only when the vendor accepts the valid counterpart."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pytest_bdd.parser import FeatureParser

from lerconf.checks.base import CHECKS
from lerconf.evidence import Evidence
from lerconf.exchange import Exchange
from lerconf.outcome import classify_status
from lerconf.protocol.oid4vci import Answer, Metadata
from lerconf.protocol.vp_verdict import Observation, Seen
from lerconf.requirements import all_requirements
from lerconf.results import Status
from lerconf.scenarios import oid4vci_issuer as issuer
from lerconf.scenarios import oid4vci_requirements as vci
from lerconf.scenarios import oid4vp_requirements as vp
from lerconf.scenarios.oid4vci_flow import Attempt, Issuance, VciSession
from lerconf.scenarios.oid4vp_verifier import PresentationAnswer
from lerconf.scenarios.subjects import satisfied
from lerconf.verdicts import Broken, CannotJudge

FEATURES = Path(__file__).resolve().parents[2] / "features"
VCI_TABLES = [vci.METADATA, vci.CONFIGURATION, vci.AUTHORIZATION_SERVER, vci.OFFER, vci.TOKEN_RESPONSE,
              vci.ISSUANCE_TOKEN, vci.NONCES, vci.REFUSAL, vci.CREDENTIAL_RESPONSE, vci.DEFERRED, vci.ISSUED]
VP_TABLES = [vp.REQUEST, vp.ANSWER, vp.SUCCESS, vp.NO_SUCCESS, vp.REFUSED]
ISSUER = "https://issuer.example/tenant"
#: how a step names the id it judges: 'satisfies "VCI-01"', 'satisfy "VCI-11"', ', satisfying "VP-06"'
JUDGES = re.compile(r'satisf(?:ies|y|ying) "([A-Z]+-\d+)"')


def answer(status: int, body: Any) -> Answer:
    return Answer(Exchange("POST", f"{ISSUER}/credential", {}, None, classify_status(status), f"HTTP {status}", status, {}),
                  body)


def _scenarios(folder: str) -> list[tuple[str, set[str], set[str]]]:
    """(name, tagged ids, ids its steps judge) of every scenario in features/<folder>."""
    out = []
    for path in sorted((FEATURES / folder).glob("*.feature")):
        feature = FeatureParser(str(path.parent), path.name).parse()
        for scenario in feature.scenarios.values():
            tagged = {t for t in set(scenario.tags) | set(feature.tags) if t in all_requirements()}
            judged = {rid for step in scenario.steps for rid in JUDGES.findall(step.name)}
            out.append((f"{path.name}: {scenario.name}", tagged, judged))
    return out


@pytest.mark.parametrize("folder,tables", [("oid4vci", VCI_TABLES), ("oid4vp", VP_TABLES)])
def test_every_scenario_judges_its_tagged_id_through_a_table_with_checks(folder: str, tables: list[Any]) -> None:
    scenarios = _scenarios(folder)
    disagree = [name for name, tagged, judged in scenarios if tagged != judged]
    assert scenarios and not disagree, disagree
    in_tables = {rid for table in tables for rid in table}
    asserted = {rid for _, _, judged in scenarios for rid in judged}
    assert asserted <= in_tables, sorted(asserted - in_tables)
    assert all(CHECKS.get(rid) for rid in in_tables), [rid for rid in in_tables if not CHECKS.get(rid)]


def test_an_id_a_subject_does_not_judge_is_a_mismatch_not_a_verdict() -> None:
    with pytest.raises(KeyError, match="VCI-99 is not judged on this subject"):
        satisfied(vci.TOKEN_RESPONSE, "VCI-99", None)


# -- OID4VCI: a refusal counts only under its positive control ----------------------------------------
def _session() -> VciSession:
    section = SimpleNamespace(formats=("ldp_vc",), mode="final")
    return VciSession(None, section, Metadata(ISSUER, None, None, None))  # type: ignore[arg-type]


def _refused_proof() -> Attempt:
    return Attempt(_session(), answer(400, {"error": "invalid_proof"}), "the credential request", "alg none")


def _issuing(monkeypatch: pytest.MonkeyPatch, status: int, body: Any) -> list[str]:
    formats: list[str] = []

    def flow(session: VciSession, evidence: Evidence, fmt: str) -> Issuance:
        formats.append(fmt)
        return Issuance(session, fmt, answer(status, body), (body or {}).get("credentials"))
    monkeypatch.setitem(issuer.VALID_FLOWS, "pre-authorized", flow)
    return formats


def test_a_refusal_counts_when_the_issuer_accepts_a_valid_issuance(monkeypatch: pytest.MonkeyPatch) -> None:
    formats = _issuing(monkeypatch, 200, {"credentials": [{"credential": {"type": ["VerifiableCredential"]}}]})
    evidence, attempt = Evidence(), _refused_proof()
    vci.expect_refusal(evidence, attempt, "VCI-16", None, issuer.valid_issuance(attempt.session, evidence))
    assert formats == ["ldp_vc"]
    assert [r.status for r in evidence.checks] == [Status.PASSED]
    assert evidence.notes == ["positive control: a valid pre-authorized issuance in a fresh session was accepted"]


def test_a_refusal_cannot_be_judged_when_the_issuer_refuses_the_valid_issuance_too(monkeypatch: pytest.MonkeyPatch) -> None:
    _issuing(monkeypatch, 400, {"error": "invalid_proof"})
    evidence, attempt = Evidence(), _refused_proof()
    with pytest.raises(CannotJudge, match="a valid pre-authorized issuance in a fresh session was refused"):
        vci.expect_refusal(evidence, attempt, "VCI-16", None, issuer.valid_issuance(attempt.session, evidence))


def test_an_accepted_defective_request_fails_before_any_control(monkeypatch: pytest.MonkeyPatch) -> None:
    formats = _issuing(monkeypatch, 200, {})
    evidence = Evidence()
    accepted = Attempt(_session(), answer(200, {"credentials": []}), "the credential request", "alg none")
    with pytest.raises(AssertionError, match="VCI-16: a key proof with alg none was accepted"):
        vci.expect_refusal(evidence, accepted, "VCI-16", None, issuer.valid_issuance(accepted.session, evidence))
    assert formats == []


def test_a_refusal_without_an_answer_is_broken() -> None:
    attempt = Attempt(_session(), answer(503, {}), "the credential request", "alg none")
    with pytest.raises(Broken, match="the credential request: server_error"):
        vci.expect_refusal(Evidence(), attempt, "VCI-16", None, lambda: None)


def test_the_error_the_feature_names_is_the_one_expected() -> None:
    attempt = Attempt(_session(), answer(400, {"error": "invalid_proof"}), "the credential request", "a replayed nonce")
    evidence = Evidence()
    vci.expect_refusal(evidence, attempt, "VCI-15", "invalid_nonce", lambda: None)
    assert [(r.requirement, r.status) for r in evidence.checks] == [("VCI-15", Status.WARNING)]


# -- OID4VP: the verdict, then the positive control -----------------------------------------------------
def _presentation(seen: Seen, status: int = 200) -> PresentationAnswer:
    exchange = Exchange("POST", "https://v.example/response", {}, None, classify_status(status), f"HTTP {status}", status, {})
    return PresentationAnswer(exchange, Observation(seen, f"verified: {seen is Seen.SUCCESS}", "result_hook"),
                              sent="a presentation bound to another nonce")


def _refusing_control() -> None:
    raise AssertionError("the verifier did not accept a valid presentation (failure)")


def test_a_verifier_refusing_everything_passes_no_negative() -> None:
    with pytest.raises(CannotJudge, match="a valid presentation in a fresh transaction was refused"):
        vp.expect_no_success(Evidence(), _presentation(Seen.FAILURE), "VP-06", _refusing_control)


def test_a_reported_success_fails_before_the_control() -> None:
    ran: list[bool] = []
    with pytest.raises(AssertionError, match="VP-06: the verifier reported success for a presentation bound to another"):
        vp.expect_no_success(Evidence(), _presentation(Seen.SUCCESS), "VP-06", lambda: ran.append(True))
    assert not ran


def test_a_refusal_with_an_accepted_control_passes_with_its_check_in_the_evidence() -> None:
    evidence = Evidence()
    vp.expect_refused(evidence, _presentation(Seen.NOT_OBSERVABLE, 400), "VP-04", lambda: None)
    assert [(r.requirement, r.status) for r in evidence.checks] == [("VP-04", Status.PASSED)]
    assert evidence.notes == ["positive control: a valid presentation in a fresh transaction was accepted"]


def test_a_direct_post_without_an_answer_is_broken_not_refused() -> None:
    with pytest.raises(Broken, match="expected a 400 refusal, got server_error"):
        vp.expect_refused(Evidence(), _presentation(Seen.BROKEN, 502), "VP-04", lambda: None)
