"""Feature runs load the lerconf plugin and the step definitions (one step module per feature folder)."""
pytest_plugins = ["lerconf.run.plugin", "lerconf.steps.given", "lerconf.steps.when", "lerconf.steps.then",
                  "lerconf.steps.oid4vp", "lerconf.steps.oid4vci", "lerconf.steps.wallet"]
