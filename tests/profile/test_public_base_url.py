"""--public-base-url: the embedded reference advertises the public base (offers, metadata, request
objects, status lists, did:web) while lerconf still reaches it on loopback. Here the public base
is http://localhost:<port>, a loopback alias of the same server, so every advertised URL can be
followed without leaving the machine."""
from __future__ import annotations

import base64
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lerconf.refimpl.server import (
    BIND_PORT_VARIABLE,
    PUBLIC_BASE_VARIABLE,
    RunningReference,
    running_reference,
)
from lerconf.refimpl.state import PublicUrlError, public_base_url
from lerconf.run.cli import main
from lerconf.runlog import load_results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def aliased() -> Iterator[tuple[RunningReference, str]]:
    port = free_port()
    public = f"http://localhost:{port}"
    with running_reference(port=port, public_base_url=public) as ref:
        yield ref, public


def _claims(jwt: str) -> dict[str, Any]:
    payload = jwt.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


@pytest.mark.parametrize("value, expected", [
    ("https://tunnel.example", "https://tunnel.example"), ("https://tunnel.example/", "https://tunnel.example"),
    ("https://lan.example:8443", "https://lan.example:8443"), ("http://localhost:8765", "http://localhost:8765"),
    ("http://127.0.0.2:9000/", "http://127.0.0.2:9000"),
])
def test_accepted_public_base_urls(value: str, expected: str) -> None:
    assert public_base_url(value) == expected


@pytest.mark.parametrize("value, why", [
    ("ftp://x", "must be an https:// URL"), ("tunnel.example", "must be an https:// URL"),
    ("http://tunnel.example", "http on a non-loopback host"), ("http://192.168.1.20:8765", "http on a non-loopback host"),
    ("https://tunnel.example/lerconf", "origin only"), ("https://u:p@tunnel.example", "origin only"),
    ("https://tunnel.example?x=1", "origin only"), ("https://[::1]:8443", "IPv6"), ("https://x:99999", "not a URL"),
])
def test_refused_public_base_urls_say_why(value: str, why: str) -> None:
    with pytest.raises(PublicUrlError, match=why):
        public_base_url(value)


def test_the_reference_advertises_the_public_base_and_is_called_on_loopback(aliased: tuple[RunningReference, str]) -> None:
    ref, public = aliased
    assert ref.base_url == f"http://127.0.0.1:{ref.port}" and ref.public_base_url == public
    assert ref.issuer_id == f"did:web:localhost%3A{ref.port}"
    with httpx.Client(base_url=ref.base_url, trust_env=False, timeout=30) as client:
        metadata = client.get("/.well-known/openid-credential-issuer/oid4vci").json()
        assert metadata["credential_issuer"] == public + "/oid4vci"
        assert metadata["credential_endpoint"].startswith(public + "/") and metadata["nonce_endpoint"].startswith(public + "/")
        offer = client.post("/oid4vci/offers", json={"credential_configuration_id": "OpenBadgeCredential_ldp_vc",
                                                     "tx_code": True, "by_reference": True}).json()
        assert offer["credential_offer_uri"].startswith(public + "/oid4vci/offers/")
        served = httpx.get(offer["credential_offer_uri"], trust_env=False).json()  # the alias reaches the same server
        assert served["credential_issuer"] == public + "/oid4vci"
        request = client.post("/oid4vp/requests", json={"client_id_prefix": "redirect_uri"}).json()
        assert request["request_uri"].startswith(public + "/oid4vp/request-objects/")
        assert request["client_id"] == f"redirect_uri:{public}/oid4vp/responses"
        claims = _claims(httpx.get(request["request_uri"], trust_env=False).text)
        assert claims["response_uri"] == public + "/oid4vp/responses"
        did = client.get("/.well-known/did.json").json()
        assert did["id"] == ref.issuer_id
    assert ref.state.status.lists_url == public + "/status-lists"
    profile = ref.profile()
    assert profile.oid4vci_issuer.credential_issuer == public + "/oid4vci"
    assert profile.wallet.adapter_url == ref.base_url + "/wallet"  # endpoints stay on loopback


def test_the_reference_wallet_completes_an_offer_through_the_public_base(aliased: tuple[RunningReference, str]) -> None:
    ref, _ = aliased
    with httpx.Client(base_url=ref.base_url, trust_env=False, timeout=30) as client:
        offer = client.post("/oid4vci/offers", json={"credential_configuration_id": "OpenBadgeCredential_ldp_vc",
                                                     "tx_code": True, "by_reference": True}).json()
        client.post("/wallet/reset", json={})
        answer = client.post("/wallet/offers", json={"credential_offer_uri": offer["credential_offer_uri"],
                                                     "tx_code": offer["tx_code"]}).json()
        assert answer["outcome"] == "stored", answer
        stored = client.get("/wallet/credentials").json()
    issuer = stored[0]["credential"]["issuer"]
    assert (issuer["id"] if isinstance(issuer, dict) else issuer) == ref.issuer_id


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("argv, why", [
    (["--public-base-url", "ftp://x", "--port", "8765"], "must be an https:// URL"),
    (["--public-base-url", "http://tunnel.example", "--port", "8765"], "http on a non-loopback host"),
    (["--public-base-url", "https://tunnel.example"], "needs a fixed --port"),
    (["--wallet", "manual", "--vendor", "x.yaml"], "wallet: {mode: manual}"),
])
def test_the_cli_refuses_bad_flags_with_a_clear_error(argv: list[str], why: str, capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    code, err = _run(["run", "--out", str(tmp_path), *argv], capsys)
    assert code == 2 and why in err and "Traceback" not in err
    assert PUBLIC_BASE_VARIABLE not in os.environ and BIND_PORT_VARIABLE not in os.environ


@pytest.mark.slow
@pytest.mark.usefixtures("shared_data_env")
def test_lerconf_run_advertises_the_public_base_to_the_wallet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    public = f"http://localhost:{port}"
    saved = {k: os.environ.get(k) for k in ("LERCONF_URL_MAP", "LERCONF_OFFLINE")}
    try:
        code, _ = _run(["run", "--role", "wallet", "--public-base-url", public, "--port", str(port), "--out",
                        str(tmp_path), "-k", "redeems_a_pre and ldp_vc"], capsys)
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    assert PUBLIC_BASE_VARIABLE not in os.environ and BIND_PORT_VARIABLE not in os.environ
    results = load_results(tmp_path / "latest" / "results.json")
    ran = [s for s in results["scenarios"] if s["status"] != "skipped"]
    assert [s["status"] for s in ran] == ["passed"], [(s["name"], s["reason"]) for s in ran]
    sent = [x["request"]["body"] for x in ran[0]["evidence"]["exchanges"] if x["request"]["url"].endswith("/wallet/offers")]
    assert sent and sent[0]["credential_offer_uri"].startswith(public + "/oid4vci/offers/")
    assert code == 0
