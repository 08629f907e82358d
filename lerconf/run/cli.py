"""The `lerconf` command line: verify one credential offline, run the harness, serve the reference."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from lerconf import __version__
from lerconf.documents.loader import DocumentLoader, LoaderSettings, load_url_map
from lerconf.errors import LerconfError
from lerconf.results import Status
from lerconf.roles import SELECTABLE_ROLES
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerificationReport, VerifyOptions

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line input: printed without a traceback, exit 2."""


def _parse_at(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--at needs an ISO 8601 date-time, got {value!r}") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535, got {value!r}")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 1 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"a timeout is 1 to 3600 seconds, got {value!r}")
    return seconds


def add_document_dir_arguments(parser: argparse.ArgumentParser) -> None:
    """--contexts-dir and --schemas-dir, the same for every command that loads documents."""
    parser.add_argument("--contexts-dir", type=Path, action="append", default=[], metavar="DIR",
                        help="directory holding registered JSON-LD contexts (repeatable; searched before "
                             "LERCONF_CONTEXTS_DIR)")
    parser.add_argument("--schemas-dir", type=Path, action="append", default=[], metavar="DIR",
                        help="directory holding registered JSON Schemas (repeatable; searched before "
                             "LERCONF_SCHEMAS_DIR)")


def check_document_dirs(args: argparse.Namespace) -> None:
    """A --contexts-dir or --schemas-dir that is not a directory is a usage error (a typo would
    otherwise silently fall back to the cache or the network)."""
    for flag, dirs in (("--contexts-dir", args.contexts_dir), ("--schemas-dir", args.schemas_dir)):
        for directory in dirs:
            if not directory.is_dir():
                problem = "not a directory" if directory.exists() else "no such directory"
                raise UsageError(f"{flag} {directory}: {problem}")


def add_loader_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offline", action="store_true", help="never fetch anything from the network")
    parser.add_argument("--url-map", type=Path, metavar="MAP.json", help="JSON object mapping URLs to local files")
    add_document_dir_arguments(parser)
    parser.add_argument("--allow-unregistered-contexts", action="store_true",
                        help="fetch JSON-LD contexts lerconf does not know (unsafe for untrusted input)")


def loader_from_args(args: argparse.Namespace) -> DocumentLoader:
    check_document_dirs(args)
    settings = LoaderSettings.from_env()
    settings.context_dirs = tuple(args.contexts_dir) + settings.context_dirs
    settings.schema_dirs = tuple(args.schemas_dir) + settings.schema_dirs
    if args.offline:
        settings.offline = True
    if args.url_map:
        settings.url_map = load_url_map(args.url_map)
    settings.allow_unregistered_contexts = args.allow_unregistered_contexts
    return DocumentLoader(settings)


RUN_DESCRIPTION = f"""\
Run lerconf's conformance features (pytest-bdd scenarios shipped inside the
package) against the vendors described by --vendor profiles or, without
--vendor, against lerconf's embedded reference implementation. Roles a vendor
does not provide are played by the embedded reference, which runs on loopback
for the duration of the run. A scenario whose needs the vendor does not claim
is skipped, never failed.

A run first checks its setup (vendor profiles, the base JSON-LD context, the
installed feature files), then writes ./reports/<run-id>/ (or under --out;
`latest` points to it): results.json, results.jsonl, junit.xml,
allure-results/ and report.html.

Registered contexts and schemas are read from --contexts-dir/--schemas-dir,
then LERCONF_CONTEXTS_DIR/LERCONF_SCHEMAS_DIR (several directories separated
by "{os.pathsep}"), then the cache (~/.cache/lerconf or LERCONF_CACHE_DIR), then fetched
from their canonical URLs (never with --offline) and cached; every copy must
match its registered sha256."""

RUN_EPILOG = """\
exit codes:
  0    no claimed MUST scenario failed or broke
       (with --baseline: none newly did)
  1    at least one claimed MUST scenario failed or broke
       (with --baseline: one newly did; the baseline's known failures do not count)
  2    setup or usage error: bad arguments, a bad vendor profile or baseline,
       a --contexts-dir/--schemas-dir that does not exist, the base context
       unavailable, feature files missing, or pytest could not run the features
  130  interrupted (Ctrl-C); the scenarios that finished stay in the run directory"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lerconf", description="Conformance harness for Learning and Employment Records")
    parser.add_argument("--version", action="version", version=f"lerconf {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_verify(sub)
    _add_run(sub)
    _add_report(sub)
    _add_serve(sub)
    return parser


def _add_verify(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = sub.add_parser("verify", help="verify credentials, presentations or JWTs offline")
    verify.add_argument("files", nargs="+", metavar="FILE", help="JSON credential/presentation or compact JWT; - for stdin")
    verify.add_argument("--json", action="store_true", help="one JSON object per file on stdout")
    verify.add_argument("--at", type=_parse_at, help="evaluate validity and status as of this date-time (default now)")
    verify.add_argument("--challenge", help="expected presentation proof challenge")
    verify.add_argument("--domain", help="expected presentation proof domain")
    verify.add_argument("--all", action="store_true", help="also list checks that did not apply")
    verify.add_argument("--check-digests", type=Path, action="append", default=[], metavar="RUN_DIR",
                        help="for a lerconf certificate: fail unless RUN_DIR's results.json and report.html are the signed ones")
    add_loader_arguments(verify)
    verify.set_defaults(handler=cmd_verify)


def _add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="run the conformance features (no --vendor: the embedded reference)",
                         description=RUN_DESCRIPTION, epilog=RUN_EPILOG,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--vendor", type=Path, action="append", default=[], metavar="FILE", help="vendor profile (repeatable)")
    run.add_argument("--role", action="append", default=[], choices=list(SELECTABLE_ROLES), help="only these roles")
    run.add_argument("--tags", metavar="EXPR", help="marker expression over feature tags, e.g. 'verifier and not NEG'")
    run.add_argument("-k", dest="keyword", metavar="EXPR", help="select scenarios by name")
    run.add_argument("--out", type=Path, default=None, metavar="DIR", help="where run directories go (default reports/)")
    run.add_argument("--offline", action="store_true", help="fetch nothing from the network (contexts from dirs/cache)")
    run.add_argument("--url-map", type=Path, metavar="MAP.json", help="serve these URLs from local files")
    add_document_dir_arguments(run)
    run.add_argument("--read-only", action="store_true", help="skip scenarios that change vendor state")
    run.add_argument("--baseline", type=Path, metavar="FILE",
                     help="earlier results.json or expected-failures YAML/JSON: exit 1 only on new failures")
    run.add_argument("--wallet", choices=["manual"],
                     help="test a wallet by hand, without a profile: QR codes in the terminal and on a local operator page")
    run.add_argument("--wallet-timeout", type=_seconds, default=180.0, metavar="SECONDS",
                     help="manual mode: how long each step waits for the wallet or the operator (default 180)")
    run.add_argument("--manual-port", type=_port, default=0, metavar="PORT",
                     help="manual mode: loopback port of the operator page (default: any free port, printed)")
    run.add_argument("--public-base-url", metavar="URL",
                     help="advertise this https base (a tunnel or LAN proxy to --port) in offers, metadata and requests")
    run.add_argument("--port", type=_port, default=0, metavar="PORT",
                     help="loopback port of lerconf's embedded reference (default: any free port)")
    run.add_argument("--allow-private-network", action="store_true",
                     help="let lerconf fetch vendor documents (DID documents, status lists, key URLs) and call "
                          "vendors on private and loopback addresses their profiles do not name (off by default)")
    run.set_defaults(handler=cmd_run)


def _add_report(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="write report.html (side by side for several runs) from run directories")
    report.add_argument("run_dirs", nargs="+", type=Path, metavar="RUN_DIR", help="run directory holding results.json")
    report.add_argument("--out", type=Path, metavar="DIR", help="where report.html goes (default: the first RUN_DIR)")
    report.add_argument("--baseline", type=Path, metavar="FILE",
                        help="earlier results.json or expected-failures YAML/JSON: exit 1 only on new failures")
    report.add_argument("--sign", type=Path, metavar="KEYFILE",
                        help='also write certificate.json, a VC signed with {"privateKeyMultibase": ...}')
    report.add_argument("--allure", action="store_true",
                        help="also write allure-report.html (single-file Allure report; needs Node.js >= 20.19 and npm)")
    report.set_defaults(handler=cmd_report)


def _add_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="run the reference issuer/verifier/holder/status service on loopback")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port to bind; 0 picks a free one (default 8765)")
    serve.add_argument("--public-base-url", metavar="URL",
                       help="advertise this https base (a tunnel or LAN proxy to --port) instead of http://HOST:PORT")
    serve.add_argument("--tls", action="store_true",
                       help="serve HTTPS with a certificate of a CA made at start, so the issuer's did:web resolves "
                            "over https (the CA certificate goes to --ca-out, or a printed path)")
    serve.add_argument("--ca-out", type=Path, metavar="FILE",
                       help="with --tls: write the CA certificate (PEM) here, for clients and `tls: {ca_file: FILE}`")
    serve.add_argument("--allow-loopback", action="store_true",
                       help="let the served verifier fetch status lists and DID documents from other loopback "
                            "ports (a `lerconf run` on this machine); off by default")
    serve.add_argument("--profile-out", type=Path, metavar="FILE",
                       help="write a vendor profile for this instance (its port, scheme and CA filled in) for "
                            "`lerconf run --vendor FILE`")
    add_loader_arguments(serve)
    serve.set_defaults(handler=cmd_serve)


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
        print(f"{indent}  {_MARK[result.status]}  {result.requirement:<9} {result.category.value:<14} {result.message}{where}")
    for nested in report.nested:
        print_report(nested, show_all, indent + "  ")
    verdict = "VERIFIED" if report.verified else "NOT VERIFIED"
    conformance = "conformant" if report.conformant else "not conformant"
    print(f"{indent}  => {verdict}, {conformance}")


def cmd_verify(args: argparse.Namespace) -> int:
    loader = loader_from_args(args)
    verifier = Verifier(loader)
    options = VerifyOptions(challenge=args.challenge, domain=args.domain)
    if args.at:
        options.at = args.at
    all_verified = True
    for name in args.files:
        text = _read_input(name)
        report = verifier.verify_text(text, name, options)
        all_verified &= report.verified
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            print_report(report, args.all)
        if args.check_digests:
            from lerconf.reports import check_digests

            problems = check_digests(report.document if isinstance(report.document, dict) else {}, args.check_digests)
            for problem in problems:
                print(f"  DIGEST MISMATCH  {problem}")
            all_verified &= not problems
    return EXIT_OK if all_verified else EXIT_FAILED


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the reference implementation until Ctrl-C; prints its base URL and issuer id."""
    from lerconf.refimpl import serve

    public = _public_base(args.public_base_url) if args.public_base_url else None
    if args.ca_out and not args.tls:
        raise UsageError("--ca-out needs --tls (without it the reference serves plain http and has no CA)")
    try:
        serve(args.host, args.port, loader_from_args(args).settings, public_base_url=public, tls=args.tls,
              ca_out=args.ca_out, allow_loopback=args.allow_loopback, profile_out=args.profile_out)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot serve on {args.host}:{args.port}: {exc}") from None
    except KeyboardInterrupt:  # Ctrl-C is how a server is meant to stop
        print("lerconf: reference implementation stopped", file=sys.stderr)
    return EXIT_OK


def _public_base(value: str) -> str:
    from lerconf.refimpl.state import PublicUrlError, public_base_url

    try:
        return public_base_url(value)
    except PublicUrlError as exc:
        raise UsageError(str(exc)) from None


def manual_wallet_profile(directory: Path, timeout_s: float, page_port: int) -> Path:
    """A vendor profile for `--wallet manual`: a wallet with no adapter, claiming what lerconf offers."""
    text = ("name: wallet under test (manual)\n"
            "wallet:\n  mode: manual\n"
            f"  timeout_s: {timeout_s}\n  page_port: {page_port}\n"
            "  claims: {formats: [ldp_vc, jwt_vc_json], grants: [pre-authorized_code], dcql: true}\n")
    path = directory / "manual-wallet.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def cmd_run(args: argparse.Namespace) -> int:
    from lerconf.refimpl.server import BIND_PORT_VARIABLE, PUBLIC_BASE_VARIABLE
    from lerconf.run.runner import RunOptions, environment, run
    from lerconf.runlog import load_results

    env: dict[str, str] = {}
    if args.public_base_url:
        env[PUBLIC_BASE_VARIABLE] = _public_base(args.public_base_url)
        if not args.port:
            raise UsageError("--public-base-url needs a fixed --port, the one your tunnel forwards to "
                             "(e.g. --port 8765 and `cloudflared tunnel --url http://127.0.0.1:8765`)")
    if args.port:
        env[BIND_PORT_VARIABLE] = str(args.port)
    check_document_dirs(args)
    vendors, roles = list(args.vendor), list(args.role)
    with tempfile.TemporaryDirectory(prefix="lerconf-manual-") as tmp:
        if args.wallet == "manual":
            if vendors:
                raise UsageError("--wallet manual tests a wallet that has no profile; with --vendor, "
                                 "give the profile `wallet: {mode: manual}` instead")
            vendors, roles = [manual_wallet_profile(Path(tmp), args.wallet_timeout, args.manual_port)], roles or ["wallet"]
        options = RunOptions(vendors=vendors, roles=roles, tags=args.tags, keyword=args.keyword,
                             out=args.out or Path.cwd() / "reports", offline=args.offline, url_map=args.url_map,
                             read_only=args.read_only, baseline=args.baseline,
                             contexts_dirs=list(args.contexts_dir), schemas_dirs=list(args.schemas_dir),
                             allow_private_network=args.allow_private_network)
        with environment(env):  # the reference's settings, for the pytest session in this process
            code, run_dir = run(options)
    results = load_results(run_dir / "results.json")
    counts: dict[str, int] = {}
    for s in results.get("scenarios", []):
        counts[s["status"]] = counts.get(s["status"], 0) + 1
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("passed", "failed", "broken", "skipped"))
    print(f"lerconf: {summary}; results in {run_dir}")
    return code


def cmd_report(args: argparse.Namespace) -> int:
    """Write report.html (and certificate.json); exit 1 on claimed MUST failures or regressions."""
    from lerconf.reports import write_report

    outcome = write_report(args.run_dirs, out=args.out, baseline=args.baseline, sign=args.sign)
    print(f"lerconf: {outcome.summary()}")
    if getattr(args, "allure", False):
        from lerconf.reports.allure_html import AllureUnavailable, write_allure_report

        try:
            allure = write_allure_report(args.run_dirs, outcome.report.parent)
        except AllureUnavailable as exc:
            print(f"lerconf: no Allure report: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"lerconf: Allure report: {allure}")
    return outcome.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except (UsageError, LerconfError) as exc:
        print(f"lerconf: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("lerconf: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
