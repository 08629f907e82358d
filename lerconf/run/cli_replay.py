"""`lerconf replay RUN_DIR`: judge a recorded run again, offline, with the current checks.

For a certification audit ("this verdict was reached from these exchanges"), for re-checking a
vendor after lerconf's checks improved, and for lerconf's own regression tests. The replay is a
new run directory with its own results, report and JUnit; its results say which run it replays.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from lerconf.errors import LerconfError
from lerconf.run.cli_args import add_document_dir_arguments, check_document_dirs

__all__ = ["add_replay", "cmd_replay", "recording_of"]

DESCRIPTION = """\
Run the scenarios of a run made with `lerconf run --record` again, in the same
order, against the same vendor profiles, answering every call from the
recording: nothing is sent and nothing is fetched. Every check is the current
one, so a replay shows what the recorded exchanges are worth today. A scenario
whose flow now asks for something the recording does not hold is broken
("replay diverged"); wallet scenarios are not replayed (their verdict comes from
what the wallet sent to lerconf's endpoints), nor are displayer and verifier-page
scenarios (what a person reported cannot be asked again).

Exit codes as `lerconf run`."""


def add_replay(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    replay = sub.add_parser("replay", help="judge a recorded run again offline (lerconf run --record)",
                            description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    replay.add_argument("run_dir", type=Path, metavar="RUN_DIR", help="a run directory made with `lerconf run --record`")
    replay.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="where the replay's run directory goes (default: beside RUN_DIR)")
    replay.add_argument("--junit", type=Path, metavar="FILE", help="also write the replay's JUnit XML here")
    add_document_dir_arguments(replay)
    replay.set_defaults(handler=cmd_replay)


def recording_of(run_dir: Path) -> Path:
    """RUN_DIR/recording (or RUN_DIR itself when it is the recording)."""
    for candidate in (run_dir / "recording", run_dir):
        if (candidate / "run.json").is_file():
            return candidate.resolve()
    raise LerconfError(f"{run_dir}: no recording here (run.json missing); make one with `lerconf run --record`")


def cmd_replay(args: argparse.Namespace) -> int:
    from lerconf.refimpl.server import BIND_PORT_VARIABLE, TLS_BIND_PORT_VARIABLE
    from lerconf.run.runner import RunOptions, environment, run
    from lerconf.run.tapes import check_manifest, load_recording

    check_document_dirs(args)
    recording = recording_of(args.run_dir)
    check_manifest(recording)  # the bytes the run recorded, or nothing is replayed
    header, _index = load_recording(recording)
    selection = header.get("selection") or {}
    port = header.get("reference_port")
    if not isinstance(port, int):
        raise LerconfError(f"{recording / 'run.json'}: reference_port missing")
    if header.get("url_map"):
        from lerconf.documents.loader import load_url_map

        outside = [url for url, path in load_url_map(recording / str(header["url_map"])).items()
                   if not path.is_relative_to(recording)]
        if outside:
            raise LerconfError(f"{recording}: its URL map sends {outside[0]} to a file outside the recording")
    minimum = selection.get("status_list_minimum")
    options = RunOptions(vendors=[recording / "profiles" / str(f) for f in header.get("profiles", [])],
                         roles=list(selection.get("roles") or []), tags=selection.get("tags") or None,
                         keyword=selection.get("keyword") or None,
                         out=args.out or args.run_dir.resolve().parent, offline=True,
                         url_map=recording / str(header["url_map"]) if header.get("url_map") else None,
                         read_only=bool(selection.get("read_only")), contexts_dirs=list(args.contexts_dir),
                         schemas_dirs=list(args.schemas_dir), allow_private_network=False,
                         status_list_minimum=minimum if isinstance(minimum, int) else None, junit=args.junit,
                         preflight=False, replay=recording)
    # the recorded answers name the reference's port (its URLs, its did:web): the replay binds the same one,
    # and the same port for its HTTPS listener (the VCALM exchanges' URLs on the tapes)
    tls_port = header.get("reference_tls_port")
    ports = {BIND_PORT_VARIABLE: str(port), **({TLS_BIND_PORT_VARIABLE: str(tls_port)} if tls_port else {})}
    with environment(ports):
        try:
            code, _run_dir = run(options)
        except OSError as exc:
            raise LerconfError(f"cannot replay: the embedded reference needs port {port}"
                               f"{f' and {tls_port}' if tls_port else ''} as recorded: {exc}") from None
    return code
