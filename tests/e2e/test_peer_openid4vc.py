"""lerconf's OpenID scenarios against an independent implementation: an OID4VCI issuer and
authorization server, an OID4VP verifier and a wallet (behind lerconf's wallet adapter) built on the
@openid4vc libraries (oid4vc-ts, behind Credo) in tests/peers/openid4vc. lerconf's reference shares
code with lerconf's checks; this peer does not, so agreement with it is evidence that both are right.

Every OpenID scenario against the peer passes, is skipped as not claimed, or fails for a reason
written up in tests/peers/openid4vc/DEVIATIONS.md: ``scenario_failures`` (the peer's library is
wrong, the spec text says so) or ``lerconf_bugs`` (lerconf is wrong; listed until lerconf is fixed).
An entry that stops occurring fails the test, so the file stays true.

Node.js >= 20 and npm are required; without them these tests fail (CI must have Node).
"""
from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from peers.openid4vc import peer as peer_mod

from lerconf.documents.loader import LoaderSettings
from lerconf.refimpl import running_reference
from lerconf.run.console import is_role_not_selected

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PEER_DIR = REPO / "tests" / "peers" / "openid4vc"
DEVIATIONS_MD = PEER_DIR / "DEVIATIONS.md"
PEER_NAME = "openid4vc peer"
REF_NAME = "lerconf reference implementation"
#: the vendor roles the peer plays; each one is a separate lerconf run
ROLES = ("oid4vci_issuer", "oid4vp_verifier", "wallet")
#: scenarios a role's run reports under another role name (the wallet lifecycle)
ALSO_REPORTED_AS = {"wallet": ("lifecycle",)}



def deviations() -> dict[str, list[dict[str, Any]]]:
    """The machine-readable table: the first ```yaml block of DEVIATIONS.md."""
    match = re.search(r"```yaml\n(.*?)```", DEVIATIONS_MD.read_text(encoding="utf-8"), re.DOTALL)
    assert match, f"{DEVIATIONS_MD} has no ```yaml block"
    data = yaml.safe_load(match.group(1)) or {}
    return {"scenario_failures": data.get("scenario_failures") or [], "lerconf_bugs": data.get("lerconf_bugs") or []}


def test_deviations_table_is_complete() -> None:
    """Each entry says what happened, where in the library (or lerconf) and why the other side is right."""
    table = deviations()
    for entry in table["scenario_failures"]:
        missing = {"id", "requirement", "role", "scenario", "reason_contains", "evidence", "cause",
                   "why_lerconf_is_right"} - set(entry)
        assert not missing, (entry.get("id"), missing)
    for entry in table["lerconf_bugs"]:
        missing = {"id", "requirement", "role", "scenario", "reason_contains", "evidence", "why_the_peer_is_right"} - set(entry)
        assert not missing, (entry.get("id"), missing)
    ids = [e["id"] for e in table["scenario_failures"] + table["lerconf_bugs"]]
    assert len(ids) == len(set(ids)), ids


# -- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def peer() -> Iterator[Any]:
    manager = peer_mod.running_peer()
    problem = None
    try:
        running = manager.__enter__()
    except peer_mod.PeerUnavailable as exc:
        problem = str(exc)
    if problem is not None:  # a failure, never a skip: CI must have Node
        pytest.fail(f"openid4vc peer unavailable: {problem}", pytrace=False)
    try:
        yield running
    finally:
        manager.__exit__(None, None, None)


def _shared_env() -> dict[str, str]:
    from tests.conftest import CONTEXTS_DIR, SCHEMAS_DIR, VECTORS_DIR

    return {"LERCONF_CONTEXTS_DIR": str(CONTEXTS_DIR), "LERCONF_SCHEMAS_DIR": str(SCHEMAS_DIR),
            "LERCONF_VECTORS_DIR": str(VECTORS_DIR)}


_RUN = """
import json, sys
from pathlib import Path
from lerconf.run.runner import RunOptions, run
args = json.loads(sys.argv[1])
code, run_dir = run(RunOptions(vendors=[Path(p) for p in args["vendors"]], out=Path(args["out"]), roles=args["roles"]))
print("LERCONF_RUN_DIR=" + str(run_dir))
sys.exit(code)
"""


def lerconf_run(vendors: list[Path], out: Path, roles: list[str]) -> tuple[int, dict[str, Any], str]:
    """lerconf.run.runner.run in a child process (it runs pytest itself)."""
    args = {"vendors": [str(v) for v in vendors], "out": str(out), "roles": roles}
    done = subprocess.run([sys.executable, "-c", _RUN, json.dumps(args)], cwd=REPO, capture_output=True, text=True,
                          timeout=900, env={**os.environ, "CI": "true", **_shared_env()}, check=False)
    found = re.findall(r"LERCONF_RUN_DIR=(.*)", done.stdout)
    assert found, f"lerconf run did not finish (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    results = json.loads((Path(found[-1]) / "results.json").read_text(encoding="utf-8"))
    return done.returncode, results, done.stdout + done.stderr


def _explained(scenario: dict[str, Any], table: list[dict[str, Any]]) -> dict[str, Any] | None:
    for d in table:
        if (d["scenario"] == scenario["name"] and d["role"] == scenario["role"]
                and d["requirement"] in scenario.get("requirement_ids", [])
                and d["reason_contains"] in str(scenario.get("reason") or "")):  # failing for the documented reason
            return d
    return None


# -- every OpenID scenario against the peer -----------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_openid_features_against_the_peer(peer: Any, role: str, tmp_path: Path) -> None:
    code, results, output = lerconf_run([peer.profile], tmp_path, [role])
    table = deviations()
    roles = (role, *ALSO_REPORTED_AS.get(role, ()))
    known = [d for d in table["scenario_failures"] + table["lerconf_bugs"] if d["role"] in roles]
    # a lifecycle of another role (the VCALM wallet's, under --role wallet) is "not selected", not judged
    mine = [s for s in results["scenarios"] if s["vendor"] == PEER_NAME and s["role"] in roles
            and not (s["status"] == "skipped" and is_role_not_selected(s["reason"]))]
    assert mine, f"no {role} scenario ran against the peer"
    counts: Counter[tuple[str, str]] = Counter((s["role"], s["status"]) for s in mine)
    for r in roles:
        print(f"\nopenid4vc peer, {r}: " + "  ".join(f"{st}={counts[(r, st)]}" for st in ("passed", "skipped", "failed", "broken")))

    unexplained, wrong_skips, seen, must_failed = [], [], set(), False
    for s in mine:
        if s["status"] == "skipped":
            if not s["reason"].startswith("not claimed"):
                wrong_skips.append((s["name"], s["reason"][:300]))
        elif s["status"] in ("failed", "broken"):
            d = _explained(s, known) if s["status"] == "failed" else None
            if d is None:
                unexplained.append((s["name"], s["status"], s["reason"][:400]))
            else:
                seen.add(d["id"])
                must_failed = must_failed or s.get("severity") == "MUST"
                print(f"known {'lerconf bug' if d in table['lerconf_bugs'] else 'deviation'} {d['id']} "
                      f"({d['requirement']}): {s['name']}")
    assert not unexplained, ("failures not explained by DEVIATIONS.md (a lerconf bug, or a new deviation to write up):\n"
                             + "\n".join(map(str, unexplained)))
    assert not wrong_skips, f"scenarios skipped for a reason other than 'not claimed': {wrong_skips}"
    stale = [d["id"] for d in known if d["id"] not in seen]
    assert not stale, f"DEVIATIONS.md lists failures that no longer occur (remove them): {stale}"
    # exit 1 only for a failed MUST scenario (a SHOULD-level deviation leaves the exit code 0)
    assert code == (1 if must_failed else 0), output[-2000:]


# -- direct checks of the peer's OpenID surface ------------------------------------------------------
def test_peer_metadata_is_served_where_a_1_0_wallet_looks(peer: Any) -> None:
    issuer = peer.credential_issuer
    host, path = issuer.split("://", 1)[1].split("/", 1)
    with httpx.Client(trust_env=False, timeout=30) as http:
        metadata = http.get(f"http://{host}/.well-known/openid-credential-issuer/{path}").json()
        as_metadata = http.get(f"http://{host}/.well-known/oauth-authorization-server/{path}").json()
    assert metadata["credential_issuer"] == issuer
    assert set(metadata["credential_configurations_supported"]) == {"OpenBadgeCredential_ldp_vc", "OpenBadgeCredential_jwt_vc_json"}
    assert as_metadata["issuer"] == issuer and "S256" in as_metadata["code_challenge_methods_supported"]


# -- cross-vendor OpenID interop: issuer x wallet x verifier, and the wallet lifecycle ----------------
@dataclass(frozen=True)
class OpenIdVendor:
    """One vendor's OpenID endpoints: the offer hook, the revocation call, the wallet adapter, the request and result hooks."""
    name: str
    base: str
    issuer_offers: str
    wallet: str
    requests: str
    results: str

    def revoke(self, http: httpx.Client, credential_id: str) -> None:
        if self.name == PEER_NAME:
            answer = http.post(f"{self.base}/oid4vci/status", json={"credentialId": credential_id, "status": True})
        else:
            answer = http.post(f"{self.base}/credentials/status", json={
                "credentialId": credential_id, "status": True,
                "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}})
        assert answer.status_code == 200, (self.name, answer.status_code, answer.text)


def _state_of(http: httpx.Client, hook_answer: dict[str, Any]) -> str:
    """The transaction's state: in the peer's hook answer, else read off the request object (as a wallet would)."""
    if isinstance(hook_answer.get("state"), str):
        return str(hook_answer["state"])
    jwt = http.get(hook_answer["request_uri"]).text
    payload = jwt.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["state"])


def _present(http: httpx.Client, wallet: OpenIdVendor, verifier: OpenIdVendor, fmt: str) -> tuple[bool | None, str]:
    hook = http.post(verifier.requests, json={"format": fmt, "client_id_prefix": "decentralized_identifier"})
    assert hook.status_code in (200, 201), (verifier.name, hook.text)
    request = hook.json()
    state = _state_of(http, request)
    answer = http.post(f"{wallet.wallet}/presentations", json={"request_uri": request["request_uri"], "client_id": request["client_id"]}).json()
    result = http.get(verifier.results.replace("{state}", state)).json()
    return result.get("verified"), f"wallet: {answer.get('outcome')} {json.dumps(answer.get('wallet_error') or '')[:200]}; verifier: {json.dumps(result.get('errors'))[:300]}"


def _issue_to(http: httpx.Client, issuer: OpenIdVendor, wallet: OpenIdVendor, fmt: str, *, status: bool) -> dict[str, Any]:
    assert http.post(f"{wallet.wallet}/reset", json={}).status_code in (200, 204)
    offer = http.post(issuer.issuer_offers, json={"credential_configuration_id": f"OpenBadgeCredential_{fmt}", "tx_code": True,
                                                  "by_reference": True, **({"status_purpose": "revocation"} if status else {})})
    assert offer.status_code == 201, (issuer.name, offer.text)
    body = offer.json()
    received = http.post(f"{wallet.wallet}/offers", json={"credential_offer_uri": body["credential_offer_uri"], "tx_code": body["tx_code"]}).json()
    assert received.get("outcome") == "stored", (issuer.name, wallet.name, fmt, received)
    stored = http.get(f"{wallet.wallet}/credentials").json()
    assert len(stored) == 1, stored
    return dict(stored[0])


def _credential_id(stored: dict[str, Any]) -> str:
    credential = stored["credential"]
    if isinstance(credential, str):
        payload = credential.split(".")[1]
        credential = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["vc"]
    return str(credential["id"])


def test_openid_interop_matrix(peer: Any, offline_settings: LoaderSettings) -> None:
    """Every issuer x wallet x verifier combination of the peer and lerconf's reference, both formats;
    then the lifecycle (ldp_vc with a status entry): presented, revoked by its issuer, refused."""
    host = peer.base.split("://", 1)[1]
    settings = dataclasses.replace(offline_settings, allowed_hosts=offline_settings.allowed_hosts | {host, host.split(":")[0]})
    with running_reference(settings=settings) as ref, httpx.Client(trust_env=False, timeout=60) as http:
        vendors = [
            OpenIdVendor(REF_NAME, ref.base_url, f"{ref.base_url}/oid4vci/offers", f"{ref.base_url}/wallet",
                         f"{ref.base_url}/oid4vp/requests", f"{ref.base_url}/oid4vp/results/{{state}}"),
            OpenIdVendor(PEER_NAME, peer.base, f"{peer.base}/oid4vci/offers", f"{peer.base}/wallet",
                         f"{peer.base}/oid4vp/requests", f"{peer.base}/oid4vp/results/{{state}}"),
        ]
        rows: list[tuple[str, ...]] = []
        bad: list[tuple[Any, ...]] = []
        reasons: list[str] = []
        for issuer, wallet, verifier in itertools.product(vendors, repeat=3):
            for fmt in ("ldp_vc", "jwt_vc_json"):
                _issue_to(http, issuer, wallet, fmt, status=False)
                verified, why = _present(http, wallet, verifier, fmt)
                rows.append(("presentation", issuer.name, wallet.name, verifier.name, fmt, "accepted" if verified else "REFUSED"))
                if verified is not True:
                    bad.append((rows[-1], why))
            stored = _issue_to(http, issuer, wallet, "ldp_vc", status=True)
            before, why_before = _present(http, wallet, verifier, "ldp_vc")
            issuer.revoke(http, _credential_id(stored))
            after, why_after = _present(http, wallet, verifier, "ldp_vc")
            outcome = "accepted, then refused" if (before, after) == (True, False) else f"{before}, then {after}"
            rows.append(("lifecycle", issuer.name, wallet.name, verifier.name, "ldp_vc", outcome))
            reasons.append(f"{issuer.name} -> {wallet.name} -> {verifier.name}: {why_after}")
            # refused for the right reason: the verifier read the status bit
            if (before, after) != (True, False) or not re.search(r"revoked|status is set", why_after):
                bad.append((rows[-1], why_before, why_after))
    print("\nOpenID interop matrix (kind | issuer | wallet | verifier | format | result):")
    for row in rows:
        print("  " + " | ".join(row))
    print("why the revoked badge was refused:\n  " + "\n  ".join(reasons))
    assert not bad, bad
