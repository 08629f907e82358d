"""The fixed tag vocabulary of feature files, and what each tag means to the harness."""
from __future__ import annotations

import re
from pathlib import Path

from lerconf.ecosystems import all_ecosystems
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
    "artefacts": "interop with what an issuer delivered as files (issuer.artefacts) instead of a live endpoint",
    "attested": "judged by what an operator reported a person saw (attested evidence), never by lerconf's own observation",
    "isolation": "needs a wallet adapter that keeps each scenario apart (wallet.isolation: scenario)",
    **{s: f"normative strength {s}" for s in STRENGTHS},
    **{p.tag: f"ecosystem profile: {p.label} ({p.url})" for ps in all_ecosystems().values() for p in ps.values()},
}


def is_requirement(tag: str) -> bool:
    return tag in all_requirements()


def classify(tag: str) -> str:
    """'requirement', 'known' or 'unknown' (unknown tags fail the run: drift is a bug)."""
    if is_requirement(tag):
        return "requirement"
    return "known" if tag in VOCABULARY else "unknown"


# -- --tags: an expression over the tags feature files use ------------------------------------------------
#: what pytest's -m grammar takes as a name (_pytest.mark.expression), and its operators
_NAME = re.compile(r"(?:\w|:|\+|-|\.|\[|\]|\\|/)+")
_OPERATORS = frozenset({"and", "or", "not"})


def feature_tags(features: Path) -> set[str]:
    """The tags the feature files under ``features`` use that --tags can select (requirement ids are
    not among them: a requirement tag becomes a ``req`` mark, not a marker of its own)."""
    found: set[str] = set()
    for path in features.rglob("*.feature"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("@"):
                found.update(word[1:] for word in stripped.split() if word.startswith("@") and len(word) > 1)
    return {t for t in found if classify(t) == "known"}


def expression_names(expression: str) -> list[str]:
    """The tag names a --tags (pytest -m) expression refers to, in order, without its operators and
    without the keyword arguments of ``name(key=value)``."""
    names: list[str] = []
    position = 0
    while (match := _NAME.search(expression, position)) is not None:
        position = match.end()
        if match.group() not in _OPERATORS:
            names.append(match.group())
            if expression[position:].lstrip().startswith("("):  # name(key=value, ...): skip the arguments
                close = expression.find(")", position)
                position = len(expression) if close < 0 else close + 1
    return names


def unknown_tags(expression: str, valid: set[str]) -> list[str]:
    """The names in ``expression`` that are no tag of the feature files."""
    return [n for n in dict.fromkeys(expression_names(expression)) if n not in valid]
