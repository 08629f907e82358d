"""Clients for vendor endpoints: one classified, bounded, redacted exchange per call (``http``),
one module per protocol (VC API, OID4VCI, OID4VP, the wallet adapter, the manual wallet mode)."""
