"""A conformance run: the pytest plugin, tags, the runner, the command line."""
