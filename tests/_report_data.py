"""Hand-made results.json data for the report tests: small, exact, and easy to vary."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RUN = {"id": "20260101T000000Z-1", "schema_version": "1", "lerconf_version": "0.1.0", "python": "3.11.7",
       "platform": "linux", "started": "2026-01-01T00:00:00Z", "finished": "2026-01-01T00:01:00Z",
       "complete": True, "command": ["lerconf", "run"], "environment": {}}


def vendor(name: str, roles: tuple[str, ...] = ("issuer", "verifier", "holder"), version: str = "1.0") -> dict[str, Any]:
    return {"name": name, "version": version, "contact": None, "auth": "bearer",
            "roles": {r: {"urls": {f"{r}_url": f"https://{r}.example/api"}, "claims": {"securing": ["eddsa-rdfc-2022"]}}
                      for r in roles}}


def evidence(reason: str = "") -> dict[str, Any]:
    return {"exchanges": [{"request": {"method": "POST", "url": "https://v.example/credentials/verify",
                                       "headers": {"Authorization": "[REDACTED]"}, "body": {"verifiableCredential": {"id": "urn:x"}}},
                           "response": {"status": 200, "headers": {"content-type": "application/json"},
                                        "body": {"verified": True}},
                           "outcome": "accepted", "reason": reason or "HTTP 200", "elapsed_ms": 3}],
            "checks": [{"id": "VCDM-01", "category": "context", "status": "passed", "severity": "MUST",
                        "message": "the first @context item is the VC 2.0 base context",
                        "spec_url": "https://www.w3.org/TR/vc-data-model-2.0/"}],
            "documents": {"issued credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x"}},
            "notes": []}


def scenario(name: str, vendor_name: str, *, role: str = "issuer", status: str = "passed", req: str = "VCDM-01",
             severity: str = "MUST", tags: tuple[str, ...] = (), example: dict[str, str] | None = None,
             reason: str = "", feature_file: str | None = None, **extra: Any) -> dict[str, Any]:
    feature_file = feature_file or f"{role}/test.feature"
    example = example or {}
    ident = "::".join([feature_file, name, *(f"{k}={v}" for k, v in example.items()), vendor_name])
    if extra.get("interop"):
        ident += f"::{extra['interop']['securing']}/VC {extra['interop']['vc_version']}"
    return {"id": ident, "name": name, "feature": f"{role} feature",
            "feature_file": feature_file, "vendor": vendor_name, "role": role, "requirement_ids": [req],
            "severity": severity, "tags": sorted({role, severity, req, *tags}), "example": example,
            "status": status, "reason": reason, "duration_s": 0.1,
            "evidence": evidence(reason) if status != "skipped" else None, **extra}


def results(vendors: list[dict[str, Any]], scenarios: list[dict[str, Any]], **run: Any) -> dict[str, Any]:
    return {"run": {**RUN, **run}, "vendors": vendors, "scenarios": scenarios}


def write_run(directory: Path, data: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "results.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return directory


def three_vendors() -> dict[str, Any]:
    """Acme, Beta and Gamma: known numbers for the scorecard, at-risk list and matrices.

    Acme passes everything (issuer, verifier); Beta fails VCDM-06 as issuer and breaks on one
    verifier scenario; Gamma is a verifier only and does not claim VC 1.1. One interop scenario
    (Acme issues, Beta verifies) fails.
    """
    v = [vendor("Acme"), vendor("Beta", version="2.3.1"), vendor("Gamma", roles=("verifier",))]
    s = []
    for name in ("Acme", "Beta"):
        s.append(scenario("Issuer starts @context with the v2 context", name, req="VCDM-01"))
        s.append(scenario("Issuer names itself with a URL", name, req="VCDM-06",
                          status="failed" if name == "Beta" else "passed",
                          reason="VCDM-06: issuer is neither a URL nor an object with a URL id" if name == "Beta" else ""))
        s.append(scenario("Issuer refuses a credential without @context", name, req="VCDM-01", tags=("NEG",)))
        s.append(scenario("Issuer adds a SHOULD description", name, req="OB-05", severity="SHOULD"))
    for name in ("Acme", "Beta", "Gamma"):
        s.append(scenario("Verifier verifies a valid badge (eddsa-rdfc-2022, VC 2.0)", name, role="verifier", req="API-11",
                          example={"securing": "eddsa-rdfc-2022", "vc_version": "2.0"},
                          status="broken" if name == "Beta" else "passed",
                          reason="verify: server_error: HTTP 503" if name == "Beta" else ""))
        s.append(scenario("Verifier verifies a valid badge (eddsa-rdfc-2022, VC 1.1)", name, role="verifier", req="API-11",
                          example={"securing": "eddsa-rdfc-2022", "vc_version": "1.1"},
                          status="skipped" if name == "Gamma" else "passed",
                          reason="not claimed: verifier does not claim vc_versions 1.1" if name == "Gamma" else ""))
        s.append(scenario("Verifier detects a tampered badge", name, role="verifier", req="DI-15", tags=("NEG",)))
    s.append(scenario("A verifier accepts badges issued by another vendor", "Acme → Beta", role="interop", req="API-11",
                      status="failed", reason="the verifier rejected it",
                      interop={"kind": "credential", "issuer": "Acme", "holder": None, "verifier": "Beta",
                               "securing": "eddsa-rdfc-2022", "vc_version": "2.0"},
                      feature_file="interop/vcapi-interop.feature"))
    s.append(scenario("A verifier accepts badges issued by another vendor", "Acme → Gamma", role="interop", req="API-11",
                      interop={"kind": "credential", "issuer": "Acme", "holder": None, "verifier": "Gamma",
                               "securing": "eddsa-rdfc-2022", "vc_version": "2.0"},
                      feature_file="interop/vcapi-interop.feature"))
    return results(v, s)
