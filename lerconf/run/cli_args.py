"""Command-line pieces every `lerconf` subcommand shares: argument types, the document directories
and loader options, and the usage error (exit 2)."""
from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path

from lerconf.checks.status import list_minimum_problem
from lerconf.documents.loader import DocumentLoader, LoaderSettings, load_url_map
from lerconf.shards import Shard, parse_shard

__all__ = ["EXIT_COULD_NOT_CHECK", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "UsageError", "add_document_dir_arguments",
           "add_loader_arguments", "add_status_list_minimum_argument", "check_document_dirs", "loader_from_args",
           "parse_at", "port", "seconds", "shard", "workers"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
#: `lerconf verify`: nothing failed, but lerconf could not check something (a key or status list it
#: could not reach); the file is not verified
EXIT_COULD_NOT_CHECK = 3


class UsageError(Exception):
    """Bad command-line input: printed without a traceback, exit 2."""


def parse_at(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--at needs an ISO 8601 date-time, got {value!r}") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535, got {value!r}")
    return int(value)


def seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 1 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"a timeout is 1 to 3600 seconds, got {value!r}")
    return seconds


def shard(value: str) -> Shard:
    """--shard I/N: which part of a split run this job runs (lerconf.shards)."""
    try:
        return parse_shard(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(f"--shard {value!r}: ")) from None


def workers(value: str) -> int:
    """-n N|auto: worker processes of a run (lerconf.run.parallel); auto is one per core."""
    if value == "auto":
        return max(1, os.cpu_count() or 1)
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise argparse.ArgumentTypeError(f"give a number of workers from 1 to 64, or auto (one per core), not {value!r}")
    return int(value)


def _status_list_minimum(value: str) -> int:
    """--status-list-minimum: a whole number of entries from 1 to Bitstring Status List's default 131,072."""
    try:
        number: object = int(value, 10)
    except ValueError:
        number = value
    problem = list_minimum_problem(number)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    assert isinstance(number, int)
    return number


def add_status_list_minimum_argument(parser: argparse.ArgumentParser, scope: str) -> None:
    parser.add_argument("--status-list-minimum", type=_status_list_minimum, metavar="N",
                        help="the fewest entries a status list may hold (BSL-16): an ecosystem's minimum, 1 to "
                             f"131,072 (Bitstring Status List's default, used without it){scope}")


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

