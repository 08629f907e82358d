"""A displayer and a verifier web page tested by hand, end to end (`lerconf run --vendor` with a
displayer / page_verifier section), with robot operators in threads: an honest robot produces
attested rows that pass and automated rows decided by lerconf's own endpoints; a robot that reports
wrong things gets failed rows for the right reason; nothing a person reported is ever automated."""
from __future__ import annotations

import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from faulty.runs import _restored_environment
from manual_robot import PNG, Attest, AttestPolicy, Robot, honest

from lerconf.run.runner import RunOptions, run
from lerconf.runlog import load_results

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
@pytest.fixture(autouse=True)
def quiet_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps go to /dev/tty for a person; not from a test."""
    monkeypatch.setattr("lerconf.clients.manual.operator.terminal", io.StringIO)


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def person_run(tmp: Path, role: str, attest: AttestPolicy = honest, *, vc_versions: tuple[str, ...] = ("2.0", "1.1"),
               timeout_s: float = 30, recipient_check: bool = False) -> tuple[int, Path, dict[str, dict[str, Any]], Robot]:
    port = _free_port()
    profile = tmp / "viewer.json"
    claims: dict[str, Any] = {"vc_versions": list(vc_versions), **({"recipient_check": True} if recipient_check else {})}
    profile.write_text(json.dumps({"name": "Robot Viewer", role: {
        "open": "the robot's screen", "timeout_s": timeout_s, "page_port": port, "claims": claims}}), encoding="utf-8")
    with _restored_environment(), Robot(f"http://127.0.0.1:{port}/", attest=attest) as robot:
        code, run_dir = run(RunOptions(vendors=[profile], roles=[role], out=tmp / "reports"))
    assert not robot.errors, robot.errors
    found = [s for s in load_results(run_dir / "results.json")["scenarios"] if role in s["tags"]]
    unclaimed = [s for s in found if s["status"] == "skipped" and "not claimed" in s["reason"]]
    by_recipient = [s for s in unclaimed if "OB-28" in s["tags"] and "VC 1.1" not in s["name"]]
    assert bool(by_recipient) == (role == "page_verifier" and not recipient_check)  # the OB-28 rows need the claim
    assert all("does not claim recipient_check" in s["reason"] for s in by_recipient)
    by_version = [s for s in unclaimed if s not in by_recipient]  # unclaimed VC versions
    assert all(f"vc_version={v}" in s["reason"] for s in by_version for v in {"2.0", "1.1"} - set(vc_versions))
    assert bool(by_version) == (len(vc_versions) < 2 or bool(by_recipient))
    return code, run_dir, {s["name"]: s for s in found if s["status"] != "skipped"}, robot


def _by_status(scenarios: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, s in scenarios.items():
        out.setdefault(s["status"], []).append(name)
    return out


def test_an_honest_operator_passes_the_displayer_with_attested_and_automated_rows(tmp_path: Path) -> None:
    code, run_dir, scenarios, robot = person_run(tmp_path, "displayer")
    statuses = _by_status(scenarios)
    assert set(statuses) == {"passed"} and len(scenarios) == 16, statuses
    assert len(robot.handled) == 6 and {h["saw"]["status"] for h in robot.handled} == {"valid", "expired", "revoked"}
    attested = [s for s in scenarios.values() if "attested" in s["tags"]]
    automated = [s for s in scenarios.values() if "attested" not in s["tags"]]
    assert len(attested) == 12 and all(s["judged_by"] == "attested" and s["evidence"]["attestations"] for s in attested)
    # nothing a person reported is ever automated: the automated rows carry no attestation and no judged_by
    assert len(automated) == 4 and all("judged_by" not in s and "attestations" not in s["evidence"] for s in automated)
    fetched = next(s for s in automated if "status list" in s["name"] and "VC 1.1" in s["name"])
    assert "fetched" in fetched["evidence"]["checks"][0]["message"]
    shot = attested[0]["evidence"]["attestations"][0]["screenshots"][0]
    assert shot["bytes"] == len(PNG) and shot["content_type"] == "image/png"
    assert code == 0
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "displayer (attested)" in report and "attested: conformant" in report
    schema = json.loads((resources.files("lerconf.data") / "results.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(load_results(run_dir / "results.json"), schema)


def _mistaken(step: dict[str, Any], seen: dict[str, str]) -> Attest:
    """Says the revoked badge showed as valid, and the issuer name of every badge differed."""
    answers = dict(seen)
    if seen.get("status") == "revoked":
        answers["status"] = "valid"
    answers["issuer"] = "different"
    return "reported", answers, None


def test_a_revoked_badge_reported_valid_fails_ob_30_and_wrong_details_fail_ob_31(tmp_path: Path) -> None:
    code, _, scenarios, _ = person_run(tmp_path, "displayer", _mistaken, vc_versions=("2.0",))
    revoked = scenarios["Displayer shows the revoked badge as revoked (VC 2.0)"]
    assert revoked["status"] == "failed" and revoked["judged_by"] == "attested"
    assert "revoked badge shown as valid / verified, not as revoked" in revoked["reason"]
    question = next(q for q in revoked["evidence"]["attestations"][0]["questions"] if q["id"] == "status")
    assert (question["answer"], question["verdict"]) == ("valid / verified", "failed")
    assert scenarios["Displayer shows the valid badge as valid (VC 2.0)"]["status"] == "passed"
    details = [s for n, s in scenarios.items() if n.startswith("Displayer shows the badge's image")]
    assert details and all(s["status"] == "failed" and "issuer name shown differently" in s["reason"] for s in details)
    # what lerconf saw on its own endpoints is unaffected by what the operator said
    assert scenarios["Displayer fetches the status list of the revoked badge it shows (VC 2.0)"]["status"] == "passed"
    assert code == 1


def _blind(step: dict[str, Any], seen: dict[str, str]) -> Attest:
    """A displayer that fetches nothing: the operator reports honestly what a cached screen would show."""
    return "reported", seen, None


def test_a_displayer_that_never_fetched_the_status_list_fails_lcd_01(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import manual_robot

    def look_without_fetching(client: Any, step: dict[str, Any]) -> dict[str, str]:
        answers = {q["id"]: "same" for q in step["questions"] if q["shown"]}
        return {**answers, "form": "json", "image": "missing", "status": "valid"}

    monkeypatch.setattr(manual_robot, "look", look_without_fetching)
    _, _, scenarios, _ = person_run(tmp_path, "displayer", _blind, vc_versions=("2.0",))
    fetch = scenarios["Displayer fetches the status list of the revoked badge it shows (VC 2.0)"]
    assert fetch["status"] == "failed" and "never saw" in fetch["reason"] and "judged_by" not in fetch
    key = scenarios["Displayer resolves the issuer's key to verify the badge it shows (VC 2.0)"]
    assert key["status"] == "failed" and "did.json" in key["reason"]


def test_an_operator_who_never_answers_breaks_the_rows_instead_of_passing_them(tmp_path: Path) -> None:
    code, _, scenarios, _ = person_run(tmp_path, "displayer", lambda step, seen: ("ignore", {}, None),
                                       vc_versions=("2.0",), timeout_s=1)
    assert {s["status"] for s in scenarios.values()} == {"broken"}
    assert any("timeout" in s["reason"] for s in scenarios.values()) and code == 1


def test_an_honest_operator_passes_the_verifier_page(tmp_path: Path) -> None:
    code, _, scenarios, robot = person_run(tmp_path, "page_verifier")
    statuses = _by_status(scenarios)
    assert set(statuses) == {"passed"} and len(scenarios) == 16, statuses  # no schema-defect row for VC 1.1
    assert len(robot.handled) == 9
    assert all(s["judged_by"] == "attested" for s in scenarios.values())
    reasons = {h["saw"]["reason"] for h in robot.handled}
    assert reasons == {"none", "signature", "schema", "expired", "revoked"}
    assert code == 0


def test_a_page_that_takes_the_recipient_confirms_theirs_and_tells_another_persons_apart(tmp_path: Path) -> None:
    code, _, scenarios, robot = person_run(tmp_path, "page_verifier", recipient_check=True)
    recipient = {n: s for n, s in scenarios.items() if "OB-28" in s["tags"]}
    assert len(recipient) == 4 and {s["status"] for s in recipient.values()} == {"passed"}, _by_status(scenarios)
    assert len(scenarios) == 20 and len(robot.handled) == 13 and code == 0
    asked = [h for h in robot.handled if "recipient" in h["saw"]]
    assert sorted(h["saw"]["recipient"] for h in asked) == ["match", "match", "mismatch", "mismatch"]
    question = recipient["Verifier page confirms a badge belongs to the recipient it names by a hashed email (VC 2.0)"][
        "evidence"]["attestations"][0]["questions"][0]
    assert (question["id"], question["verdict"]) == ("recipient", "passed")


def _ignores_the_recipient(step: dict[str, Any], seen: dict[str, str]) -> Attest:
    """A page that verifies the badge and says "theirs" whatever recipient it was given (skips step 5)."""
    return ("reported", {"recipient": "match"}, None) if "recipient" in seen else ("reported", seen, None)


def test_a_page_that_skips_the_hashed_recipient_check_fails_ob_28(tmp_path: Path) -> None:
    code, _, scenarios, _ = person_run(tmp_path, "page_verifier", _ignores_the_recipient, vc_versions=("2.0",),
                                       recipient_check=True)
    other = scenarios["Verifier page says a badge of another recipient is not the recipient's it was given (VC 2.0)"]
    assert other["status"] == "failed" and other["judged_by"] == "attested" and other["severity"] == "SHOULD"
    assert "the badge is this recipient's; the badge does not name the recipient lerconf gave" in other["reason"]
    assert scenarios["Verifier page confirms a badge belongs to the recipient it names by a hashed email (VC 2.0)"][
        "status"] == "passed"
    # a recommendation not followed: the row fails with severity SHOULD, the run exits 0
    assert {s["status"] for n, s in scenarios.items() if "OB-28" not in s["tags"]} == {"passed"} and code == 0


def _never_checks_the_recipient(step: dict[str, Any], seen: dict[str, str]) -> Attest:
    return ("reported", {"recipient": "unchecked"}, None) if "recipient" in seen else ("reported", seen, None)


def test_a_page_that_never_checks_the_recipient_fails_the_control_and_is_not_judged_on_the_other(tmp_path: Path) -> None:
    code, run_dir, scenarios, _ = person_run(tmp_path, "page_verifier", _never_checks_the_recipient,
                                             vc_versions=("2.0",), recipient_check=True)
    mine = scenarios["Verifier page confirms a badge belongs to the recipient it names by a hashed email (VC 2.0)"]
    assert mine["status"] == "failed" and "the page did not check the recipient" in mine["reason"]
    every = {s["name"]: s for s in load_results(run_dir / "results.json")["scenarios"]}
    other = every["Verifier page says a badge of another recipient is not the recipient's it was given (VC 2.0)"]
    assert other["status"] == "skipped" and "cannot be judged" in other["reason"] and "did not confirm" in other["reason"]
    assert mine["severity"] == "SHOULD" and code == 0


def _accepts_broken_signature(step: dict[str, Any], seen: dict[str, str]) -> Attest:
    if seen.get("reason") == "signature":
        return "reported", {"verdict": "valid", "reason": "none"}, None
    if seen.get("reason") == "expired":  # right verdict, wrong reason
        return "reported", {"verdict": "invalid", "reason": "signature"}, None
    return "reported", seen, None


def test_a_page_accepting_a_broken_signature_fails_and_a_wrong_reason_is_marked(tmp_path: Path) -> None:
    code, _, scenarios, _ = person_run(tmp_path, "page_verifier", _accepts_broken_signature, vc_versions=("2.0",))
    broken = scenarios["Verifier page refuses a badge whose signature is broken (VC 2.0)"]
    assert broken["status"] == "failed" and "whose signature is broken shown as valid" in broken["reason"]
    expired = scenarios["Verifier page refuses an expired badge that is validly signed (VC 2.0)"]
    assert expired["status"] == "passed"
    reason = scenarios["Verifier page names the defect it refused a badge for (expired, VC 2.0)"]
    assert reason["status"] == "failed" and reason["severity"] == "SHOULD"
    assert "right verdict, wrong reason" in reason["reason"] and "expired" in reason["reason"]
    answered = next(q for q in reason["evidence"]["attestations"][0]["questions"] if q["id"] == "reason")
    assert answered["verdict"] == "warning" and answered["answer"] == "the signature or proof is wrong"
    # the broken signature's reason row: the page did not refuse it, so there is no reason to judge
    unjudged = scenarios.get("Verifier page names the defect it refused a badge for (broken-signature, VC 2.0)")
    assert unjudged is None  # skipped (cannot be judged), filtered with the skipped rows
    assert code == 1


def _refuses_everything(step: dict[str, Any], seen: dict[str, str]) -> Attest:
    return "reported", {"verdict": "invalid", "reason": "other"}, None


def test_a_page_refusing_everything_passes_no_refusal(tmp_path: Path) -> None:
    code, run_dir, scenarios, _ = person_run(tmp_path, "page_verifier", _refuses_everything, vc_versions=("2.0",))
    valid = scenarios["Verifier page shows a valid badge as valid (VC 2.0)"]
    assert valid["status"] == "failed" and "valid badge shown as not valid" in valid["reason"]
    assert not [n for n, s in scenarios.items() if s["status"] == "passed"], _by_status(scenarios)
    every = [s for s in load_results(run_dir / "results.json")["scenarios"] if "page_verifier" in s["tags"]]
    refusals = [s for s in every if "refuses" in s["name"] and "VC 2.0" in s["name"]]
    assert len(refusals) == 4 and all(s["status"] == "skipped" and "cannot be judged" in s["reason"] for s in refusals)
    assert code == 1


def test_lerconf_run_displayer_needs_no_profile(tmp_path: Path) -> None:
    from lerconf.run.cli import main

    port = _free_port()
    with _restored_environment(), Robot(f"http://127.0.0.1:{port}/") as robot:
        code = main(["run", "--displayer", "the robot's screen", "--manual-port", str(port), "--out", str(tmp_path)])
    assert not robot.errors and code == 0, robot.errors
    (run_dir,) = [p for p in tmp_path.iterdir() if p.is_dir() and not p.is_symlink()]
    ran = [s for s in load_results(run_dir / "results.json")["scenarios"] if s["status"] != "skipped"]
    assert len(ran) == 16 and {s["role"] for s in ran} == {"displayer"} and len(robot.handled) == 6


def test_a_replay_never_waits_for_a_person(tmp_path: Path) -> None:
    """What a person reported cannot be asked again: a replay skips every displayer scenario as not
    replayed (the answers stay in the recorded evidence) instead of opening an operator page."""
    from lerconf.run.cli import main

    port = _free_port()
    with _restored_environment(), Robot(f"http://127.0.0.1:{port}/") as robot:
        assert main(["run", "--record", "--displayer", "the robot's screen", "--manual-port", str(port),
                     "--out", str(tmp_path / "rec")]) == 0
    assert len(robot.handled) == 6
    with _restored_environment():
        assert main(["replay", str((tmp_path / "rec" / "latest").resolve()), "--out", str(tmp_path / "rep")]) == 0
    replayed = [s for s in load_results((tmp_path / "rep" / "latest").resolve() / "results.json")["scenarios"]
                if s["role"] == "displayer"]
    assert len(replayed) == 32 // 2 and all(s["status"] == "skipped" for s in replayed)
    assert all("not replayed: a person reported what the screen showed" in s["reason"] for s in replayed)
