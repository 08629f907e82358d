"""The W3C vc-jose-cose-test-suite inputs give the outcomes its test-mapping.js expects.

Each vector is verified with only the key the suite names ("verify with vm-*.json"): the key
is served, without its secret part, in a controller document for the example issuer.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lerconf.crypto.did import DidResolver
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.results import Status
from lerconf.verify.jose import verify_jwt

ISSUER = "https://example.issuer/vc-jose-cose"
AT = datetime(2024, 12, 16, 12, 0, tzinfo=UTC)  # inside the vectors' exp windows

JOSE_VECTORS = [
    ("credential-jose-minimal.txt", "vm-p256.json", True, None),
    ("credential-issuer-match-signed.txt", "vm-ed25519.json", True, None),
    ("presentation-jose-multiple.txt", "vm-p384.json", True, None),
    ("credential-jose-bad-signature.txt", "vm-ed25519.json", False, ("JC-09", "INVALID_SIGNATURE")),
    ("credential-jose-bad-media-type.txt", "vm-ed25519.json", False, ("JC-01", "BAD_MEDIA_TYPE")),
    # ES512 token checked against the Ed25519 key the suite names: no key matches its kid.
    ("credential-jose-unknown-extensions.txt", "vm-ed25519.json", False, ("JC-09", "KEY_NOT_RESOLVED")),
    ("credential-jose-vc-vp-claims.txt", "vm-ed25519.json", False, ("JC-02", "FORBIDDEN_CLAIM")),
    ("presentation-jose-bad-credential.txt", "vm-ed25519.json", False, ("VCDM-25", "BAD_ENVELOPE")),
    ("presentation-jose-bad-media-type.txt", "vm-ed25519.json", False, ("JC-01", "BAD_MEDIA_TYPE")),
]
SD_JWT_VECTORS = [
    ("credential-sdjwt-selective.txt", "vm-p384.json", True, None),
    ("credential-sdjwt-nested.txt", "vm-p521.json", True, None),
    ("presentation-sdjwt-selective.txt", "vm-p384.json", True, None),
    ("credential-sdjwt-bad-signature.txt", "vm-p384.json", False, ("JC-09", "INVALID_SIGNATURE")),
    ("credential-sdjwt-bad-media-type.txt", "vm-ed25519.json", False, ("JC-01", "BAD_MEDIA_TYPE")),
    ("presentation-sdjwt-bad-credential.txt", "vm-p521.json", False, ("JC-01", "BAD_MEDIA_TYPE")),
    ("presentation-sdjwt-bad-media-type.txt", "vm-ed25519.json", False, ("JC-01", "BAD_MEDIA_TYPE")),
]


@pytest.fixture()
def suite_dir(vectors_dir: Path) -> Path:
    return vectors_dir / "vc-jose-cose-test-suite" / "input"


def resolver_for(suite_dir: Path, vm_file: str, tmp_path: Path) -> DidResolver:
    """A resolver that knows exactly one public key of the example issuer."""
    vm = json.loads((suite_dir / vm_file).read_text(encoding="utf-8"))
    public = {k: vm[k] for k in ("id", "type", "controller", "publicKeyJwk")}
    controller = vm["controller"]
    doc = {
        "@context": ["https://www.w3.org/ns/cid/v1"],
        "id": controller,
        "verificationMethod": [public],
        "assertionMethod": [vm["id"]],
        "authentication": [vm["id"]],
    }
    path = tmp_path / "controller.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return DidResolver(DocumentLoader(LoaderSettings(url_map={controller: path}, offline=True)))


def _outcome(suite_dir: Path, name: str, vm: str, tmp_path: Path):
    token = (suite_dir / name).read_text(encoding="utf-8").strip()
    return verify_jwt(token, resolver_for(suite_dir, vm, tmp_path), at=AT)


@pytest.mark.parametrize(("name", "vm", "expected", "why"), JOSE_VECTORS + SD_JWT_VECTORS)
def test_suite_vector_gives_expected_result(
    suite_dir: Path, tmp_path: Path, name: str, vm: str, expected: bool, why: tuple[str, str] | None
) -> None:
    outcome = _outcome(suite_dir, name, vm, tmp_path)
    assert outcome.verified is expected, [r.to_json() for r in outcome.failures]
    if why is not None:
        requirement, error = why
        assert any(r.error_type == error for r in outcome.result(requirement) if r.status is Status.FAILED), [
            r.to_json() for r in outcome.failures
        ]
    else:
        assert outcome.signature_valid
        assert outcome.key is not None and outcome.key.method.controller == ISSUER


def test_vc_jose_vectors_are_detected_as_vc_jose_cose(suite_dir: Path, tmp_path: Path) -> None:
    outcome = _outcome(suite_dir, "credential-jose-minimal.txt", "vm-p256.json", tmp_path)
    assert outcome.encoding is JwtEncoding.JOSE and outcome.kind == "credential"
    assert outcome.credential is not None and "iss" not in outcome.credential
    assert outcome.credential["id"] == "http://university.example/credentials/1872"


@pytest.mark.parametrize("name", ["credential-minimal.json", "presentation-single.json"])
def test_unsecured_documents_fail_to_parse(suite_dir: Path, tmp_path: Path, name: str) -> None:
    """Suite tests 10 and 11: an unsecured credential/presentation is not a JWT."""
    outcome = _outcome(suite_dir, name, "vm-ed25519.json", tmp_path)
    assert not outcome.verified and not outcome.signature_valid
    parse = outcome.result("JC-09")[0]
    assert parse.status is Status.FAILED and parse.category.value == "parse"


def test_sd_jwt_disclosures_are_applied(suite_dir: Path, tmp_path: Path) -> None:
    outcome = _outcome(suite_dir, "credential-sdjwt-nested.txt", "vm-p521.json", tmp_path)
    assert outcome.encoding is JwtEncoding.SD_JWT
    subject = outcome.credential["credentialSubject"]
    assert "_sd" not in json.dumps(outcome.credential)
    assert "street" in json.dumps(subject) or len(subject["address"]) > 2


def test_presentation_envelopes_are_decoded(suite_dir: Path, tmp_path: Path) -> None:
    outcome = _outcome(suite_dir, "presentation-jose-multiple.txt", "vm-p384.json", tmp_path)
    media = [item.envelope.media_type for item in outcome.evidence.embedded]
    assert media == ["application/vc+jwt", "application/vc+sd-jwt", "application/vc+cose"]
