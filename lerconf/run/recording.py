"""Recording each scenario as it finishes: its status (passed, failed, broken, skipped) and reason,
appended to results.json with its evidence, and its line on the console.
"""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.profile.claims import spec_mode
from lerconf.redact import redact_text
from lerconf.run.console import Console
from lerconf.run.meta import ATTESTED
from lerconf.run.state import EVIDENCE_KEY, NO_INTEROP, ORDER_KEY, RUN_KEY
from lerconf.verdicts import Broken

__all__ = ["failure_reason", "finish_scenario", "skip_reason"]


def skip_reason(report: pytest.TestReport) -> str:
    """Why a scenario was skipped (not claimed, cannot be judged), scrubbed like failure reasons: a
    cannot-be-judged reason may quote a vendor's answer."""
    if isinstance(report.longrepr, tuple):
        return redact_text(str(report.longrepr[2]).removeprefix("Skipped: "))
    return redact_text(str(report.longrepr or "skipped"))


def failure_reason(call: pytest.CallInfo[Any]) -> str:
    if call.excinfo is None:
        return "failed"
    exc = call.excinfo.value
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, Broken):
        return redact_text(text)
    if not isinstance(exc, AssertionError):
        text = f"{type(exc).__name__}: {text}"
    return redact_text(text.splitlines()[0] if len(text) > 2000 else text)[:2000]


def finish_scenario(item: pytest.Item, meta: dict[str, Any], record: dict[str, Any]) -> None:
    state = item.config.stash[RUN_KEY]
    params = item.callspec.params if hasattr(item, "callspec") else {}
    vendor = params.get("lerconf_vendor", "")
    case = params.get("lerconf_interop")
    if case is not None and case != NO_INTEROP:
        vendor = case.label
        record = {**record, "interop": case.to_json()}
    evidence = item.stash.get(EVIDENCE_KEY, None)
    record = _kept_apart(meta, record, bool(evidence is not None and evidence.attestations))
    scenario = {
        # stable across runs: feature, scenario, example row, vendor (titles may repeat across rows)
        "id": "::".join([meta["feature_file"], meta["name"], *(f"{k}={v}" for k, v in meta["example"].items()), vendor,
                         *([f"{case.securing}/VC {case.vc_version}"] if case is not None and case != NO_INTEROP else [])]),
        "name": meta["name"],
        "feature": meta["feature"],
        "feature_file": meta["feature_file"],
        "vendor": vendor,
        "role": meta["role"],
        "requirement_ids": meta["requirement_ids"],
        "severity": meta["severity"],
        "tags": meta["tags"],
        "example": meta["example"],
        **record,
        **({"spec_mode": mode} if (mode := spec_mode(item)) else {}),
        **({"order": order} if (order := item.stash.get(ORDER_KEY, None)) is not None else {}),  # a shard's place
        **({"ecosystem": meta["ecosystem"]} if meta.get("ecosystem") else {}),
        **({"judged_by": ATTESTED} if meta.get("judged_by") == ATTESTED else {}),
        "evidence": evidence.to_json() if evidence is not None else None,
    }
    state["done"] += 1
    if record["status"] in ("failed", "broken"):
        state["failed"] += 1
    log = state.get("run_log")
    if log is not None:
        log.add(scenario)
    _progress(item.config, state, scenario)


def _kept_apart(meta: dict[str, Any], record: dict[str, Any], attested: bool) -> dict[str, Any]:
    """Attested and automated verdicts never mix: a scenario not tagged @attested whose evidence holds an
    operator's attestation, or an @attested one judged without any, is broken (a harness fault), never
    passed or failed."""
    if record["status"] not in ("passed", "failed"):
        return record
    if attested and meta.get("judged_by") != ATTESTED:
        return {**record, "status": "broken", "reason": "lerconf fault: an operator's attestation reached a scenario "
                "judged by lerconf's own observation (not tagged @attested); attested and automated verdicts never mix"}
    if not attested and meta.get("judged_by") == ATTESTED:
        return {**record, "status": "broken", "reason": "lerconf fault: an @attested scenario ended without any "
                "operator attestation in its evidence"}
    return record


def _progress(config: pytest.Config, state: dict[str, Any], scenario: dict[str, Any]) -> None:
    """The scenario's line on the console (lerconf.run.console): status, vendor, name and why."""
    console = state.get("console")
    if console is None:
        console = state["console"] = Console()
    console.scenario(scenario, state.get("total"))
