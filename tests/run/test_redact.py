"""Redaction: secrets are scrubbed by name and by value, including their base64 forms."""
from __future__ import annotations

import base64
import json
import uuid

from lerconf.redact import (
    REDACTED,
    SECRETS,
    SecretRegistry,
    clean_json_copy,
    redact_headers,
    redact_json,
    redact_text,
)


def _secret() -> str:
    """A fresh secret value, so tests do not depend on what the process-wide registry holds."""
    return f"tok-{uuid.uuid4().hex}"


def test_value_in_text_is_scrubbed_everywhere() -> None:
    secret = _secret()
    SECRETS.add(secret)
    text = f"error: token {secret} rejected; retry with {secret}!"
    assert redact_text(text) == f"error: token {REDACTED} rejected; retry with {REDACTED}!"


def test_base64_forms_are_scrubbed() -> None:
    secret = _secret()
    SECRETS.add(secret)
    raw = secret.encode()
    forms = [
        base64.b64encode(raw).decode(),
        base64.b64encode(raw).decode().rstrip("="),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        base64.b64encode(b"Bearer " + raw).decode().rstrip("="),
    ]
    for form in forms:
        scrubbed = redact_text(f"echo={form};")
        assert form not in scrubbed and REDACTED in scrubbed, form


def test_short_values_are_ignored() -> None:
    registry = SecretRegistry()
    registry.add("abc12")  # below the minimum: scrubbing it would mangle ordinary text
    registry.add("")
    registry.add(None)
    assert registry.scrub("abc12 is not a secret") == "abc12 is not a secret"
    registry.add("abc123")
    assert registry.scrub("abc123 is one") == f"{REDACTED} is one"


def test_longest_secret_wins_when_secrets_overlap() -> None:
    registry = SecretRegistry()
    registry.add_all(["secret", "secret-and-more"])
    assert registry.scrub("x secret-and-more y") == f"x {REDACTED} y"


def test_regex_characters_in_a_secret_are_literal() -> None:
    registry = SecretRegistry()
    registry.add("a.b*c+d?")
    assert registry.scrub("aXbbbcd a.b*c+d?") == f"aXbbbcd {REDACTED}"


def test_secret_headers_are_redacted_by_name_and_others_by_value() -> None:
    secret = _secret()
    SECRETS.add(secret)
    headers = [("Authorization", "Bearer anything"), ("Cookie", "sid=1"), ("X-Api-Key", "k"),
               ("X-Vendor-Key", "vk"), ("X-Echo", f"you sent {secret}"), ("Content-Type", "application/json")]
    out = redact_headers(headers, extra_names=["x-vendor-key"])
    assert out == {"Authorization": REDACTED, "Cookie": REDACTED, "X-Api-Key": REDACTED, "X-Vendor-Key": REDACTED,
                   "X-Echo": f"you sent {REDACTED}", "Content-Type": "application/json"}


def test_json_secret_fields_and_echoed_values_are_redacted() -> None:
    secret = _secret()
    SECRETS.add(secret)
    value = {
        "access_token": "at-value-123456", "refresh_token": "rt-value-123456", "client_secret": "cs",
        "nested": [{"password": "pw-123456"}, {"message": f"Bearer {secret} is invalid"}],
        "pre-authorized_code": "pac-123456", "tx_code": "1234",
        "public": "keep me", "count": 3, "ok": True, "none": None,
    }
    out = redact_json(value)
    dumped = json.dumps(out)
    for leaked in ("at-value-123456", "rt-value-123456", "pw-123456", "pac-123456", secret):
        assert leaked not in dumped
    assert out["nested"][1]["message"] == f"Bearer {REDACTED} is invalid"
    assert out["public"] == "keep me" and out["count"] == 3 and out["ok"] is True and out["none"] is None
    assert value["access_token"] == "at-value-123456"  # the input is not modified


def test_private_jwk_members_and_private_key_fields_are_removed() -> None:
    private_jwk = {"kty": "RSA", "n": "modulus", "e": "AQAB", "d": "private-d", "p": "private-p", "q": "private-q",
                   "dp": "private-dp", "dq": "private-dq", "qi": "private-qi"}
    ec_jwk = {"kty": "OKP", "crv": "Ed25519", "x": "public-x", "d": "private-ed-d"}
    key = {
        "id": "did:example:123#key-1", "type": "Multikey",
        "publicKeyMultibase": "z6MkPublic",
        "privateKeyMultibase": "zrv-private-multibase",
        "secretKeyMultibase": "uSecret",
        "privateKeyJwk": ec_jwk,
        "keys": [private_jwk],
    }
    out = redact_json(key)
    dumped = json.dumps(out)
    for leaked in ("private-d", "private-p", "private-q", "private-dp", "private-dq", "private-qi", "private-ed-d",
                   "zrv-private-multibase", "uSecret"):
        assert leaked not in dumped, leaked
    assert out["privateKeyJwk"] == REDACTED
    assert out["publicKeyMultibase"] == "z6MkPublic"
    assert out["keys"][0]["n"] == "modulus" and out["keys"][0]["e"] == "AQAB"


def test_redact_text_without_secrets_is_identity() -> None:
    registry = SecretRegistry()
    assert registry.scrub("nothing to hide") == "nothing to hide"


def test_among_thousands_of_secrets_each_is_found_wherever_it_sits() -> None:
    """A run registers thousands of forms; each is still found at the start, the end, the middle of
    a string, next to another secret, inside a longer form, and in its encoded forms."""
    registry = SecretRegistry()
    secrets = [f"s{i:04d}-{uuid.uuid4().hex[:12]}" for i in range(300)]  # x ~10 forms each
    registry.add_all(secrets)
    a, b, c = secrets[0], secrets[150], secrets[299]
    assert registry.scrub(a) == REDACTED
    assert registry.scrub(f"{a}{b}") == REDACTED * 2
    assert registry.scrub(f"x{c}") == f"x{REDACTED}"
    assert registry.scrub(f"Basic {base64.b64encode(c.encode()).decode()}") == f"Basic {REDACTED}"
    assert registry.scrub(f"code={b}&state=1") == f"code={REDACTED}&state=1"
    # a shorter secret that is the start of a longer one: the longer is replaced whole
    registry.add(a + "-longer")
    assert registry.scrub(f"[{a}-longer] [{a}]") == f"[{REDACTED}] [{REDACTED}]"
    untouched = "nothing secret here: s0000- is only a prefix, " + a[:-1]
    assert registry.scrub(untouched) == untouched


def test_a_short_secret_inside_other_data_is_left_alone_and_scrubbed_where_it_stands_alone() -> None:
    """A 6-digit one-time code that happens to occur inside a JWS (its payload's timestamp holds those
    digits, so its base64 form sits in the JWS's base64) must not be cut out of it: the recorded JWS
    was corrupted that way and a replay judged a host by the damaged copy. Where the code stands alone
    (a JSON value, a query parameter, a header) it is still scrubbed; a long secret is scrubbed anywhere."""
    import base64

    from lerconf.redact import REDACTED, SecretRegistry

    registry = SecretRegistry()
    registry.add("179646")
    payload = base64.urlsafe_b64encode(b'{"nbf":  1796464096,"sub":"x"}').decode()
    assert "MTc5NjQ2" in payload  # the code's base64 form, aligned inside the payload's base64
    jws = f"eyJhbGciOiJFZERTQSJ9.{payload}.sig"
    assert registry.scrub(jws) == jws
    assert registry.scrub('{"tx_code": "179646"}') == f'{{"tx_code": "{REDACTED}"}}'
    assert registry.scrub("POST /token?tx_code=179646&x=1") == f"POST /token?tx_code={REDACTED}&x=1"
    assert registry.scrub("echo: MTc5NjQ2 (base64)") == f"echo: {REDACTED} (base64)"
    long_secret = "tok-" + "A1b2C3d4E5f6G7h8"
    registry.add(long_secret)
    assert registry.scrub(f"xx{long_secret}yy") == f"xx{REDACTED}yy"


def test_a_string_scrubbed_before_a_secret_was_registered_is_scrubbed_of_it_afterwards() -> None:
    """The scrub memo answers a string seen before only while no form registered since occurs in it."""
    registry = SecretRegistry()
    registry.add(_secret())  # something registered, so the memo is in use
    later = _secret()
    text = f"the vendor echoed {later} back"
    assert registry.scrub(text) == text  # remembered as clean
    registry.add(later)
    assert registry.scrub(text) == f"the vendor echoed {REDACTED} back"
    # a secret registered after that, elsewhere, leaves the remembered answer as it is
    registry.add(_secret())
    assert registry.scrub(text) == f"the vendor echoed {REDACTED} back"


def test_a_string_remembered_across_many_later_registrations_is_scrubbed_again() -> None:
    """Past the recheck bound the memo is not trusted: the string is scrubbed against every form."""
    registry = SecretRegistry()
    secret = _secret()
    text = f"token={secret}"
    assert registry.scrub(text) == text
    for _ in range(40):  # ten forms each: far past the forms a remembered answer is checked against
        registry.add(_secret())
    registry.add(secret)
    assert registry.scrub(text) == f"token={REDACTED}"


def test_scrub_each_is_never_answered_from_the_plain_scrub_memo() -> None:
    registry = SecretRegistry()
    secret = _secret()
    registry.add(secret)
    text = f"code {secret}"
    assert registry.scrub(text) == f"code {REDACTED}"
    assert registry.scrub_each(text, lambda form: f"[REDACTED:{len(form)}]") == f"code [REDACTED:{len(secret)}]"


def test_isolated_starts_empty_and_puts_the_earlier_secrets_back() -> None:
    registry = SecretRegistry()
    before, during = _secret(), _secret()
    registry.add(before)
    with registry.isolated():
        assert registry.scrub(before) == before
        registry.add(during)
        assert registry.scrub(during) == REDACTED
    assert registry.scrub(before) == REDACTED
    assert registry.scrub(during) == during


def test_a_json_text_with_nothing_to_redact_is_copied_as_it_is() -> None:
    text = json.dumps({"verified": True, "checks": ["proof"], "nested": [{"id": "urn:x", "n": 3}]})
    assert clean_json_copy(text.encode()) == json.loads(text)


def test_a_json_text_is_walked_whenever_its_text_cannot_rule_a_secret_out() -> None:
    """Each way a secret can hide in a JSON text sends it to redact_json: a secret field, a registered
    value inside a string, and any escape (a key or a value spelled with \\u escapes is not in the text
    as it is in the document)."""
    secret = _secret()
    SECRETS.add(secret)
    assert clean_json_copy(json.dumps({"access_token": "abc"}).encode()) is None
    assert clean_json_copy(json.dumps({"kty": "OKP", "d": "private"}).encode()) is None
    assert clean_json_copy(json.dumps({"note": f"echo {secret} back"}).encode()) is None
    escaped_key = '{"kty": "OKP", "\\u0064": "private"}'  # "d", spelled with an escape
    assert clean_json_copy(escaped_key.encode()) is None
    assert redact_json(json.loads(escaped_key))["d"] == REDACTED
    escaped_secret = json.dumps({"note": secret.replace("-", "\\u002d")}).replace("\\\\u002d", "\\u002d")
    assert json.loads(escaped_secret)["note"] == secret
    assert clean_json_copy(escaped_secret.encode()) is None
    assert clean_json_copy(b"{not json") is None
    assert clean_json_copy("{\"a\": \"é\"}".encode("utf-16")) is None  # not UTF-8: redact_json decides
