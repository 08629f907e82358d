"""`lerconf verify`: check credentials, presentations and JWTs offline, one verdict per file
(verified, not verified, could not be checked) and an exit code that says which.

A batch of files is verified by ``-j N`` worker processes (default: every core the process may
use), each with its own engine and caches; the output is printed in the order the files were
given and is the same text whatever N is. One file that cannot be read or recognised (a PNG
without a credential, binary junk, an empty file) or that meets a harness error (a registered
context unavailable, a crash) gets an error result of its own (with ``--json`` a JSON line naming
the file and the error) and exit code 2; the other files are still verified and printed.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lerconf.checks.baking import png_baking_follows_the_spec, svg_baking_follows_the_spec
from lerconf.checks.status import ListMinimum
from lerconf.errors import LerconfError
from lerconf.results import Status
from lerconf.run.cli_args import (
    EXIT_COULD_NOT_CHECK,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    add_loader_arguments,
    add_status_list_minimum_argument,
    loader_from_args,
    parse_at,
)
from lerconf.verify.engine import Verifier
from lerconf.verify.inputs import ParsedInput, parse_file
from lerconf.verify.report import COULD_NOT_CHECK, VERIFIED, VerificationReport, VerifyOptions, could_not_check

if TYPE_CHECKING:
    from lerconf.documents.loader import DocumentLoader

__all__ = ["add_verify", "cmd_verify", "default_jobs", "print_report", "render_report"]


VERIFY_EPILOG = """\
Each file ends VERIFIED, NOT VERIFIED (a check failed), or COULD NOT BE CHECKED:
lerconf got no answer for a document a check needs (a DID document, key URL or
status list refused by its address guard, offline and not in the URL map, an
untrusted TLS certificate, connection refused, timeout, DNS). Such a file is not
verified either; the output names the cause and the fix, and --json gives
"outcome": "verified" | "failed" | "could-not-check" and "could_not_check": [...].

exit codes:
  0    every file is verified
  1    at least one file failed verification (or --check-digests found a mismatch)
  2    usage or setup error: bad arguments, a file that cannot be read or is
       neither JSON nor a compact JWT, a registered context or schema unavailable
       (the other files are still verified and printed)
  3    no file failed, but at least one could not be checked (see above)"""


def add_verify(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = sub.add_parser("verify", help="verify credentials, presentations or JWTs offline",
                            epilog=VERIFY_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    verify.add_argument("files", nargs="+", metavar="FILE", help="JSON credential/presentation or compact JWT; - for stdin")
    verify.add_argument("--json", action="store_true", help="one JSON object per file on stdout")
    verify.add_argument("--at", type=parse_at, help="evaluate validity and status as of this date-time (default now)")
    verify.add_argument("--challenge", help="expected presentation proof challenge")
    verify.add_argument("--domain", help="expected presentation proof domain")
    verify.add_argument("--all", action="store_true", help="also list checks that did not apply")
    verify.add_argument("--recipient", metavar="VALUE",
                        help="a recipient you know (an email address, a DID, ...): the badge must name it (OB-28), "
                             "by credentialSubject.id or an IdentityObject, hashed with its salt or not")
    verify.add_argument("--recipient-type", metavar="TYPE",
                        help="with --recipient: only IdentityObjects of this identityType count (e.g. emailAddress)")
    verify.add_argument("--verifier-id", metavar="ID",
                        help="your verifier id (a URL or name): a bbs-2023 pseudonym is checked against it (LBB-05); "
                             "without it a pseudonym proof is named and not verified")
    verify.add_argument("--check-digests", type=Path, action="append", default=[], metavar="DIR",
                        help="for a lerconf certificate: fail unless the results.json and report.html it signs are "
                             "in DIR (the directory holding the certificate, or a run directory; repeatable)")
    verify.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                        help="verify files in N worker processes (default: every core, here "
                             f"{default_jobs()}); the output order and text do not depend on N")
    add_loader_arguments(verify)
    add_status_list_minimum_argument(verify, "")
    verify.set_defaults(handler=cmd_verify)


def default_jobs() -> int:
    """Every core this process may run on (its CPU affinity, where the OS tells it)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"-j needs a whole number of processes, 1 or more, got {value!r}")
    return int(value)


MAX_INPUT = 20 * 1024 * 1024


def _read_input(name: str) -> bytes:
    if name == "-":
        data = sys.stdin.buffer.read(MAX_INPUT + 1)
        if len(data) > MAX_INPUT:
            raise UsageError("standard input: larger than 20 MB, refusing to read")
        return data
    path = Path(name)
    try:
        if path.stat().st_size > MAX_INPUT:
            raise UsageError(f"{name}: larger than 20 MB, refusing to read")
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{name}: {exc.strerror}") from None


_MARK = {Status.PASSED: "PASS", Status.FAILED: "FAIL", Status.WARNING: "WARN", Status.NOT_APPLICABLE: " n/a"}


def print_report(report: VerificationReport, show_all: bool, indent: str = "") -> None:
    """Print what :func:`render_report` says about ``report``."""
    print(render_report(report, show_all, indent), end="")


def render_report(report: VerificationReport, show_all: bool, indent: str = "") -> str:
    """The human-readable account of one report: each check, nested reports, then the verdict."""
    return "".join(line + "\n" for line in _report_lines(report, show_all, indent))


def _report_lines(report: VerificationReport, show_all: bool, indent: str) -> Iterator[str]:
    yield f"{indent}{report.source} ({report.kind})"
    for result in report.checks:
        if result.status is Status.NOT_APPLICABLE and not show_all:
            continue
        where = f" [{result.subject}]" if result.subject else ""
        mark = "????" if could_not_check(result) else _MARK[result.status]
        yield f"{indent}  {mark}  {result.requirement:<9} {result.category.value:<14} {result.message}{where}"
    for nested in report.nested:
        yield from _report_lines(nested, show_all, indent + "  ")
    if report.refreshed_from is not None:  # OB-25: what was verified of the original before the refresh replaced it
        yield f"{indent}  refreshed; the original, as far as it was verified before the refresh (its proof):"
        for result in report.refreshed_from.checks:
            if result.status is not Status.NOT_APPLICABLE or show_all:
                yield f"{indent}    {_MARK[result.status]}  {result.requirement:<9} {result.category.value:<14} {result.message}"
    unchecked = [r for r in report.checks if could_not_check(r)]
    if unchecked:
        yield f"{indent}  could not check (lerconf got no answer; not a fault of the document):"
        for result in unchecked:
            yield f"{indent}    {result.requirement:<9} {result.message}"
            if result.details.get("fix"):
                yield f"{indent}    {'':<9} fix: {result.details['fix']}"
    verdict = {VERIFIED: "VERIFIED", COULD_NOT_CHECK: "COULD NOT BE CHECKED (not verified)"}.get(report.outcome,
                                                                                            "NOT VERIFIED")
    conformance = "conformant" if report.conformant else "not conformant"
    yield f"{indent}  => {verdict}, {conformance}"


@dataclass(frozen=True)
class _Task:
    """One file, as a worker process receives it: recognised, or why it could not be read."""

    name: str
    parsed: ParsedInput | None
    unreadable: str | None = None


def _task(name: str) -> _Task:
    """Read and recognise one file; what cannot be read is this file's error, not the batch's end."""
    try:
        return _Task(name, parse_file(_read_input(name), name))
    except (UsageError, LerconfError) as exc:
        return _Task(name, None, str(exc))


@dataclass
class _Done:
    """What verifying one file printed and what it means for the exit code."""

    stdout: str = ""
    stderr: str = ""
    verified: bool = True  # verified, or could not be checked (neither is a failure)
    unchecked: bool = False
    error: bool = False  # a harness error: no verdict for this file (exit 2)


@dataclass
class _Session:
    """The engine and settings one process verifies its share of the files with."""

    verifier: Verifier
    options: VerifyOptions
    as_json: bool
    show_all: bool
    digest_dirs: list[Path] = field(default_factory=list)

    def verify(self, task: _Task) -> _Done:
        """Verify one file; a harness error becomes this file's error, never the batch's end."""
        try:
            return self._verify(task)
        except (UsageError, LerconfError) as exc:
            return self._error(task.name, str(exc))
        except Exception:  # a crash on one file is reported with its traceback; the other files go on
            return self._error(task.name, "internal error", traceback.format_exc())

    def _error(self, name: str, message: str, trace: str = "") -> _Done:
        """A file with no verdict: its error on stderr, and with --json its own line on stdout too."""
        display = "standard input" if name == "-" else name
        shown = message if message.startswith(f"{display}:") else f"{display}: {message}"
        stdout = json.dumps({"file": name, "outcome": "error", "verified": False, "error": shown},
                            ensure_ascii=False) + "\n" if self.as_json else ""
        return _Done(stdout=stdout, stderr=f"lerconf: error: {shown}\n{trace}", verified=False, error=True)

    def _verify(self, task: _Task) -> _Done:
        name, parsed = task.name, task.parsed
        if parsed is None:
            return self._error(name, task.unreadable or "could not be read")
        if parsed.kind == "jwt":
            report = self.verifier.verify_jwt(parsed.value, name, self.options)
        else:
            report = self.verifier.verify_document(parsed.value, name, self.options)
        if parsed.baked is not None:  # how the image carries it (OB-19 / OB-20), before what it carries
            report.checks[:0] = [png_baking_follows_the_spec(parsed.baked) if parsed.baked.image == "png"
                                 else svg_baking_follows_the_spec(parsed.baked)]
        done = _Done(verified=report.verified or report.outcome == COULD_NOT_CHECK,
                     unchecked=report.outcome == COULD_NOT_CHECK)
        text = json.dumps(report.to_json(), ensure_ascii=False) + "\n" if self.as_json else render_report(report, self.show_all)
        if self.digest_dirs:
            from lerconf.reports import check_digests

            problems = check_digests(report.document if isinstance(report.document, dict) else {}, self.digest_dirs,
                                     certificate_dir=None if name == "-" else Path(name).parent)
            text += "".join(f"  DIGEST MISMATCH  {problem}\n" for problem in problems)
            done.verified &= not problems
        done.stdout = text
        return done


#: the session of a worker process (set once by _start_worker)
_WORKER: _Session | None = None


def _start_worker(args: argparse.Namespace, options: VerifyOptions) -> None:
    global _WORKER
    _WORKER = _session(Verifier(loader_from_args(args)), args, options)


def _work(task: _Task) -> _Done:
    assert _WORKER is not None, "worker process started without _start_worker"
    return _WORKER.verify(task)


def _session(verifier: Verifier, args: argparse.Namespace, options: VerifyOptions) -> _Session:
    return _Session(verifier, options, args.json, args.all, list(args.check_digests))


def _options(args: argparse.Namespace) -> VerifyOptions:
    """One set of options for the whole batch: every file is judged as of the same moment."""
    options = VerifyOptions(challenge=args.challenge, domain=args.domain, recipient=args.recipient,
                            recipient_type=args.recipient_type, verifier_id=args.verifier_id)
    if args.at:
        options.at = args.at
    if args.status_list_minimum is not None:
        options.status_list_minimum = ListMinimum(args.status_list_minimum, "--status-list-minimum")
    return options


def _run(tasks: Sequence[_Task], args: argparse.Namespace, options: VerifyOptions, jobs: int,
         loader: DocumentLoader) -> Iterator[_Done]:
    """Each file's result, in the order given, verified here (one job) or by ``jobs`` processes,
    each with a loader of its own made from the same arguments."""
    if jobs <= 1 or len(tasks) <= 1:
        session = _session(Verifier(loader), args, options)
        for task in tasks:
            yield session.verify(task)
        return
    # fork: the workers start from this process's imports instead of importing lerconf again
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    # several files per round trip to a worker, yet enough chunks that the workers end together
    chunksize = max(1, min(16, len(tasks) // (jobs * 4)))
    context = multiprocessing.get_context(method)
    done = 0
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                             initargs=(args, options)) as pool:
        try:
            for result in pool.map(_work, tasks, chunksize=chunksize):
                done += 1
                yield result
        except BrokenProcessPool:
            pass  # a worker died (out of memory, a crash in a native library): the rest one by one below
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for task in tasks[done:]:  # each in a process of its own: a file that kills one takes only itself down
        with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start_worker,
                                 initargs=(args, options)) as single:
            try:
                yield single.submit(_work, task).result()
            except BrokenProcessPool:
                yield _Done(stderr=f"lerconf: error: {task.name}: the process verifying it died (out of memory, or a "
                                   "crash in a native library)\n", verified=False, error=True)


def cmd_verify(args: argparse.Namespace) -> int:
    loader = loader_from_args(args)  # a bad directory or URL map is a usage error before any file is read
    options = _options(args)
    # each file read and recognised on its own: one that cannot be is its own error result (exit 2)
    tasks = [_task(name) for name in args.files]
    jobs = min(args.jobs or default_jobs(), len(tasks))
    all_verified, unchecked, errors = True, False, False
    for done in _run(tasks, args, options, jobs, loader):
        if done.stdout:
            sys.stdout.write(done.stdout)
        if done.stderr:
            sys.stdout.flush()  # keep a file's error beside its place in the output
            sys.stderr.write(done.stderr)
        all_verified &= done.verified
        unchecked |= done.unchecked
        errors |= done.error
    if errors:
        return EXIT_USAGE
    if not all_verified:
        return EXIT_FAILED
    return EXIT_COULD_NOT_CHECK if unchecked else EXIT_OK
