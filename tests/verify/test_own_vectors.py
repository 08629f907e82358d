"""lerconf's own vectors: rebuilt byte for byte, and each verifies as its manifest says."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader
from lerconf.negatives.vectorgen import AT, build
from lerconf.results import Status
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerifyOptions

VECTORS = Path(__file__).resolve().parents[2] / "vectors"
MANIFEST = json.loads((VECTORS / "manifest.json").read_text())["vectors"]


def test_committed_vectors_are_reproduced_byte_for_byte(loader: DocumentLoader) -> None:
    built = build(Processor(loader))
    assert len(built) == len(MANIFEST) + 2  # + keys.json and manifest.json
    for rel, data in built.items():
        assert (VECTORS / rel).read_bytes() == data, f"{rel} differs: run `make vectors`"


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["file"])
def test_vector_verifies_as_the_manifest_says(entry: dict, loader: DocumentLoader) -> None:
    report = Verifier(loader).verify_text((VECTORS / entry["file"]).read_text(), entry["file"], VerifyOptions(at=AT))
    failed = {r.requirement for r in report.all_checks() if r.status is Status.FAILED}
    assert report.verified is entry["verified"], sorted(failed)
    assert report.conformant is entry["conformant"], sorted(failed)
    if entry["verified"]:
        assert failed == set(entry["expect_failed"])
    else:
        assert failed & set(entry["expect_failed"]), (sorted(failed), entry["expect_failed"])
