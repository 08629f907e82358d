"""Feature runs load the lerconf plugin and the step definitions: one step module per feature
folder (issuer/ verifier/ holder/ interop/ lifecycle/ oid4vci/ oid4vp/ wallet/ ob_provider/ ob_consumer/ vcalm/), plus the VC API
steps those folders share."""
from __future__ import annotations

from typing import Any

#: registered by pytest_addhooks below, not through ``pytest_plugins``: pytest first looks each
#: ``pytest_plugins`` name up among the entry points of every installed package (a scan of all their
#: metadata, once per name: 19 per run, in every run lerconf makes), which these modules never need
PLUGINS = ("lerconf.run.plugin", "lerconf.steps.vcapi", "lerconf.steps.issuer", "lerconf.steps.verifier",
           "lerconf.steps.holder", "lerconf.steps.interop", "lerconf.steps.lifecycle",
           "lerconf.steps.oid4vci", "lerconf.steps.oid4vp", "lerconf.steps.wallet",
           "lerconf.steps.ob_provider", "lerconf.steps.ob_consumer",
           "lerconf.steps.ob_lifecycle", "lerconf.steps.selective", "lerconf.steps.artefacts",
           "lerconf.steps.vcalm", "lerconf.steps.vcalm_wallet", "lerconf.steps.ecosystem",
           "lerconf.steps.displayer")


def pytest_addhooks(pluginmanager: Any) -> None:
    """Called as this conftest is registered (before options are parsed, as ``pytest_plugins`` would be)."""
    for name in PLUGINS:
        pluginmanager.import_plugin(name)
