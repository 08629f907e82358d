"""The reference never answers 500 to bad input: every refusal is a 4xx problem detail (API-17)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from lerconf.documents.loader import LoaderSettings
from lerconf.refimpl import RunningReference, running_reference
from lerconf.refimpl.server import PROFILE_PATH
from lerconf.run.cli import build_parser

pytestmark = pytest.mark.slow

POSTS = ["/credentials/issue", "/credentials/status", "/credentials/verify", "/presentations/verify",
         "/presentations", "/challenges"]
DEEP = b"[" * 100_000 + b"]" * 100_000
NESTED_OBJECT = b'{"credential": ' + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"}"
GARBAGE = {
    "invalid json": b"{not json",
    "truncated": b'{"credential": {',
    "array": b"[1, 2, 3]",
    "string": b'"hello"',
    "number": b"42",
    "null": b"null",
    "not utf-8": b"\xff\xfe\x00{",
    "huge nesting": DEEP,
    "deep object": NESTED_OBJECT,
    "nan": b'{"credential": NaN}',
}


@pytest.fixture(scope="module")
def ref(offline_settings: LoaderSettings) -> Iterator[RunningReference]:
    with running_reference(settings=offline_settings) as running:
        yield running


@pytest.fixture(scope="module")
def client(ref: RunningReference) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=ref.base_url, trust_env=False, timeout=30,
                      headers={"content-type": "application/json"}) as c:
        yield c


def assert_client_error(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] and body["title"] and body["detail"]


@pytest.mark.parametrize("kind", GARBAGE, ids=list(GARBAGE))
@pytest.mark.parametrize("path", POSTS)
def test_garbage_body_is_a_client_error(client: httpx.Client, path: str, kind: str) -> None:
    response = client.post(path, content=GARBAGE[kind])
    if path == "/challenges" and kind == "nan":
        assert response.status_code == 400
    assert_client_error(response)


@pytest.mark.parametrize("path", POSTS)
def test_non_json_content_type_is_415(client: httpx.Client, path: str) -> None:
    response = client.post(path, content=b"a=b", headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert_client_error(response)


def test_oversized_body_is_413(client: httpx.Client) -> None:
    response = client.post("/credentials/verify", content=b" " * (3 * 1024 * 1024))
    assert response.status_code == 413


def test_unknown_path_and_wrong_method_are_problem_details(client: httpx.Client) -> None:
    for response in (client.get("/nothing-here"), client.get("/credentials/issue"), client.delete("/challenges")):
        assert_client_error(response)


@pytest.mark.parametrize("document", [
    {"@context": "https://www.w3.org/ns/credentials/v2", "type": "VerifiableCredential", "proof": "x"},
    {"@context": [{"@version": 99}], "type": ["VerifiableCredential"], "proof": {"type": "DataIntegrityProof"}},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": {"id": 3},
     "credentialStatus": {"type": "BitstringStatusListEntry", "statusListIndex": "-1"}, "proof": [1, None]},
    {"type": ["EnvelopedVerifiableCredential"], "id": "data:application/vc+jwt,not-a-jwt"},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
     "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "1",
                          "statusListCredential": "http://10.0.0.1/list"},
     "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod",
               "verificationMethod": "did:web:127.0.0.1%3A1#x", "proofValue": "z1"}},
], ids=["string context", "bad inline context", "odd values", "enveloped garbage", "private status url"])
def test_odd_credentials_complete_verification(client: httpx.Client, document: dict[str, object]) -> None:
    response = client.post("/credentials/verify", json={"verifiableCredential": document})
    assert response.status_code == 200, response.text[:500]
    assert response.json()["verified"] is False


def test_profile_substitutes_the_port(ref: RunningReference) -> None:
    profile = ref.profile()
    issuer = profile.role("issuer")
    assert issuer is not None and issuer.issuer_id == ref.issuer_id
    assert issuer.urls["issue_url"] == f"{ref.base_url}/credentials/issue"
    verifier = profile.role("verifier")
    assert verifier is not None and verifier.failure_style == "verified_false"
    assert f"127.0.0.1:{ref.port}" in profile.hosts
    assert "${" in PROFILE_PATH.read_text(encoding="utf-8")


def test_serve_subcommand_is_registered() -> None:
    args = build_parser().parse_args(["serve", "--port", "0"])
    assert args.command == "serve" and args.port == 0 and args.host == "127.0.0.1"


def test_lerconf_serve_prints_base_url_and_issuer(offline_settings: LoaderSettings) -> None:
    env = {**os.environ, "LERCONF_CONTEXTS_DIR": str(offline_settings.context_dirs[0]),
           "LERCONF_SCHEMAS_DIR": str(offline_settings.schema_dirs[0])}
    proc = subprocess.Popen([sys.executable, "-m", "lerconf.run.cli", "serve", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first, second = proc.stdout.readline(), proc.stdout.readline()
        base_url = first.split(" at ")[-1].strip()
        assert base_url.startswith("http://127.0.0.1:") and second.startswith("issuer did:web:127.0.0.1%3A")
        with httpx.Client(trust_env=False, timeout=10) as c:
            for _ in range(100):
                try:
                    doc = c.get(f"{base_url}/.well-known/did.json").json()
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
        assert doc["id"] == second.split()[-1]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0
