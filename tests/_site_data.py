"""Hand-made run history for the `lerconf site` tests: three runs of two vendors, one vendor named with markup.

Acme's VCDM-06 passes in the first run, fails in the second and passes again in the third. The
run directories' names sort in another order than their start times, so ordering by name would
put the break elsewhere. The third run adds a requirement (OB-05) the others lacked, and an
interop scenario (Acme issues, the hostile-named vendor verifies).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from _report_data import results, scenario, vendor, write_run

HOSTILE = "<script>alert(1)</script> Corp"
BREAK_REASON = "VCDM-06: issuer <b>is</b> not a URL"
#: (run directory name, run id, start time, Acme's VCDM-06 status)
RUNS = (("c-first", "run-1", "2026-01-01T02:00:00Z", "passed"),
        ("a-second", "run-2", "2026-01-02T02:00:00Z", "failed"),
        ("b-third", "run-3", "2026-01-03T02:00:00Z", "passed"))


def _run(run_id: str, started: str, vcdm06: str, last: bool) -> dict[str, Any]:
    s = []
    for name in ("Acme", HOSTILE):
        s.append(scenario("Issuer starts @context with the v2 context", name, req="VCDM-01"))
        s.append(scenario("Verifier detects a tampered badge", name, role="verifier", req="DI-15", tags=("NEG",)))
    s.append(scenario("Issuer names itself with a URL", "Acme", req="VCDM-06", status=vcdm06,
                      reason=BREAK_REASON if vcdm06 == "failed" else ""))
    if last:
        s.append(scenario("Issuer adds a SHOULD description", "Acme", req="OB-05", severity="SHOULD"))
        s.append(scenario("A verifier accepts badges issued by another vendor", f"Acme → {HOSTILE}", role="interop",
                          req="API-11", interop={"kind": "credential", "issuer": "Acme", "holder": None, "verifier": HOSTILE,
                                                 "securing": "eddsa-rdfc-2022", "vc_version": "2.0"},
                          feature_file="interop/vcapi-interop.feature"))
    return results([vendor("Acme", roles=("issuer", "verifier")), vendor(HOSTILE, roles=("issuer", "verifier"))], s,
                   id=run_id, started=started, finished=started.replace("02:00:00", "02:01:00"))


def write_history(base: Path) -> Path:
    """The three runs as run directories under `base` (with a `latest` link, as `lerconf run` leaves)."""
    for directory, run_id, started, vcdm06 in RUNS:
        write_run(base / directory, _run(run_id, started, vcdm06, last=run_id == "run-3"))
    (base / "latest").symlink_to("b-third")
    return base
