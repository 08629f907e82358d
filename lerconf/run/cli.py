"""The `lerconf` command line: verify one credential offline, run the harness, serve the reference."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lerconf import __version__
from lerconf.errors import LerconfError
from lerconf.roles import SELECTABLE_ROLES
from lerconf.run.cli_args import (
    EXIT_COULD_NOT_CHECK,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    add_document_dir_arguments,
    add_loader_arguments,
    add_status_list_minimum_argument,
    check_document_dirs,
    loader_from_args,
    port,
    seconds,
    shard,
    workers,
)
from lerconf.run.cli_replay import add_replay
from lerconf.run.cli_site import add_site
from lerconf.run.cli_verify import add_verify, cmd_verify, print_report
from lerconf.run.init_profile import add_init
from lerconf.run.keygen import add_keygen
from lerconf.run.pipes import quiet_broken_pipes

#: what tests and scripts import from the command line's module
__all__ = ["EXIT_COULD_NOT_CHECK", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "UsageError", "add_loader_arguments",
           "build_parser", "cmd_verify", "loader_from_args", "main", "print_report"]


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
       a preflight problem (a required claim left out, a secret not set, an
       endpoint unreachable or refusing authentication; --no-preflight skips
       these checks), a --contexts-dir/--schemas-dir that does not exist, the base context
       unavailable, feature files missing, an unknown tag in --tags, a
       selection (-k, --tags, --role) that matches no scenario, or pytest could
       not run the features
  130  interrupted (Ctrl-C); the scenarios that finished stay in the run directory

console: one line per scenario (the reason of each one not passed), then the
failures grouped by reason, the counts and the report path. Colour only on a
terminal and without NO_COLOR; GITHUB_ACTIONS=true adds ::error/::warning
annotations for failed and broken scenarios."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lerconf", description="Conformance harness for Learning and Employment Records")
    parser.add_argument("--version", action="version", version=f"lerconf {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    add_verify(sub)
    _add_run(sub)
    _add_report(sub)
    _add_serve(sub)
    add_keygen(sub)
    add_init(sub)
    add_site(sub)
    add_replay(sub)
    return parser


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
    run.add_argument("--junit", type=Path, metavar="FILE",
                     help="also write the run's JUnit XML here (it is always in the run directory as junit.xml)")
    run.add_argument("--artefacts", type=Path, action="append", default=[], metavar="PATH",
                     help="judge what an issuer delivered, without a profile: a folder (each file in it), a .zip or "
                          "one file of badges, baked images, VC-JWTs, CLRs, LER-RS résumés (repeatable)")
    run.add_argument("--wallet", choices=["manual"],
                     help="test a wallet by hand, without a profile: QR codes in the terminal and on a local operator page")
    run.add_argument("--displayer", metavar="HOW",
                     help="test a badge displayer by hand, without a profile: HOW says how the operator opens it (a URL "
                          "or one sentence); the operator page asks what it showed (attested evidence)")
    run.add_argument("--page-verifier", metavar="HOW",
                     help="test a verifier that is only a web page, by hand, without a profile: HOW says where it is")
    run.add_argument("--wallet-timeout", type=seconds, default=180.0, metavar="SECONDS",
                     help="manual mode: how long each step waits for the wallet or the operator (default 180)")
    run.add_argument("--manual-port", type=port, default=0, metavar="PORT",
                     help="manual mode: loopback port of the operator page (default: any free port, printed)")
    run.add_argument("--public-base-url", metavar="URL",
                     help="advertise this https base (a tunnel or LAN proxy to --port) in offers, metadata and requests")
    run.add_argument("--port", type=port, default=0, metavar="PORT",
                     help="loopback port of lerconf's embedded reference (default: any free port)")
    run.add_argument("--allow-private-network", action="store_true",
                     help="let lerconf fetch vendor documents (DID documents, status lists, key URLs) and call "
                          "vendors on private and loopback addresses their profiles do not name (off by default)")
    add_status_list_minimum_argument(run, "; overrides the vendor profiles' status_lists.minimum_entries")
    run.add_argument("--no-preflight", dest="preflight", action="store_false",
                     help="skip the checks made before any scenario (secrets set, endpoints reachable, auth accepted)")
    run.add_argument("--record", action="store_true",
                     help="keep every exchange (redacted) and lerconf's own choices in the run directory's recording/, "
                          "so `lerconf replay RUN_DIR` can judge the run again offline")
    run.add_argument("-n", "--workers", type=workers, default=1, metavar="N|auto",
                     help="run the scenarios in N worker processes on this machine (auto: one per core), each with its "
                          "own embedded reference; one vendor's wallet scenarios stay in one worker unless its profile "
                          "says isolation: scenario; one run directory as without -n (default 1)")
    run.add_argument("--shard", type=shard, metavar="I/N",
                     help="run only shard I of N (1-based) of the selected scenarios, for a CI matrix: the split is the "
                          "same on every machine, an interop scenario stays whole; `lerconf report` merges the N run "
                          "directories into one")
    run.set_defaults(handler=cmd_run)


def _add_report(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="write report.html (side by side for several runs) from run directories",
                            description="Write report.html from run directories: one run, several runs side by side, "
                                        "or the N shards of one `lerconf run --shard I/N` merged into one run directory "
                                        "(results.json, junit.xml, allure-results/ and report.html; --out, default "
                                        "<first shard>-merged).")
    report.add_argument("run_dirs", nargs="+", type=Path, metavar="RUN_DIR", help="run directory holding results.json")
    report.add_argument("--out", type=Path, metavar="DIR", help="where report.html goes (default: the first RUN_DIR)")
    report.add_argument("--baseline", type=Path, metavar="FILE",
                        help="earlier results.json or expected-failures YAML/JSON: exit 1 only on new failures")
    report.add_argument("--sign", type=Path, metavar="KEYFILE",
                        help='also write certificate.json, a VC signed with this key (made by `lerconf keygen`; '
                             '{"privateKeyMultibase": ...}), beside report.html with the certified results.json')
    report.add_argument("--pdf", nargs="?", const="", default=None, metavar="FILE",
                        help="also write a PDF, its first page a one-page executive summary (default FILE: report.pdf "
                             "beside report.html; a directory: report.pdf in it); prints report.html with the system "
                             "Chromium ($LERCONF_CHROMIUM, else chromium on PATH)")
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
    """A vendor profile for `--wallet manual`: a wallet with no adapter, claiming what lerconf offers
    (the OpenID flows; VCALM exchanges too, run with ``--role vcalm_wallet``)."""
    text = ("name: wallet under test (manual)\n"
            "wallet:\n  mode: manual\n"
            f"  timeout_s: {timeout_s}\n  page_port: {page_port}\n"
            "  claims: {formats: [ldp_vc, jwt_vc_json], grants: [pre-authorized_code], dcql: true}\n"
            "vcalm_wallet:   # with --role vcalm_wallet: VCALM exchanges, their interaction URL as the QR code\n"
            "  claims: {exchanges: [issuing, verifying]}\n")
    path = directory / "manual-wallet.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def person_profile(directory: Path, displayer: str | None, page_verifier: str | None, page_port: int) -> Path:
    """A vendor profile for `--displayer HOW` and/or `--page-verifier HOW` (lerconf.profile.person): what the
    operator opens, claiming every VC version lerconf hands over. Two operator pages cannot share a fixed
    port: with both, the verifier page's takes any free one."""
    import yaml

    profile: dict[str, Any] = {"name": "tested by hand"}
    if displayer:
        profile["displayer"] = {"open": displayer, "page_port": page_port}
    if page_verifier:
        profile["page_verifier"] = {"open": page_verifier, "page_port": 0 if displayer else page_port}
    path = directory / "by-hand.yaml"
    path.write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def artefacts_profile(directory: Path, paths: Sequence[Path]) -> Path:
    """A vendor profile for `--artefacts PATH`: an issuer of artefacts only, each PATH an item with
    nothing said about it (so LCA-01 has nothing to contradict; every other artefact check applies)."""
    import yaml

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"--artefacts: {', '.join(missing)} does not exist (give a folder, a .zip or a file)")
    names = ", ".join(p.name or str(p) for p in paths)
    profile = {"name": f"artefacts in {names}", "issuer": {"artefacts": [{"path": str(p.resolve())} for p in paths]}}
    path = directory / "artefacts.yaml"
    path.write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def cmd_run(args: argparse.Namespace) -> int:
    from lerconf.refimpl.server import BIND_PORT_VARIABLE, PUBLIC_BASE_VARIABLE
    from lerconf.run.runner import RunOptions, environment, run

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
        if args.displayer or args.page_verifier:
            if vendors:
                raise UsageError("--displayer and --page-verifier test a product that has no profile (not with --vendor "
                                 "or --wallet manual); with --vendor, give the profile a displayer: or page_verifier: "
                                 "section instead")
            chosen = [r for r, how in (("displayer", args.displayer), ("page_verifier", args.page_verifier)) if how]
            vendors = [person_profile(Path(tmp), args.displayer, args.page_verifier, args.manual_port)]
            roles = roles or chosen
        if args.artefacts:
            if vendors:
                raise UsageError("--artefacts judges files without a profile; to judge a vendor's artefacts against what "
                                 "it says they are, list them under issuer.artefacts in its profile and use --vendor")
            vendors, roles = [artefacts_profile(Path(tmp), args.artefacts)], roles or ["artefact_issuer"]
        options = RunOptions(vendors=vendors, roles=roles, tags=args.tags, keyword=args.keyword,
                             out=args.out or Path.cwd() / "reports", offline=args.offline, url_map=args.url_map,
                             read_only=args.read_only, baseline=args.baseline,
                             contexts_dirs=list(args.contexts_dir), schemas_dirs=list(args.schemas_dir),
                             allow_private_network=args.allow_private_network,
                             status_list_minimum=args.status_list_minimum, junit=args.junit,
                             preflight=args.preflight, record=args.record, shard=args.shard, workers=args.workers)
        with environment(env):  # the reference's settings, for the pytest session in this process
            code, _run_dir = run(options)  # the run prints its summary, counts and where its results are
    return code


def cmd_report(args: argparse.Namespace) -> int:
    """Write report.html (and certificate.json); exit 1 on claimed MUST failures or regressions."""
    from lerconf.reports import write_report

    outcome = write_report(args.run_dirs, out=args.out, baseline=args.baseline, sign=args.sign, merge=True)
    print(f"lerconf: {outcome.summary()}")
    if getattr(args, "pdf", None) is not None:
        from lerconf.reports.pdf import write_pdf

        print(f"lerconf: PDF: {write_pdf(outcome.report, args.pdf)}")  # no Chromium: LerconfError, exit 2
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
    with quiet_broken_pipes():  # `lerconf ... | head` ends quietly, with the command's own exit code
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
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
