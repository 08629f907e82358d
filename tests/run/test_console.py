"""The console of `lerconf run` (lerconf.run.console) and the --tags check (lerconf.run.tags), unit by unit.

End-to-end runs that print it are in tests/e2e/test_ci_console.py.
"""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lerconf.run import tags as tagmod
from lerconf.run.console import (
    Console,
    github_data,
    github_property,
    group_failures,
    is_role_not_selected,
    one_line,
    role_not_selected,
    use_color,
)
from lerconf.run.runner import check_tags, features_dir

ANSI = "\033["


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _scenario(name: str, status: str, reason: str = "", *, vendor: str = "Acme", severity: str = "MUST",
              req: str = "VCDM-08") -> dict[str, Any]:
    return {"id": f"f.feature::{name}::{vendor}", "name": name, "vendor": vendor, "status": status, "reason": reason,
            "severity": severity, "requirement_ids": [req], "role": "issuer"}


def _lines(console_stream: io.StringIO) -> list[str]:
    return console_stream.getvalue().splitlines()


def test_one_line_flattens_and_truncates() -> None:
    assert one_line("a\n  b\r\n\tc") == "a b c"
    long = "word " * 100
    cut = one_line(long, 50)
    assert len(cut) == 50 and cut.endswith("...") and "\n" not in cut


def test_github_escaping() -> None:
    assert github_data("100% sure\r\nnext") == "100%25 sure%0D%0Anext"
    assert github_property("a: b, c%\n") == "a%3A b%2C c%25%0A"


@pytest.mark.parametrize("stream, env, expected", [
    (Tty(), {}, True),
    (Tty(), {"NO_COLOR": "1"}, False),
    (Tty(), {"NO_COLOR": ""}, True),  # no-color.org: set *and not empty*
    (io.StringIO(), {}, False),
])
def test_colour_only_on_a_terminal_without_no_color(stream: io.StringIO, env: dict[str, str], expected: bool) -> None:
    assert use_color(stream, env) is expected
    out = stream
    Console(out, environ=env).scenario(_scenario("x", "failed", "VCDM-08: bad"), 1)
    assert (ANSI in out.getvalue()) is expected


def test_one_line_per_scenario_with_the_reason_of_what_did_not_pass() -> None:
    out = io.StringIO()
    console = Console(out, environ={})
    console.scenario(_scenario("passes", "passed"), 5)
    console.scenario(_scenario("fails", "failed", "VCDM-08: the issuer\nsigned it anyway"), 5)
    console.scenario(_scenario("breaks", "broken", "server_error: HTTP 500"), 5)
    console.scenario(_scenario("unjudged", "skipped", "cannot be judged: the positive control was refused"), 5)
    console.scenario(_scenario("other role", "skipped", role_not_selected("verifier")), 5)
    console.scenario(_scenario("advice", "failed", "OB-05: no description", severity="SHOULD"), 5)
    lines = _lines(out)
    assert lines == [
        "[1/5] PASSED  Acme: passes",
        "[2/5] FAILED  Acme: fails -- VCDM-08: the issuer signed it anyway",
        "[3/5] BROKEN  Acme: breaks -- server_error: HTTP 500",
        "[4/5] SKIPPED Acme: unjudged -- cannot be judged: the positive control was refused",
        "[5/5] FAILED  Acme: advice -- SHOULD: OB-05: no description",
    ]


def test_baseline_marks_known_new_and_fixed() -> None:
    marks = {"known one": "known", "new one": "new", "fixed one": "fixed"}
    out = io.StringIO()
    console = Console(out, environ={}, marker=lambda s: marks.get(str(s["name"]), ""))
    console.scenario(_scenario("known one", "failed", "VCDM-08: still"), 3)
    console.scenario(_scenario("new one", "broken", "HTTP 500"), 3)
    console.scenario(_scenario("fixed one", "passed"), 3)
    assert _lines(out) == [
        "[1/3] KNOWN   Acme: known one -- known failed (baseline): VCDM-08: still",
        "[2/3] BROKEN  Acme: new one -- [new] HTTP 500",
        "[3/3] FIXED   Acme: fixed one",
    ]


def test_a_known_failure_says_why_the_baseline_expects_it() -> None:
    out = io.StringIO()
    console = Console(out, environ={}, marker=lambda s: "known",
                      explain=lambda s: "tracked in ACME-42; https://tracker.example/ACME-42\nsecond line")
    console.scenario(_scenario("known one", "failed", "VCDM-08: still"), 1)
    assert _lines(out) == ["[1/1] KNOWN   Acme: known one -- known failed (baseline: tracked in ACME-42; "
                           "https://tracker.example/ACME-42 second line): VCDM-08: still"]


def test_github_annotations_for_failed_and_broken_only() -> None:
    out = io.StringIO()
    console = Console(out, environ={"GITHUB_ACTIONS": "true"},
                      marker=lambda s: "known" if s["name"] == "known" else "")
    console.scenario(_scenario("Issuer refuses (a, b: c)", "failed", "VCDM-08: 100% wrong\nsecond line"), 4)
    console.scenario(_scenario("advice", "broken", "HTTP 503", severity="SHOULD", req="OB-05"), 4)
    console.scenario(_scenario("ok", "passed"), 4)
    console.scenario(_scenario("known", "failed", "still"), 4)
    annotations = [line for line in _lines(out) if line.startswith("::")]
    assert annotations == [
        "::error title=Acme%3A Issuer refuses (a%2C b%3A c)::FAILED [VCDM-08 MUST] VCDM-08: 100%25 wrong%0Asecond line",
        "::warning title=Acme%3A advice::BROKEN [OB-05 SHOULD] HTTP 503",
    ]
    quiet = io.StringIO()
    Console(quiet, environ={}).scenario(_scenario("x", "failed", "bad"), 1)
    assert "::error" not in quiet.getvalue()


def test_failures_grouped_by_reason() -> None:
    scenarios = [_scenario(f"issue {i}", "failed", "API-01: issue answered HTTP 200, VCALM requires 201 Created", req="API-01")
                 for i in range(5)]
    scenarios += [_scenario(f"verify {i}", "broken", "the verifier gave no verdict: server_error: HTTP 500 server error",
                            req="DI-15" if i else "VCDM-38") for i in range(2)]
    scenarios += [_scenario("advice", "failed", "OB-05: no description", severity="SHOULD", req="OB-05"),
                  _scenario("fine", "passed")]
    groups = group_failures(scenarios)
    assert [(g.status, g.strength, len(g.scenarios), g.ids) for g in groups] == [
        ("failed", "MUST", 5, "API-01"), ("broken", "MUST", 2, "DI-15, VCDM-38"), ("failed", "SHOULD", 1, "OB-05")]
    assert groups[0].words == "issue answered HTTP 200, VCALM requires 201 Created"
    out = io.StringIO()
    Console(out, environ={}).failure_summary(scenarios)
    text = out.getvalue()
    assert "8 scenario(s) failed or broke, in 3 group(s) by reason" in text
    assert "FAILED    5 x MUST API-01: issue answered HTTP 200, VCALM requires 201 Created" in text
    assert "... and 2 more" in text


def test_baseline_summary_names_new_failures_and_fixes() -> None:
    out = io.StringIO()
    Console(out, environ={}).baseline_summary("expected.yaml", [_scenario("got worse", "failed", "VCDM-08: x")],
                                              [_scenario("got better", "passed")], 2, ["gone::id"])
    text = out.getvalue()
    assert "1 new failure(s), 1 fixed, 2 known failure(s) still failing" in text
    assert "NEW     FAILED  Acme: got worse -- VCDM-08: x" in text
    assert "FIXED   Acme: got better" in text
    assert "gone::id" in text


def test_role_not_selected_round_trip() -> None:
    assert is_role_not_selected(role_not_selected("oid4vp_verifier"))
    assert not is_role_not_selected("not claimed: role verifier not selected by the profile")


def test_tag_expressions() -> None:
    assert tagmod.expression_names("(NEG or issuer) and not mutates_state") == ["NEG", "issuer", "mutates_state"]
    assert tagmod.expression_names("marker(key=1, other='x') and NEG") == ["marker", "NEG"]
    valid = tagmod.feature_tags(features_dir())
    assert {"NEG", "issuer", "verifier", "mutates_state"} <= valid
    assert not any(tagmod.is_requirement(t) for t in valid)
    assert tagmod.unknown_tags("NEG and not issuer", valid) == []
    assert tagmod.unknown_tags("NEGG or NEGG or issuer", valid) == ["NEGG"]


def test_unknown_tag_is_a_usage_error_listing_the_valid_ones() -> None:
    from lerconf.errors import LerconfError

    with pytest.raises(LerconfError) as caught:
        check_tags("verifier and NEGG", features_dir())
    message = str(caught.value)
    assert "NEGG" in message and "NEG, " in message and "verifier" in message
    check_tags("verifier and not NEG", features_dir())  # valid: no error


def test_a_collection_error_is_shown_and_is_a_usage_error(tmp_path: Path) -> None:
    """pytest cannot start the run (a module that does not import): under lerconf's console its
    error still prints, although --tb=no, and the session ends as a usage error, not an interruption."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["lerconf.run.plugin"]\n', encoding="utf-8")
    (tmp_path / "test_broken.py").write_text("import no_such_module_for_lerconf\n", encoding="utf-8")
    argv = [sys.executable, "-m", "pytest", str(tmp_path), f"--rootdir={tmp_path}", "-p", "no:cacheprovider",
            "-p", "no:warnings", "-qq", "--no-header", "-rN", "--tb=no", "-o", "console_output_style=classic",
            "--lerconf-console"]
    proc = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR, proc.stdout + proc.stderr
    assert "lerconf: pytest could not collect test_broken.py" in proc.stderr
    assert "no_such_module_for_lerconf" in proc.stderr
