"""`lerconf verify` as a user meets it on the shell: the wrong file is a usage error (exit 2), and
output into a pipe whose reader has gone (`| head`) ends quietly.

The usage errors go through the CLI's entry point in this process (the same parsing, messages and exit
codes, without starting Python again for each), one job each (never forking this test process); a batch
on two jobs (worker processes) and the closed pipes (the process's own stdout) run `lerconf` as a
process of its own."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import VECTORS_DIR, cli_in_process, shared_env
from lerconf.run.cli import main

LERCONF = [sys.executable, "-m", "lerconf.run.cli"]
SIGNED = VECTORS_DIR / "vc-di-eddsa" / "Ed25519Signature2020" / "signedEdSig.json"


def _lerconf(*args: str, stdout: int | None = subprocess.PIPE, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LERCONF, *args], stdout=stdout, stderr=subprocess.PIPE, input=stdin, text=True,
                          timeout=120, env={**os.environ, **shared_env()})


@pytest.mark.parametrize("content, why", [
    ("hello world\n", "not JSON"),
    ("<html><body>badge</body></html>", "not JSON"),
    ("first. second. third.", "neither JSON nor a compact JWT"),
    ("abc.def.ghi", "header is not base64url-encoded JSON"),
    ("", "empty"),
    ("{\"@context\": [", "not JSON"),
])
def test_a_file_that_is_neither_json_nor_a_jwt_is_a_usage_error(tmp_path: Path, content: str, why: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(content, encoding="utf-8")
    done = cli_in_process("verify", "--offline", str(path))
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"lerconf: error: {path}: " in done.stderr and why in done.stderr
    assert "expected a JSON credential or presentation, a compact JWT" in done.stderr and "baked into a PNG or SVG" in done.stderr
    assert "FAIL" not in done.stdout and "Traceback" not in done.stderr


def test_standard_input_is_named_and_the_good_file_is_still_verified(tmp_path: Path) -> None:
    done = cli_in_process("verify", "--offline", "-j", "1", str(SIGNED), "-", stdin="not a credential")
    assert done.returncode == 2
    assert "lerconf: error: standard input: not JSON" in done.stderr
    assert done.stdout.startswith(f"{SIGNED} (credential)") and "=> " in done.stdout  # one bad input spoils nothing


def _junk(tmp_path: Path) -> list[Path]:
    """A PNG without a credential, binary junk and an empty file: none of them a credential."""
    png = tmp_path / "logo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes.fromhex("0000000d49484452000000010000000108000000003a7e9b55")
                    + bytes.fromhex("0000000a49444154789c6360000000020001e221bc330000000049454e44ae426082"))
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    return [png, junk, empty]


def test_one_unreadable_input_never_spoils_a_batch_json(tmp_path: Path) -> None:
    """Each file gets its own JSON line, in the order given: the unreadable ones an error naming the
    file, the good ones their verdict; the exit code is 2 (an input could not be read)."""
    bad = _junk(tmp_path)
    done = _lerconf("verify", "--offline", "--json", "-j", "2", str(SIGNED), *map(str, bad), str(SIGNED))
    assert done.returncode == 2, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(SIGNED), *map(str, bad), str(SIGNED)]
    assert lines[0]["outcome"] == lines[-1]["outcome"] != "error" and "checks" in json.dumps(lines[0])
    for line, path, why in zip(lines[1:4], bad, ("a PNG image with no baked credential", "not UTF-8 text", "empty"), strict=True):
        assert line["outcome"] == "error" and line["verified"] is False, line
        assert line["error"].startswith(f"{path}: ") and why in line["error"], line
        assert f"lerconf: error: {path}: " in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreadable_input_among_good_ones_keeps_exit_2_and_failures_still_show(tmp_path: Path) -> None:
    token = tmp_path / "token.jwt"  # verifies to NOT VERIFIED: exit 1 alone, exit 2 beside an unreadable file
    token.write_text("eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2ln\n", encoding="utf-8")
    [png, *_] = _junk(tmp_path)
    done = cli_in_process("verify", "--offline", "-j", "1", str(token), str(png))
    assert done.returncode == 2 and "NOT VERIFIED" in done.stdout, done.stdout + done.stderr
    assert f"lerconf: error: {png}: a PNG image with no baked credential" in done.stderr


def test_json_and_jwt_files_are_still_verified(tmp_path: Path) -> None:
    done = cli_in_process("verify", "--offline", "--json", str(SIGNED))
    assert done.returncode in (0, 1, 3) and done.stdout.startswith("{"), done.stderr
    token = tmp_path / "token.jwt"  # a well-formed JWT that does not verify: a failed file, not a usage error
    token.write_text("eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2ln\n", encoding="utf-8")
    done = cli_in_process("verify", "--offline", str(token))
    assert done.returncode == 1, done.stderr
    assert "NOT VERIFIED" in done.stdout


def test_help_documents_unreadable_input_as_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["verify", "--help"])
    assert ended.value.code == 0
    assert "neither JSON nor a compact JWT" in " ".join(capsys.readouterr().out.split())


def _into_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """Run lerconf with its stdout a pipe whose reading end is already closed: every write meets EPIPE."""
    read, write = os.pipe()
    os.close(read)
    try:
        return _lerconf(*args, stdout=write)
    finally:
        os.close(write)


@pytest.mark.parametrize("args", [
    ("verify", "--json", "--offline", str(SIGNED), str(SIGNED)),
    ("verify", "--all", "--offline", str(SIGNED)),
    ("run", "--help"),
])
def test_a_closed_pipe_ends_quietly(args: tuple[str, ...]) -> None:
    done = _into_closed_pipe(*args)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr
    assert done.stderr == ""


def test_every_printing_command_ends_quietly_in_a_closed_pipe(tmp_path: Path) -> None:
    """The guard is the CLI's entry point, not verify's: report and keygen print too."""
    from _report_data import three_vendors, write_run

    run = write_run(tmp_path / "run", three_vendors())
    report = _into_closed_pipe("report", str(run))
    assert report.returncode == 1 and report.stderr == "", report.stderr  # the run's verdict (Beta fails a MUST)
    assert (run / "report.html").is_file()
    keygen = _into_closed_pipe("keygen", "--out", str(tmp_path / "key.json"))
    assert keygen.returncode == 0 and "Traceback" not in keygen.stderr, keygen.stderr
    assert (tmp_path / "key.json").is_file()


def test_a_closed_pipe_keeps_the_commands_exit_code() -> None:
    piped = _into_closed_pipe("verify", "--json", "--offline", str(SIGNED))
    plain = _lerconf("verify", "--json", "--offline", str(SIGNED))
    assert piped.returncode == plain.returncode


def test_head_of_verify_json_ends_quietly() -> None:
    """The shell pipeline the issue reports: `lerconf verify --json … | head -c 10`."""
    command = " ".join([*LERCONF, "verify", "--json", "--offline", *[str(SIGNED)] * 20]) + " | head -c 10"
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **shared_env()})
    assert done.stdout == '{"file": "'
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
