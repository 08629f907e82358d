"""Selective-disclosure test beds (issue 18): the reference, claiming ecdsa-sd-2023 as issuer,
verifier and holder, with one fault each; all of them and a clean control are judged in ONE `lerconf run`
(several vendor profiles, only the ecdsa-sd-2023 scenarios), so the beds cost one run in CI.

* ``sd-issuer-wrong-header``   its base proof carries the derived header ``d9 5d 01``
* ``sd-issuer-wrong-group``    it signs as if only ``/issuer`` were mandatory, yet names the
                               mandatory pointers it was asked for: statements signed over the wrong group
* ``sd-verifier-takes-base``   its verifier accepts a base proof presented as it is (EC-05 ignored)
* ``sd-verifier-skips-values`` its verifier checks a derived proof's form and structure, not its
                               signatures: a changed value goes through
* ``sd-holder-shows-all``      its holder service discloses every statement, not just those asked for
"""
from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2
import yaml
from faulty.faults import Fault, Parts
from faulty.server import FaultyVendor, start_vendor
from faulty.wrappers import ISSUE_PATH, replace_engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.crypto.di.ecdsa_sd import BASE_HEADER, DERIVED_HEADER
from lerconf.crypto.di.ecdsa_sd_derive import create_base_proof, derive
from lerconf.refimpl import issuer as ref_issuer
from lerconf.refimpl.problems import read_json_object
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.refimpl.validation import IssueRequest, parse_issue_request
from lerconf.results import CheckResult

SUITE = "ecdsa-sd-2023"
WELL_FORMED = "Issuer's base proof is well formed and its signatures verify (ecdsa-sd-2023, VC 2.0)"
POINTERS = "Issuer's base proof makes mandatory exactly the statements it was asked to (ecdsa-sd-2023, VC 2.0)"
HOLDER_DERIVES = ("Holder service derives a badge disclosed in part with only the asked and mandatory statements "
                  "(ecdsa-sd-2023)")
DERIVES = "A badge disclosed in part from the issuer's base proof is accepted (ecdsa-sd-2023, VC 2.0)"
BASE_REFUSED = "Verifier refuses the issuer's base proof shown as it is (ecdsa-sd-2023)"
VALUE_REFUSED = "Verifier refuses a badge disclosed in part with a shown value changed (ecdsa-sd-2023)"
#: the ecdsa-sd-2023 scenarios of features/issuer and features/verifier, by test name
KEYWORD = "(base_proof or disclosed_in_part) and not bbs"  # the bbs-2023 rows: not these beds' faults
ISSUER_SCENARIOS = 3
VERIFIER_SCENARIOS = 4
HOLDER_SCENARIOS = 1
SCENARIOS = ISSUER_SCENARIOS + VERIFIER_SCENARIOS + HOLDER_SCENARIOS


def _values(proof_value: str) -> tuple[bytes, list[Any]]:
    raw = base64.urlsafe_b64decode(proof_value[1:] + "=" * (-len(proof_value[1:]) % 4))
    return raw[:3], cbor2.loads(raw[3:])


def _encoded(header: bytes, values: list[Any]) -> str:
    return "u" + base64.urlsafe_b64encode(header + cbor2.dumps(values)).decode().rstrip("=")


def _wrong_header(state: ReferenceState, request: IssueRequest, credential: dict[str, Any]) -> dict[str, Any]:
    _, values = _values(credential["proof"]["proofValue"])
    credential["proof"]["proofValue"] = _encoded(DERIVED_HEADER, values)
    return credential


def _wrong_group(state: ReferenceState, request: IssueRequest, credential: dict[str, Any]) -> dict[str, Any]:
    """Re-signed with only ``/issuer`` mandatory; the pointers asked for are written into the proof."""
    signer = state.keys.signer_for(SUITE)
    resigned = create_base_proof({k: v for k, v in credential.items() if k != "proof"}, signer.key,
                                 signer.verification_method, ["/issuer"], state.verifier.processor)
    header, values = _values(resigned["proof"]["proofValue"])
    assert header == BASE_HEADER
    values[4] = list(request.mandatory_pointers)
    resigned["proof"]["proofValue"] = _encoded(header, values)
    return resigned


def _edited_issue(edit: Any) -> Route:
    """The reference issue endpoint; an ecdsa-sd-2023 credential is edited before it is returned."""

    async def issue(request: Request) -> Response:
        state = state_of(request)
        parsed = parse_issue_request(await read_json_object(request), state.issuer_id)
        credential = await run_in_threadpool(ref_issuer.issue_credential, state, parsed)
        if parsed.suite == SUITE:
            credential = await run_in_threadpool(edit, state, parsed, credential)
        return JSONResponse({"verifiableCredential": credential}, status_code=201)

    return Route(ISSUE_PATH, issue, methods=["POST"])


def _shows_everything(state: ReferenceState) -> Parts:
    """A derive endpoint that discloses the description too, whatever it was asked for."""

    async def derive_all(request: Request) -> Response:
        body = await read_json_object(request)
        asked = list(body.get("options", {}).get("selectivePointers", []))
        derived = await run_in_threadpool(derive, body["verifiableCredential"], [*asked, "/description"],
                                          state_of(request).verifier.processor)
        return JSONResponse({"verifiableCredential": derived}, status_code=201)

    return Parts(routes=[Route("/credentials/derive", derive_all, methods=["POST"])])


def _issuer_fault(edit: Any) -> Any:
    return lambda state: Parts(routes=[_edited_issue(edit)])


def _ignores(predicate: Any) -> Any:
    def install(state: ReferenceState) -> Parts:
        replace_engine(state, ignore=predicate)
        return Parts()

    return install


def _takes_base_proofs(result: CheckResult) -> bool:
    return result.requirement == "EC-05"


def _skips_sd_signatures(result: CheckResult) -> bool:
    return result.requirement == "DI-15" and result.message.startswith(f"{SUITE} signature does not verify")


CLEAN = Fault("sd-clean", "", "no fault: the reference claiming ecdsa-sd-2023", (), frozenset(), lambda state: Parts())
FAULTS = [
    Fault("sd-issuer-wrong-header", "issuer", "its base proof carries the derived proof header d95d01",
          ("EC-03",), frozenset({WELL_FORMED, POINTERS}), _issuer_fault(_wrong_header),
          because="expected a base proof (header d95d00), found a derived proof"),
    Fault("sd-issuer-wrong-group", "issuer", "signs statements alone that its named mandatory pointers select",
          ("EC-03",), frozenset({POINTERS}), _issuer_fault(_wrong_group),
          because="statement signatures over the wrong group"),
    Fault("sd-verifier-takes-base", "verifier", "accepts a base proof presented as it is",
          ("EC-05",), frozenset({BASE_REFUSED}), _ignores(_takes_base_proofs),
          because="the base proof itself (ecdsa-sd-2023); the verifier accepted it, expected rejected"),
    Fault("sd-verifier-skips-values", "verifier", "checks a derived proof's form and structure, not its signatures",
          ("DI-15",), frozenset({VALUE_REFUSED}), _ignores(_skips_sd_signatures),
          because="a disclosed value altered (ecdsa-sd-2023); the verifier accepted it, expected rejected"),
    Fault("sd-holder-shows-all", "holder", "discloses the description although it was not asked for",
          ("EC-04",), frozenset({HOLDER_DERIVES}), _shows_everything,
          because="shows the description, which was neither mandatory nor asked for"),
]


@dataclass
class Beds:
    vendors: list[FaultyVendor]
    url_map: Path


def _claiming_sd(vendor: FaultyVendor) -> None:
    """The bed's profile claims ecdsa-sd-2023 for its issuer, verifier and holder (as the reference does)."""
    profile = yaml.safe_load(vendor.profile_path.read_text(encoding="utf-8"))
    for role in ("issuer", "verifier", "holder"):
        profile[role]["claims"]["securing"] = [*profile[role]["claims"]["securing"], SUITE]
    profile["holder"]["derive_url"] = f"{vendor.base_url}/credentials/derive"
    vendor.profile_path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")


@contextlib.contextmanager
def started_beds(workdir: Path) -> Iterator[Beds]:
    """The clean control and every fault on their own loopback ports, with one merged URL map."""
    vendors: list[FaultyVendor] = []
    try:
        for fault in (CLEAN, *FAULTS):
            vendor = start_vendor(fault, workdir / fault.name)
            vendors.append(vendor)
            _claiming_sd(vendor)
        merged: dict[str, str] = {}
        for vendor in vendors:
            merged.update(json.loads(vendor.url_map_path.read_text(encoding="utf-8")))
        url_map = workdir / "url-map.json"
        url_map.write_text(json.dumps(merged), encoding="utf-8")
        yield Beds(vendors, url_map)
    finally:
        for vendor in vendors:
            vendor.stop()
