"""The reference issuer against the W3C VC Data Model 2.0 test-suite inputs (issue 12, point 4).

Every input in ``$LERCONF_VECTORS_DIR/vc-data-model-2.0-test-suite/input`` is sent to
``/credentials/issue`` the way the suite sends it (its createRequestBody: the implementation's
issuer added, date placeholders filled in). An issuer-side ``-fail`` (or ``-fail-or-inject``)
input is refused with a 400 problem detail naming the requirement lerconf's verifier would fail
it for; an ``-ok`` input is issued and the issued credential verifies with lerconf's engine.
Presentations are not issuer inputs: they are listed in ``VERIFIER_SIDE`` with the reason, and
the issuer must refuse them too (they are not credentials).
"""
from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from vcdm_suite_expectations import FAILS

from lerconf.checks.dates import parse_date_time_stamp
from lerconf.refimpl import RunningReference
from lerconf.results import Status
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerifyOptions
from tests.conftest import VECTORS_DIR

SUITE_DIR = VECTORS_DIR / "vc-data-model-2.0-test-suite" / "input"

#: issuer-side -fail inputs -> the requirement the refusal must name: the credential rows of the
#: verifier's table (the presentation rows are verifier-side, VERIFIER_SIDE below)
REFUSED: dict[str, str] = {name: rid for name, rid in FAILS.items() if not name.startswith("presentation-")}

#: -ok inputs the reference refuses on purpose, with the reason (and the rule the refusal names)
REFUSED_OK: dict[str, tuple[str, str]] = {
    "credential-proof-ok.json": (
        "proof",
        "it already carries a proof (Ed25519Signature2020 with a placeholder proofValue and no "
        "verificationMethod): the reference does not add to a proof set it cannot verify, and a "
        "credential with that proof would not verify with lerconf's engine (every proof must verify)",
    ),
}

_PRESENTATION = "a presentation: the suite sends it to a verifier (or a holder), never to /credentials/issue; " \
    "tests/verify/test_vcdm_suite_vectors.py holds it against lerconf's checks"
#: inputs that are not issuer inputs at all; the issuer refuses them as not a credential (VCDM-03)
VERIFIER_SIDE: dict[str, str] = {
    name: _PRESENTATION
    for name in (
        "presentation-context-combo1-ok.json",
        "presentation-context-combo2-ok.json",
        "presentation-context-order-fail.json",
        "presentation-enveloped-vc-missing-type-fail.json",
        "presentation-enveloped-vc-ok.json",
        "presentation-holder-fail.json",
        "presentation-holder-name-fail.json",
        "presentation-holder-object-fail.json",
        "presentation-holder-object-ok.json",
        "presentation-holder-ok.json",
        "presentation-id-ok.json",
        "presentation-missing-base-context-fail.json",
        "presentation-missing-required-type-fail.json",
        "presentation-multiple-vc-ok.json",
        "presentation-no-context-fail-or-inject.json",
        "presentation-no-type-fail.json",
        "presentation-ok.json",
        "presentation-optional-type-ok.json",
        "presentation-self-asserted-vc-holder-mismatch.json",
        "presentation-self-asserted-vc-issuer-mismatch.json",
        "presentation-self-asserted-vc-no-holder.json",
        "presentation-self-asserted-vc-ok.json",
        "presentation-vc-as-string-fail.json",
        "presentation-vc-missing-required-type-fail.json",
        "presentation-vc-ok.json",
    )
}


def _inputs() -> list[str]:
    return sorted(p.relative_to(SUITE_DIR).as_posix() for p in SUITE_DIR.rglob("*.json"))


ISSUED = [name for name in _inputs() if name.endswith("-ok.json") and name not in REFUSED_OK and name not in VERIFIER_SIDE]


def _stamp(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def prepare(name: str, doc: Any, issuer_id: str, now: datetime) -> Any:
    """What the suite does before sending an input: the implementation's issuer, real dates.

    The issuer is the reference instance's: added where absent, put in place of a URL issuer
    (or a URL issuer.id); never touched in an input whose defect is the issuer itself."""
    if not isinstance(doc, dict) or name.startswith("presentation-"):
        return doc
    if REFUSED.get(name) != "VCDM-06":
        issuer = doc.get("issuer")
        if isinstance(issuer, dict):
            issuer["id"] = issuer_id
        else:
            doc["issuer"] = issuer_id
    placeholders = {"PAST DATE": _stamp(now - timedelta(days=365)), "FUTURE DATE": _stamp(now + timedelta(days=365))}
    for key in ("validFrom", "validUntil"):
        if doc.get(key) in placeholders:
            doc[key] = placeholders[doc[key]]
    return doc


def _load(name: str, ref: RunningReference) -> Any:
    doc = json.loads((SUITE_DIR / name).read_text(encoding="utf-8"))
    return prepare(name, doc, ref.issuer_id, datetime.now(UTC))


def _issue(client: httpx.Client, credential: Any) -> httpx.Response:
    return client.post("/credentials/issue", json={"credential": credential})


def _assert_refused(response: httpx.Response, requirement: str) -> dict[str, Any]:
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] and body["title"] and body["detail"], body
    assert requirement in body["detail"] or body.get("requirement") == requirement, body
    return body


def _verified_at(credential: dict[str, Any]) -> datetime:
    """An instant inside the credential's validity period (the suite's dates are 2023 or 4023)."""
    start = parse_date_time_stamp(credential.get("validFrom"))
    end = parse_date_time_stamp(credential.get("validUntil"))
    now = datetime.now(UTC)
    if start is not None and start > now:
        return start + timedelta(seconds=1) if end is None or end > start else start
    if end is not None and end < now:
        return end - timedelta(seconds=1) if start is None or start < end else end
    return now


# -- the table covers the folder -----------------------------------------------------------------
def test_every_input_is_classified() -> None:
    files = set(_inputs())
    assert files, f"no inputs under {SUITE_DIR}"
    assert set(REFUSED) | set(REFUSED_OK) | set(VERIFIER_SIDE) | set(ISSUED) == files
    assert all("-fail" in name for name in REFUSED)
    assert not set(REFUSED) & set(VERIFIER_SIDE) and not set(REFUSED_OK) & set(ISSUED)
    # every credential -fail input is an issuer-side defect: none is left to the verifier only
    fails = {n for n in files if "-fail" in n and not n.startswith("presentation-")}
    assert fails == set(REFUSED)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_fail_input_is_refused_naming_the_rule(ref: RunningReference, client: httpx.Client, name: str) -> None:
    body = _assert_refused(_issue(client, _load(name, ref)), REFUSED[name])
    assert body.get("requirement") == REFUSED[name], body


@pytest.mark.parametrize("name", sorted(REFUSED_OK))
def test_ok_input_refused_on_purpose(ref: RunningReference, client: httpx.Client, name: str) -> None:
    needle, _reason = REFUSED_OK[name]
    response = _issue(client, _load(name, ref))
    assert response.status_code == 400 and needle in response.json()["detail"], response.text


@pytest.mark.parametrize("name", ISSUED)
def test_ok_input_is_issued_and_verifies(ref: RunningReference, client: httpx.Client, harness: Verifier,
                                         name: str) -> None:
    credential = _load(name, ref)
    response = _issue(client, copy.deepcopy(credential))
    assert response.status_code == 201, response.text
    issued = response.json()["verifiableCredential"]
    assert {k: v for k, v in issued.items() if k != "proof"} == credential  # API-02: nothing else changed
    report = harness.verify_document(issued, name, VerifyOptions(at=_verified_at(issued)))
    assert report.verified, report.to_json()["errors"]
    binding = [r for r in report.checks if r.requirement == "DI-07"]
    assert binding and binding[0].status is Status.PASSED


@pytest.mark.parametrize("name", sorted(VERIFIER_SIDE))
def test_presentation_input_is_not_issued(ref: RunningReference, client: httpx.Client, name: str) -> None:
    response = _issue(client, _load(name, ref))
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


# -- defects the independent suites found signed (issue 12), on an OB 3.0 badge ---------------------
_RESOURCE = {"id": "https://example.org/syllabus.pdf",
             "digestSRI": "sha384-S57yQDg1MTzF56Oi9DbSQ14u7jBy0RDdx0YbeV7shwhCS88G8SCXeFN82PafhCrW"}
_STATUS = {"id": "https://example.org/status/3#94567", "type": "BitstringStatusListEntry",
           "statusPurpose": "revocation", "statusListIndex": True,
           "statusListCredential": "https://example.org/status/3"}

BADGE_DEFECTS: dict[str, tuple[dict[str, Any], str]] = {
    "termsOfUse without type": ({"termsOfUse": {"id": "https://example.org/tou/1"}}, "VCDM-13"),
    "refreshService without type": ({"refreshService": {"id": "https://example.org/refresh/1"}}, "VCDM-13"),
    "evidence without type": ({"evidence": [{"id": "https://example.org/evidence/1"}]}, "VCDM-12"),
    "relatedResource as strings": ({"relatedResource": ["https://example.org/syllabus.pdf"]}, "VCDM-17"),
    "relatedResource without id": ({"relatedResource": [{"digestSRI": _RESOURCE["digestSRI"]}]}, "VCDM-17"),
    "relatedResource with a duplicate id": ({"relatedResource": [_RESOURCE, _RESOURCE]}, "VCDM-17"),
    "relatedResource without a digest": ({"relatedResource": [{"id": _RESOURCE["id"]}]}, "VCDM-17"),
    "credentialStatus with statusListIndex true": ({"credentialStatus": _STATUS}, "BSL-19"),
    "credentialStatus with a numeric statusListIndex": (
        {"credentialStatus": {**_STATUS, "statusListIndex": 94567}}, "BSL-19"),
    "credentialStatus without statusListCredential": (
        {"credentialStatus": {k: v for k, v in _STATUS.items() if k != "statusListCredential"} | {"statusListIndex": "1"}},
        "BSL-19"),
}


@pytest.mark.parametrize("case", BADGE_DEFECTS, ids=list(BADGE_DEFECTS))
def test_badge_defect_is_refused_naming_the_rule(ref: RunningReference, client: httpx.Client, case: str) -> None:
    from lerconf.documents.templates import ob3_achievement_credential

    extra, requirement = BADGE_DEFECTS[case]
    badge = {**ob3_achievement_credential(ref.issuer_id), **copy.deepcopy(extra)}
    body = _assert_refused(_issue(client, badge), requirement)
    assert body["requirement"] == requirement and body["code"] == "MALFORMED_VALUE_ERROR", body


def test_badge_with_well_formed_related_resource_and_terms_is_issued(ref: RunningReference, client: httpx.Client,
                                                                     harness: Verifier) -> None:
    """The control for the refusals above: the same members, well formed, are signed and verify."""
    from lerconf.documents.templates import ob3_achievement_credential

    badge = {**ob3_achievement_credential(ref.issuer_id), "relatedResource": [_RESOURCE],
             "termsOfUse": {"id": "https://example.org/tou/1", "type": "ExampleTermsOfUse"}}
    badge["@context"] = [*badge["@context"], {"ExampleTermsOfUse": "https://example.org/vocab#ExampleTermsOfUse"}]
    response = _issue(client, badge)
    assert response.status_code == 201, response.text
    report = harness.verify_document(response.json()["verifiableCredential"])
    assert report.verified, report.to_json()["errors"]
