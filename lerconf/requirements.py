"""The requirement registry: id -> sentence, strength, section and spec URL.

Generated from the shared requirements extract by tools/gen_requirements.py; checks,
features and reports all key on these ids.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lerconf.ecosystems import all_ecosystems
from lerconf.results import Severity


@dataclass(frozen=True)
class Requirement:
    id: str
    role: str
    text: str
    section: str
    title: str
    strength: Severity
    spec_url: str
    #: where the rule comes from when it is not the linked final text: an errata draft, or lerconf's own
    #: recommendation (shown next to the strength, so nobody takes it for normative text of the final spec)
    source: str = ""


@lru_cache(maxsize=1)
def all_requirements() -> dict[str, Requirement]:
    raw = json.loads(resources.files("lerconf.data").joinpath("requirements.json").read_text("utf-8"))
    reqs = {
        rid: Requirement(
            id=rid,
            role=r["role"],
            text=r["text"],
            section=r["section"],
            title=r["title"],
            strength=Severity(r["strength"]),
            spec_url=r["spec_url"],
            source=r.get("source", ""),
        )
        for rid, r in raw.items()
    }
    for profiles in all_ecosystems().values():  # an ecosystem profile's own rules (lerconf/data/ecosystems)
        for p in profiles.values():
            for rule in p.rules:
                if rule.id in reqs:
                    raise ValueError(f"ecosystem requirement {rule.id} ({p.label}) repeats an id of the registry")
                reqs[rule.id] = Requirement(id=rule.id, role=rule.role, text=rule.text, section=rule.section,
                                            title=rule.title, strength=Severity(rule.strength),
                                            spec_url=rule.url, source=f"{p.label} ({p.status}, {p.updated}), not a specification")
    return reqs


def requirement(rid: str) -> Requirement:
    """Look up one requirement; an unknown id is a programming error, not vendor behaviour."""
    try:
        return all_requirements()[rid]
    except KeyError:
        raise KeyError(f"unknown requirement id {rid!r}") from None
