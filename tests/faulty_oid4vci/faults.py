"""The catalogue: each fault relaxes one rule of the reference issuer (lerconf.refimpl.oid4vci.Rules),
names the scenarios that must catch it, the requirement ids they carry and a phrase of the reason.

``keyword`` scopes a fault's run (``lerconf run -k``) to the scenarios its rule can reach, to keep
the test bed fast: the rules of the authorization code grant, deferred issuance and di_vp proofs
act only in those flows (NEW), the older rules only in the pre-authorized flows (EXISTING); a rule
both reach (the proof audience) runs everything, as does the clean control. The beds of one scope
share one run (tests/e2e/test_faulty_oid4vci.py). ``claims`` overrides the profile's claims (the
draft-13 run), ``options`` its options."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STALE = "The issuer refuses a defective credential request with the defined error ({})"
PROOF = "The issuer refuses a key proof that fails validation ({})"
TX = "The token endpoint refuses a misused transaction code with the defined error ({})"
TOKEN = "The credential endpoint refuses a request without a valid access token ({})"
BOUND = "The issued badge verifies and is bound to the wallet key that proved possession ({})"
CODE = "The token endpoint refuses a misused authorization code with the defined error ({})"
DI_VP = "The issuer refuses a di_vp key proof that fails validation ({})"
#: pytest -k over the scenario test names: the authorization code, deferred and di_vp scenarios
NEW = "authorization_code or deferred or di_vp or data_integrity"
EXISTING = f"not ({NEW})"


@dataclass(frozen=True)
class IssuerFault:
    name: str
    rules: dict[str, Any] = field(default_factory=dict)
    detected_by: frozenset[str] = frozenset()
    requirements: tuple[str, ...] = ()
    because: str = ""
    keyword: str | None = EXISTING
    claims: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def vendor_name(self) -> str:
        return f"faulty OID4VCI issuer: {self.name}"

    def __str__(self) -> str:
        return self.name


CLEAN = IssuerFault("clean", keyword=None)

FAULTS = [
    IssuerFault("accepts-an-expired-nonce", {"nonce_expires": False},
                frozenset({STALE.format("an expired nonce")}), ("VCI-15",), "was accepted"),
    # lerconf's own SHOULD (LCI-01): not a MUST of OID4VCI 1.0 (§13.8), so the run still exits 0
    IssuerFault("accepts-a-replayed-nonce", {"nonce_single_use": False},
                frozenset({"The issuer refuses a key proof whose c_nonce it already accepted (lerconf's recommendation)"}),
                ("LCI-01",), "a key proof replayed with a c_nonce already used was accepted"),
    # VCI-10 is a SHOULD (from the errata draft): caught as a SHOULD failure, the run still exits 0
    IssuerFault("unlimited-tx-code-guesses", {"max_tx_code_attempts": 1000},
                frozenset({"Repeated wrong transaction codes invalidate the pre-authorized code"}), ("VCI-10",),
                "the right tx_code after 5 wrong ones was accepted"),
    IssuerFault("ignores-proof-audience", {"check_audience": False},  # jwt aud and di_vp domain alike
                frozenset({PROOF.format("the wrong audience"), DI_VP.format("the wrong domain")}), ("VCI-16", "VCI-17"),
                "the wrong audience was accepted", keyword=None),
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
    IssuerFault("accepts-a-wrong-code-verifier", {"check_code_verifier": False},
                frozenset({CODE.format("a wrong code_verifier"), CODE.format("no code_verifier")}), ("VCI-09",),
                "the token request was accepted", keyword=NEW),
    IssuerFault("reuses-authorization-codes", {"auth_codes_single_use": False},
                frozenset({CODE.format("the authorization code a second time")}), ("VCI-09",),
                "the token request was accepted (HTTP 200)", keyword=NEW),
    IssuerFault("ignores-redirect-uri", {"check_redirect_uri": False},
                frozenset({CODE.format("a different redirect_uri")}), ("VCI-09",),
                "accepted (HTTP 200); it must be refused with invalid_grant", keyword=NEW),
    IssuerFault("ignores-di-vp-challenge", {"check_di_vp_challenge": False},
                frozenset({DI_VP.format("the wrong challenge")}), ("VCI-17",),
                "the wrong challenge was accepted", keyword=NEW),
    IssuerFault("serves-unknown-transaction-id", {"check_transaction_id": False},
                frozenset({"The deferred credential endpoint refuses an unknown transaction_id with invalid_transaction_id"}),
                ("VCI-14",), "unknown transaction_id was accepted", keyword=NEW),
]

#: not a fault: an issuer that bounds key-proof age by its c_nonce only (OID4VCI 1.0 App. F.4, §13.8
#: allow it); VCI-16's "an iat an hour old" must pass, not fail (issue 13: a false failure before)
NONCE_BOUNDED_AGE = IssuerFault("proof-age-bounded-by-nonce", {"proof_max_age_s": 10 * 24 * 3600.0})

#: over-strict, not a fault of the catalogue: answers invalid_proof to every credential request (the
#: negative key-proof scenarios cannot be judged on it, the positive ones fail)
REFUSES_EVERY_PROOF = IssuerFault("refuses-every-proof", {"refuse_all_proofs": True}, keyword=None)

#: deferred issuance that never completes, judged by a profile whose lerconf waits 1.5 s for it
#: (the scenarios of deferred issuance are broken: no usable answer in time)
NEVER_READY = IssuerFault("never-ready", {"deferred_ready_after_s": 3600.0}, keyword=NEW,
                          options={"deferred_timeout_s": 1.5})

#: not a fault: the reference in draft-13 mode, tested by a profile that claims only draft 13
DRAFT13 = IssuerFault("draft-13 issuer", {"draft13": True}, keyword=None, claims={"spec_versions": ["draft13"]})
