"""The catalogue: each fault relaxes one rule of the reference exchange (lerconf.refimpl.exchanges.Rules),
names the scenarios that must catch it, and phrases one of which each caught scenario's reason holds."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NEGATIVE = "The issuer refuses a DID authentication signed with {defect}"
WRONG_CHALLENGE = NEGATIVE.format(defect="a challenge it did not ask for")
WRONG_DOMAIN = NEGATIVE.format(defect="a domain it did not ask for")
WRONG_KEY = NEGATIVE.format(defect="a key the holder DID does not control")
ASKS_DID_AUTH = "The issuer asks the wallet to prove its DID, with a challenge and a domain"
BOUND = "The badge the issuer hands out verifies and belongs to the DID the wallet proved"
PROBLEMS = "The issuer's exchange explains an error as a problem detail"
READ_ONLY = "Reading the issuer's current request does not move the exchange on"
EXPIRED = "The verifier refuses an expired badge"
#: every scenario of features/vcalm where lerconf plays the wallet, per role (the specification's rows)
SPEC_ROWS = {"vcalm_issuer": 12, "vcalm_verifier": 15}


@dataclass(frozen=True)
class ExchangeFault:
    name: str
    rules: dict[str, Any]
    detected_by: frozenset[str] = field(default_factory=frozenset)
    requirements: frozenset[str] = field(default_factory=frozenset)
    because: tuple[str, ...] = ()
    #: served over HTTPS (a CA made at start, named in the profile's tls.ca_file), not plain HTTP
    tls: bool = False
    #: the profile claims the LMC vcalm-eddsa ecosystem profile (tests/e2e/test_faulty_lmc.py)
    claims_lmc: bool = False
    #: the bed's verifier reuses a status list lerconf serves ``no-cache`` (its probe lists) once fetched
    reuses_no_cache_lists: bool = False
    #: the role whose scenarios judge the fault
    role: str = "vcalm_issuer"

    @property
    def vendor_name(self) -> str:
        return f"faulty exchange: {self.name}"

    def __str__(self) -> str:
        return self.name


CLEAN = ExchangeFault("clean", {})
FAULTS = (
    ExchangeFault("issues without DIDAuthentication", {"require_did_authentication": False},
                  frozenset({ASKS_DID_AUTH, WRONG_CHALLENGE, WRONG_DOMAIN, WRONG_KEY}), frozenset({"API-10", "LCX-01"}),
                  ("has no DIDAuthentication query", "accepted a presentation with")),
    ExchangeFault("ignores the challenge", {"check_challenge": False},
                  frozenset({WRONG_CHALLENGE, WRONG_DOMAIN}), frozenset({"LCX-01"}), ("accepted a presentation with",)),
    ExchangeFault("issues to a different DID", {"bind_to_authenticated_did": False},
                  frozenset({BOUND}), frozenset({"LCX-03"}), ("not to did:key:",)),
    ExchangeFault("errors without ProblemDetails", {"problem_details": False},
                  frozenset({PROBLEMS}), frozenset({"API-17"}), ("is not a JSON problem detail",)),
    ExchangeFault("advances state on GET request", {"request_is_read_only": False},
                  frozenset({READ_ONLY}), frozenset({"API-21"}), ("reading the request changed it",)),
    ExchangeFault("verifier accepts an expired badge", {"check_validity_period": False},
                  frozenset({EXPIRED}), frozenset({"LCX-04"}), ("accepted an expired badge",), role="vcalm_verifier"),
)

# Ecosystem faults: each bed conforms to OB 3.0 and VCALM (every features/vcalm scenario passes) and
# breaks one rule of the LMC VCALM EdDSA profile, so only its ecosystem row fails.
LMC_VCDM = "LMC: the issuer hands out a VC Data Model 2.0 OpenBadgeCredential"
LMC_PROOF = "LMC: the badge is signed with eddsa-rdfc-2022 for assertionMethod, dated, by the issuer's key"
LMC_DID = "LMC: the issuer is a did:web or did:key and signs with an Ed25519 Multikey"
LMC_STATUS = "LMC: the badge names a Bitstring Status List of its own issuer"
LMC_TLS = "LMC: the issuer's exchange endpoints use TLS 1.2 or later with a valid certificate"
LMC_STATUS_FETCH = "LMC: the verifier fetches a status list served without caching at every verification"
LMC_CLEAN = ExchangeFault("lmc clean", {}, tls=True, claims_lmc=True)
LMC_FAULTS = (
    ExchangeFault("lmc: AchievementCredential only", {"badge_type": "AchievementCredential"},
                  frozenset({LMC_VCDM}), frozenset({"LMC-VE-01"}), ("without OpenBadgeCredential",), tls=True, claims_lmc=True),
    ExchangeFault("lmc: signs with eddsa-jcs-2022", {"cryptosuite": "eddsa-jcs-2022"},
                  frozenset({LMC_PROOF}), frozenset({"LMC-VE-02"}), ("not DataIntegrityProof/eddsa-rdfc-2022",),
                  tls=True, claims_lmc=True),
    ExchangeFault("lmc: signs with a P-256 key (ecdsa-rdfc-2019)", {"cryptosuite": "ecdsa-rdfc-2019"},
                  frozenset({LMC_PROOF, LMC_DID}), frozenset({"LMC-VE-02", "LMC-VE-03"}),
                  ("not DataIntegrityProof/eddsa-rdfc-2022", "is P-256, not Ed25519"), tls=True, claims_lmc=True),
    ExchangeFault("lmc: no status list", {"with_status": False},
                  frozenset({LMC_STATUS}), frozenset({"LMC-VE-04"}), ("no BitstringStatusListEntry",), tls=True, claims_lmc=True),
    ExchangeFault("lmc: plain HTTP", {}, frozenset({LMC_TLS}), frozenset({"LMC-VE-05"}), ("is plain HTTP: no TLS",),
                  tls=False, claims_lmc=True),
    ExchangeFault("lmc: verifier reuses a no-cache status list", {}, frozenset({LMC_STATUS_FETCH}),
                  frozenset({"LMC-VE-06"}), ("fetched the status list 1 time(s) although it was served with "
                                             "Cache-Control: no-cache",),
                  tls=True, claims_lmc=True, reuses_no_cache_lists=True, role="vcalm_verifier"),
)
BY_NAME = {f.name: f for f in (CLEAN, *FAULTS, LMC_CLEAN, *LMC_FAULTS)}
