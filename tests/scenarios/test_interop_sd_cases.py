"""Interop cases leave ecdsa-sd-2023 out of issuer x verifier pairs: an issuer's base proof is for a
holder to derive from, and a verifier that claims the suite must refuse it (EC-05), so pairing them
directly would blame a conformant verifier. Every other suite both claim is still paired."""
from __future__ import annotations

from pathlib import Path

import yaml

from lerconf.profile.load import VendorProfile, parse_profile
from lerconf.scenarios.interop import cases

REFERENCE = Path(__file__).resolve().parents[2] / "fixtures" / "vendors" / "reference.yaml"


def _vendor(name: str, port: int) -> VendorProfile:
    data = yaml.safe_load(REFERENCE.read_text(encoding="utf-8").replace("${LERCONF_REFERENCE_PORT}", str(port)))
    data["name"] = name
    return parse_profile(data, name)


def test_base_proofs_are_not_sent_to_another_vendors_verifier() -> None:
    a, b = _vendor("Vendor A", 8001), _vendor("Vendor B", 8002)
    assert "ecdsa-sd-2023" in a.role("issuer").claims.securing  # type: ignore[union-attr]
    assert "ecdsa-sd-2023" in b.role("verifier").claims.securing  # type: ignore[union-attr]
    pairs = list(cases([a, b], "credential")) + list(cases([a, b], "lifecycle"))
    suites = {case.securing for case in pairs}
    assert "ecdsa-sd-2023" not in suites
    assert {"eddsa-rdfc-2022", "ecdsa-rdfc-2019"} <= suites
    # a holder presents with a suite it signs presentations with: the verifier's claims still count
    assert [c.securing for c in cases([a, b], "presentation")] == ["eddsa-rdfc-2022", "eddsa-rdfc-2022"]
