"""The staged verification engine behind `lerconf verify`, every scenario and the reference
verifier: Data Integrity proofs, JOSE/COSE-secured and enveloped documents, di_vp key proofs."""
