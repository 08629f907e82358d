"""JOSE/JWT and COSE securing of credentials: the three JWT encodings, compact JWS and COSE_Sign1
parsing, signing, enveloped ``data:`` URLs and key resolution. Verifying a secured document is the
verify layer's job (``lerconf.verify.jose``)."""
