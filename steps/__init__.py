"""Step definitions: one line each into the lerconf package (lerconf.flows, lerconf.evidence)."""
