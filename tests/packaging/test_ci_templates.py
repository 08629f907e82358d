"""docs/ci: the GitHub Actions workflow and the GitLab CI job run lerconf as it is.

Both files are parsed as YAML and their structure checked (the job, its steps, the artifact, the
JUnit report, the baseline gate). Every `lerconf ...` command they run is checked against lerconf's
own argument parser (built from lerconf.run.cli, nothing run): the subcommand exists and every
flag is one lerconf has, spelled out (no abbreviations). The environment variables they give the
run from the CI's secret store are exactly the ones the example profile they point at names.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from lerconf.run.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
GITHUB = REPO / "docs" / "ci" / "github-actions.yml"
GITLAB = REPO / "docs" / "ci" / "gitlab-ci.yml"
EXAMPLE_PROFILE = REPO / "fixtures" / "vendors" / "example-staging.yaml"
RUN_FLAGS = {"--vendor", "--baseline", "--out", "--junit"}  # what a CI run needs: profile, gate, artifact, JUnit


# -- reading the templates ------------------------------------------------------------------------

def _shell_lines(script: str) -> Iterator[str]:
    """Logical lines of a shell script: backslash-continued lines joined, comments dropped."""
    for line in re.sub(r"\\\n\s*", " ", script).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def lerconf_commands(scripts: list[str]) -> list[list[str]]:
    """Every `lerconf ...` command in the scripts, as argument lists (leading VAR=value dropped)."""
    commands = []
    for script in scripts:
        for line in _shell_lines(script):
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            words: list[str] = []
            for token in [*lexer, ";"]:
                if token and set(token) <= set("();<>|&"):  # a shell operator ends a simple command
                    while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
                        words.pop(0)
                    if words and words[0] == "lerconf":
                        commands.append(words)
                    words = []
                else:
                    words.append(token)
    return commands


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(name)
    return None


def command_problems(words: list[str]) -> list[str]:
    """Why lerconf would not accept `words` (["lerconf", ...]); [] when it would."""
    parser = build_parser()
    args = words[1:]
    if args in (["--version"], ["--help"], ["-h"]):
        return []
    if not args or args[0].startswith("-"):
        return [f"{shlex.join(words)}: no subcommand"]
    sub = _subparser(parser, args[0])
    if sub is None:
        return [f"{shlex.join(words)}: lerconf has no subcommand {args[0]!r}"]
    problems = [f"{shlex.join(words)}: lerconf {args[0]} has no option {flag}"
                for flag in (a.split("=", 1)[0] for a in args[1:] if a.startswith("-") and a != "-")
                if flag not in sub._option_string_actions]  # exact names: argparse would accept abbreviations
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            parser.parse_args(args)
        except SystemExit as exc:
            if exc.code:
                problems.append(f"{shlex.join(words)}: {err.getvalue().strip().splitlines()[-1]}")
    return problems


def profile_variables(path: Path) -> set[str]:
    """The environment variables a vendor profile uses: *_env fields and ${NAME} expansions."""
    names: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                if str(k) == "headers_env" and isinstance(v, Mapping):
                    names.update(str(x) for x in v.values())
                else:
                    walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if key.endswith("_env"):
                names.add(value)
            names.update(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", value))

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return names


@pytest.fixture(scope="module")
def github() -> dict[Any, Any]:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gitlab() -> dict[Any, Any]:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))


def _github_job(workflow: Mapping[Any, Any]) -> Mapping[str, Any]:
    (job,) = workflow["jobs"].values()
    return job


def _gitlab_job(config: Mapping[str, Any]) -> Mapping[str, Any]:
    (job,) = [v for k, v in config.items() if not str(k).startswith(".") and isinstance(v, Mapping) and "script" in v]
    return job


def _gitlab_scripts(job: Mapping[str, Any]) -> list[str]:
    return [line for key in ("before_script", "script", "after_script") for line in job.get(key) or []]


def _run_command(commands: list[list[str]]) -> list[str]:
    runs = [c for c in commands if c[1:2] == ["run"]]
    assert len(runs) == 1, f"one `lerconf run` expected, found {runs}"
    return runs[0]


def _option(command: list[str], flag: str) -> str:
    return command[command.index(flag) + 1]


# -- the checker itself fails on what it must catch -----------------------------------------------

@pytest.mark.parametrize("line, problem", [
    ("lerconf run --vendor p.yaml --no-such-flag", "has no option --no-such-flag"),
    ("lerconf run --vend p.yaml", "has no option --vend"),  # an abbreviation argparse would take
    ("lerconf run --role nosuchrole", "invalid choice"),
    ("lerconf run --junit", "expected one argument"),
    ("lerconf nosuchcommand --x", "no subcommand 'nosuchcommand'"),
    ("LERCONF_X=1 lerconf report RUN --sign", "expected one argument"),
])
def test_the_checker_rejects_what_lerconf_would(line: str, problem: str) -> None:
    (command,) = lerconf_commands([line])
    assert any(problem in p for p in command_problems(command)), command_problems(command)


def test_the_checker_reads_continued_and_folded_commands() -> None:
    script = 'set -e\nlerconf run \\\n  --vendor "$P" \\\n  --out reports && echo done\nlerconf --version | head -1\n'
    script += 'X=1 lerconf run -k "a|b; c" --out r2 # a comment\n'
    assert lerconf_commands([script]) == [["lerconf", "run", "--vendor", "$P", "--out", "reports"], ["lerconf", "--version"],
                                          ["lerconf", "run", "-k", "a|b; c", "--out", "r2"]]
    assert command_problems(["lerconf", "run", "--vendor", "$P", "--out", "reports"]) == []


# -- GitHub Actions -------------------------------------------------------------------------------

def test_github_workflow_structure(github: dict[Any, Any]) -> None:
    triggers = github.get("on", github.get(True))  # YAML 1.1 reads the key `on` as true
    assert {"push", "schedule"} <= set(triggers)
    job = _github_job(github)
    steps = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    install = next(s["run"] for s in steps if "pip install" in s.get("run", ""))
    assert "LERCONF_SOURCE" in install
    run_step = next(s for s in steps if "lerconf run" in s.get("run", ""))
    command = _run_command(lerconf_commands([run_step["run"]]))
    env = {**github.get("env", {}), **job.get("env", {}), **run_step.get("env", {})}
    # the run directory is kept, the JUnit file published, both also when lerconf failed
    artifact = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert artifact["if"] == "always()"
    paths = artifact["with"]["path"].split()
    assert f"{_option(command, '--out')}/" in paths and f"!{_option(command, '--out')}/latest" in paths
    junit = next(s for s in steps if "junit" in s.get("uses", "").lower())
    assert junit["if"] == "always()"
    assert junit["with"]["report_paths"] == _option(command, "--junit")
    # the gate: a baseline, and lerconf's exit code (the step does not swallow it)
    assert _option(command, "--baseline") == "$LERCONF_BASELINE" and env["LERCONF_BASELINE"]
    assert "continue-on-error" not in run_step and "|| true" not in run_step["run"]
    assert _option(command, "--vendor") == "$LERCONF_PROFILE" and env["LERCONF_PROFILE"].endswith(".yaml")


def test_github_lerconf_commands_are_accepted_by_lerconf(github: dict[Any, Any]) -> None:
    scripts = [s["run"] for s in _github_job(github)["steps"] if "run" in s]
    commands = lerconf_commands(scripts)
    assert len(commands) >= 2  # --version after the install, and the run
    assert [p for c in commands for p in command_problems(c)] == []
    assert set(_run_command(commands)) >= RUN_FLAGS


def test_github_secrets_are_the_ones_the_profile_names(github: dict[Any, Any]) -> None:
    assert "fixtures/vendors/example-staging.yaml" in GITHUB.read_text(encoding="utf-8")
    job = _github_job(github)
    run_step = next(s for s in job["steps"] if "lerconf run" in s.get("run", ""))
    env = {**github.get("env", {}), **job.get("env", {}), **run_step.get("env", {})}
    from_store = {k for k, v in env.items() if re.search(r"\$\{\{\s*(secrets|vars)\.", str(v))}
    assert any("secrets." in str(env[k]) for k in from_store)
    assert from_store == profile_variables(EXAMPLE_PROFILE)
    for name in from_store:  # each from the store under its own name
        assert re.fullmatch(rf"\$\{{\{{\s*(secrets|vars)\.{name}\s*\}}\}}", env[name])
    # an unset secret is an empty string in GitHub Actions: the step stops on each one, by name
    assert set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):\?", run_step["run"])) == from_store


# -- GitLab CI ------------------------------------------------------------------------------------

def test_gitlab_job_structure(gitlab: dict[Any, Any]) -> None:
    job = _gitlab_job(gitlab)
    assert job["image"].startswith("python:3.1")
    assert any("pip install" in line and "LERCONF_SOURCE" in line for line in job["before_script"])
    command = _run_command(lerconf_commands(_gitlab_scripts(job)))
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always"
    assert f"{_option(command, '--out')}/" in artifacts["paths"]
    assert artifacts["reports"]["junit"] == _option(command, "--junit")
    assert _option(command, "--baseline") == "$LERCONF_BASELINE" and job["variables"]["LERCONF_BASELINE"]
    assert _option(command, "--vendor") == "$LERCONF_PROFILE" and job["variables"]["LERCONF_PROFILE"].endswith(".yaml")
    assert not job.get("allow_failure")  # the gate is the job's status
    assert not any("|| true" in line for line in job["script"])


def test_gitlab_lerconf_commands_are_accepted_by_lerconf(gitlab: dict[Any, Any]) -> None:
    commands = lerconf_commands(_gitlab_scripts(_gitlab_job(gitlab)))
    assert len(commands) >= 2
    assert [p for c in commands for p in command_problems(c)] == []
    assert set(_run_command(commands)) >= RUN_FLAGS


def test_gitlab_secrets_are_the_ones_the_profile_names(gitlab: dict[Any, Any]) -> None:
    """GitLab puts CI/CD variables in the environment unnamed; the job names them where it checks them."""
    assert "fixtures/vendors/example-staging.yaml" in GITLAB.read_text(encoding="utf-8")
    job = _gitlab_job(gitlab)
    required = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):\?", "\n".join(job["script"])))
    assert required == profile_variables(EXAMPLE_PROFILE)
    assert not required & set(job.get("variables", {}))  # never written in the file


def test_the_example_profile_names_the_variables_the_templates_expect() -> None:
    assert profile_variables(EXAMPLE_PROFILE) == {"ACME_TOKEN", "ACME_BASE"}


def test_every_script_is_valid_shell(github: dict[Any, Any], gitlab: dict[Any, Any]) -> None:
    scripts = [s["run"] for s in _github_job(github)["steps"] if "run" in s] + _gitlab_scripts(_gitlab_job(gitlab))
    for script in scripts:
        done = subprocess.run(["sh", "-n", "-c", script], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, f"{script!r}: {done.stderr}"
