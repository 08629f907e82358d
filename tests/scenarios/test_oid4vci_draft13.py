"""Draft-13 mode end to end: the reference issuer serving OID4VCI draft 13 (``Rules.draft13``),
tested by a profile that claims only draft 13. Every scenario that draft 13 can express passes,
labelled draft-only; the final-only ones (nonce endpoint, deferred, di_vp) are not claimed; the
wire shows draft-13 requests and responses."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from faulty.runs import describe
from faulty_oid4vci import DRAFT13, run_lerconf, running_issuer

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
LABEL = "draft-only: OID4VCI draft 13"


@pytest.fixture(autouse=True)
def _fresh_secret_registry() -> Iterator[None]:
    from lerconf.redact import SECRETS

    with SECRETS.isolated():
        yield


def test_a_draft13_issuer_passes_in_draft_mode_and_every_result_is_labelled_draft_only(tmp_path: Path) -> None:
    with running_issuer(DRAFT13, tmp_path / "issuer") as issuer:
        result = run_lerconf(issuer, tmp_path / "reports")
    bad = result.with_status("failed", "broken")
    assert not bad, "\n".join(map(describe, bad))
    assert result.exit_code == 0, result.summary()
    ran = result.with_status("passed")
    skipped = result.with_status("skipped")
    assert len(ran) >= 30, result.summary()
    # final-only scenarios (example column spec: final) are not claimed by a draft-13 issuer
    assert skipped and all(s["example"].get("spec") == "final" and "spec_versions=final" in s["reason"] for s in skipped)
    assert all(s["example"].get("spec") != "final" for s in ran)
    for s in ran:
        assert s.get("spec_mode") == LABEL, describe(s)
        assert any("draft-only" in note for note in s["evidence"]["notes"]), describe(s)
    issued = next(s for s in ran if s["name"].startswith("The issuer returns the credential") and s["example"]["format"] == "ldp_vc")
    exchanges = issued["evidence"]["exchanges"]
    assert exchanges[0]["request"]["url"].endswith("/oid4vci/.well-known/openid-credential-issuer")  # the appended path
    request = next(e for e in exchanges if e["request"]["url"].endswith("/oid4vci/credential"))
    assert set(request["request"]["body"]) == {"format", "credential_definition", "proof"}
    assert request["request"]["body"]["proof"]["proof_type"] == "jwt"
    assert "credential" in request["response"]["body"] and "credentials" not in request["response"]["body"]
    assert not any(e["request"]["url"].endswith("/oid4vci/nonce") for e in exchanges)  # c_nonce came with the token
