"""`lerconf report --allure`: one self-contained Allure HTML file from RUN_DIR/allure-results.

Uses the npm `allure` package (Allure 3, pinned in ``allure/package.json`` and its lock file
beside this module) with only its ``allure2`` plugin in ``singleFile`` mode: the classic Allure 2
UI, data and scripts inlined into one ``index.html``, no Java. The Allure 3 "awesome" and
"classic" skins always embed Google Analytics; the allure2 plugin leaves it out when
``ALLURE_NO_ANALYTICS=true``, which is set here, and the written file is checked for it anyway.

The package is installed once with ``npm ci --ignore-scripts`` from the committed lock file into
``$LERCONF_ALLURE_DIR`` or ``<lerconf cache>/allure/<lock digest>`` (the cache is
``$LERCONF_CACHE_DIR``, else ``~/.cache/lerconf``); after that nothing is fetched. Without
Node.js >= 20.19 and npm, `AllureUnavailable` says how to get them; report.html never depends on this.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from lerconf.documents.loader import default_cache_dir
from lerconf.errors import LerconfError

OUTPUT_NAME = "allure-report.html"
MIN_NODE = (20, 19)  # engines of the pinned tree (chokidar, readdirp: >= 20.19.0)
INSTALL_HELP = (
    "`lerconf report --allure` needs Node.js >= 20.19 and npm on PATH (report.html does not). "
    "On Debian 13: `apt-get install nodejs npm`; elsewhere Node.js 20.19+ or 22 LTS from nodejs.org, "
    "NodeSource packages or nvm. "
    "The first run then installs the pinned npm `allure` package (about 50 MB, from the npm registry only) "
    "into the lerconf cache; later runs work offline"
)
# What must never appear in the file: the analytics the Allure skins can embed.
ANALYTICS = re.compile(r"googletagmanager|google-analytics|gtag\(", re.IGNORECASE)


class AllureUnavailable(LerconfError):
    """Node.js/npm missing or too old, or the pinned package could not be installed."""


def package_files() -> dict[str, bytes]:
    """package.json and package-lock.json as shipped with lerconf."""
    folder = resources.files("lerconf.reports").joinpath("allure")
    return {name: folder.joinpath(name).read_bytes() for name in ("package.json", "package-lock.json")}


def install_dir() -> Path:
    """Where the pinned package lives: one folder per lock file, so a new pin installs afresh."""
    explicit = os.environ.get("LERCONF_ALLURE_DIR")
    if explicit:
        return Path(explicit)

    digest = hashlib.sha256(package_files()["package-lock.json"]).hexdigest()[:16]
    return default_cache_dir() / "allure" / digest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise AllureUnavailable(f"`{name}` not found on PATH: {INSTALL_HELP}")
    return path


def node_version(node: str) -> tuple[int, ...]:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise AllureUnavailable(f"`{node} --version` failed ({exc}): {INSTALL_HELP}") from exc
    return tuple(int(x) for x in re.findall(r"\d+", out)[:3])


def _stamp(folder: Path) -> Path:
    return folder / "node_modules" / ".lerconf-installed"


def ensure_installed(*, timeout: float = 600) -> Path:
    """`npm ci` the pinned package unless it is already there; return the allure CLI script."""
    node = _tool("node")
    version = node_version(node)
    if version < MIN_NODE:
        raise AllureUnavailable(f"Node.js {'.'.join(map(str, version))} at {node} is too old: {INSTALL_HELP}")
    files = package_files()
    lock_digest = hashlib.sha256(files["package-lock.json"]).hexdigest()
    target = install_dir()
    stamp = _stamp(target)
    if not (stamp.is_file() and stamp.read_text().strip() == lock_digest):
        npm = _tool("npm")
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=target.name + ".installing-", dir=target.parent))
        work.chmod(0o755)
        try:
            for name, data in files.items():
                (work / name).write_bytes(data)
            env = {**os.environ, "npm_config_update_notifier": "false", "npm_config_fund": "false",
                   "npm_config_audit": "false"}
            proc = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                                  cwd=work, env=env, capture_output=True, text=True, timeout=timeout, check=False)
            if proc.returncode != 0:
                raise AllureUnavailable(f"`npm ci` of the pinned allure package failed in {work} "
                                        f"(exit {proc.returncode}):\n{proc.stderr[-3000:]}")
            _stamp(work).write_text(lock_digest + "\n")
            if target.exists():  # stale install (or another process won the race)
                shutil.rmtree(target, ignore_errors=True)
            try:
                work.rename(target)
            except OSError:
                if not (stamp.is_file() and stamp.read_text().strip() == lock_digest):
                    raise
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
    return cli_script(target)


def cli_script(folder: Path) -> Path:
    meta = json.loads((folder / "node_modules" / "allure" / "package.json").read_text(encoding="utf-8"))
    bin_entry = meta["bin"] if isinstance(meta["bin"], str) else meta["bin"]["allure"]
    return (folder / "node_modules" / "allure" / bin_entry).resolve()


def results_dirs(run_dirs: Sequence[Path]) -> list[Path]:
    found = [Path(d) / "allure-results" for d in run_dirs]
    missing = [str(d) for d in found if not d.is_dir()]
    if missing:
        raise LerconfError(f"no allure-results in {', '.join(missing)} (written by `lerconf run`)")
    return found


def write_allure_report(run_dirs: Sequence[Path], out_dir: Path, *, name: str = "lerconf conformance run",
                        timeout: float = 600) -> Path:
    """Build `out_dir`/allure-report.html from the run directories' allure-results."""
    sources = results_dirs(run_dirs)
    script = ensure_installed(timeout=timeout)
    node = _tool("node")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lerconf-allure-") as tmp:
        config = Path(tmp) / "allurerc.json"
        config.write_text(json.dumps({
            "name": name,
            "plugins": {"allure2": {"options": {"singleFile": True, "reportName": name, "reportLanguage": "en"}}},
        }), encoding="utf-8")
        built = Path(tmp) / "report"
        env = {**os.environ, "ALLURE_NO_ANALYTICS": "true", "NO_COLOR": "1", "FORCE_COLOR": "0"}
        proc = subprocess.run([node, str(script), "generate", "--config", str(config), "--output", str(built),
                               *map(str, sources)], cwd=tmp, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False, stdin=subprocess.DEVNULL)
        index = built / "index.html"
        if proc.returncode != 0 or not index.is_file():
            raise LerconfError(f"`allure generate` failed (exit {proc.returncode}):\n"
                               f"{(proc.stdout + proc.stderr)[-3000:]}")
        html = index.read_text(encoding="utf-8")
        hit = ANALYTICS.search(html)
        if hit:
            raise LerconfError(f"the generated Allure report embeds analytics ({hit.group(0)!r}); not written")
        target = out_dir / OUTPUT_NAME
        partial = target.with_name(target.name + ".tmp")
        partial.write_text(html, encoding="utf-8")
        partial.replace(target)
    return target
