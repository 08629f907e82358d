"""OpenID for Verifiable Credential Issuance 1.0, wallet side: lerconf testing an issuer.

* ``profile``  the ``oid4vci_issuer`` section of a vendor profile
* ``client``   metadata, offers, token, nonce and credential calls over VendorClient
* ``proof``    ``openid4vci-proof+jwt`` key proofs: make (wallet) and validate (reference issuer)
* ``di_vp``    ``di_vp`` key proofs (Data Integrity presentations): make and validate
* ``flows``    the scenarios' flows, one line per step (pre-authorized code; draft-13 mode)
* ``issuance`` the authorization code grant with PKCE, deferred issuance, di_vp issuance
"""
from __future__ import annotations

from lerconf.oid4vc.client import Answer, Metadata, Offer, Oid4vciClient, well_known_url
from lerconf.oid4vc.profile import Oid4vciIssuer
from lerconf.oid4vc.proof import HolderKey, make_key_proof, validate_key_proof

__all__ = ["Answer", "HolderKey", "Metadata", "Offer", "Oid4vciClient", "Oid4vciIssuer", "make_key_proof",
           "validate_key_proof", "well_known_url"]
