"""Data Integrity proofs: create them (``create``), with each cryptosuite's transformation and
hashing (``suites``, ``transform``). Verifying them is the verify layer's job (``lerconf.verify.di_proof``)."""
