"""Badges disclosed in part (ecdsa-sd-2023, bbs-2023) for a vendor's verifier (issue 18): lerconf issues
an OB 3.0 badge with a base proof, derives a disclosure as a holder would, and hands the verifier either
that or one broken in a named way. The mandatory statements keep the disclosed badge a valid OB 3.0
credential (id, issuer, dates, name, schema, the achievement); the credential's description is the part
left out."""
from __future__ import annotations

import copy
from typing import Any

from lerconf import entropy
from lerconf.crypto.di.sd_suites import selective_suite
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.evidence import Evidence
from lerconf.scenarios.harness import Harness
from lerconf.scenarios.vcapi import HOLDER_SUBJECT, Badge

__all__ = ["MANDATORY", "SELECTIVE", "SUITE", "VARIANTS", "base_proof_badge", "selective_badge"]

#: the suite of the ecdsa-sd-2023 rows (the default); bbs-2023 rows name theirs
SUITE = "ecdsa-sd-2023"
#: what every disclosure must show (the issuer's choice): enough for a valid OB 3.0 AchievementCredential
MANDATORY = ("/id", "/issuer", "/validFrom", "/name", "/credentialSchema", "/credentialSubject/type",
             "/credentialSubject/achievement")
#: what the holder chooses to show besides
SELECTIVE = ("/credentialSubject/id",)
#: the part a disclosure leaves out
WITHHELD = "Completed the 40-hour practical assessment with distinction."
VARIANTS = ("a valid disclosure", "the base proof itself", "a disclosed value altered",
            "a statement added that the proof does not cover", "a mandatory statement left out")
#: the mandatory statement the last variant leaves out: one OB 3.0 does not require, so only the proof can tell
LEFT_OUT = "credentialSchema"
PROOF_ERRORS = frozenset({"PROOF_VERIFICATION_ERROR"})


def base_proof_badge(harness: Harness, mandatory: tuple[str, ...] = MANDATORY, suite: str = SUITE) -> dict[str, Any]:
    """An OB 3.0 badge with lerconf's base proof of ``suite`` over ``mandatory`` (cached per suite and pointers)."""
    key = (suite, "2.0", None, False, "base " + " ".join(mandatory))
    if key not in harness.memo.signed:
        signer = harness.signer(suite)
        credential = ob3_achievement_credential(signer.controller, HOLDER_SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}")
        credential["description"] = WITHHELD
        harness.memo.signed[key] = selective_suite(suite).create_base_proof(
            credential, signer.key, signer.verification_method, mandatory, harness.engine.processor)
    return copy.deepcopy(harness.memo.signed[key])


def selective_badge(harness: Harness, evidence: Evidence, variant: str, suite: str = SUITE) -> Badge:
    """The badge the scenario hands the verifier: a valid disclosure, or one broken in the named way."""
    if variant not in VARIANTS:
        raise KeyError(f"no selective-disclosure variant {variant!r}; known: {', '.join(VARIANTS)}")
    base = base_proof_badge(harness, suite=suite)
    disclosed = selective_suite(suite).derive(base, SELECTIVE, harness.engine.processor)
    evidence.keep(f"badge disclosed in part ({suite} derived proof)", disclosed)
    if variant == "a valid disclosure":
        return Badge(disclosed, suite, "2.0")
    if variant == "the base proof itself":
        defective = base
    elif variant == "a disclosed value altered":
        defective = copy.deepcopy(disclosed)
        defective["credentialSubject"]["id"] = "did:example:someone-else"
    elif variant == "a mandatory statement left out":
        defective = copy.deepcopy(disclosed)
        del defective[LEFT_OUT]  # the issuer made it mandatory: the derived proof's mandatory part no longer matches
    else:
        defective = copy.deepcopy(disclosed)
        defective["description"] = WITHHELD  # shown although the derived proof signs no such statement
    evidence.inject(f"{variant} ({suite})", disclosed, defective, PROOF_ERRORS, kind="credential")
    return Badge(defective, suite, "2.0", mutator=variant)
