"""The secrets of the host's OAuth exchanges (client secret, tokens, code, PKCE verifier) can be
scrubbed from what the wire log keeps, the names staying so the wire can still be judged."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from lerconf.redact import REDACTED
from lerconf.refimpl.obhost.redaction import scrub
from tests.refimpl.obhost._flow import CALLBACK, Consumer

pytestmark = pytest.mark.slow


def test_real_registration_and_token_exchanges_keep_no_secret(ob: Consumer) -> None:
    client = ob.register()
    code, verifier = ob.code(client)
    form = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier, "redirect_uri": CALLBACK}
    answer = ob.token(client, form)
    tokens = answer.json()
    secrets = [client["client_secret"], code, verifier, tokens["access_token"], tokens["refresh_token"]]
    kept = [scrub(json.dumps(client).encode(), "application/json"),
            scrub(urlencode(form).encode(), "application/x-www-form-urlencoded"),
            scrub(answer.content, answer.headers["content-type"]),
            scrub(urlencode({"token": tokens["refresh_token"]}).encode(), "application/x-www-form-urlencoded")]
    for body in kept:
        assert not any(s in body.decode() for s in secrets), body
    assert json.loads(kept[0])["client_secret"] == REDACTED and json.loads(kept[0])["client_id"] == client["client_id"]
    assert b"code_verifier=" in kept[1] and b"grant_type=authorization_code" in kept[1]


@pytest.mark.parametrize("body,ctype", [(b'{"credential": []}', "application/json"), (b"eyJ.a.b", "text/plain"),
                                        (b"not json {", "application/json"), (b"", "")])
def test_bodies_without_secrets_are_kept_as_they_are(body: bytes, ctype: str) -> None:
    assert scrub(body, ctype) == body
