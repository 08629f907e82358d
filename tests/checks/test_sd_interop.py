"""LCS-03, the holder's part of an interop disclosure case: a broken disclosure fails on the holder, named."""
from __future__ import annotations

from lerconf.checks.sd_interop import holder_disclosure_verifies
from lerconf.results import Status


def test_a_broken_disclosure_fails_naming_the_holder_and_a_sound_one_passes() -> None:
    broken = holder_disclosure_verifies("lerconf's verifier refuses the disclosure: PROOF_VERIFICATION_ERROR", "Acme")
    assert broken.status is Status.FAILED and broken.requirement == "LCS-03"
    assert "Acme's holder derived is broken" in broken.message and "the verifier was not asked" in broken.message
    sound = holder_disclosure_verifies(None, "Acme")
    assert sound.status is Status.PASSED and sound.requirement == "LCS-03"
