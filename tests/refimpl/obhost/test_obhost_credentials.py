"""The reference host's credentials and profile: every returned credential verifies with lerconf's
engine (OBAPI-06), paging by limit/offset/since with X-Total-Count and Link (OBAPI-07), upserts
of Data Integrity and VC-JWT credentials with the OB equality rule (OBAPI-08, OBAPI-09), refusal
of unsigned, tampered or mistyped posts with Imsx_StatusInfo (OBAPI-11), profile (OBAPI-10), and
the same for CLR 2.0."""
from __future__ import annotations

import copy
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema
import pytest

from lerconf.crypto.jose.encodings import JwtEncoding, iso
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.documents.templates import clr2_credential, ob3_achievement_credential
from lerconf.refimpl.obhost.store import equality_key
from lerconf.results import Status
from lerconf.verify.engine import Verifier
from tests.conftest import SCHEMAS_DIR
from tests.refimpl.obhost._flow import ALL, Consumer, assert_imsx

pytestmark = pytest.mark.slow
SUITE = "eddsa-rdfc-2022"
LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def badge(ref: Any, harness: Verifier, *, credential_id: str | None = None, valid_from: datetime | None = None,
          name: str | None = None) -> dict[str, Any]:
    """An OB 3.0 badge signed as the reference issuer (Data Integrity)."""
    doc = ob3_achievement_credential(ref.issuer_id, ref.state.keys.holder_id,
                                     credential_id=credential_id or f"urn:uuid:{uuid.uuid4()}",
                                     valid_from=iso(valid_from or datetime.now(UTC) - timedelta(hours=1)))
    if name:
        doc["name"] = name
    return ref.state.keys.ed25519.sign(doc, SUITE, harness.processor)


def jws(ref: Any, doc: dict[str, Any]) -> str:
    signer = ref.state.keys.ed25519
    return sign_jwt(doc, signer.key, signer.verification_method, JwtEncoding.OB30)


def links(response: Any) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(response.headers.get("link", ""))}


def failures(report: Any) -> list[str]:
    return [c.message for c in report.all_checks() if c.status is Status.FAILED]


@pytest.fixture(scope="module")
def ob_access(ob: Consumer) -> str:
    return str(ob.tokens(ALL)["access_token"])


def test_every_returned_credential_verifies_and_the_body_fits_the_response_schema(ob: Consumer, ob_access: str,
                                                                                   harness: Verifier) -> None:
    r = ob.get("/credentials", ob_access)
    assert r.status_code == 200
    body = r.json()
    assert len(body["credential"]) >= 4 and len(body["compactJwsString"]) >= 1
    schema = json.loads((SCHEMAS_DIR / "ob_v3p0" / "ob_v3p0_getopenbadgecredentialsresponse_schema.json").read_text())
    jsonschema.Draft201909Validator(schema).validate(body)
    reports = [harness.verify_document(c) for c in body["credential"]]
    reports += [harness.verify_text(t) for t in body["compactJwsString"]]
    for report in reports:
        assert report.verified and report.conformant, failures(report)  # authentic and valid OB 3.0 / CLR 2.0


def _walk(ob: Consumer, access: str, limit: int, **query: str) -> list[Any]:
    """Every page from offset 0 by Link: next, checking each page's Link and X-Total-Count."""
    pages, offset = [], 0
    while True:
        r = ob.get("/credentials", access, limit=limit, offset=offset, **query)
        assert r.status_code == 200, r.text
        total, rels = int(r.headers["x-total-count"]), links(r)
        last = (total - 1) // limit * limit
        assert "offset=0" in rels["first"] and f"offset={last}&" in rels["last"] + "&"
        assert ("next" in rels) == (offset + limit < total)
        assert ("prev" in rels) == (offset > 0)
        if offset > 0:
            assert f"offset={offset - limit}&" in rels["prev"] + "&"
        for rel in rels.values():
            assert f"limit={limit}" in rel and all(f"{k}=" in rel for k in query)
        page = r.json()
        pages.append(page["credential"] + page["compactJwsString"])
        if "next" not in rels:
            return pages
        assert f"offset={offset + limit}&" in rels["next"] + "&"
        offset += limit


def test_paging_follows_link_through_every_page(ref: Any, ob: Consumer, ob_access: str, harness: Verifier) -> None:
    for _ in range(2):  # 5 seeded + 2: three pages of 3
        assert ob.post(ob_access, badge(ref, harness), "application/vc+ld+json").status_code == 201
    everything = ob.get("/credentials", ob_access)
    total = int(everything.headers["x-total-count"])
    assert total >= 7 and links(everything).keys() == {"first", "last"}
    pages = _walk(ob, ob_access, 3)
    assert len(pages) == (total + 2) // 3 and all(len(p) == 3 for p in pages[:-1])
    flat = [json.dumps(c, sort_keys=True) for page in pages for c in page]
    assert len(flat) == total == len(set(flat))


def test_since_filters_by_issuance(ref: Any, ob: Consumer, ob_access: str, harness: Verifier) -> None:
    cut = datetime.now(UTC) - timedelta(days=45)  # seeds are 30, 60, ... days old: exactly one is newer
    recent = ob.get("/credentials", ob_access, since=iso(cut))
    assert recent.status_code == 200
    body = recent.json()
    held = body["credential"] + body["compactJwsString"]
    assert int(recent.headers["x-total-count"]) == len(held) < int(ob.get("/credentials", ob_access).headers["x-total-count"])
    for c in body["credential"]:
        assert datetime.fromisoformat(c["validFrom"].replace("Z", "+00:00")) > cut
    assert all("since=" in url for url in links(recent).values())
    assert len(_walk(ob, ob_access, 1, since=iso(cut))) == len(held)


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "x"}, {"offset": "-1"}, {"since": "yesterday"}])
def test_bad_paging_parameters_are_400_imsx(ob: Consumer, ob_access: str, imsx_schema: dict[str, Any],
                                            query: dict[str, str]) -> None:
    body = assert_imsx(ob.get("/credentials", ob_access, **query), 400, imsx_schema)
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "invalid_query_parameter"


def _held(ob: Consumer, access: str, credential_id: str) -> list[dict[str, Any]]:
    body = ob.get("/credentials", access).json()
    return [c for c in body["credential"] if c["id"] == credential_id]


def test_upsert_creates_replaces_and_keeps_the_newer_by_the_equality_rule(ref: Any, ob: Consumer, ob_access: str,
                                                                          harness: Verifier) -> None:
    cid, now = f"urn:uuid:{uuid.uuid4()}", datetime.now(UTC).replace(microsecond=0)
    first = badge(ref, harness, credential_id=cid, valid_from=now - timedelta(days=2), name="First")
    created = ob.post(ob_access, first, "application/vc+ld+json")
    assert created.status_code == 201 and created.json() == first
    again = ob.post(ob_access, first, "application/json")
    assert again.status_code == 200 and again.json() == first
    assert _held(ob, ob_access, cid) == [first]
    older = badge(ref, harness, credential_id=cid, valid_from=now - timedelta(days=5), name="Older")
    assert ob.post(ob_access, older, "application/json").status_code == 304
    assert _held(ob, ob_access, cid) == [first]
    newer = badge(ref, harness, credential_id=cid, valid_from=now - timedelta(days=1), name="Newer")
    assert ob.post(ob_access, newer, "application/json").status_code == 200
    assert _held(ob, ob_access, cid) == [newer]  # replaced, nothing lost, still one


def test_equality_decodes_percent_escapes_and_trims() -> None:
    assert equality_key(" did:web:a%3A8080 ", "urn:x:%41 ") == equality_key("did:web:a:8080", "urn:x:A")
    assert equality_key("did:web:a", "urn:x:1") != equality_key("did:web:b", "urn:x:1")


def test_a_vc_jwt_is_upserted_as_text_plain(ref: Any, ob: Consumer, ob_access: str, harness: Verifier) -> None:
    doc = ob3_achievement_credential(ref.issuer_id, ref.state.keys.holder_id, credential_id=f"urn:uuid:{uuid.uuid4()}",
                                     valid_from=iso(datetime.now(UTC) - timedelta(hours=2)))
    token = jws(ref, doc)
    r = ob.post(ob_access, token, "text/plain")
    assert r.status_code == 201 and r.text == token
    assert token in ob.get("/credentials", ob_access).json()["compactJwsString"]
    assert ob.post(ob_access, token, "text/plain; charset=utf-8").status_code == 200


def test_refused_upserts_are_4xx_imsx(ref: Any, ob: Consumer, ob_access: str, harness: Verifier,
                                      imsx_schema: dict[str, Any]) -> None:
    signed = badge(ref, harness)
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    token = jws(ref, unsigned)
    bad_jws = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    before = int(ob.get("/credentials", ob_access).headers["x-total-count"])
    for body, ctype, status in [
        (tampered, "application/vc+ld+json", 400),
        (unsigned, "application/json", 400),
        (json.dumps(signed), "text/plain", 400),        # JSON sent as a VC-JWT
        (token, "application/json", 400),               # VC-JWT sent as JSON
        (json.dumps(token), "application/json", 400),   # ... even as a JSON string
        (bad_jws, "text/plain", 400),
        (signed, "text/html", 415),
        (signed, "application/ld+json", 415),
        ("not json", "application/json", 400),
    ]:
        assert_imsx(ob.post(ob_access, body, ctype), status, imsx_schema)
    assert int(ob.get("/credentials", ob_access).headers["x-total-count"]) == before
    assert ob.post(ob_access, signed, "application/json").status_code == 201  # positive control


def test_profile_is_read_and_replaced(ob: Consumer, ob_access: str, imsx_schema: dict[str, Any]) -> None:
    r = ob.get("/profile", ob_access)
    assert r.status_code == 200 and "Profile" in r.json()["type"] and r.json()["id"]
    changed = {**r.json(), "name": "Renamed Learner"}
    put = ob.put_profile(ob_access, changed)
    assert put.status_code == 200 and put.json() == changed
    assert ob.get("/profile", ob_access).json() == changed
    for bad in ({"name": "no id or type"}, {"id": "x", "type": "Profile"}, {**changed, "type": ["Person"]}):
        assert_imsx(ob.put_profile(ob_access, bad), 400, imsx_schema)
    assert ob.get("/profile", ob_access).json() == changed


def test_the_clr_host_serves_clr_credentials(ref: Any, clr: Consumer, harness: Verifier,
                                             imsx_schema: dict[str, Any]) -> None:
    access = clr.tokens(ALL)["access_token"]
    r = clr.get("/credentials", access)
    assert r.status_code == 200
    body = r.json()
    schema = json.loads((SCHEMAS_DIR / "clr_v2p0" / "clr_v2p0_getclrcredentialsresponse_schema.json").read_text())
    jsonschema.Draft201909Validator(schema).validate(body)
    assert body["credential"] and body["compactJwsString"]
    for report in [harness.verify_document(c) for c in body["credential"]] + [
            harness.verify_text(t) for t in body["compactJwsString"]]:
        assert report.verified and report.conformant, failures(report)  # authentic and valid OB 3.0 / CLR 2.0
    assert_imsx(clr.post(access, badge(ref, harness), "application/json"), 400, imsx_schema)  # a badge is no CLR
    clr_doc = clr2_credential(ref.issuer_id, ref.state.keys.holder_id, [badge(ref, harness)],
                              credential_id=f"urn:uuid:{uuid.uuid4()}",
                              valid_from=iso(datetime.now(UTC) - timedelta(hours=1)))
    signed = ref.state.keys.ed25519.sign(clr_doc, SUITE, harness.processor)
    assert clr.post(access, signed, "application/vc+ld+json").status_code == 201
    ob_token = Consumer(clr.http, "/ims/ob/v3p0").tokens(ALL)["access_token"]
    assert_imsx(clr.get("/credentials", ob_token), 401, imsx_schema)  # the OB host's tokens are not the CLR host's
