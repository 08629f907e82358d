"""Credentials verified per second: lerconf against the Digital Bazaar Node stack, same credentials.

Workload: N distinct Open Badges 3.0 credentials (own id, subject and achievement name), signed
with eddsa-rdfc-2022 by Digital Bazaar's libraries (``db_stack.mjs mint``), so neither side
verifies its own output. Each side then runs in one process of its own and verifies every
credential once, in turn, after warming up on W other credentials:

* Digital Bazaar: ``vc.verifyCredential`` (safe-mode JSON-LD, RDFC-1.0, proof, dates), in a fresh
  Node process (``db_stack.mjs verify``);
* lerconf: the engine behind ``lerconf verify``, full verification (proof, issuer binding,
  structure, contexts, OB 3.0 schema, dates), in a fresh Python process, each credential parsed
  from its JSON text just before it is verified.

The two sides take turns for R rounds (default 8), each round in fresh processes; the best rate
of each side and their ratio are printed with every round's, because other work on the machine
slows whichever side happens to run beside it.

Then ``lerconf verify -j 1`` and ``-j 2`` over B distinct credentials of the same kind as files
(the N above and more), wall time of each whole command, the same less the start-up of a
one-file ``lerconf verify``, and a check that every -j prints the same text (``--at`` is fixed so
the dates checks print the same time).

Run: make bench   (needs Node.js >= 20, tests/peers/digitalbazaar/node_modules and LERCONF_*_DIR)
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.run.cli_verify import default_jobs
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerifyOptions

HERE = Path(__file__).resolve().parent
NODE_SCRIPT = HERE / "db_stack.mjs"
PEER_MODULES = HERE.parent / "tests" / "peers" / "digitalbazaar" / "node_modules"


def node(mode: str, payload: dict[str, Any]) -> Any:
    """Run one ``db_stack.mjs`` mode in a fresh Node process; its stdout is one JSON value."""
    exe = shutil.which("node")
    if exe is None or not PEER_MODULES.is_dir():
        raise SystemExit("needs node and `npm ci --prefix tests/peers/digitalbazaar`")
    done = subprocess.run([exe, str(NODE_SCRIPT), mode], input=json.dumps(payload), capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise SystemExit(f"db_stack.mjs {mode} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def unsigned(n: int) -> dict[str, Any]:
    """Credential number ``n``: the OB 3.0 template with its own id, subject and achievement name."""
    credential = ob3_achievement_credential("did:example:replaced-by-minter", f"did:example:learner-{n:05d}",
                                            credential_id=f"urn:uuid:00000000-0000-4000-8000-{n:012d}")
    credential["credentialSubject"]["achievement"]["name"] += f" #{n}"
    return credential


def lerconf_in_process(payload: dict[str, Any]) -> dict[str, Any]:
    """The lerconf side, run in its own process: each measured credential verified once, after warm-up."""
    verifier = Verifier(DocumentLoader(LoaderSettings.from_env(offline=True)))
    options = VerifyOptions(check_status=False)
    for credential in payload["warmup"]:
        report = verifier.verify_document(credential, "warmup", options)
        if not (report.verified and report.conformant):
            raise SystemExit(f"lerconf did not verify a warm-up credential: {report.to_json()}")
    texts = [json.dumps(c) for c in payload["credentials"]]
    verified = 0
    start = time.perf_counter()
    for i, text in enumerate(texts):
        report = verifier.verify_document(json.loads(text), f"credential-{i}", options)
        verified += report.verified and report.conformant
    return {"count": len(texts), "seconds": time.perf_counter() - start, "verified": verified}


def lerconf(payload: dict[str, Any]) -> dict[str, Any]:
    """Run :func:`lerconf_in_process` in a fresh Python process, as ``node`` runs the other side."""
    done = subprocess.run([sys.executable, __file__, "--lerconf-side"], input=json.dumps(payload), capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise SystemExit(f"lerconf side failed:\n{done.stderr}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


AT = "2026-06-01T00:00:00Z"


def lerconf_batch(files: list[Path], jobs: int) -> tuple[float, str]:
    """Wall time of one ``lerconf verify -j N FILE...`` command, and what it printed."""
    command = [sys.executable, "-m", "lerconf.run.cli", "verify", "--at", AT, "-j", str(jobs), *map(str, files)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"lerconf verify -j {jobs} exited {done.returncode}:\n{done.stderr}{done.stdout[-2000:]}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="measured credentials (default 300)")
    parser.add_argument("--warmup", type=int, default=100,
                        help="warm-up credentials, not measured (default 100: Node's JIT needs them too)")
    parser.add_argument("--rounds", type=int, default=8, help="turns each side takes (default 8)")
    parser.add_argument("--lerconf-side", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=1200, help="files for the -j runs (default 1200)")
    parser.add_argument("--jobs", default="1,2", help="-j values for the batch runs, comma-separated ('' to skip)")
    args = parser.parse_args()
    if args.lerconf_side:
        print(json.dumps(lerconf_in_process(json.load(sys.stdin))))
        return
    jobs = [int(j) for j in args.jobs.split(",") if j.strip()]
    total = args.warmup + max(args.n, args.batch if jobs else 0)
    signed = node("mint", {"credentials": [unsigned(n) for n in range(total)]})
    warmup, measured = signed[: args.warmup], signed[args.warmup: args.warmup + args.n]

    payload = {"warmup": warmup, "credentials": measured}
    rounds: list[tuple[float, float]] = []
    for _ in range(args.rounds):
        db, ours = node("verify", payload), lerconf(payload)
        for side, answer in (("Digital Bazaar", db), ("lerconf", ours)):
            if answer["verified"] != len(measured):
                raise SystemExit(f"{side} verified {answer['verified']} of {len(measured)}")
        rounds.append((db["count"] / db["seconds"], ours["count"] / ours["seconds"]))
    db_rate, lerconf_rate = max(r[0] for r in rounds), max(r[1] for r in rounds)
    print(f"{len(measured)} distinct OB 3.0 eddsa-rdfc-2022 credentials minted by Digital Bazaar, each verified once "
          f"per round; best of {len(rounds)} rounds (fresh processes each)")
    print(f"  {'Digital Bazaar vc.verifyCredential (Node ' + _node_version() + ')':<52} {db_rate:>8.1f} cred/s")
    print(f"  {'lerconf full verification (one process)':<52} {lerconf_rate:>8.1f} cred/s")
    print(f"  {'ratio lerconf / Digital Bazaar':<52} {lerconf_rate / db_rate:>8.2f}x")
    print("  rounds (DB, lerconf, ratio): " + "; ".join(f"{d:.0f}, {o:.0f}, {o / d:.2f}x" for d, o in rounds))
    print(f"  median of the rounds' ratios: {statistics.median(o / d for d, o in rounds):.2f}x "
          "(each round's two sides run one after the other, so machine drift moves it too)")

    if not jobs:
        return
    with tempfile.TemporaryDirectory(prefix="lerconf-bench-") as tmp:
        files = []
        for i, credential in enumerate(signed[args.warmup: args.warmup + args.batch]):
            path = Path(tmp) / f"credential-{i:05d}.json"
            path.write_text(json.dumps(credential), encoding="utf-8")
            files.append(path)
        startup = min(lerconf_batch(files[:1], 1)[0] for _ in range(3))
        print(f"`lerconf verify -j N` over {len(files)} distinct files, best of {args.rounds} ({default_jobs()} cores; "
              f"start-up of a one-file run {startup:.2f} s)")
        print(f"  {'':<6} {'wall':>7} {'cred/s':>8} {'speed-up':>9}   {'less start-up':>13} {'speed-up':>9}")
        outputs: dict[int, str] = {}
        walls: dict[int, list[float]] = {j: [] for j in jobs}
        for _ in range(args.rounds):  # the -j values take turns; the best wall time of each counts
            for j in jobs:
                wall, outputs[j] = lerconf_batch(files, j)
                walls[j].append(wall)
        base: tuple[float, float] | None = None
        for j in jobs:
            wall = min(walls[j])
            net = max(wall - startup, 1e-9)
            base = base or (wall, net)
            print(f"  -j {j:<3} {wall:>6.2f}s {len(files) / wall:>8.1f} {base[0] / wall:>8.2f}x   "
                  f"{len(files) / net:>7.1f} /s {base[1] / net:>8.2f}x")
        texts = set(outputs.values())
        print("  output identical across -j: " + ("yes" if len(texts) == 1 else "NO"))
        if len(texts) != 1:
            raise SystemExit(1)


def _node_version() -> str:
    exe = shutil.which("node") or "node"
    return subprocess.run([exe, "--version"], capture_output=True, text=True, check=False).stdout.strip()


if __name__ == "__main__":
    main()
