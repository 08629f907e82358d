"""report.pdf: report.html printed by the system Chromium, the executive summary on its first page.

lerconf drives Chromium's own headless printer (``--print-to-pdf``), the browser the report's
browser test drives, so no Python PDF library and no downloaded browser build is needed. The
page's print stylesheet (lerconf.reports.assets) puts the executive summary alone on page one and
breaks the technical sections sensibly. The report is lerconf's own file and its
Content-Security-Policy forbids every fetch, so Chromium prints it offline.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from lerconf.errors import LerconfError

#: names of a Chromium binary on PATH, in the order tried (Debian's package installs `chromium`)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: an explicit Chromium binary: a path or a name on PATH
CHROMIUM_ENV = "LERCONF_CHROMIUM"
NO_CHROMIUM = (f"no Chromium found for --pdf (tried ${CHROMIUM_ENV}, then {', '.join(CHROMIUM_NAMES)} on PATH): "
               f"install it (apt-get install chromium) or set {CHROMIUM_ENV}=/path/to/chromium")


def find_chromium() -> str:
    """The Chromium binary to print with: ``$LERCONF_CHROMIUM``, else the first of CHROMIUM_NAMES on PATH."""
    named = os.environ.get(CHROMIUM_ENV, "").strip()
    if named:
        found = shutil.which(named)
        if found is None:
            raise LerconfError(f"{CHROMIUM_ENV}={named}: no such executable; " + NO_CHROMIUM)
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise LerconfError(NO_CHROMIUM)


def pdf_path(report: Path, target: str | Path | None) -> Path:
    """Where the PDF goes: FILE as given, FILE/report.pdf for a directory, else beside report.html."""
    if target is None or str(target) == "":
        return report.with_suffix(".pdf")
    path = Path(target)
    return path / report.with_suffix(".pdf").name if path.is_dir() else path


def write_pdf(report: Path, target: str | Path | None = None, *, chromium: str | None = None,
              timeout_s: float = 180.0) -> Path:
    """Print report.html to a PDF with headless Chromium; returns the PDF's path.

    Raises LerconfError when no Chromium is found or it does not produce a PDF (with its output).
    """
    binary = chromium or find_chromium()
    out = pdf_path(report, target).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".tmp")
    partial.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="lerconf-chromium-") as profile:
        command = [
            binary, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            # lerconf's own file, scripts limited by its CSP to one hashed block: no sandbox needed
            # (and a root user in a container cannot have one)
            "--no-sandbox", "--disable-background-networking", "--disable-extensions", "--disable-sync",
            f"--user-data-dir={profile}", "--no-pdf-header-footer", "--print-to-pdf-no-header",
            f"--print-to-pdf={partial}", report.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            partial.unlink(missing_ok=True)
            raise LerconfError(f"Chromium ({binary}) did not print {report} within {timeout_s:.0f} s") from exc
        except OSError as exc:
            raise LerconfError(f"cannot start Chromium ({binary}): {exc}") from exc
    if not partial.is_file() or partial.read_bytes()[:5] != b"%PDF-":
        partial.unlink(missing_ok=True)
        tail = (proc.stderr or proc.stdout).strip()[-800:]
        raise LerconfError(f"Chromium ({binary}) wrote no PDF of {report} (exit {proc.returncode}): {tail}")
    partial.replace(out)
    return out
