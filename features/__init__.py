"""The feature files (one folder per role), shipped inside the wheel as ``lerconf.features``."""
