"""The catalogue: each fault relaxes one rule of the reference issuer (lerconf.refimpl.oid4vci.Rules),
names the scenarios that must catch it, the requirement ids they carry and a phrase of the reason."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STALE = "The issuer refuses a defective credential request with the defined error ({})"
PROOF = "The issuer refuses a key proof that fails validation ({})"
TX = "The token endpoint refuses a misused transaction code with the defined error ({})"
TOKEN = "The credential endpoint refuses a request without a valid access token ({})"
BOUND = "The issued badge verifies and is bound to the wallet key that proved possession ({})"


@dataclass(frozen=True)
class IssuerFault:
    name: str
    rules: dict[str, Any] = field(default_factory=dict)
    detected_by: frozenset[str] = frozenset()
    requirements: tuple[str, ...] = ()
    because: str = ""

    @property
    def vendor_name(self) -> str:
        return f"faulty OID4VCI issuer: {self.name}"

    def __str__(self) -> str:
        return self.name


CLEAN = IssuerFault("clean")

FAULTS = [
    IssuerFault("accepts-an-expired-nonce", {"nonce_expires": False},
                frozenset({STALE.format("an expired nonce")}), ("VCI-15",), "was accepted"),
    IssuerFault("accepts-a-replayed-nonce", {"nonce_single_use": False},
                frozenset({STALE.format("a replayed nonce")}), ("VCI-15",), "a replayed nonce was accepted"),
    IssuerFault("ignores-proof-audience", {"check_audience": False},
                frozenset({PROOF.format("the wrong audience")}), ("VCI-16",), "the wrong audience was accepted"),
    IssuerFault("ignores-proof-signature", {"check_signature": False},
                frozenset({PROOF.format("a signature that does not verify")}), ("VCI-16",),
                "a signature that does not verify was accepted"),
    IssuerFault("reuses-pre-authorized-codes", {"codes_single_use": False},
                frozenset({"A pre-authorized code MUST NOT be redeemed twice"}), ("VCI-07",),
                "second redemption of the pre-authorized code was accepted"),
    IssuerFault("ignores-tx-code", {"check_tx_code": False},
                frozenset({TX.format("a wrong tx_code"), TX.format("no tx_code"), TX.format("an unsolicited tx_code")}),
                ("VCI-09",), "the token request was accepted"),
    IssuerFault("metadata-at-draft-path-only", {"metadata_at_final_path": False, "metadata_at_draft_path": True},
                frozenset({("Issuer metadata is retrievable at /.well-known/openid-credential-issuer inserted "
                            "between host and path of the issuer identifier")}), ("VCI-01",), "found only at the draft-13 path"),
    IssuerFault("credential-not-bound-to-key", {"bind_to_proof_key": False},
                frozenset({BOUND.format("ldp_vc"), BOUND.format("jwt_vc_json")}), ("VCI-18",),
                "does not name the proven key"),
    IssuerFault("nonce-cacheable", {"nonce_no_store": False},
                frozenset({"The nonce endpoint answers an unauthenticated POST with a fresh, uncacheable c_nonce"}),
                ("VCI-11",), "Cache-Control: no-store"),
    IssuerFault("access-token-not-required", {"require_access_token": False},
                frozenset({TOKEN.format("no access token"), TOKEN.format("an access token the issuer never issued")}),
                ("VCI-12",), "was accepted"),
]
