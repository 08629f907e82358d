"""Step definitions: one line each into the lerconf package (lerconf.scenarios.vcapi, lerconf.scenarios.expect)."""
