"""VCALM workflow and exchange checks (lerconf plays the wallet, the vendor runs the exchange):
creating and starting an exchange, the vendor's verifiablePresentationRequest, the protocols and
interaction URL answers, reading the request without advancing, problem details, and what the
exchange does with a good or a defective presentation.

One function per aspect of a requirement id; each judges what the wire showed and calls nothing.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lerconf.checks.base import Verdict, check, failed, passed, warning
from lerconf.results import Category, Severity

__all__: list[str] = []  # checks register themselves; find them by requirement id

#: members an exchange response may carry (VCALM Participate in an Exchange)
RESPONSE_MEMBERS = {"verifiablePresentationRequest", "verifiablePresentation", "redirectUrl", "referenceId"}
QR_MAX = 4296
QR_RECOMMENDED = 400


def _object(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _ok(status: int | None) -> bool:
    return status is not None and 200 <= status < 300


def _queries(vpr: Any) -> list[Mapping[str, Any]]:
    query = _object(vpr).get("query")
    items = query if isinstance(query, list) else [query] if query is not None else []
    return [q for q in items if isinstance(q, Mapping)]


def _types(doc: Mapping[str, Any]) -> set[str]:
    value = doc.get("type")
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def refused(status: int | None) -> bool:
    """A refusal of a wallet's step: a 4xx other than 404/405 (no such endpoint) and 429 (throttling)."""
    return status is not None and 400 <= status < 500 and status not in (404, 405, 429)


# -- API-19 create, start, complete ----------------------------------------------------------------
@check("API-19", Category.PROTOCOL)
def exchange_created(status: int | None, exchange_url: str | None) -> Verdict:
    """Creating an exchange answers 2xx and names the exchange (Location or the body)."""
    if not _ok(status):
        return failed(f"creating an exchange was answered HTTP {status}", status=status)
    if not exchange_url:
        return failed("the exchange was created but its URL is named nowhere (no Location, no exchangeUrl or id)")
    return passed(f"exchange created at {exchange_url}")


@check("API-19", Category.PROTOCOL)
def start_answers_request(status: int | None, body: Any) -> Verdict:
    """POST {} to the exchange URL starts it: a JSON object carrying a verifiablePresentationRequest."""
    if not _ok(status):
        return failed(f"POST {{}} to the exchange was answered HTTP {status}", status=status)
    if not isinstance(body, Mapping):
        return failed("POST {} to the exchange did not answer a JSON object")
    unknown = sorted(set(body) - RESPONSE_MEMBERS)
    if unknown:
        return failed(f"the exchange answered member(s) VCALM does not define: {', '.join(unknown)}")
    if not isinstance(body.get("verifiablePresentationRequest"), Mapping):
        return failed("starting the exchange gave no verifiablePresentationRequest to answer"
                      + (" (an empty object: it was done before the wallet did anything)" if not body else ""))
    return passed("the exchange started and asked for a presentation")


@check("API-19", Category.PROTOCOL)
def completion_answer_well_formed(status: int | None, body: Any, *, issuing: bool) -> Verdict:
    """The answer to the wallet's presentation: 2xx, VCALM members only; an issuing exchange returns
    its credentials in a verifiablePresentation."""
    if not _ok(status):
        return failed(f"the exchange refused lerconf's valid presentation (HTTP {status})", status=status)
    if not isinstance(body, Mapping):
        return failed("the exchange did not answer a JSON object to the presentation")
    unknown = sorted(set(body) - RESPONSE_MEMBERS)
    if unknown:
        return failed(f"the exchange answered member(s) VCALM does not define: {', '.join(unknown)}")
    if issuing:
        vp = _object(body.get("verifiablePresentation"))
        creds = vp.get("verifiableCredential")
        if not (isinstance(creds, list) and creds) and not isinstance(creds, (Mapping, str)):
            return failed("the issuing exchange answered without a verifiablePresentation holding the credential")
    return passed("the exchange answered the presentation" + (" with the issued credential" if issuing else ""))


@check("API-19", Category.PROTOCOL, severity=Severity.SHOULD)
def reference_id_is_urn_uuid(body: Any) -> Verdict:
    """A ``referenceId`` in an exchange response SHOULD be a urn:uuid."""
    ref = _object(body).get("referenceId")
    if ref is None:
        return passed("no referenceId")
    if isinstance(ref, str) and ref.startswith("urn:uuid:"):
        return passed(f"referenceId {ref}")
    return warning(f"referenceId {ref!r} is not a urn:uuid")


# -- API-10 the vendor's request ------------------------------------------------------------------
@check("API-10", Category.PROTOCOL)
def did_authentication_has_challenge_and_domain(vpr: Any) -> Verdict:
    """The request asks for DIDAuthentication with a challenge and a domain to sign for."""
    if not any(q.get("type") == "DIDAuthentication" for q in _queries(vpr)):
        return failed("the exchange's request has no DIDAuthentication query: the wallet is never asked to prove "
                      "which DID it is, so nothing binds what is issued or verified to the holder")
    vpr = _object(vpr)
    missing = [k for k in ("challenge", "domain") if not isinstance(vpr.get(k), str) or not vpr.get(k)]
    if missing:
        return failed(f"the DIDAuthentication request has no {' and no '.join(missing)}: a presentation made for it "
                      "can be replayed", missing=missing)
    return passed("DIDAuthentication asked with a challenge and a domain")


@check("API-10", Category.PROTOCOL)
def query_by_example_well_formed(vpr: Any) -> Verdict:
    """Each QueryByExample names credentialQuery entries, each with an ``example`` that has a type."""
    queries = [q for q in _queries(vpr) if q.get("type") == "QueryByExample"]
    if not queries:
        return failed("the verifying exchange's request has no QueryByExample: it never says which credential it wants")
    for q in queries:
        cq = q.get("credentialQuery")
        entries = cq if isinstance(cq, list) else [cq]
        if not entries or not all(isinstance(e, Mapping) for e in entries):
            return failed("QueryByExample.credentialQuery is not an object or a list of objects")
        for e in entries:
            example = _object(e).get("example")
            if not isinstance(example, Mapping) or not _types(example):
                return failed("a QueryByExample credentialQuery has no example naming a credential type")
    return passed("QueryByExample is well formed")


# -- API-17 errors --------------------------------------------------------------------------------
@check("API-17", Category.PROTOCOL)
def error_is_problem_details(status: int | None, content_type: str | None, body: Any) -> Verdict:
    """An error answer is a problem detail: a JSON object with a ``type`` (REQUIRED)."""
    if _ok(status):
        return failed(f"expected an error, got HTTP {status}", status=status)
    ctype = (content_type or "").split(";")[0].strip().lower()
    if not isinstance(body, Mapping) or "json" not in ctype:
        return failed(f"the error (HTTP {status}) is not a JSON problem detail (Content-Type {ctype or 'missing'})",
                      status=status)
    if not isinstance(body.get("type"), str) or not body["type"]:
        return failed(f"the problem detail (HTTP {status}) has no type", status=status)
    return passed(f"HTTP {status} answered as a problem detail of type {body['type']}")


@check("API-17", Category.PROTOCOL, severity=Severity.SHOULD)
def problem_details_explain(body: Any) -> Verdict:
    """A problem detail SHOULD say what went wrong (title, detail)."""
    missing = [k for k in ("title", "detail") if not isinstance(_object(body).get(k), str)]
    if missing:
        return warning(f"the problem detail has no {' and no '.join(missing)}")
    return passed("the problem detail has a title and a detail")


# -- API-20 protocols, API-22 interaction URL ------------------------------------------------------
@check("API-20", Category.PROTOCOL)
def protocols_name_vcapi(status: int | None, body: Any) -> Verdict:
    """GET …/protocols answers {protocols: {vcapi: <exchange URL>, …}}."""
    if not _ok(status):
        return failed(f"GET …/protocols was answered HTTP {status}", status=status)
    protocols = _object(body).get("protocols")
    if not isinstance(protocols, Mapping):
        return failed("the protocols answer has no protocols object")
    vcapi = protocols.get("vcapi")
    if not isinstance(vcapi, str) or urlsplit(vcapi).scheme not in ("http", "https"):
        return failed(f"protocols.vcapi is {vcapi!r}, not the exchange's URL")
    return passed(f"protocols name {', '.join(map(str, protocols))}")


@check("API-22", Category.PROTOCOL)
def interaction_url_has_iuv(url: str) -> Verdict:
    """The interaction URL carries iuv=1 and fits in a QR code (≤ 4,296 characters)."""
    if parse_qs(urlsplit(url).query).get("iuv") != ["1"]:
        return failed("the interaction URL does not carry iuv=1")
    if len(url) > QR_MAX:
        return failed(f"the interaction URL is {len(url)} characters, more than a QR code holds ({QR_MAX})")
    return passed(f"iuv=1, {len(url)} characters")


@check("API-22", Category.PROTOCOL, severity=Severity.SHOULD)
def interaction_url_is_short(url: str) -> Verdict:
    """SHOULD ≤ 400 characters, so the QR code stays easy to scan."""
    if len(url) > QR_RECOMMENDED:
        return warning(f"the interaction URL is {len(url)} characters (recommended at most {QR_RECOMMENDED})")
    return passed(f"{len(url)} characters")


@check("API-22", Category.PROTOCOL)
def interaction_json_names_protocols(status: int | None, content_type: str | None, body: Any) -> Verdict:
    """Accept: application/json ⇒ {protocols}."""
    if not _ok(status) or "json" not in (content_type or "").lower():
        return failed(f"the interaction URL answered a JSON client HTTP {status} ({content_type or 'no Content-Type'})")
    if not isinstance(_object(body).get("protocols"), Mapping):
        return failed("the interaction URL's JSON answer has no protocols object")
    return passed("the interaction URL answers JSON clients with its protocols")


@check("API-22", Category.PROTOCOL)
def interaction_html_otherwise(status: int | None, content_type: str | None) -> Verdict:
    """Any other Accept ⇒ text/html instructions."""
    if not _ok(status) or "text/html" not in (content_type or "").lower():
        return failed(f"the interaction URL answered a browser HTTP {status} ({content_type or 'no Content-Type'}), "
                      "not an HTML page")
    return passed("the interaction URL answers browsers with an HTML page")


# -- API-21 reading the request -------------------------------------------------------------------
@check("API-21", Category.PROTOCOL)
def request_is_current_vpr(status: int | None, body: Any, started: Mapping[str, Any]) -> Verdict:
    """GET …/request returns the VPR the exchange is waiting on: the one it started with."""
    if not _ok(status):
        return failed(f"GET …/request was answered HTTP {status}", status=status)
    vpr = _object(body).get("verifiablePresentationRequest")
    if not isinstance(vpr, Mapping):
        return failed("GET …/request of a started exchange gave no verifiablePresentationRequest")
    changed = [k for k in ("challenge", "domain", "query") if vpr.get(k) != started.get(k)]
    if changed:
        return failed(f"reading the request changed it ({', '.join(changed)} not the one the exchange started with): "
                      "the read advanced the exchange", changed=changed)
    return passed("GET …/request returned the current request unchanged")


@check("API-21", Category.PROTOCOL)
def exchange_continues_after_reading(status: int | None) -> Verdict:
    """After the request was read, the presentation answering it is still accepted."""
    if _ok(status):
        return passed("the presentation answering the request read is accepted")
    return failed(f"after GET …/request the exchange refused the presentation answering it (HTTP {status}): "
                  "reading the request advanced the exchange", status=status)


# -- lerconf's own: defective presentations, replays, binding --------------------------------------
@check("LCX-01", Category.PROTOCOL)
def defective_presentation_refused(status: int | None, body: Any, defect: str) -> Verdict:
    """A presentation with ``defect`` is refused (4xx); accepting it, or issuing for it, fails."""
    if refused(status):
        return passed(f"a presentation with {defect} was refused (HTTP {status})")
    return failed(f"the exchange accepted a presentation with {defect} (HTTP {status})"
                  + (" and issued a credential for it" if _issued(body) else ""), status=status)


@check("LCX-02", Category.PROTOCOL)
def replayed_step_refused(status: int | None, body: Any) -> Verdict:
    """A step sent again to a completed exchange is refused."""
    if refused(status):
        return passed(f"the replayed step was refused (HTTP {status})")
    return failed(f"the exchange accepted the same presentation a second time (HTTP {status})"
                  + (" and issued a second credential" if _issued(body) else ""), status=status)


def _issued(body: Any) -> bool:
    """The exchange's answer carries a credential (what an accepted bad step may have bought)."""
    return bool(_object(_object(body).get("verifiablePresentation")).get("verifiableCredential"))


@check("LCX-03", Category.ISSUER_BINDING)
def issued_to_authenticated_did(credential: Any, did: str) -> Verdict:
    """The issued credential's subject is the DID the wallet authenticated as."""
    subject = _object(credential).get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    ids = [s.get("id") for s in subjects if isinstance(s, Mapping)]
    if did in ids:
        return passed(f"issued to {did}, the DID lerconf authenticated as")
    return failed(f"the credential was issued to {', '.join(map(str, ids)) or 'no subject id'}, not to {did}, the DID "
                  "lerconf authenticated as", subjects=ids)


@check("LCX-03", Category.PROOF)
def issued_credential_verifies(failures: Sequence[str]) -> Verdict:
    """lerconf's engine verifies the issued credential (its blocking failures, if any, are given)."""
    if failures:
        return failed("the issued credential does not verify: " + "; ".join(failures[:5]))
    return passed("the issued credential verifies (lerconf's engine)")


@check("LCX-04", Category.PROTOCOL)
def verifying_exchange_verdict(status: int | None, *, valid: bool, what: str) -> Verdict:
    """A valid badge is accepted (2xx); a revoked or tampered one refused (4xx)."""
    if valid:
        if _ok(status):
            return passed(f"{what} was accepted")
        return failed(f"the verifying exchange refused {what} (HTTP {status})", status=status)
    if refused(status):
        return passed(f"{what} was refused (HTTP {status})")
    return failed(f"the verifying exchange accepted {what} (HTTP {status})", status=status)
