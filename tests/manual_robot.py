"""A robot operator for manual mode tests: it plays the person with the phone or the screen.

It reads the operator page's ``state.json`` (as a person reads the page), hands each offer or
request URI, or VCALM interaction URL, with the tx_code typed separately, to lerconf's own reference wallet (the adapter
at ``/wallet`` on the server the URI names), and answers the page's buttons when its policy
says so. A step that asks what a screen showed (kind "attest": a displayer's or a verifier web
page's) is played by a robot displayer built on lerconf's reference verifier: it opens the badge's
link, resolves the issuer's DID document, lets the reference verify the badge (which fetches the
status list) and answers what an honest screen would show; the ``attest`` policy may change
those answers (a lying or mistaken operator). Loopback only.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from lerconf.documents.netguard import default_tls

#: what the robot does for a step: "wallet" (hand the URI to the reference wallet and, if the
#: wallet refuses, press "wallet showed an error" with its message, as a person reading the
#: phone would), "wallet-then-error" (hand it over, then press "error" with the given message
#: and screenshot), "ignore", or just an answer ("error", "done", "skip")
Decision = tuple[str, str, bytes | None]
Policy = Callable[[dict[str, Any]], Decision]
#: for an "attest" step: (the step, the honest answers) -> (action, answers to send, screenshot)
Attest = tuple[str, dict[str, str], bytes | None]
AttestPolicy = Callable[[dict[str, Any], dict[str, str]], Attest]

#: the smallest valid PNG (1x1), a stand-in for a phone screenshot
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def wallet_base(step: dict[str, Any]) -> str | None:
    """scheme://host:port of the server an offer or request URI points at."""
    query = parse_qs(urlsplit(step.get("uri") or "").query)
    target = (query.get("credential_offer_uri") or query.get("request_uri") or [None])[0]
    if target is None and query.get("credential_offer"):
        target = json.loads(query["credential_offer"][0]).get("credential_issuer")
    if not target:
        return None
    parts = urlsplit(target)
    return f"{parts.scheme}://{parts.netloc}"


def default_policy(step: dict[str, Any]) -> Decision:
    return ("done", "", None) if step["kind"] == "reset" else ("wallet", "", None)


def honest(step: dict[str, Any], answers: dict[str, str]) -> Attest:
    """Report what the robot displayer saw, with a screenshot."""
    return "reported", answers, PNG


def _reasons(verdict: dict[str, Any]) -> set[str]:
    """The reasons lerconf's reference verifier gave, in the words of the operator page's reason choices."""
    found = set()
    for p in verdict.get("problemDetails") or []:
        rid, text = str(p.get("requirement") or p.get("title") or ""), f"{p.get('title', '')} {p.get('detail', '')}".lower()
        if "revoked" in text:
            found.add("revoked")
        elif rid in ("VCDM-34", "OB-27") or "expired" in text:
            found.add("expired")
        elif rid.startswith(("DI-", "ED-", "CID-")):
            found.add("signature")
        elif rid in ("OB-11", "OB-21") or "schema" in text:
            found.add("schema")
    return found


def look(client: httpx.Client, step: dict[str, Any]) -> dict[str, str]:
    """What an honest displayer (or verifier page) built on lerconf's reference verifier shows for the step's badge."""
    link = step["links"][0]["url"]
    parts = urlsplit(link)
    base = f"{parts.scheme}://{parts.netloc}"
    credential = client.get(link).json()
    client.get(base + "/.well-known/did.json")  # the issuer's key, as a displayer resolves it
    verdict = client.post(base + "/credentials/verify", json={"verifiableCredential": credential}).json()
    reasons = _reasons(verdict)
    # the reference verifies a badge whose achievement lacks its criteria (a warning of OB 3.0's schema): the
    # robot page refuses it, as a page that validates the achievement would (VC 1.1 badges fail OB 3.0's
    # schema on validFrom alone, so the schema as a whole cannot tell a defect from a version)
    if any(w.get("requirement") == "OB-07" for w in verdict.get("warnings") or []):
        reasons.add("schema")
    ids = {q["id"] for q in step["questions"]}
    if "recipient" in ids:  # a verifier page given the expected recipient: the honest page hashes and compares
        from lerconf.checks.recipient import recipient_matches

        known = next(q["shown"] for q in step["questions"] if q["id"] == "recipient")
        theirs = recipient_matches(credential, known, "emailAddress").status.value == "passed"
        return {"recipient": "match" if theirs and verdict.get("verified") else "mismatch"}
    if "verdict" in ids:  # a verifier web page: verdict and reason
        bad = not verdict.get("verified") or "schema" in reasons
        reason = next((r for r in ("signature", "schema", "expired", "revoked") if r in reasons), "other" if bad else "none")
        return {"verdict": "invalid" if bad else "valid", "reason": reason}
    status = "revoked" if "revoked" in reasons else "expired" if "expired" in reasons else \
        "valid" if verdict.get("verified") else "invalid"
    shown = {q["id"]: q["shown"] for q in step["questions"]}
    same = {"name": credential.get("name"), "description": credential["credentialSubject"]["achievement"]["description"],
            "issuer": credential["issuer"]["name"]}
    answers = {k: "same" if str(v) in shown[k] else "different" for k, v in same.items()}
    issued = str(credential.get("validFrom") or credential.get("issuanceDate"))
    answers["issued"] = "same" if issued in shown["issued"] else "different"
    return {**answers, "form": "json", "image": "missing", "status": status}


@dataclass
class Robot:
    page_root: str                      # http://127.0.0.1:<port>/
    policy: Policy = default_policy
    attest: AttestPolicy = honest
    handled: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _wallet: str | None = None
    #: an OB API consumer the robot operates by hand (its trigger: the robot "uses the consumer's screens")
    consumer_trigger: str | None = None

    def __enter__(self) -> Robot:
        self._thread = threading.Thread(target=self._loop, name="robot-operator", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def _loop(self) -> None:
        with httpx.Client(trust_env=False, timeout=30, follow_redirects=True, verify=default_tls(False)) as client:
            session = None
            seen: set[int] = set()
            while not self._stop.is_set():
                try:
                    if session is None:
                        session = str(client.get(self.page_root).url)
                    state = client.get(session + "state.json").json()
                except httpx.HTTPError:
                    session = None
                    self._stop.wait(0.05)
                    continue
                step = state.get("step")
                if step and step["ended"] is None and step["id"] not in seen:
                    seen.add(step["id"])
                    try:
                        self._handle(client, session, step)
                    except Exception as exc:
                        self.errors.append(f"step {step['id']}: {type(exc).__name__}: {exc}")
                self._stop.wait(0.05)

    def _handle(self, client: httpx.Client, session: str, step: dict[str, Any]) -> None:
        if step["kind"] == "attest":
            self._attest(client, session, step)
            return
        action, message, screenshot = self.policy(step)
        self.handled.append({**step, "robot": action})
        if step["kind"] == "consumer" and action == "wallet":  # the default policy: operate the consumer
            action, message = self._operate_consumer(client, step)
        if action in ("wallet", "wallet-then-error"):
            base = wallet_base(step) or ""
            self._wallet = base
            if step["kind"] == "interaction":  # a VCALM exchange's QR code: the interaction URL itself
                parts = urlsplit(step["uri"])
                self._wallet = base = f"{parts.scheme}://{parts.netloc}"
                said = client.post(base + "/wallet/interactions", json={"interaction_url": step["uri"]}).json()
            elif step["kind"] == "offer":
                body = {"uri": step["uri"], **({"tx_code": step["tx_code"]} if step["tx_code"] else {})}
                said = client.post(base + "/wallet/offers", json=body).json()
            else:
                said = client.post(base + "/wallet/presentations", json={"uri": step["uri"]}).json()
            if action == "wallet":
                if said.get("outcome") not in ("rejected", "error", "no_match"):
                    return
                message = str((said.get("wallet_error") or {}).get("message", "the wallet refused"))
            action = "error"
        if action == "ignore":
            return
        if step["kind"] == "reset" and action == "done" and self._wallet:
            client.post(self._wallet + "/wallet/reset", json={})
        if screenshot is not None:  # uploaded first, as a person would before pressing the button
            client.post(session + "screenshot", data={"step": str(step["id"])},
                        files={"screenshot": ("screen.png", screenshot, "image/png")})
        client.post(session + "answer", data={"step": str(step["id"]), "action": action, "message": message})


    def _operate_consumer(self, client: httpx.Client, step: dict[str, Any]) -> tuple[str, str]:
        """What a person does in an OB API consumer's screens: add the host by the address shown, then the
        job the step names (read from its instructions); "done" when the consumer says it finished."""
        assert self.consumer_trigger is not None, "the robot was given no consumer to operate"
        text = step["instructions"]
        job = {"discovery_url": step["uri"], "api": "clr" if "/ims/clr/" in step["uri"] else "ob",
               "operation": "write" if "store (upsert)" in text else "read"}
        if job["operation"] == "write":
            job["format"] = "jwt" if "VC-JWT" in text else "ldp_vc"
        said = client.post(self.consumer_trigger, json=job, timeout=60)
        return ("done", "") if said.is_success else ("error", f"the consumer showed: HTTP {said.status_code}")

    def _attest(self, client: httpx.Client, session: str, step: dict[str, Any]) -> None:
        seen = look(client, step)
        action, answers, screenshot = self.attest(step, seen)
        self.handled.append({**step, "robot": action, "saw": seen, "answered": answers})
        if action == "ignore":
            return
        files = {"screenshot": ("screen.png", screenshot, "image/png")} if screenshot is not None else None
        said = client.post(session + "answer", data={"step": str(step["id"]), "action": action, "message": "",
                                                      **{f"q.{k}": v for k, v in answers.items()}}, files=files)
        if "problem=" in str(said.url):
            self.errors.append(f"step {step['id']}: the page refused the answers: {said.url}")


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)
