"""VC-API / VCALM clients for the three roles, on top of VendorClient.

Each call returns what the harness needs to judge the vendor plus the Exchange as evidence.
How a verifier's answer is read (HTTP 400/422 or 200 + verified:false) follows the vendor's
declared failure style; an answer whose status and ``verified`` disagree is reported as such.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.clients.http import VendorClient
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.profile.load import RoleEndpoints
from lerconf.protocol.vcapi import Issued, Presented, VerifierAnswer, VerifierVerdict


def _unwrap(document: Any, key: str) -> Any:
    if isinstance(document, Mapping) and key in document:
        return document[key]
    return None


class IssuerClient:
    def __init__(self, http: VendorClient, role: RoleEndpoints) -> None:
        self.http, self.role = http, role

    def issue(self, credential: Mapping[str, Any], options: Mapping[str, Any] | None = None) -> Issued:
        body: dict[str, Any] = {"credential": credential}
        merged = {**self.role.options, **(options or {})}
        if merged:
            body["options"] = merged
        sent: list[Any] = []  # the credential as issued: the evidence's copy may have a secret scrubbed out
        exchange = self.http.request("POST", self.role.urls["issue_url"], json_body=body, keep_json=sent)
        credential_out = _unwrap(sent[0] if sent else None, "verifiableCredential")
        if exchange.outcome is Outcome.ACCEPTED and not isinstance(credential_out, (dict, str)):
            exchange.outcome = Outcome.MALFORMED_RESPONSE
            exchange.reason = "2xx answer without a verifiableCredential object or JWT string"
        return Issued(exchange, credential_out)

    def update_status(self, credential_id: str, purpose: str, status: bool) -> Exchange:
        url = self.role.urls.get("status_url")
        if url is None:
            raise LookupError("the issuer profile has no status_url")
        return self.http.post_json(url, {
            "credentialId": credential_id,
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose},
            "status": status,
        })


class VerifierClient:
    def __init__(self, http: VendorClient, role: RoleEndpoints) -> None:
        self.http, self.role = http, role

    def verify_credential(self, credential: Any, options: Mapping[str, Any] | None = None) -> VerifierAnswer:
        body: dict[str, Any] = {"verifiableCredential": credential}
        if options:
            body["options"] = dict(options)
        return self._judge(self.http.post_json(self.role.urls["verify_credential_url"], body))

    def verify_presentation(self, presentation: Any, *, challenge: str | None, domain: str | None) -> VerifierAnswer:
        url = self.role.urls.get("verify_presentation_url")
        if url is None:
            raise LookupError("the verifier profile has no verify_presentation_url")
        options = {k: v for k, v in (("challenge", challenge), ("domain", domain)) if v is not None}
        return self._judge(self.http.post_json(url, {"verifiablePresentation": presentation, "options": options}))

    def _judge(self, exchange: Exchange) -> VerifierAnswer:
        """Map an answer onto a verdict under the vendor's failure style."""
        style = self.role.failure_style
        verified = exchange.json.get("verified") if isinstance(exchange.json, Mapping) else None
        if exchange.outcome is Outcome.ACCEPTED:
            if verified is True:
                return VerifierAnswer(exchange, VerifierVerdict.ACCEPTED, f"{exchange.reason}, verified: true")
            if verified is False:
                if style == "http_status":
                    return VerifierAnswer(exchange, VerifierVerdict.INCONSISTENT,
                                          f"{exchange.reason} (success) but verified: false, and the profile declares "
                                          "failures as HTTP 400/422")
                return VerifierAnswer(exchange, VerifierVerdict.REJECTED, f"{exchange.reason}, verified: false{_problems(exchange)}")
            return VerifierAnswer(exchange, VerifierVerdict.BROKEN, f"{exchange.reason} without a boolean 'verified'")
        if exchange.outcome is Outcome.REJECTED:
            if verified is True:
                return VerifierAnswer(exchange, VerifierVerdict.INCONSISTENT, f"{exchange.reason} but verified: true")
            return VerifierAnswer(exchange, VerifierVerdict.REJECTED, exchange.reason)
        return VerifierAnswer(exchange, VerifierVerdict.BROKEN, f"{exchange.outcome.value}: {exchange.reason}")


def _problems(exchange: Exchange) -> str:
    body = exchange.json if isinstance(exchange.json, Mapping) else {}
    problems = body.get("problemDetails") or body.get("errors") or []
    if isinstance(problems, list) and problems:
        first = problems[0]
        text = first.get("detail") or first.get("title") or first.get("type") if isinstance(first, Mapping) else str(first)
        return f" ({text})" if text else ""
    return ""


class HolderClient:
    def __init__(self, http: VendorClient, role: RoleEndpoints) -> None:
        self.http, self.role = http, role

    def derive(self, credential: Mapping[str, Any], selective_pointers: list[str]) -> Issued:
        """VC API Derive Credential (API-09): the holder discloses ``selective_pointers`` of a base-proof credential."""
        sent: list[Any] = []
        exchange = self.http.request("POST", self.role.urls["derive_url"],
                                     json_body={"verifiableCredential": credential,
                                                "options": {"selectivePointers": selective_pointers}}, keep_json=sent)
        vc = _unwrap(sent[0] if sent else None, "verifiableCredential")
        if exchange.outcome is Outcome.ACCEPTED and not isinstance(vc, dict):
            exchange.outcome = Outcome.MALFORMED_RESPONSE
            exchange.reason = "2xx answer without a verifiableCredential object"
        return Issued(exchange, vc)

    def present(self, presentation: Mapping[str, Any], *, challenge: str, domain: str | None) -> Presented:
        options = {"challenge": challenge, **({"domain": domain} if domain else {})}
        sent: list[Any] = []  # the presentation as signed, not the evidence's scrubbed copy
        exchange = self.http.request("POST", self.role.urls["present_url"], json_body={"presentation": presentation, "options": options},
                                     keep_json=sent)
        vp = _unwrap(sent[0] if sent else None, "verifiablePresentation")
        if exchange.outcome is Outcome.ACCEPTED and not isinstance(vp, (dict, str)):
            exchange.outcome = Outcome.MALFORMED_RESPONSE
            exchange.reason = "2xx answer without a verifiablePresentation"
        return Presented(exchange, vp)
