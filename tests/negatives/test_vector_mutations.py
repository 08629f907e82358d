"""Mutated copies of every published signed credential are rejected, each by the right check."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.negatives.mutators import MUTATORS, mutate
from lerconf.results import Status
from lerconf.verify.engine import Verifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# post-signing mutations the issue names: claim changed, proof value altered, wrong verification
# method, proof purpose changed, context reordered (+ a few more that need no key)
POST_SIGNING = ["tampered-claim", "tampered-proof-value", "wrong-verification-method", "proof-purpose-changed",
                "context-reordered", "proof-removed", "unknown-cryptosuite", "undefined-term"]


def signed_vectors(vectors_dir: Path) -> list[Path]:
    files = sorted((vectors_dir / "vc-di-eddsa").rglob("signed*.json")) + sorted((vectors_dir / "vc-di-ecdsa").rglob("signed*.json"))
    files += sorted((vectors_dir / "1edtech-ob-clr-impl-guide").rglob("signed-credential.json"))
    return files


@pytest.fixture(scope="module")
def verifier(vectors_dir: Path, offline_settings: LoaderSettings, tmp_path_factory: pytest.TempPathFactory) -> Verifier:
    from test_1edtech_vectors import ISSUER, controller_document

    doc = tmp_path_factory.mktemp("ctl") / "issuer.json"
    doc.write_text(json.dumps(controller_document(vectors_dir, "obv3p0")))
    settings = LoaderSettings(context_dirs=offline_settings.context_dirs, schema_dirs=offline_settings.schema_dirs,
                              offline=True, url_map={ISSUER: doc})
    return Verifier(DocumentLoader(settings))


def failed_ids(report) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.requirement for r in report.all_checks() if r.status is Status.FAILED}


def test_every_vector_is_covered(vectors_dir: Path) -> None:
    assert len(signed_vectors(vectors_dir)) == 16


@pytest.mark.parametrize("name", POST_SIGNING)
def test_mutated_vectors_are_rejected_by_the_expected_check(name: str, vectors_dir: Path, verifier: Verifier) -> None:
    expected = set(MUTATORS[name].expect)
    for path in signed_vectors(vectors_dir):
        original = json.loads(path.read_text())
        baseline = failed_ids(verifier.verify_document(original, str(path)))
        mutated = mutate(original, name)
        report = verifier.verify_document(mutated, f"{path.name}+{name}")
        new_failures = failed_ids(report) - baseline
        assert not report.verified, (path, name)
        assert new_failures & expected, (path, name, sorted(new_failures), sorted(expected))


def test_the_signatures_of_the_unmutated_vectors_all_verify(vectors_dir: Path, verifier: Verifier) -> None:
    """Only issuer binding fails on the W3C vectors (example issuer URL, did:key signer)."""
    for path in signed_vectors(vectors_dir):
        report = verifier.verify_document(json.loads(path.read_text()), str(path))
        proof_failures = {r.requirement for r in report.all_checks()
                          if r.status is Status.FAILED and r.category.value in ("proof", "context", "structure")}
        assert not proof_failures, (path, proof_failures)
