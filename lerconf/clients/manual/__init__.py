"""Manual wallet mode: a person with the wallet plays the adapter's operations from an
operator page (``driver``, ``page``, ``session``)."""
