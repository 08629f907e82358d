"""Feature runs load the lerconf plugin and the step definitions: one step module per feature
folder (issuer/ verifier/ holder/ interop/ lifecycle/ oid4vci/ oid4vp/ wallet/ ob_provider/ ob_consumer/ vcalm/), plus the VC API
steps those folders share."""
pytest_plugins = ["lerconf.run.plugin", "lerconf.steps.vcapi", "lerconf.steps.issuer", "lerconf.steps.verifier",
                  "lerconf.steps.holder", "lerconf.steps.interop", "lerconf.steps.lifecycle",
                  "lerconf.steps.oid4vci", "lerconf.steps.oid4vp", "lerconf.steps.wallet",
                  "lerconf.steps.ob_provider", "lerconf.steps.ob_consumer",
                  "lerconf.steps.ob_lifecycle", "lerconf.steps.selective", "lerconf.steps.artefacts",
                  "lerconf.steps.vcalm", "lerconf.steps.vcalm_wallet", "lerconf.steps.ecosystem",
                  "lerconf.steps.displayer"]
