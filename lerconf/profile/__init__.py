"""Vendor profiles: one YAML file per vendor (``load``), one module per role section, and the
claims a scenario's needs are weighed against (``claims``)."""
