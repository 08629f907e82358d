"""The package docstring's route table is the host's real route table (one implementation, two APIs)."""
from __future__ import annotations

import pytest

from lerconf.refimpl import obhost
from lerconf.refimpl.obhost import CLR, OB, routes_for


@pytest.mark.parametrize("api", [OB, CLR])
def test_every_route_is_in_the_docstring_table(api: obhost.Api) -> None:
    doc = obhost.__doc__ or ""
    routes = [r for r in routes_for(api) if "{rest:path}" not in r.path and r.path != api.base]
    assert len(routes) == 11
    for route in routes:
        for method in sorted((route.methods or set()) - {"HEAD"}):
            row = f"{method:<4} {route.path.replace(api.base, '<base>', 1)}"
            assert row in doc, row


def test_both_apis_are_served_from_the_same_handlers_not_copies() -> None:
    ob_paths = {r.path.replace(OB.base, "") for r in routes_for(OB)}
    clr_paths = {r.path.replace(CLR.base, "") for r in routes_for(CLR)}
    assert ob_paths == clr_paths and {r.path for r in obhost.ROUTES} == {r.path for r in routes_for(OB) + routes_for(CLR)}
