"""lerconf's own test vectors: deterministic keys, credentials signed with every suite and
data model version, and named mutations, with a manifest of expected outcomes.

Signatures are deterministic (EdDSA; ECDSA per RFC 6979) and proof dates fixed, so building
twice gives the same bytes: a test rebuilds them and compares with the committed files.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.jsonld import Processor
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.negatives.mutators import MUTATORS, MutationContext, mutate

#: the instant every vector is judged at (validity windows are relative to it)
AT = datetime(2026, 6, 1, tzinfo=UTC)
CREATED = "2026-01-15T09:00:00Z"
SIGNINGS = [
    ("eddsa-rdfc-2022", "Ed25519"),
    ("eddsa-jcs-2022", "Ed25519"),
    ("Ed25519Signature2020", "Ed25519"),
    ("ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-rdfc-2019", "P-384"),
    ("ecdsa-jcs-2019", "P-256"),
]
MUTATIONS = ["tampered-claim", "tampered-issuer", "tampered-validity", "tampered-proof-value", "proof-removed",
             "wrong-verification-method", "proof-purpose-changed", "unknown-cryptosuite", "context-reordered",
             "missing-base-context", "missing-type", "malformed-issuer", "undefined-term", "mixed-base-contexts",
             "signed-by-another-party", "wrong-proof-purpose", "expired", "not-yet-valid"]


def _dump(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build(processor: Processor) -> dict[str, bytes]:
    """Every vector file, by path relative to the repository's vectors/ directory."""
    files: dict[str, bytes] = {}
    manifest: list[dict[str, Any]] = []
    keys = {}
    for curve in ("Ed25519", "P-256", "P-384"):
        key = deterministic_key("vector-issuer", curve)
        keys[f"issuer-{curve}"] = {"publicKeyMultibase": key.public.to_multikey(), "secretKeyMultibase": key.to_multikey()}
    other = deterministic_key("vector-other-party", "Ed25519")
    keys["other-party-Ed25519"] = {"publicKeyMultibase": other.public.to_multikey(), "secretKeyMultibase": other.to_multikey()}
    files["keys.json"] = _dump({"warning": "TEST KEYS derived from public labels; never use them for anything real", **keys})

    base_signed: dict[str, Any] | None = None
    for suite, curve in SIGNINGS:
        signer = Signer.did_key(deterministic_key("vector-issuer", curve))
        for version in ("2.0", "1.1"):
            credential = ob3_achievement_credential(signer.controller, vc_version=version)
            signed = signer.sign(credential, suite, processor, created=CREATED)
            name = f"credentials/ob3-v{version}-{suite}{'-' + curve if curve == 'P-384' else ''}.json"
            files[name] = _dump(signed)
            # legacy VCDM 1.1 badges verify but fail OB 3.0's current context and schema rules
            legacy = ["OB-01", "OB-04", "OB-11", "OB-21"] if version == "1.1" else []
            manifest.append({"file": name, "verified": True, "conformant": not legacy, "expect_failed": legacy})
            if suite == "eddsa-rdfc-2022" and version == "2.0":
                base_signed = signed
    assert base_signed is not None
    signer = Signer.did_key(deterministic_key("vector-issuer", "Ed25519"))
    ctx = MutationContext(processor=processor, signer=signer, other_signer=Signer.did_key(other), now=AT)

    for name in MUTATIONS:
        path = f"mutations/ob3-v2.0-eddsa-rdfc-2022+{name}.json"
        files[path] = _dump(mutate(base_signed, name, ctx))
        manifest.append({"file": path, "verified": False, "conformant": False, "expect_failed": list(MUTATORS[name].expect),
                         "mutator": name, "description": MUTATORS[name].description})
    files["manifest.json"] = _dump({"at": AT.isoformat().replace("+00:00", "Z"), "vectors": manifest})
    return files
