"""The reference host's service description and dynamic client registration (OBAPI-01, OBAPI-02),
and its Imsx_StatusInfo answers for paths and methods it does not serve (OBAPI-11)."""
from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.refimpl.obhost._flow import ALL, APP, CALLBACK, CLR_BASE, OB_BASE, PREFIX, assert_imsx, registration

pytestmark = pytest.mark.slow
BASES = pytest.mark.parametrize("base", [OB_BASE, CLR_BASE])


@BASES
def test_discovery_needs_no_token_and_describes_the_oauth_flow(ref: Any, client: httpx.Client, base: str) -> None:
    r = client.get(f"{base}/discovery")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc["openapi"].startswith("3.0.")
    info = doc["info"]
    assert info["title"] and info["termsOfService"].startswith(ref.public_base_url)
    assert info["x-imssf-privacyPolicyUrl"].startswith(ref.public_base_url)
    ((_, scheme),) = doc["components"]["securitySchemes"].items()
    assert scheme["type"] == "oauth2" and scheme["x-imssf-registrationUrl"] == f"{ref.public_base_url}{base}/auth/register"
    flow = scheme["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == f"{ref.public_base_url}{base}/auth/authorize"
    assert flow["tokenUrl"] == f"{ref.public_base_url}{base}/auth/token"
    assert set(flow["scopes"]) == {PREFIX[base] + name for name in ALL}
    assert {"/credentials", "/profile", "/discovery"} <= set(doc["paths"])
    for url in (info["termsOfService"], info["x-imssf-privacyPolicyUrl"]):  # the links a consumer shows resolve
        assert client.get(url.removeprefix(ref.public_base_url)).status_code == 200


@BASES
def test_registration_is_201_with_client_credentials_and_the_metadata_echoed(client: httpx.Client, base: str) -> None:
    sent = registration(base, client_id="chosen-by-the-client")
    r = client.post(f"{base}/auth/register", json=sent)
    assert r.status_code == 201 and r.headers["cache-control"] == "no-store"
    body = r.json()
    assert body["client_id"] and body["client_id"] != "chosen-by-the-client" and len(body["client_secret"]) >= 32
    assert isinstance(body["client_id_issued_at"], int) and body["client_secret_expires_at"] == 0
    assert body["token_endpoint_auth_method"] == "client_secret_basic"
    for name in ("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri", "software_id", "software_version",
                 "redirect_uris", "scope"):
        assert body[name] == sent[name], name


@pytest.mark.parametrize("change,error", [
    ({"software_id": None}, "invalid_client_metadata"),
    ({"client_name": None}, "invalid_client_metadata"),
    ({"redirect_uris": ["http://127.0.0.2:9/callback"]}, "invalid_redirect_uri"),
    ({"redirect_uris": CALLBACK}, "invalid_redirect_uri"),
    ({"logo_uri": "https://elsewhere.example/logo.png"}, "invalid_client_metadata"),
    ({"client_uri": "http://app.example/", "logo_uri": "http://app.example/l.png", "tos_uri": "http://app.example/t",
      "policy_uri": "http://app.example/p", "redirect_uris": ["http://app.example/cb"]}, "invalid_client_metadata"),
    ({"scope": "https://purl.imsglobal.org/spec/ob/v3p0/scope/everything"}, "invalid_client_metadata"),
    ({"token_endpoint_auth_method": "none"}, "invalid_client_metadata"),
])
def test_registration_refuses_missing_fields_and_urls_on_other_hosts(client: httpx.Client, change: dict[str, Any],
                                                                     error: str) -> None:
    r = client.post(f"{OB_BASE}/auth/register", json=registration(OB_BASE, **change))
    assert r.status_code == 400 and r.json()["error"] == error, r.text
    assert client.post(f"{OB_BASE}/auth/register", json=registration(OB_BASE)).status_code == 201  # positive control


def test_registration_of_another_apis_scopes_is_refused(client: httpx.Client) -> None:
    r = client.post(f"{CLR_BASE}/auth/register", json={**registration(CLR_BASE), "scope": registration(OB_BASE)["scope"]})
    assert r.status_code == 400 and r.json()["error"] == "invalid_client_metadata"


def test_registration_must_be_json(client: httpx.Client) -> None:
    r = client.post(f"{OB_BASE}/auth/register", data={"client_name": "x"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_client_metadata"
    assert APP in registration(OB_BASE)["client_uri"]


@pytest.mark.parametrize("method,path,status", [
    ("GET", f"{OB_BASE}/nothing-here", 404),
    ("GET", CLR_BASE, 404),
    ("DELETE", f"{OB_BASE}/credentials", 405),
    ("POST", f"{CLR_BASE}/discovery", 405),
])
def test_unknown_paths_and_methods_answer_imsx(client: httpx.Client, imsx_schema: dict[str, Any], method: str, path: str,
                                               status: int) -> None:
    assert_imsx(client.request(method, path), status, imsx_schema)
