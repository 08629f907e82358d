"""`lerconf verify`: check credentials, presentations and JWTs offline, one verdict per file
(verified, not verified, could not be checked) and an exit code that says which."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lerconf.checks.status import ListMinimum
from lerconf.results import Status
from lerconf.run.cli_args import (
    EXIT_COULD_NOT_CHECK,
    EXIT_FAILED,
    EXIT_OK,
    UsageError,
    add_loader_arguments,
    add_status_list_minimum_argument,
    loader_from_args,
    parse_at,
)
from lerconf.verify.engine import Verifier
from lerconf.verify.inputs import parse_input
from lerconf.verify.report import COULD_NOT_CHECK, VERIFIED, VerificationReport, VerifyOptions, could_not_check

__all__ = ["add_verify", "cmd_verify", "print_report"]


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
    verify.add_argument("--check-digests", type=Path, action="append", default=[], metavar="DIR",
                        help="for a lerconf certificate: fail unless the results.json and report.html it signs are "
                             "in DIR (the directory holding the certificate, or a run directory; repeatable)")
    add_loader_arguments(verify)
    add_status_list_minimum_argument(verify, "")
    verify.set_defaults(handler=cmd_verify)


def _read_input(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        if path.stat().st_size > 20 * 1024 * 1024:
            raise UsageError(f"{name}: larger than 20 MB, refusing to read")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{name}: not UTF-8 text (a credential file is JSON or a compact JWT)") from None
    except OSError as exc:
        raise UsageError(f"{name}: {exc.strerror}") from None


_MARK = {Status.PASSED: "PASS", Status.FAILED: "FAIL", Status.WARNING: "WARN", Status.NOT_APPLICABLE: " n/a"}


def print_report(report: VerificationReport, show_all: bool, indent: str = "") -> None:
    print(f"{indent}{report.source} ({report.kind})")
    for result in report.checks:
        if result.status is Status.NOT_APPLICABLE and not show_all:
            continue
        where = f" [{result.subject}]" if result.subject else ""
        mark = "????" if could_not_check(result) else _MARK[result.status]
        print(f"{indent}  {mark}  {result.requirement:<9} {result.category.value:<14} {result.message}{where}")
    for nested in report.nested:
        print_report(nested, show_all, indent + "  ")
    unchecked = [r for r in report.checks if could_not_check(r)]
    if unchecked:
        print(f"{indent}  could not check (lerconf got no answer; not a fault of the document):")
        for result in unchecked:
            print(f"{indent}    {result.requirement:<9} {result.message}")
            if result.details.get("fix"):
                print(f"{indent}    {'':<9} fix: {result.details['fix']}")
    verdict = {VERIFIED: "VERIFIED", COULD_NOT_CHECK: "COULD NOT BE CHECKED (not verified)"}.get(report.outcome,
                                                                                            "NOT VERIFIED")
    conformance = "conformant" if report.conformant else "not conformant"
    print(f"{indent}  => {verdict}, {conformance}")


def cmd_verify(args: argparse.Namespace) -> int:
    loader = loader_from_args(args)
    verifier = Verifier(loader)
    options = VerifyOptions(challenge=args.challenge, domain=args.domain)
    if args.at:
        options.at = args.at
    if args.status_list_minimum is not None:
        options.status_list_minimum = ListMinimum(args.status_list_minimum, "--status-list-minimum")
    all_verified = True
    unchecked = False
    # every file read and recognised before any is verified: a wrong file is a usage error (exit 2)
    inputs = [(name, parse_input(_read_input(name), name)) for name in args.files]
    for name, parsed in inputs:
        if parsed.kind == "jwt":
            report = verifier.verify_jwt(parsed.value, name, options)
        else:
            report = verifier.verify_document(parsed.value, name, options)
        all_verified &= report.verified or report.outcome == COULD_NOT_CHECK
        unchecked |= report.outcome == COULD_NOT_CHECK
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            print_report(report, args.all)
        if args.check_digests:
            from lerconf.reports import check_digests

            problems = check_digests(report.document if isinstance(report.document, dict) else {}, args.check_digests,
                                     certificate_dir=None if name == "-" else Path(name).parent)
            for problem in problems:
                print(f"  DIGEST MISMATCH  {problem}")
            all_verified &= not problems
    if not all_verified:
        return EXIT_FAILED
    return EXIT_COULD_NOT_CHECK if unchecked else EXIT_OK

