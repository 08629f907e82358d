"""lerconf against an independent implementation: a VC API vendor built on Digital Bazaar's
libraries (tests/peers/digitalbazaar). The embedded reference shares code with lerconf's checks;
this peer does not, so agreement with it is evidence that both are right.

- the full feature suite against the peer: every scenario passes, is skipped as not claimed, or
  fails for a deviation written up in tests/peers/digitalbazaar/DEVIATIONS.md;
- reference and peer together: the generated interop scenarios pass in both directions;
- lerconf's engine verifies what the peer issues and presents, the peer verifies what lerconf signs;
- every mutator through both verifiers: the verdicts agree, except where DEVIATIONS.md says why;
- selective disclosure (ecdsa-sd-2023, bbs-2023) across the two implementations: every issuer,
  holder and verifier combination of lerconf and the peer (base proof, derivation, verification),
  a derived value altered refused by both verifiers.

Node.js >= 20 and npm are required; without them these tests fail (CI must have Node).
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from peers.digitalbazaar import peer as peer_mod

from lerconf.crypto.di.sd_suites import selective_suite
from lerconf.crypto.keys import BLS_G2
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.negatives.mutators import MUTATORS, MutationContext, MutationError, mutate
from lerconf.refimpl import running_reference
from lerconf.scenarios.selective import MANDATORY, SELECTIVE, WITHHELD
from lerconf.scenarios.vcapi import HOLDER_SUBJECT
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerifyOptions

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PEER_DIR = REPO / "tests" / "peers" / "digitalbazaar"
DEVIATIONS_MD = PEER_DIR / "DEVIATIONS.md"
PEER_NAME = "Digital Bazaar peer"
REF_NAME = "lerconf reference implementation"



def deviations() -> dict[str, Any]:
    """The machine-readable table: the first ```yaml block of DEVIATIONS.md."""
    match = re.search(r"```yaml\n(.*?)```", DEVIATIONS_MD.read_text(encoding="utf-8"), re.DOTALL)
    assert match, f"{DEVIATIONS_MD} has no ```yaml block"
    data = yaml.safe_load(match.group(1)) or {}
    return {"scenario_failures": data.get("scenario_failures") or [],
            "mutator_disagreements": data.get("mutator_disagreements") or []}


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
        pytest.fail(f"Digital Bazaar peer unavailable: {problem}", pytrace=False)
    try:
        yield running
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="module")
def peer_http(peer: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=peer.base, trust_env=False, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def engine(ref: Any, peer: Any, offline_settings: LoaderSettings) -> Verifier:
    """lerconf's verifier, allowed to reach the reference and the peer (status lists) on loopback."""
    base = ref.loader_settings(offline_settings)
    host = peer.base.split("://", 1)[1]
    settings = LoaderSettings(
        context_dirs=base.context_dirs, schema_dirs=base.schema_dirs, cache_dir=base.cache_dir,
        url_map=base.url_map, offline=False, allow_unregistered_contexts=base.allow_unregistered_contexts,
        allowed_hosts=base.allowed_hosts | {host, host.split(":")[0]}, allow_private_addresses=True)
    return Verifier(DocumentLoader(settings))


def _shared_env() -> dict[str, str]:
    from tests.conftest import CONTEXTS_DIR, SCHEMAS_DIR, VECTORS_DIR

    return {"LERCONF_CONTEXTS_DIR": str(CONTEXTS_DIR), "LERCONF_SCHEMAS_DIR": str(SCHEMAS_DIR),
            "LERCONF_VECTORS_DIR": str(VECTORS_DIR)}


_RUN = """
import json, sys
from pathlib import Path
from lerconf.run.runner import RunOptions, run
args = json.loads(sys.argv[1])
code, run_dir = run(RunOptions(vendors=[Path(p) for p in args["vendors"]], out=Path(args["out"]),
                               url_map=Path(args["url_map"]) if args.get("url_map") else None, tags=args.get("tags")))
print("LERCONF_RUN_DIR=" + str(run_dir))
sys.exit(code)
"""


def lerconf_run(vendors: list[Path], out: Path, *, url_map: Path | None = None, tags: str | None = None) -> tuple[int, dict[str, Any], str]:
    """lerconf.run.runner.run in a child process (it runs pytest itself; nesting pytest in-process
    would mix the plugins of this session with the run's)."""
    args = {"vendors": [str(v) for v in vendors], "out": str(out), "url_map": str(url_map) if url_map else None, "tags": tags}
    done = subprocess.run([sys.executable, "-c", _RUN, json.dumps(args)], cwd=REPO, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "CI": "true", **_shared_env()}, check=False)
    found = re.findall(r"LERCONF_RUN_DIR=(.*)", done.stdout)
    assert found, f"lerconf run did not finish (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    results = json.loads((Path(found[-1]) / "results.json").read_text(encoding="utf-8"))
    return done.returncode, results, done.stdout + done.stderr


# -- the full feature suite against the peer -------------------------------------------------------
def _explained(scenario: dict[str, Any], table: list[dict[str, Any]]) -> dict[str, Any] | None:
    for d in table:
        if d["scenario"] == scenario["name"] and d["requirement"] in scenario.get("requirement_ids", []):
            return d
    return None


def test_feature_suite_against_the_peer(peer: Any, tmp_path: Path) -> None:
    code, results, output = lerconf_run([peer.profile], tmp_path)
    table = deviations()["scenario_failures"]
    mine = [s for s in results["scenarios"] if s["vendor"] == PEER_NAME]
    assert mine, "no scenario ran against the peer"
    counts: Counter[tuple[str, str]] = Counter((s["role"], s["status"]) for s in mine)
    lines = [f"{role:10} " + "  ".join(f"{st}={counts[(role, st)]}" for st in ("passed", "skipped", "failed", "broken"))
             for role in sorted({r for r, _ in counts})]
    print("\nDigital Bazaar peer, per role:\n" + "\n".join(lines))

    unexplained, wrong_skips, seen = [], [], set()
    for s in mine:
        if s["status"] == "skipped":
            if not s["reason"].startswith("not claimed"):
                wrong_skips.append((s["name"], s["reason"][:300]))
        elif s["status"] in ("failed", "broken"):
            d = _explained(s, table) if s["status"] == "failed" else None
            if d is None:
                unexplained.append((s["role"], s["name"], s["status"], s["reason"][:400]))
            else:
                seen.add(d["id"])
                print(f"known deviation {d['id']} ({d['requirement']}): {s['name']}")
    assert not unexplained, "failures not explained by DEVIATIONS.md (a lerconf bug, or a new deviation to write up):\n" + \
        "\n".join(map(str, unexplained))
    assert not wrong_skips, f"scenarios skipped for a reason other than 'not claimed': {wrong_skips}"
    stale = [d["id"] for d in table if d["id"] not in seen]
    assert not stale, f"DEVIATIONS.md lists deviations that no longer occur (remove them): {stale}"
    assert code == (1 if seen else 0), output[-2000:]


# -- reference and peer together: the interop scenarios ---------------------------------------------
def test_reference_and_peer_interoperate(peer: Any, offline_settings: LoaderSettings, tmp_path: Path) -> None:
    # the reference, as a vendor, may fetch the peer's status lists (its network guard admits
    # the loopback hosts it is told about, as a deployment would be configured)
    settings = dataclasses.replace(offline_settings, allowed_hosts=offline_settings.allowed_hosts | {peer.base.split("://", 1)[1]})
    with running_reference(settings=settings) as ref:
        _reference_and_peer(peer, ref, tmp_path)


def _reference_and_peer(peer: Any, ref: Any, tmp_path: Path) -> None:
    profile = tmp_path / "reference.yaml"
    profile.write_text((REPO / "fixtures/vendors/reference.yaml").read_text(encoding="utf-8")
                       .replace("${LERCONF_REFERENCE_PORT}", str(ref.port)), encoding="utf-8")
    url_map = tmp_path / "map.json"
    url_map.write_text(json.dumps({url: str(p) for url, p in ref.url_map.items()}), encoding="utf-8")
    code, results, output = lerconf_run([peer.profile, profile], tmp_path / "runs", url_map=url_map, tags="interop")
    interop = [s for s in results["scenarios"] if s.get("interop")]
    matrix = sorted((s["interop"]["kind"], s["interop"]["issuer"] or "-", s["interop"]["holder"] or "-",
                     s["interop"]["verifier"], s["interop"]["securing"], s["interop"]["vc_version"], s["status"])
                    for s in interop)
    print("\ninterop matrix (kind, issuer, holder, verifier, securing, VC, status):")
    for row in matrix:
        print("  " + " | ".join(row))
    bad = [(s["name"], s["interop"], s["reason"][:300]) for s in interop if s["status"] != "passed"]
    assert not bad, bad
    got = {(k, i, h, v, s, vc) for k, i, h, v, s, vc, _ in matrix}
    for securing in ("eddsa-rdfc-2022", "ecdsa-rdfc-2019"):
        for vc in ("2.0", "1.1"):
            assert ("credential", PEER_NAME, "-", REF_NAME, securing, vc) in got, (securing, vc)
            assert ("credential", REF_NAME, "-", PEER_NAME, securing, vc) in got, (securing, vc)
    kinds = {(k, i, h, v) for k, i, h, v, *_ in got}
    assert ("presentation", "-", PEER_NAME, REF_NAME) in kinds and ("presentation", "-", REF_NAME, PEER_NAME) in kinds
    assert ("lifecycle", PEER_NAME, "-", REF_NAME) in kinds and ("lifecycle", REF_NAME, "-", PEER_NAME) in kinds
    # selective disclosure across the two: one's base proof, disclosed by lerconf, accepted by the other (LCS-03)
    for suite in ("ecdsa-sd-2023", "bbs-2023"):
        assert ("disclosure", PEER_NAME, "-", REF_NAME, suite, "2.0") in got and \
            ("disclosure", REF_NAME, "-", PEER_NAME, suite, "2.0") in got, suite
    assert code == 0, output[-2000:]


# -- lerconf's engine and the peer verify each other's output ---------------------------------------
def _issue(client: httpx.Client, issuer_id: str, *, suite: str, vc_version: str, purpose: str | None = None) -> dict[str, Any]:
    credential = ob3_achievement_credential(issuer_id, credential_id=f"urn:uuid:{uuid.uuid4()}", vc_version=vc_version)
    options: dict[str, Any] = {"cryptosuite": suite}
    if purpose:
        options["credentialStatus"] = {"type": "BitstringStatusListEntry", "statusPurpose": purpose}
    answer = client.post("/credentials/issue", json={"credential": credential, "options": options})
    assert answer.status_code == 201, answer.text
    return dict(answer.json()["verifiableCredential"])


def _blocking(report: Any) -> list[str]:
    return [f"{src}: {r.requirement} {r.message}" for src, r in report.blocking_failures()]


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "ecdsa-rdfc-2019"])
@pytest.mark.parametrize("vc_version", ["2.0", "1.1"])
def test_lerconf_verifies_what_the_peer_issues(peer: Any, peer_http: httpx.Client, engine: Verifier, suite: str,
                                               vc_version: str) -> None:
    issued = _issue(peer_http, peer.issuer_id, suite=suite, vc_version=vc_version)
    assert issued["proof"]["cryptosuite"] == suite
    report = engine.verify_document(issued, f"peer {suite} VC {vc_version}")
    assert report.verified, _blocking(report)


@pytest.mark.parametrize("purpose", ["revocation", "suspension"])
def test_lerconf_reads_the_peers_status_lists(peer: Any, peer_http: httpx.Client, engine: Verifier, purpose: str) -> None:
    issued = _issue(peer_http, peer.issuer_id, suite="eddsa-rdfc-2022", vc_version="2.0", purpose=purpose)
    assert engine.verify_document(issued).verified
    update = peer_http.post("/credentials/status", json={"credentialId": issued["id"], "status": True,
                                                         "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose}})
    assert update.status_code == 200, update.text
    report = engine.verify_document(issued)
    assert not report.verified and any(r.requirement.startswith("BSL") for _, r in report.blocking_failures())
    again = peer_http.post("/credentials/verify", json={"verifiableCredential": issued}).json()
    assert again["verified"] is False


def test_lerconf_verifies_the_peers_presentations(peer: Any, peer_http: httpx.Client, engine: Verifier) -> None:
    issued = _issue(peer_http, peer.issuer_id, suite="ecdsa-rdfc-2019", vc_version="2.0")
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "verifiableCredential": [issued]}
    answer = peer_http.post("/presentations", json={"presentation": vp, "options": {"challenge": "c-123", "domain": "verifier.example"}})
    assert answer.status_code == 201, answer.text
    presentation = answer.json()["verifiablePresentation"]
    assert engine.verify_document(presentation, "peer VP", VerifyOptions(challenge="c-123", domain="verifier.example")).verified
    wrong = engine.verify_document(presentation, "peer VP", VerifyOptions(challenge="c-999", domain="verifier.example"))
    assert not wrong.verified


LERCONF_SIGNERS = {  # (suite, curve): a lerconf did:key the peer resolves offline
    ("eddsa-rdfc-2022", "Ed25519"): "peer-interop-ed25519",
    ("ecdsa-rdfc-2019", "P-256"): "peer-interop-p256",
    ("ecdsa-rdfc-2019", "P-384"): "peer-interop-p384",
}


@pytest.mark.parametrize("suite,curve", list(LERCONF_SIGNERS))
@pytest.mark.parametrize("vc_version", ["2.0", "1.1"])
def test_the_peer_verifies_what_lerconf_signs(peer_http: httpx.Client, engine: Verifier, suite: str, curve: str,
                                              vc_version: str) -> None:
    signer = Signer.did_key(deterministic_key(LERCONF_SIGNERS[(suite, curve)], curve))
    credential = ob3_achievement_credential(signer.controller, vc_version=vc_version, credential_id=f"urn:uuid:{uuid.uuid4()}")
    signed = signer.sign(credential, suite, engine.processor)
    answer = peer_http.post("/credentials/verify", json={"verifiableCredential": signed})
    assert answer.status_code == 200 and answer.json()["verified"] is True, answer.text
    vp = ref_holder_presentation(engine, signed, challenge="ch-42", domain="verifier.example")
    answer = peer_http.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                         "options": {"challenge": "ch-42", "domain": "verifier.example"}})
    assert answer.status_code == 200 and answer.json()["verified"] is True, answer.text


def ref_holder_presentation(engine: Verifier, credential: dict[str, Any], *, challenge: str, domain: str) -> dict[str, Any]:
    holder = Signer.did_key(deterministic_key("peer-interop-holder", "Ed25519"))
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "holder": holder.controller, "verifiableCredential": [credential]}
    return holder.sign(vp, "eddsa-rdfc-2022", engine.processor, purpose="authentication", challenge=challenge, domain=domain)


# -- every mutator through both verifiers ------------------------------------------------------------
@dataclass(frozen=True)
class Variant:
    name: str
    suite: str
    signer: Signer
    did_web: bool = False


def _status_entry(client: httpx.Client, issuer_id: str, purpose: str, *, set_bit: bool) -> dict[str, Any]:
    credential = ob3_achievement_credential(issuer_id, credential_id=f"urn:uuid:{uuid.uuid4()}")
    answer = client.post("/credentials/issue", json={"credential": credential, "options": {
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose}}})
    assert answer.status_code == 201, answer.text
    if set_bit:
        update = client.post("/credentials/status", json={"credentialId": credential["id"], "status": True,
                                                          "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose}})
        assert update.status_code == 200, update.text
    return dict(answer.json()["verifiableCredential"]["credentialStatus"])


def _verdict_lerconf(engine: Verifier, document: dict[str, Any]) -> tuple[str, str]:
    report = engine.verify_document(document, "mutated", VerifyOptions(at=datetime.now(UTC) + timedelta(seconds=1)))
    reasons = sorted({r.requirement for _, r in report.blocking_failures()})
    return ("accepted" if report.verified else "rejected"), ", ".join(reasons)


def _verdict_peer(client: httpx.Client, document: dict[str, Any]) -> tuple[str, str]:
    answer = client.post("/credentials/verify", json={"verifiableCredential": document})
    body = answer.json() if answer.headers.get("content-type", "").startswith("application/json") else {}
    if answer.status_code == 200 and body.get("verified") is True:
        return "accepted", ""
    if answer.status_code in (200, 400, 422) and body.get("verified") is not True:
        details = body.get("problemDetails") or [body]
        return "rejected", (details[0].get("detail") or details[0].get("title") or "")[:90]
    return "broken", f"HTTP {answer.status_code}"


def test_mutator_verdicts_agree(ref: Any, client: httpx.Client, peer_http: httpx.Client, engine: Verifier,
                                capsys: pytest.CaptureFixture[str]) -> None:
    variants = [
        Variant("eddsa-rdfc-2022/did:web", "eddsa-rdfc-2022", ref.keys.ed25519, did_web=True),
        Variant("eddsa-rdfc-2022/did:key", "eddsa-rdfc-2022", Signer.did_key(deterministic_key("mutation-ed25519", "Ed25519"))),
        Variant("ecdsa-rdfc-2019/did:key", "ecdsa-rdfc-2019", Signer.did_key(deterministic_key("mutation-p256", "P-256"))),
    ]
    statuses = {"revoked": _status_entry(client, ref.issuer_id, "revocation", set_bit=True),
                "suspended": _status_entry(client, ref.issuer_id, "suspension", set_bit=True)}
    rows: list[dict[str, str]] = []
    for v in variants:
        curve = v.signer.key.curve
        ctx = MutationContext(
            processor=engine.processor, signer=v.signer, suite=v.suite,
            other_signer=Signer.did_key(deterministic_key("mutation-other-party", curve)),
            unauthorised_signer=ref.keys.unauthorised if v.did_web else None,
            revoked_status=statuses["revoked"], suspended_status=statuses["suspended"],
            unreachable_status={"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "3",
                                "statusListCredential": f"{ref.base_url}/status-lists/does-not-exist"},
        )
        signed = v.signer.sign(ob3_achievement_credential(v.signer.controller, credential_id=f"urn:uuid:{uuid.uuid4()}"),
                               v.suite, engine.processor)
        base_l, base_p = _verdict_lerconf(engine, signed)[0], _verdict_peer(peer_http, signed)[0]
        assert (base_l, base_p) == ("accepted", "accepted"), (v.name, base_l, base_p)
        for name in sorted(MUTATORS):
            try:
                mutated = mutate(signed, name, ctx)
            except MutationError:
                continue  # e.g. unauthorised-key needs the did:web issuer
            (lv, lwhy), (pv, pwhy) = _verdict_lerconf(engine, mutated), _verdict_peer(peer_http, mutated)
            rows.append({"mutator": name, "variant": v.name, "lerconf": lv, "peer": pv, "lerconf_why": lwhy, "peer_why": pwhy})

    table = ["| mutator | variant | lerconf | peer | agree | lerconf failed | peer said |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        table.append(f"| {r['mutator']} | {r['variant']} | {r['lerconf']} | {r['peer']} | "
                     f"{'yes' if r['lerconf'] == r['peer'] else '**no**'} | {r['lerconf_why']} | {r['peer_why']} |")
    with capsys.disabled():
        print("\nmutator agreement (lerconf engine vs Digital Bazaar peer):\n" + "\n".join(table))

    known = {(d["mutator"], d["variant"]): d for d in deviations()["mutator_disagreements"]}
    disagreements = {(r["mutator"], r["variant"]): r for r in rows if r["lerconf"] != r["peer"]}
    unexplained = [r for key, r in disagreements.items()
                   if key not in known or (known[key]["lerconf"], known[key]["peer"]) != (r["lerconf"], r["peer"])]
    assert not unexplained, f"disagreements not explained in DEVIATIONS.md: {unexplained}"
    stale = [key for key in known if key not in disagreements]
    assert not stale, f"DEVIATIONS.md lists mutator disagreements that no longer occur: {stale}"
    assert all(r["peer"] != "broken" for r in rows), [r for r in rows if r["peer"] == "broken"]


# -- selective disclosure across lerconf and the peer ------------------------------------------------
SD_CURVES = {"ecdsa-sd-2023": "P-256", "bbs-2023": BLS_G2}
LERCONF, PEER = "lerconf", "peer"


def _sd_base(who: str, suite: str, peer: Any, peer_http: httpx.Client, engine: Verifier) -> dict[str, Any]:
    """An OB 3.0 badge with a base proof of ``suite`` over lerconf's mandatory pointers, issued by ``who``."""
    if who == PEER:
        credential = ob3_achievement_credential(peer.issuer_id, HOLDER_SUBJECT, credential_id=f"urn:uuid:{uuid.uuid4()}")
        credential["description"] = WITHHELD
        answer = peer_http.post("/credentials/issue", json={"credential": credential, "options": {
            "cryptosuite": suite, "mandatoryPointers": list(MANDATORY)}})
        assert answer.status_code == 201, answer.text
        return dict(answer.json()["verifiableCredential"])
    signer = Signer.did_key(deterministic_key(f"peer-interop-{suite}", SD_CURVES[suite]))
    credential = ob3_achievement_credential(signer.controller, HOLDER_SUBJECT, credential_id=f"urn:uuid:{uuid.uuid4()}")
    credential["description"] = WITHHELD
    return selective_suite(suite).create_base_proof(credential, signer.key, signer.verification_method, MANDATORY,
                                                   engine.processor)


def _sd_derived(who: str, suite: str, base: dict[str, Any], peer_http: httpx.Client, engine: Verifier) -> dict[str, Any]:
    """``who`` discloses the mandatory statements and SELECTIVE of ``base``."""
    if who == PEER:
        answer = peer_http.post("/credentials/derive", json={"verifiableCredential": base,
                                                             "options": {"selectivePointers": list(SELECTIVE)}})
        assert answer.status_code == 201, answer.text
        return dict(answer.json()["verifiableCredential"])
    return selective_suite(suite).derive(base, SELECTIVE, engine.processor)


def _sd_accepts(who: str, document: dict[str, Any], peer_http: httpx.Client, engine: Verifier) -> tuple[bool, str]:
    if who == PEER:
        answer = peer_http.post("/credentials/verify", json={"verifiableCredential": document})
        assert answer.status_code == 200, answer.text
        return answer.json()["verified"] is True, answer.text[:600]
    report = engine.verify_document(document, "selective disclosure across implementations")
    return report.verified, "; ".join(_blocking(report))


@pytest.mark.parametrize("suite", list(SD_CURVES))
@pytest.mark.parametrize("issuer,holder,verifier", [(i, h, v) for i in (LERCONF, PEER) for h in (LERCONF, PEER)
                                                    for v in (LERCONF, PEER) if PEER in (i, h, v)])
def test_selective_disclosure_across_lerconf_and_the_peer(peer: Any, peer_http: httpx.Client, engine: Verifier,
                                                          suite: str, issuer: str, holder: str, verifier: str) -> None:
    base = _sd_base(issuer, suite, peer, peer_http, engine)
    assert base["proof"]["cryptosuite"] == suite
    selective_suite(suite).mandatory_pointers(base["proof"]["proofValue"])  # a base proof of the suite, or SdProofError
    accepted, why = _sd_accepts(verifier, base, peer_http, engine)
    assert not accepted, f"{verifier} accepted {issuer}'s {suite} base proof as it is: {why}"
    derived = _sd_derived(holder, suite, base, peer_http, engine)
    selective_suite(suite).check_derived(derived["proof"]["proofValue"])
    assert derived["credentialSubject"]["id"] == HOLDER_SUBJECT and WITHHELD not in json.dumps(derived), derived
    accepted, why = _sd_accepts(verifier, derived, peer_http, engine)
    assert accepted, f"{verifier} refused what {holder} derived from {issuer}'s {suite} base proof: {why}"
    altered = {**derived, "credentialSubject": {**derived["credentialSubject"], "id": "did:example:someone-else"}}
    accepted, why = _sd_accepts(verifier, altered, peer_http, engine)
    assert not accepted, f"{verifier} accepted a disclosed value altered ({issuer} -> {holder}, {suite}): {why}"
