"""The ``ecosystems`` section of a vendor profile: which ecosystem profiles the vendor claims.

```yaml
ecosystems:
  lmc: [vcalm-eddsa]     # the Learning Mobility Collaborative's VCALM EdDSA profile (lerconf/data/ecosystems/lmc.yaml)
```

A claimed ecosystem profile adds its own scenarios (features/ecosystems/), judged only for this
vendor and reported in their own rows ("conforms to LMC vcalm-eddsa 0.1"), never as specification
conformance. A profile covers some roles (``roles`` in its file): claiming it without one of
those sections is an error, since none of its scenarios could run.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lerconf.ecosystems import EcosystemProfile, all_ecosystems
from lerconf.errors import ProfileError

__all__ = ["not_claimed", "parse_ecosystems"]


def parse_ecosystems(raw: Any, present_sections: set[str], fail: Callable[[str, str], ProfileError]
                     ) -> tuple[EcosystemProfile, ...]:
    """The claimed ecosystem profiles; unknown names, unimplemented profiles and claims none of whose
    roles the vendor profile describes are errors naming what and where."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise fail("ecosystems", f"must be a mapping of ecosystem -> [profile, ...], got {type(raw).__name__}")
    known = all_ecosystems()
    claimed: list[EcosystemProfile] = []
    for name, profiles in raw.items():
        where = f"ecosystems.{name}"
        if name not in known:
            raise fail(where, f"unknown ecosystem {name!r}; lerconf ships: {', '.join(sorted(known)) or 'none'}")
        if not isinstance(profiles, list) or not profiles or not all(isinstance(p, str) for p in profiles):
            raise fail(where, f"must be a non-empty list of profile names, some of: {', '.join(known[name])}")
        for profile_name in profiles:
            profile = known[name].get(profile_name)
            if profile is None:
                raise fail(where, f"unknown profile {profile_name!r} of {name}; it has: {', '.join(known[name])}")
            if not profile.implemented:
                implemented = [p for p, v in known[name].items() if v.implemented]
                raise fail(where, f"lerconf does not implement {profile.label} yet (read from {profile.url}); "
                                  f"claimable: {', '.join(implemented) or 'none'}")
            if not present_sections & set(profile.roles):
                raise fail(where, f"{profile.label} covers the roles {', '.join(profile.roles)}, and this profile "
                                  "describes none of them: add one of those sections or drop the claim")
            claimed.append(profile)
    return tuple(dict.fromkeys(claimed))


def not_claimed(claimed: tuple[EcosystemProfile, ...], vendor: str, scenario_profile: EcosystemProfile) -> str | None:
    """Why an ecosystem scenario does not run for this vendor, or None when the vendor claims it."""
    if any(p.tag == scenario_profile.tag for p in claimed):
        return None
    return f"{vendor} does not claim the ecosystem profile {scenario_profile.label} (ecosystems: in its profile)"
