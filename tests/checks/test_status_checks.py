"""check_status: the BSL §3.2 validate algorithm against lists served through a URL map."""
from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from lerconf.checks import status as sc
from lerconf.checks.status_algorithm import check_status
from lerconf.crypto.encoding import b64url_encode
from lerconf.crypto.status_list import (
    STATUS_LIST_2021,
    build_status_list_credential,
    encode_status_list,
)
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.results import Category, CheckResult, Severity, Status

LIST_URL = "https://issuer.example/status/1"
AT = datetime(2025, 6, 1, tzinfo=UTC)


def _proof(status: Status) -> Callable[[dict[str, Any]], list[CheckResult]]:
    def verify(doc: dict[str, Any]) -> list[CheckResult]:
        return [CheckResult("DI-15", status, Severity.MUST, Category.PROOF, f"fake proof {status.value}", "")]
    return verify


GOOD_PROOF = _proof(Status.PASSED)


def entry(index: int | str = 5, purpose: str = "revocation", **extra: Any) -> dict[str, Any]:
    return {"type": "BitstringStatusListEntry", "statusPurpose": purpose, "statusListIndex": str(index),
            "statusListCredential": LIST_URL, **extra}


def serve(tmp_path: Path, lists: dict[str, dict[str, Any]]) -> DocumentLoader:
    url_map = {}
    for n, (url, doc) in enumerate(lists.items()):
        path = tmp_path / f"list{n}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        url_map[url] = path
    return DocumentLoader(LoaderSettings(url_map=url_map, offline=True))


def status_list(encoded: str | None = None, purpose: Any = "revocation", **kw: Any) -> dict[str, Any]:
    kw.setdefault("valid_from", "2024-01-01T00:00:00Z")
    doc = build_status_list_credential(LIST_URL, encoded if encoded is not None else encode_status_list([5]),
                                       purpose, issuer="did:example:issuer", **kw)
    doc["proof"] = {"type": "DataIntegrityProof"}
    return doc


def run(tmp_path: Path, cred_status: Any, doc: dict[str, Any] | None = None, verify=GOOD_PROOF) -> list[CheckResult]:
    loader = serve(tmp_path, {LIST_URL: doc if doc is not None else status_list()})
    return check_status({"credentialStatus": cred_status}, loader=loader, verify_proof=verify, at=AT)


def by_id(results: list[CheckResult], rid: str) -> CheckResult:
    return next(r for r in results if r.requirement == rid)


def failures(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.status is Status.FAILED]


def test_bsl_18_accepts_clear_entry(tmp_path: Path) -> None:
    results = run(tmp_path, entry(4))
    assert not failures(results)
    assert by_id(results, "BSL-18").status is Status.PASSED


def test_bsl_18_rejects_revoked_credential(tmp_path: Path) -> None:
    results = run(tmp_path, entry(5))
    [bad] = failures(results)
    assert bad.requirement == "BSL-18" and "revoked" in bad.message and bad.category is Category.STATUS


def test_bsl_18_rejects_suspended_credential_and_accepts_after_reinstatement(tmp_path: Path) -> None:
    suspended = status_list(encode_status_list([5]), purpose="suspension")
    assert "suspended" in failures(run(tmp_path, entry(5, "suspension"), suspended))[0].message
    reinstated = status_list(encode_status_list([]), purpose="suspension")
    (tmp_path / "republished").mkdir()
    assert not failures(run(tmp_path / "republished", entry(5, "suspension"), reinstated))


def test_bsl_18_message_status_returns_mapped_message(tmp_path: Path) -> None:
    messages = [{"status": f"0x{i:x}", "message": m} for i, m in enumerate(["ok", "pending", "late", "void"])]
    doc = status_list(encode_status_list({5: 2}, status_size=2), purpose="message")
    results = run(tmp_path, entry(5, "message", statusSize=2, statusMessage=messages), doc)
    assert not failures(results)
    assert by_id(results, "BSL-18").details["status_message"] == "late"
    assert by_id(results, "BSL-03").status is Status.PASSED


def test_bsl_03_rejects_multi_bit_entry_without_messages() -> None:
    result = sc.status_messages_cover_every_status(entry(statusSize=2))
    assert result.status is Status.FAILED and result.error_type == "MALFORMED_VALUE_ERROR"


def test_bsl_03_rejects_incomplete_messages() -> None:
    msgs = [{"status": "0x0", "message": "ok"}, {"status": "0x1", "message": "bad"}]
    assert sc.status_messages_cover_every_status(entry(statusSize=2, statusMessage=msgs)).status is Status.FAILED


def test_bsl_16_rejects_too_short_list(tmp_path: Path) -> None:
    doc = status_list(encode_status_list([5], length=1024))
    [bad] = failures(run(tmp_path, entry(5), doc))
    assert bad.requirement == "BSL-16" and bad.error_type == "STATUS_LIST_LENGTH_ERROR"


def test_bsl_17_rejects_out_of_range_index(tmp_path: Path) -> None:
    [bad] = failures(run(tmp_path, entry(131_072)))
    assert bad.requirement == "BSL-17" and bad.error_type == "RANGE_ERROR"


def test_bsl_05_rejects_gzip_bomb(tmp_path: Path) -> None:
    bomb = "u" + b64url_encode(gzip.compress(bytes(17 * 1024 * 1024)))
    [bad] = failures(run(tmp_path, entry(5), status_list(bomb)))
    assert bad.requirement == "BSL-05" and bad.details["reason"] == "too_large"
    assert "bitstring" not in bad.details


def test_bsl_05_rejects_list_without_multibase_prefix(tmp_path: Path) -> None:
    [bad] = failures(run(tmp_path, entry(5), status_list(encode_status_list([5], multibase=False))))
    assert bad.requirement == "BSL-05" and "prefix" in bad.message


def test_bsl_13_rejects_unreachable_list(tmp_path: Path) -> None:
    loader = DocumentLoader(LoaderSettings(offline=True))
    results = check_status({"credentialStatus": entry()}, loader=loader, verify_proof=GOOD_PROOF, at=AT)
    [bad] = failures(results)
    assert bad.requirement == "BSL-13" and bad.error_type == "STATUS_RETRIEVAL_ERROR" and LIST_URL in bad.message


def test_bsl_14_rejects_bad_proof(tmp_path: Path) -> None:
    [bad] = failures(run(tmp_path, entry(4), verify=_proof(Status.FAILED)))
    assert bad.requirement == "BSL-14" and bad.error_type == "STATUS_VERIFICATION_ERROR"


def test_bsl_14_rejects_when_no_proof_result(tmp_path: Path) -> None:
    [bad] = failures(run(tmp_path, entry(4), verify=lambda doc: []))
    assert bad.requirement == "BSL-14"


def test_bsl_14_rejects_expired_list(tmp_path: Path) -> None:
    doc = status_list(valid_until="2025-01-01T00:00:00Z")
    [bad] = failures(run(tmp_path, entry(4), doc))
    assert bad.requirement == "BSL-14" and "expired" in bad.message


def test_bsl_14_rejects_list_not_yet_valid(tmp_path: Path) -> None:
    [bad] = failures(run(tmp_path, entry(4), status_list(valid_from="2030-01-01T00:00:00Z")))
    assert bad.requirement == "BSL-14"


def test_bsl_15_rejects_purpose_mismatch(tmp_path: Path) -> None:
    [bad] = failures(run(tmp_path, entry(4, "suspension")))
    assert bad.requirement == "BSL-15" and bad.error_type == "STATUS_VERIFICATION_ERROR"


def test_bsl_15_accepts_list_with_several_purposes(tmp_path: Path) -> None:
    doc = status_list(purpose=["revocation", "suspension"])
    assert not failures(run(tmp_path, entry(4, "suspension"), doc))


def test_bsl_04_rejects_wrong_list_type(tmp_path: Path) -> None:
    doc = status_list()
    doc["type"] = ["VerifiableCredential"]
    [bad] = failures(run(tmp_path, entry(4), doc))
    assert bad.requirement == "BSL-04"


def test_bsl_19_rejects_non_numeric_index(tmp_path: Path) -> None:
    results = run(tmp_path, entry("five"))
    assert by_id(results, "BSL-19").error_type == "MALFORMED_VALUE_ERROR"
    assert by_id(results, "BSL-01").status is Status.FAILED
    assert not any(r.requirement == "BSL-13" for r in results)


def test_bsl_19_rejects_missing_type(tmp_path: Path) -> None:
    raw = entry()
    del raw["type"]
    assert by_id(run(tmp_path, raw), "BSL-19").status is Status.FAILED


def test_bsl_19_not_applicable_without_status_or_for_other_types(tmp_path: Path) -> None:
    loader = serve(tmp_path, {})
    [none] = check_status({}, loader=loader, verify_proof=GOOD_PROOF)
    assert none.status is Status.NOT_APPLICABLE
    [other] = run(tmp_path, {"type": "CRLPlain2023Entry", "id": "https://x.test/r"})
    assert other.status is Status.NOT_APPLICABLE
    # Open Badges' 1EdTech revocation list is judged by its own rule (OB-26), not skipped
    judged = run(tmp_path, {"type": "1EdTechRevocationList", "id": "https://x.test/r"})
    assert judged and all(r.requirement == "OB-26" for r in judged)


def test_bsl_01_rejects_integer_index() -> None:
    raw = entry()
    raw["statusListIndex"] = 5
    assert sc.status_entry_references_status_list(raw).status is Status.FAILED


def test_bsl_02_rejects_entry_id_equal_to_list_url() -> None:
    assert sc.status_entry_id_differs_from_list_url(entry(id=LIST_URL)).status is Status.FAILED
    assert sc.status_entry_id_differs_from_list_url(entry(id=LIST_URL + "#5")).status is Status.PASSED


def test_every_entry_of_a_list_is_checked(tmp_path: Path) -> None:
    results = run(tmp_path, [entry(4), entry(5)])
    assert {r.subject for r in failures(results)} == {"credentialStatus[1]"}


def test_status_list_2021_entry_is_checked(tmp_path: Path) -> None:
    doc = build_status_list_credential(LIST_URL, encode_status_list([7], multibase=False), "revocation",
                                       issuer="did:example:i", valid_from="2024-01-01T00:00:00Z", kind=STATUS_LIST_2021)
    raw = {**entry(7), "type": "StatusList2021Entry"}
    [bad] = failures(run(tmp_path, raw, doc))
    assert bad.requirement == "BSL-18"


def test_proof_engine_gets_a_copy(tmp_path: Path) -> None:
    def vandal(doc: dict[str, Any]) -> list[CheckResult]:
        doc["credentialSubject"]["encodedList"] = "garbage"
        return GOOD_PROOF(doc)
    assert failures(run(tmp_path, entry(5), verify=vandal))[0].requirement == "BSL-18"


def test_w3c_suite_baseline_credential_has_no_status(vectors_dir: Path, tmp_path: Path) -> None:
    vc = json.loads((vectors_dir / "vc-bitstring-status-list-test-suite" / "validVc.json").read_text())
    [result] = check_status(vc, loader=serve(tmp_path, {}), verify_proof=GOOD_PROOF)
    assert result.status is Status.NOT_APPLICABLE


def test_w3c_suite_baseline_credential_with_a_status_entry(vectors_dir: Path, tmp_path: Path) -> None:
    vc = json.loads((vectors_dir / "vc-bitstring-status-list-test-suite" / "validVc.json").read_text())
    vc["credentialStatus"] = entry(5)
    results = check_status(vc, loader=serve(tmp_path, {LIST_URL: status_list()}), verify_proof=GOOD_PROOF, at=AT)
    assert [r.requirement for r in failures(results)] == ["BSL-18"]


@pytest.mark.parametrize("rid", ["BSL-01", "BSL-02", "BSL-03", "BSL-04", "BSL-05", "BSL-13", "BSL-14",
                                 "BSL-15", "BSL-16", "BSL-17", "BSL-18", "BSL-19"])
def test_every_step_is_reported_with_its_id(tmp_path: Path, rid: str) -> None:
    results = run(tmp_path, entry(4, id="https://issuer.example/status/1#4"))
    assert by_id(results, rid).message


def test_bsl_13_accepts_a_list_served_as_a_compact_jws() -> None:
    result = sc.status_list_retrieved(LIST_URL, "eyJhbGciOiJFZERTQSJ9.eyJhIjoxfQ.c2ln", None)
    assert result.status is Status.PASSED and "compact JWS" in result.message


def test_bsl_13_rejects_a_list_that_is_neither_json_nor_a_jws() -> None:
    result = sc.status_list_retrieved(LIST_URL, "not a list", None)
    assert result.status is Status.FAILED and result.error_type == "STATUS_RETRIEVAL_ERROR"


def test_bsl_13_reads_a_vc_jwt_list_the_loader_cannot_parse_as_json(tmp_path: Path) -> None:
    token = "eyJhbGciOiJFZERTQSJ9.eyJhIjoxfQ.c2ln"
    (tmp_path / "list.jwt").write_text(token + "\n", encoding="utf-8")
    seen: list[Any] = []

    def verify(secured: Any) -> sc.VerifiedList:
        seen.append(secured)
        return sc.VerifiedList(status_list(), [CheckResult("JC-09", Status.PASSED, Severity.MUST, Category.PROOF, "ok", "")], "jwt")

    loader = DocumentLoader(LoaderSettings(url_map={LIST_URL: tmp_path / "list.jwt"}, offline=True))
    results = check_status({"credentialStatus": entry(4)}, loader=loader, verify_proof=verify, at=AT)
    assert seen == [token] and not failures(results)
    assert by_id(results, "BSL-14").details["secured_by"] == "jwt" and by_id(results, "BSL-18").status is Status.PASSED
