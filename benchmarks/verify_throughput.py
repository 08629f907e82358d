"""Credentials verified per second: lerconf's engine versus a plain pyld implementation.

Workload: Open Badges 3.0 AchievementCredentials signed with eddsa-rdfc-2022 by a did:key,
verified in one process with warm context caches. 100 distinct credentials (own id, subject
and achievement name) are verified in turn, so no per-document cache can answer from memory; the
statement lines lerconf's canonicalization remembers (lerconf.documents.rdfc_small: lines recur
across distinct credentials, but here the same 100 come round again) are forgotten before each
verification, outside the timing. The plain-pyld baseline does what a
straightforward implementation does: pyld URDNA2015 normalization of document and proof
configuration (contexts read from disk by a document loader), SHA-256, Ed25519 verify.

Selective disclosure: the same 100 credentials with an ecdsa-sd-2023 (P-256) or bbs-2023
(BLS12-381) base proof, each disclosed in part by lerconf's holder derivation (the mandatory
statements of the selective-disclosure scenarios and the subject's id); the rate is lerconf's
derived-proof verification (the proof steps only, as "lerconf proof verification").

Run: make bench   (needs LERCONF_CONTEXTS_DIR)
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyld import jsonld

from lerconf.crypto.di.sd_suites import selective_suite
from lerconf.crypto.encoding import multibase_decode
from lerconf.crypto.keys import BLS_G2, decode_multikey
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents import rdfc_small
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.registry import REGISTRY
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.verify.di_proof import verify_proofs
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerifyOptions


def contexts_dir() -> Path:
    value = os.environ.get("LERCONF_CONTEXTS_DIR")
    if not value:
        raise SystemExit("set LERCONF_CONTEXTS_DIR to a directory of registered contexts")
    return Path(value.split(os.pathsep)[0])


def plain_pyld_verify(credential: dict[str, Any], ctx_dir: Path) -> bool:
    """Data Integrity eddsa-rdfc-2022 verification with nothing but pyld and cryptography."""

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        entry = REGISTRY[url]
        path = ctx_dir / entry.versions[0].file
        return {"contextUrl": None, "documentUrl": url, "document": json.loads(path.read_text())}

    doc = copy.deepcopy(credential)
    proof = doc.pop("proof")
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = doc["@context"]
    opts = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
    doc_c = jsonld.normalize(doc, opts)
    conf_c = jsonld.normalize(config, opts)
    data = hashlib.sha256(conf_c.encode()).digest() + hashlib.sha256(doc_c.encode()).digest()
    multikey = proof["verificationMethod"].split("#", 1)[1]
    return decode_multikey(multikey).verify(multibase_decode(proof["proofValue"]), data)


def forget_lines() -> None:
    """Empty rdfc_small's memo of statement lines and IRIs (see the module docstring)."""
    rdfc_small._LINES.clear()
    rdfc_small._IRIS.clear()


def rate(fn: Callable[[dict[str, Any]], bool], credentials: list[dict[str, Any]], seconds: float) -> tuple[float, int]:
    for c in credentials[:3]:  # warm the context caches
        assert fn(c)
    runs: list[float] = []
    deadline = time.perf_counter() + seconds
    i = 3
    while time.perf_counter() < deadline:
        c = credentials[i % len(credentials)]
        i += 1
        forget_lines()
        t0 = time.perf_counter()
        assert fn(c)
        runs.append(time.perf_counter() - t0)
    return 1.0 / statistics.median(runs), len(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per variant")
    args = parser.parse_args()
    ctx_dir = contexts_dir()
    loader = DocumentLoader(LoaderSettings.from_env(offline=True))
    verifier = Verifier(loader)
    signer = Signer.did_key(deterministic_key("bench-issuer", "Ed25519"))
    credentials = []
    for n in range(100):
        unsigned = ob3_achievement_credential(signer.controller, f"did:example:learner-{n:04d}",
                                              credential_id=f"urn:uuid:00000000-0000-4000-8000-{n:012d}")
        unsigned["credentialSubject"]["achievement"]["name"] += f" #{n}"
        credentials.append(signer.sign(unsigned, "eddsa-rdfc-2022", verifier.processor, created="2026-01-15T09:00:00Z"))

    disclosed = {suite: derived_credentials(suite, credentials, verifier) for suite in ("ecdsa-sd-2023", "bbs-2023")}

    def lerconf_proof(credential: dict[str, Any]) -> bool:
        return all(o.valid for o in verify_proofs(credential, verifier.resolver, verifier.processor))

    def lerconf_full(credential: dict[str, Any]) -> bool:
        return verifier.verify_document(credential, options=VerifyOptions(check_status=False)).verified

    results = {
        "plain pyld (URDNA2015, contexts from disk)": rate(lambda c: plain_pyld_verify(c, ctx_dir), credentials, args.seconds),
        "lerconf proof verification": rate(lerconf_proof, credentials, args.seconds),
        "lerconf full verify (proof, binding, structure, schema, dates)": rate(lerconf_full, credentials, args.seconds),
        "lerconf ecdsa-sd-2023 derived proof verification": rate(lerconf_proof, disclosed["ecdsa-sd-2023"], args.seconds),
        "lerconf bbs-2023 derived proof verification": rate(lerconf_proof, disclosed["bbs-2023"], args.seconds),
    }
    base = next(iter(results.values()))[0]
    print(f"{'variant':<66} {'cred/s':>8} {'runs':>6} {'vs plain':>9}")
    for name, (per_second, runs) in results.items():
        print(f"{name:<66} {per_second:>8.1f} {runs:>6} {per_second / base:>8.1f}x")


#: the selective-disclosure scenarios' mandatory pointers (lerconf.scenarios.selective.MANDATORY) and selection
MANDATORY = ("/id", "/issuer", "/validFrom", "/name", "/credentialSchema", "/credentialSubject/type",
             "/credentialSubject/achievement")
SELECTIVE = ("/credentialSubject/id",)


def derived_credentials(suite: str, signed: list[dict[str, Any]], verifier: Verifier) -> list[dict[str, Any]]:
    """The benchmark's credentials re-issued with a base proof of ``suite`` by a did:key, then disclosed in part."""
    signer = Signer.did_key(deterministic_key(f"bench-issuer-{suite}", "P-256" if suite == "ecdsa-sd-2023" else BLS_G2))
    sd = selective_suite(suite)
    out = []
    for credential in signed:
        unsigned = {k: v for k, v in credential.items() if k != "proof"}
        unsigned["issuer"] = signer.controller
        base = sd.create_base_proof(unsigned, signer.key, signer.verification_method, MANDATORY, verifier.processor)
        out.append(sd.derive(base, SELECTIVE, verifier.processor))
    return out


if __name__ == "__main__":
    main()
