"""Ecosystem profiles shipped with lerconf (``lerconf/data/ecosystems/*.yaml``).

An LER community narrows the specifications in a profile of its own (the Learning Mobility
Collaborative's ``vcalm-eddsa``, …). A vendor profile claims one (``ecosystems: {lmc: [vcalm-eddsa]}``);
the ecosystem's scenarios then run for it and their results are labelled "conforms to <ecosystem>
<profile>", reported in their own rows, never counted as specification conformance. This module
reads the shipped files once: their requirements join lerconf's registry (lerconf.requirements)
and their names are what a claim is checked against.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["ECOSYSTEM_PROPERTY", "EcosystemProfile", "EcosystemRule", "all_ecosystems", "ecosystem_label",
           "ecosystem_tag", "find_profile", "profile_for_tag"]

#: the user property a scenario of an ecosystem profile carries; results.json's ``ecosystem``
ECOSYSTEM_PROPERTY = "ecosystem"


@dataclass(frozen=True)
class EcosystemRule:
    """One requirement of an ecosystem profile, citing the profile's section it comes from."""

    id: str
    role: str
    strength: str
    text: str
    section: str
    url: str
    title: str = ""


@dataclass(frozen=True)
class EcosystemProfile:
    """One profile of an ecosystem (e.g. LMC ``vcalm-eddsa`` 0.1) as lerconf implements it."""

    ecosystem: str
    ecosystem_title: str
    name: str
    title: str
    profile_id: str
    version: str
    status: str
    updated: str
    url: str
    source: str
    roles: tuple[str, ...]
    implemented: bool
    rules: tuple[EcosystemRule, ...]

    @property
    def label(self) -> str:
        """How results name it: "LMC vcalm-eddsa 0.1"."""
        return ecosystem_label(self.ecosystem, self.name, self.version)

    @property
    def tag(self) -> str:
        """The feature-file tag of its scenarios: ``lmc-vcalm-eddsa``."""
        return ecosystem_tag(self.ecosystem, self.name)


def ecosystem_label(ecosystem: str, profile: str, version: str) -> str:
    return f"{ecosystem.upper()} {profile} {version}"


def ecosystem_tag(ecosystem: str, profile: str) -> str:
    return f"{ecosystem}-{profile}"


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"ecosystem file: {where} must be a non-empty string")
    return raw.strip()


def _profile(ecosystem: str, title: str, name: str, raw: Any) -> EcosystemProfile:
    where = f"{ecosystem}.profiles.{name}"
    if not isinstance(raw, dict):
        raise ValueError(f"ecosystem file: {where} must be a mapping")
    url = _text(raw.get("url"), f"{where}.url")
    rules = []
    for rid, rule in (raw.get("requirements") or {}).items():
        at = f"{where}.requirements.{rid}"
        if not isinstance(rule, dict) or not str(rid).startswith(_text(raw.get("prefix"), f"{where}.prefix") + "-"):
            raise ValueError(f"ecosystem file: {at} must be a mapping under the profile's prefix")
        anchor = rule.get("anchor")
        rules.append(EcosystemRule(str(rid), _text(rule.get("role"), f"{at}.role"), _text(rule.get("strength"), f"{at}.strength"),
                                   _text(rule.get("text"), f"{at}.text"), _text(rule.get("section"), f"{at}.section"),
                                   f"{url}#{anchor}" if isinstance(anchor, str) and anchor else url,
                                   _text(rule.get("title"), f"{at}.title")))
    return EcosystemProfile(ecosystem, title, name, _text(raw.get("title"), f"{where}.title"),
                            _text(raw.get("profile_id"), f"{where}.profile_id"), _text(raw.get("version"), f"{where}.version"),
                            _text(raw.get("status"), f"{where}.status"), _text(raw.get("updated"), f"{where}.updated"), url,
                            _text(raw.get("source"), f"{where}.source"), tuple(raw.get("roles") or ()),
                            bool(raw.get("implemented", True)), tuple(rules))


#: libyaml's safe loader where PyYAML was built with it: every run and `lerconf verify` reads the shipped
#: files as lerconf is imported, and the pure-Python parser took ~25 ms of that start for 17 kB
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def all_ecosystems() -> dict[str, dict[str, EcosystemProfile]]:
    """ecosystem name -> profile name -> profile, from every shipped file."""
    found: dict[str, dict[str, EcosystemProfile]] = {}
    folder = resources.files("lerconf.data").joinpath("ecosystems")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        raw = yaml.load(entry.read_text("utf-8"), Loader=_SAFE_LOADER)
        name = _text(raw.get("name"), f"{entry.name}: name")
        title = _text(raw.get("title"), f"{entry.name}: title")
        found[name] = {p: _profile(name, title, p, body) for p, body in (raw.get("profiles") or {}).items()}
    return found


def find_profile(ecosystem: str, profile: str) -> EcosystemProfile | None:
    return all_ecosystems().get(ecosystem, {}).get(profile)


def profile_for_tag(tags: set[str] | frozenset[str] | list[str]) -> EcosystemProfile | None:
    """The ecosystem profile a scenario belongs to, by its tag (``@lmc-vcalm-eddsa``), or None."""
    for profiles in all_ecosystems().values():
        for p in profiles.values():
            if p.tag in tags:
                return p
    return None
