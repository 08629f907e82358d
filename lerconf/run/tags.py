"""The fixed tag vocabulary of feature files, and what each tag means to the harness."""
from __future__ import annotations

from lerconf.requirements import all_requirements
from lerconf.roles import SCENARIO_ROLES

PROTOCOLS = ("vcapi", "oid4vci", "oid4vp")
FORMATS = ("ob30", "clr20", "vcdm11", "vcdm2")
SPECS = ("vcdm", "di", "eddsa", "ecdsa", "bsl", "cid", "jose", "obv3", "clr")
KINDS = ("NEG", "mutates_state")
STRENGTHS = ("MUST", "SHOULD", "MAY")

VOCABULARY: dict[str, str] = {
    **{r: f"role under test: {r}" for r in SCENARIO_ROLES},
    **{p: f"protocol: {p}" for p in PROTOCOLS},
    **{f: f"credential format: {f}" for f in FORMATS},
    **{s: f"specification: {s}" for s in SPECS},
    "NEG": "negative test: the vendor must refuse",
    "mutates_state": "changes vendor state (issues with status, revokes); skipped with --read-only",
    **{s: f"normative strength {s}" for s in STRENGTHS},
}


def is_requirement(tag: str) -> bool:
    return tag in all_requirements()


def classify(tag: str) -> str:
    """'requirement', 'known' or 'unknown' (unknown tags fail the run: drift is a bug)."""
    if is_requirement(tag):
        return "requirement"
    return "known" if tag in VOCABULARY else "unknown"
