"""lerconf's selective-disclosure interop cells (LCS-03) catch a verifier that refuses valid disclosures
and a holder whose disclosure is broken, and blame nobody else, proven on real loopback servers
(tests/faulty_sd/interop.py): a clean vendor and the two faulty ones, in ONE `lerconf run` limited to the
interop disclosure scenario. Every case of both suites is issuer -> holder -> verifier over three
distinct vendors; a case fails exactly when the faulty verifier judges it (the verifier refused a valid
disclosure) or the faulty holder derived it (its disclosure is broken; the verifier was never asked),
and passes otherwise. The matrices show it: the faulty verifier's column and the faulty holder's row
of the holder x verifier matrix fail, the clean cells pass."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from faulty.runs import RunResult, describe, run_profiles
from faulty_sd import started_beds
from faulty_sd.interop import BEDS, CLEAN, HOLDER_ALTERS, KEYWORD, SCENARIO, VERIFIER_REFUSES

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]

SUITES = {"ecdsa-sd-2023", "bbs-2023"}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunResult]:
    workdir = tmp_path_factory.mktemp("sd-interop-beds")
    with started_beds(workdir, BEDS) as beds:
        yield run_profiles([v.profile_path for v in beds.vendors], beds.url_map, workdir / "reports", keyword=KEYWORD)


def _cases(result: RunResult) -> list[dict[str, object]]:
    return [s for s in result.scenarios if s.get("interop") and s["interop"]["kind"] == "disclosure"]


def test_every_case_chains_three_vendors_for_both_suites(result: RunResult) -> None:
    cases = _cases(result)
    assert cases and {s["name"] for s in cases} == {SCENARIO}, result.summary()
    names = {f.vendor_name for f in BEDS}
    for s in cases:
        case = s["interop"]
        assert {case["issuer"], case["holder"], case["verifier"]} == names, describe(s)
    # each vendor verifies both suites for each of the two others as issuer
    assert len(cases) == len(BEDS) * (len(BEDS) - 1) * len(SUITES), result.summary()
    assert {s["interop"]["securing"] for s in cases} == SUITES


def test_a_case_fails_exactly_when_the_faulty_verifier_or_holder_takes_part(result: RunResult) -> None:
    for s in _cases(result):
        case = s["interop"]
        faulty = case["verifier"] == VERIFIER_REFUSES.vendor_name or case["holder"] == HOLDER_ALTERS.vendor_name
        assert s["status"] == ("failed" if faulty else "passed"), describe(s)
        assert s["requirement_ids"] == ["LCS-03"]
    assert result.exit_code == 1


def test_each_fault_is_named_for_its_own_reason(result: RunResult) -> None:
    for s in _cases(result):
        case = s["interop"]
        if case["holder"] == HOLDER_ALTERS.vendor_name:  # blamed on the holder, before any verifier is asked
            assert HOLDER_ALTERS.because in str(s["reason"]) and HOLDER_ALTERS.vendor_name in str(s["reason"]), describe(s)
            assert VERIFIER_REFUSES.because not in str(s["reason"]), describe(s)
        elif case["verifier"] == VERIFIER_REFUSES.vendor_name:
            assert VERIFIER_REFUSES.because in str(s["reason"]), describe(s)
            assert "not supported" in str(s["reason"]), describe(s)


def test_the_clean_vendor_is_never_blamed(result: RunResult) -> None:
    clean_only = [s for s in _cases(result) if s["interop"]["verifier"] == CLEAN.vendor_name
                  and s["interop"]["holder"] != HOLDER_ALTERS.vendor_name]
    assert clean_only and all(s["status"] == "passed" for s in clean_only), "\n".join(map(describe, clean_only))
