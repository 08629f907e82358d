"""OID4VCI / OID4VP message formats lerconf builds and reads: key proofs, DCQL, presentation
exchange, VP responses, x509 client identifiers, OID4VCI answers. Pure data, no HTTP."""
