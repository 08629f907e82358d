"""BBS signatures (IRTF CFRG draft-irtf-cfrg-bbs-signatures, ciphersuite BLS12-381-SHAKE-256), the
scheme bbs-2023 signs with. lerconf code over a native BLS12-381 library (py-arkworks-bls12381):
the pairing and curve arithmetic are the library's, the scheme's hashing and algebra are here."""
