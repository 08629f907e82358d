"""Selective-disclosure test beds (issue 18): the reference, claiming ecdsa-sd-2023 and bbs-2023 as
issuer, verifier and holder, with one fault each; all of them and a clean control are judged in ONE
`lerconf run` (several vendor profiles, only the selective-disclosure scenarios of both suites), so
the beds cost one run in CI. Each fault breaks one suite only and must be caught by that suite's rows.

ecdsa-sd-2023:

* ``sd-issuer-wrong-header``   its base proof carries the derived header ``d9 5d 01``
* ``sd-issuer-wrong-group``    it signs as if only ``/issuer`` were mandatory, yet names the
                               mandatory pointers it was asked for: statements signed over the wrong group
* ``sd-verifier-takes-base``   its verifier accepts a base proof presented as it is (EC-05 ignored),
                               on its own and inside a presentation
* ``sd-verifier-skips-values`` its verifier checks a derived proof's form and structure, not its
                               signatures: a changed value goes through
* ``sd-holder-shows-all``      its holder service discloses every statement, not just those asked for

bbs-2023 (the same defects):

* ``sd-bbs-issuer-wrong-header``   its base proof carries the derived header ``d9 5d 03``
* ``sd-bbs-issuer-wrong-group``    its BBS header hashes the statements ``/issuer`` selects as mandatory
                                   (and its signature covers the rest), yet it names the pointers it was asked for
* ``sd-bbs-verifier-takes-base``   its verifier accepts a base proof presented as it is (LBB-03 ignored)
* ``sd-bbs-verifier-skips-values`` its verifier checks a derived proof's form and structure, not the BBS proof
* ``sd-bbs-holder-shows-all``      its holder service discloses the description too for a bbs-2023 badge
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

from lerconf.crypto.di import bbs_2023, ecdsa_sd
from lerconf.crypto.di.sd_suites import SD_SUITES, sd_proof_of, selective_suite
from lerconf.refimpl import issuer as ref_issuer
from lerconf.refimpl.problems import read_json_object
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.refimpl.validation import IssueRequest, parse_issue_request
from lerconf.results import CheckResult

ECDSA_SD = "ecdsa-sd-2023"
BBS = "bbs-2023"
SUITES = (ECDSA_SD, BBS)
#: each suite's proof-value headers: (base, derived)
_HEADERS = {ECDSA_SD: (ecdsa_sd.BASE_HEADER, ecdsa_sd.DERIVED_HEADER), BBS: (bbs_2023.BASE_HEADER, bbs_2023.DERIVED_HEADER)}

WELL_FORMED = "Issuer's base proof is well formed and its signatures verify (ecdsa-sd-2023, VC 2.0)"
POINTERS = "Issuer's base proof makes mandatory exactly the statements it was asked to (ecdsa-sd-2023, VC 2.0)"
HOLDER_DERIVES = ("Holder service derives a badge disclosed in part with only the asked and mandatory statements "
                  "(ecdsa-sd-2023)")
DERIVES = "A badge disclosed in part from the issuer's base proof is accepted (ecdsa-sd-2023, VC 2.0)"
BASE_REFUSED = "Verifier refuses the issuer's base proof shown as it is (ecdsa-sd-2023)"
VALUE_REFUSED = "Verifier refuses a badge disclosed in part with a shown value changed (ecdsa-sd-2023)"
BBS_WELL_FORMED = "Issuer's BBS base proof is well formed and its signature verifies (bbs-2023, VC 2.0)"
BBS_POINTERS = "Issuer's BBS base proof makes mandatory exactly the statements it was asked to (bbs-2023, VC 2.0)"
BBS_HOLDER_DERIVES = ("Holder service derives a BBS badge disclosed in part with only the asked and mandatory "
                      "statements (bbs-2023)")
BBS_DERIVES = "A badge disclosed in part from the issuer's BBS base proof is accepted (bbs-2023, VC 2.0)"
BBS_BASE_REFUSED = "Verifier refuses the issuer's BBS base proof shown as it is (bbs-2023)"
BBS_VALUE_REFUSED = "Verifier refuses a BBS badge disclosed in part with a shown value changed (bbs-2023)"
#: the base proof inside a presentation (features/verifier/vcapi-verify-presentation-selective)
BASE_IN_VP_REFUSED = "Verifier refuses a presentation carrying the issuer's base proof as it is (ecdsa-sd-2023)"
BBS_BASE_IN_VP_REFUSED = "Verifier refuses a presentation carrying the issuer's BBS base proof as it is (bbs-2023)"
#: the issuer's derivation scenario, by the base-proof requirement a faulty issuer breaks (its prerequisite)
DERIVATION = {"EC-03": DERIVES, "LBB-01": BBS_DERIVES}
#: the selective-disclosure scenarios of features/issuer, features/holder and features/verifier, both suites
#: (a credential on its own and inside presentations; not the lifecycle, which has its beds in .lifecycle)
KEYWORD = "base_proof or disclosed_in_part"
ISSUER_SCENARIOS = 3 * len(SUITES)
#: five on a credential (a mandatory statement left out among them), two on a presentation (a disclosure
#: accepted, the base proof refused)
VERIFIER_SCENARIOS = 7 * len(SUITES)
#: one derivation, two presentations of a disclosure (it verifies; it is embedded unchanged)
HOLDER_SCENARIOS = 3 * len(SUITES)
SCENARIOS = ISSUER_SCENARIOS + VERIFIER_SCENARIOS + HOLDER_SCENARIOS


def _values(proof_value: str) -> tuple[bytes, list[Any]]:
    raw = base64.urlsafe_b64decode(proof_value[1:] + "=" * (-len(proof_value[1:]) % 4))
    return raw[:3], cbor2.loads(raw[3:])


def _encoded(header: bytes, values: list[Any]) -> str:
    return "u" + base64.urlsafe_b64encode(header + cbor2.dumps(values)).decode().rstrip("=")


def _wrong_header(suite: str) -> Any:
    """The base proof's components under the suite's derived-proof header."""

    def edit(state: ReferenceState, request: IssueRequest, credential: dict[str, Any]) -> dict[str, Any]:
        _, values = _values(credential["proof"]["proofValue"])
        credential["proof"]["proofValue"] = _encoded(_HEADERS[suite][1], values)
        return credential

    return edit


def _wrong_group(suite: str) -> Any:
    """Re-signed with only ``/issuer`` mandatory; the pointers asked for are written into the proof
    (the last component of both suites' base proof values)."""

    def edit(state: ReferenceState, request: IssueRequest, credential: dict[str, Any]) -> dict[str, Any]:
        signer = state.keys.signer_for(suite)
        resigned = selective_suite(suite).create_base_proof({k: v for k, v in credential.items() if k != "proof"},
                                                            signer.key, signer.verification_method, ["/issuer"],
                                                            state.verifier.processor)
        header, values = _values(resigned["proof"]["proofValue"])
        assert header == _HEADERS[suite][0]
        values[4] = list(request.mandatory_pointers)
        resigned["proof"]["proofValue"] = _encoded(header, values)
        return resigned

    return edit


def _edited_issue(suite: str, edit: Any) -> Route:
    """The reference issue endpoint; a credential secured with ``suite`` is edited before it is returned."""

    async def issue(request: Request) -> Response:
        state = state_of(request)
        parsed = parse_issue_request(await read_json_object(request), state.issuer_id)
        credential = await run_in_threadpool(ref_issuer.issue_credential, state, parsed)
        if parsed.suite == suite:
            credential = await run_in_threadpool(edit, state, parsed, credential)
        return JSONResponse({"verifiableCredential": credential}, status_code=201)

    return Route(ISSUE_PATH, issue, methods=["POST"])


def _shows_everything(suite: str) -> Any:
    """A derive endpoint that, for a badge secured with ``suite``, discloses the description too,
    whatever it was asked for (a badge of the other suite is derived as asked)."""

    def install(state: ReferenceState) -> Parts:
        async def derive_all(request: Request) -> Response:
            body = await read_json_object(request)
            credential = body["verifiableCredential"]
            asked = list(body.get("options", {}).get("selectivePointers", []))
            secured = next(s for s in SD_SUITES if sd_proof_of(credential, s) is not None)
            pointers = [*asked, "/description"] if secured == suite else asked
            derived = await run_in_threadpool(selective_suite(secured).derive, credential, pointers,
                                              state_of(request).verifier.processor)
            return JSONResponse({"verifiableCredential": derived}, status_code=201)

        return Parts(routes=[Route("/credentials/derive", derive_all, methods=["POST"])])

    return install


def _issuer_fault(suite: str, edit: Any) -> Any:
    return lambda state: Parts(routes=[_edited_issue(suite, edit)])


def _ignores(predicate: Any) -> Any:
    def install(state: ReferenceState) -> Parts:
        replace_engine(state, ignore=predicate)
        return Parts()

    return install


def _takes_base_proofs(requirement: str) -> Any:
    """EC-05 / LBB-03 never reported: a base proof presented to the verifier goes through."""
    return lambda result: result.requirement == requirement


def _skips_sd_signatures(suite: str) -> Any:
    def ignored(result: CheckResult) -> bool:
        return result.requirement == "DI-15" and result.message.startswith(f"{suite} signature does not verify")

    return ignored


CLEAN = Fault("sd-clean", "", "no fault: the reference claiming ecdsa-sd-2023 and bbs-2023", (), frozenset(),
              lambda state: Parts())
FAULTS = [
    Fault("sd-issuer-wrong-header", "issuer", "its base proof carries the derived proof header d95d01",
          ("EC-03",), frozenset({WELL_FORMED, POINTERS}), _issuer_fault(ECDSA_SD, _wrong_header(ECDSA_SD)),
          because="expected a base proof (header d95d00), found a derived proof"),
    Fault("sd-issuer-wrong-group", "issuer", "signs statements alone that its named mandatory pointers select",
          ("EC-03",), frozenset({POINTERS}), _issuer_fault(ECDSA_SD, _wrong_group(ECDSA_SD)),
          because="statement signatures over the wrong group"),
    Fault("sd-verifier-takes-base", "verifier", "accepts a base proof presented as it is",
          ("EC-05",), frozenset({BASE_REFUSED, BASE_IN_VP_REFUSED}), _ignores(_takes_base_proofs("EC-05")),
          because="the base proof itself (ecdsa-sd-2023); the verifier accepted it, expected rejected"),
    Fault("sd-verifier-skips-values", "verifier", "checks a derived proof's form and structure, not its signatures",
          ("DI-15",), frozenset({VALUE_REFUSED}), _ignores(_skips_sd_signatures(ECDSA_SD)),
          because="a disclosed value altered (ecdsa-sd-2023); the verifier accepted it, expected rejected"),
    Fault("sd-holder-shows-all", "holder", "discloses the description although it was not asked for",
          ("EC-04",), frozenset({HOLDER_DERIVES}), _shows_everything(ECDSA_SD),
          because="shows the description, which was neither mandatory nor asked for"),
    Fault("sd-bbs-issuer-wrong-header", "issuer", "its BBS base proof carries the derived proof header d95d03",
          ("LBB-01",), frozenset({BBS_WELL_FORMED, BBS_POINTERS}), _issuer_fault(BBS, _wrong_header(BBS)),
          because="expected a base proof (header d95d02), found a derived proof"),
    Fault("sd-bbs-issuer-wrong-group", "issuer",
          "its BBS header hashes other statements as mandatory than its named mandatory pointers select",
          ("LBB-01",), frozenset({BBS_WELL_FORMED, BBS_POINTERS}), _issuer_fault(BBS, _wrong_group(BBS)),
          because="the base proof's BBS header does not hash the document's mandatory statements"),
    Fault("sd-bbs-verifier-takes-base", "verifier", "accepts a BBS base proof presented as it is",
          ("LBB-03",), frozenset({BBS_BASE_REFUSED, BBS_BASE_IN_VP_REFUSED}), _ignores(_takes_base_proofs("LBB-03")),
          because="the base proof itself (bbs-2023); the verifier accepted it, expected rejected"),
    Fault("sd-bbs-verifier-skips-values", "verifier", "checks a BBS derived proof's form and structure, not the BBS proof",
          ("DI-15",), frozenset({BBS_VALUE_REFUSED}), _ignores(_skips_sd_signatures(BBS)),
          because="a disclosed value altered (bbs-2023); the verifier accepted it, expected rejected"),
    Fault("sd-bbs-holder-shows-all", "holder", "discloses a BBS badge's description although it was not asked for",
          ("LBB-02",), frozenset({BBS_HOLDER_DERIVES}), _shows_everything(BBS),
          because="shows the description, which was neither mandatory nor asked for"),
]


@dataclass
class Beds:
    vendors: list[FaultyVendor]
    url_map: Path


def _claiming_sd(vendor: FaultyVendor) -> None:
    """The bed's profile claims both suites for its issuer, verifier and holder (as the reference does)."""
    profile = yaml.safe_load(vendor.profile_path.read_text(encoding="utf-8"))
    for role in ("issuer", "verifier", "holder"):
        profile[role]["claims"]["securing"] = [*profile[role]["claims"]["securing"], *SUITES]
    profile["holder"]["derive_url"] = f"{vendor.base_url}/credentials/derive"
    vendor.profile_path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")


@contextlib.contextmanager
def started_beds(workdir: Path, faults: tuple[Fault, ...] | None = None) -> Iterator[Beds]:
    """The clean control and every fault (or ``faults``) on their own loopback ports, with one merged URL map."""
    vendors: list[FaultyVendor] = []
    try:
        for fault in faults if faults is not None else (CLEAN, *FAULTS):
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
