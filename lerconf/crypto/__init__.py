"""Keys, encodings, DIDs, signers, status-list bits, Data Integrity and JOSE/COSE: pure
functions, no vendor clients."""
