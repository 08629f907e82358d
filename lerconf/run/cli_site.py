"""`lerconf site RUN_DIR... --out DIR`: a static site over many runs (see lerconf.reports.site)."""
from __future__ import annotations

import argparse
from pathlib import Path

from lerconf.reports.site import write_site

SITE_DESCRIPTION = """\
Build a static, self-contained site over many runs (nightly CI runs of several
vendors, say) into DIR: index.html (the scorecard and interop matrices of the
latest run of each vendor set, and pass rates per spec area over time),
latest.html (the full report of those runs) and one page per vendor (its verdict
per role over time, and each requirement's history: when it broke, when it was
fixed). Each RUN_DIR is a run directory (with results.json) or a directory
holding run directories; runs are ordered by their start time. The pages open
from disk, fetch nothing and hold only what results.json holds."""


def add_site(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    site = sub.add_parser("site", help="build a static history and dashboard site over many run directories",
                          description=SITE_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    site.add_argument("run_dirs", nargs="+", type=Path, metavar="RUN_DIR",
                      help="a run directory (results.json) or a directory holding run directories")
    site.add_argument("--out", type=Path, required=True, metavar="DIR", help="where the site's pages go")
    site.set_defaults(handler=cmd_site)


def cmd_site(args: argparse.Namespace) -> int:
    outcome = write_site(args.run_dirs, args.out)
    print(f"lerconf: site: {outcome.summary()}")
    return 0
