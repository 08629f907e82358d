"""Feature runs load the lerconf plugin and the step definitions."""
pytest_plugins = ["lerconf.plugin", "steps.given", "steps.when", "steps.then", "steps.oid4vp", "steps.oid4vci", "steps.wallet"]
