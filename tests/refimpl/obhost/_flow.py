"""A minimal OB 3.0 / CLR 2.0 API consumer for the host's tests: register, authorize with PKCE,
redeem, refresh, revoke, call the resources. Kept naive on purpose (it asserts nothing itself)."""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jsonschema

OB_BASE, CLR_BASE = "/ims/ob/v3p0", "/ims/clr/v2p0"
PREFIX = {OB_BASE: "https://purl.imsglobal.org/spec/ob/v3p0/scope/",
          CLR_BASE: "https://purl.imsglobal.org/spec/clr/v2p0/scope/"}
READ, UPSERT, PROFILE_READ, PROFILE_UPDATE = "credential.readonly", "credential.upsert", "profile.readonly", "profile.update"
ALL = (READ, UPSERT, PROFILE_READ, PROFILE_UPDATE)
APP = "http://127.0.0.1:9"  # the consumer's (never contacted) home: redirects are read, not followed
CALLBACK = f"{APP}/callback"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def registration(base: str, names: tuple[str, ...] = ALL, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_name": "lerconf test consumer", "client_uri": f"{APP}/", "logo_uri": f"{APP}/logo.png",
        "tos_uri": f"{APP}/tos", "policy_uri": f"{APP}/privacy", "software_id": "c0ffee-lerconf-tests",
        "software_version": "1.0", "redirect_uris": [CALLBACK],
        "scope": " ".join(PREFIX[base] + n for n in names),
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def redirect_params(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


@dataclass
class Consumer:
    http: httpx.Client
    base: str

    def scope(self, *names: str) -> str:
        return " ".join(PREFIX[self.base] + n for n in names)

    def register(self, names: tuple[str, ...] = ALL) -> dict[str, Any]:
        r = self.http.post(f"{self.base}/auth/register", json=registration(self.base, names))
        assert r.status_code == 201, r.text
        return dict(r.json())

    def authorize(self, client: dict[str, Any], names: tuple[str, ...], challenge: str | None, *,
                  state: str | None = "st-1", method: str = "S256") -> httpx.Response:
        params = {"response_type": "code", "client_id": client["client_id"], "redirect_uri": CALLBACK,
                  "scope": self.scope(*names)}
        if state is not None:
            params["state"] = state
        if challenge is not None:
            params.update(code_challenge=challenge, code_challenge_method=method)
        return self.http.get(f"{self.base}/auth/authorize", params=params)

    def code(self, client: dict[str, Any], names: tuple[str, ...] = ALL) -> tuple[str, str]:
        verifier, challenge = pkce()
        return redirect_params(self.authorize(client, names, challenge))["code"], verifier

    def token(self, client: dict[str, Any], form: dict[str, str], *, auth: bool = True) -> httpx.Response:
        return self.http.post(f"{self.base}/auth/token", data=form, headers=FORM,
                              auth=(client["client_id"], client["client_secret"]) if auth else None)

    def redeem(self, client: dict[str, Any], code: str, verifier: str | None) -> httpx.Response:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
        if verifier is not None:
            form["code_verifier"] = verifier
        return self.token(client, form)

    def tokens(self, names: tuple[str, ...] = ALL, client: dict[str, Any] | None = None) -> dict[str, Any]:
        """Register (unless given a client), authorize and redeem: the token response."""
        client = client or self.register()
        r = self.redeem(client, *self.code(client, names))
        assert r.status_code == 200, r.text
        return {**r.json(), "client": client}

    def revoke(self, client: dict[str, Any], token: str) -> httpx.Response:
        return self.http.post(f"{self.base}/auth/revoke", data={"token": token}, headers=FORM,
                              auth=(client["client_id"], client["client_secret"]))

    def get(self, path: str, access: str | None, **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {access}"} if access else {}
        return self.http.get(f"{self.base}{path}", params=params, headers=headers)

    def post(self, access: str | None, body: str | dict[str, Any], content_type: str) -> httpx.Response:
        headers = {"Content-Type": content_type, **({"Authorization": f"Bearer {access}"} if access else {})}
        content = body if isinstance(body, str) else json.dumps(body)
        return self.http.post(f"{self.base}/credentials", content=content.encode(), headers=headers)

    def put_profile(self, access: str | None, profile: dict[str, Any]) -> httpx.Response:
        headers = {"Authorization": f"Bearer {access}"} if access else {}
        return self.http.put(f"{self.base}/profile", json=profile, headers=headers)


def assert_imsx(response: httpx.Response, status: int, schema: dict[str, Any]) -> dict[str, Any]:
    """``response`` is ``status`` with a failure Imsx_StatusInfo body that the schema accepts."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    jsonschema.Draft201909Validator(schema).validate(body)
    assert body["imsx_codeMajor"] == "failure" and body["imsx_description"]
    return dict(body)
