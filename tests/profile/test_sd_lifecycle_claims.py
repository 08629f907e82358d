"""The lifecycle of a badge disclosed in part (LCS-04) runs for a suite only when every part the vendor
plays claims it: issuer and verifier the securing method, VC version and status list, a holder that
derives (names a derive_url) the securing method and VC version. Parts lerconf plays claim everything."""
from __future__ import annotations

from typing import Any

from lerconf.profile.claims import not_claimed
from lerconf.profile.load import VendorProfile, parse_profile

ROW = {"securing": "bbs-2023", "vc_version": "2.0", "status": "BitstringStatusList"}
META = {"role": "lifecycle", "tags": ["lifecycle", "vcapi", "ob30", "bsl"], "example": ROW}
SD = ["eddsa-rdfc-2022", "ecdsa-sd-2023", "bbs-2023"]


def _claims(securing: list[str], status: list[str] | None = None) -> dict[str, Any]:
    return {"vc_versions": ["2.0"], "securing": securing, "status": ["BitstringStatusList"] if status is None else status}


def _profile(*, issuer: dict[str, Any] | None = None, verifier: dict[str, Any] | None = None,
             holder: dict[str, Any] | None = None, derive: bool = True) -> VendorProfile:
    base = "https://v.example"
    document: dict[str, Any] = {"name": "v"}
    if issuer is not None:
        document["issuer"] = {"issue_url": f"{base}/credentials/issue", "status_url": f"{base}/credentials/status",
                              "id": "did:web:v.example", "claims": issuer}
    if verifier is not None:
        document["verifier"] = {"verify_credential_url": f"{base}/credentials/verify", "claims": verifier}
    if holder is not None:
        document["holder"] = {"present_url": f"{base}/presentations", "claims": holder,
                              **({"derive_url": f"{base}/credentials/derive"} if derive else {})}
    return parse_profile(document, "v.yaml")


def test_every_part_claiming_the_row_runs_it() -> None:
    assert not_claimed(_profile(issuer=_claims(SD), verifier=_claims(SD), holder=_claims(SD, [])), META) is None


def test_an_issuer_without_the_suite_or_the_status_list_is_not_claimed() -> None:
    assert not_claimed(_profile(issuer=_claims(["ecdsa-sd-2023"])), META) == "issuer does not claim securing=bbs-2023"
    assert not_claimed(_profile(issuer=_claims(SD, [])), META) == "issuer does not claim status=BitstringStatusList"


def test_a_verifier_without_the_suite_is_not_claimed_even_when_the_issuer_claims_it() -> None:
    reason = not_claimed(_profile(issuer=_claims(SD), verifier=_claims(["eddsa-rdfc-2022"])), META)
    assert reason == "verifier does not claim securing=bbs-2023"


def test_a_holder_that_derives_must_claim_the_suite_but_not_a_status_list() -> None:
    assert not_claimed(_profile(holder=_claims(["eddsa-rdfc-2022"], [])), META) == "holder does not claim securing=bbs-2023"
    assert not_claimed(_profile(holder=_claims(SD, [])), META) is None


def test_a_holder_without_derive_url_takes_no_part_lerconf_derives() -> None:
    profile = _profile(issuer=_claims(SD), holder=_claims(["eddsa-rdfc-2022"], []), derive=False)
    assert not_claimed(profile, META) is None


def test_the_plain_revocation_lifecycle_keeps_its_rule() -> None:
    """No example row: any VC API role is enough (the eddsa lifecycle of vcapi-revocation.feature)."""
    meta = {**META, "example": {}}
    assert not_claimed(_profile(issuer=_claims(["eddsa-rdfc-2022"], [])), meta) is None


def test_a_vendor_playing_no_part_is_not_claimed() -> None:
    """A holder without a derive_url only: lerconf would issue, derive and verify, and judge nothing of the vendor's."""
    reason = not_claimed(_profile(holder=_claims(SD, []), derive=False), META)
    assert reason is not None and "plays no part in it" in reason
