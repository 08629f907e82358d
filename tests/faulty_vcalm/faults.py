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


@dataclass(frozen=True)
class ExchangeFault:
    name: str
    rules: dict[str, Any]
    detected_by: frozenset[str] = field(default_factory=frozenset)
    requirements: frozenset[str] = field(default_factory=frozenset)
    because: tuple[str, ...] = ()

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
)
BY_NAME = {f.name: f for f in (CLEAN, *FAULTS)}
