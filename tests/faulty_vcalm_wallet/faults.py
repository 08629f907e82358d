"""Each fault relaxes one VCALM rule of the reference wallet (lerconf.refimpl.wallet.store.WalletRules)."""
from __future__ import annotations

from dataclasses import dataclass, field

from lerconf.refimpl.wallet.store import WalletRules


@dataclass(frozen=True)
class WalletExchangeFault:
    name: str
    summary: str
    rules: WalletRules
    requirements: tuple[str, ...]
    detected_by: dict[str, str]                # rendered scenario title -> what its reason must say
    blocked: frozenset[str] = field(default_factory=frozenset)  # scenarios left without their prerequisite
    #: the adapter has the POST /interactions operation (False: an adapter written before it)
    interactions: bool = True

    @property
    def vendor_name(self) -> str:
        return f"faulty vcalm wallet {self.name}"

    def __str__(self) -> str:
        return self.name


PROTOCOLS = "The wallet reads the interaction URL's protocols and takes part where they say"
STARTS = "The wallet starts the exchange and answers what it asks for"
DID_AUTH = ("The wallet proves its DID for authentication, with the exchange's challenge and domain, by a key the DID "
            "controls")
STORED = "The wallet stores the badge the issuing exchange gave it unchanged (issuing exchange)"
PRESENTED = "The wallet presents the badge exactly as the issuing exchange gave it (verifying exchange)"
ONLY = "The wallet presents only the credentials the exchange asks for, not the others it holds (verifying exchange)"
LIFECYCLE = "A badge received through an exchange and then revoked is refused at the wallet's next exchange"
ISSUING, VERIFYING = "(issuing exchange)", "(verifying exchange)"
#: every scenario of the role, as rendered
SCENARIOS = frozenset({*(f"{t} {e}" for t in (PROTOCOLS, STARTS, DID_AUTH) for e in (ISSUING, VERIFYING)),
                       STORED, PRESENTED, ONLY, LIFECYCLE})
#: what needs the badge lerconf's issuing exchange refuses to a wallet whose DID authentication is wrong
NEEDS_THE_BADGE = frozenset({*(f"{t} {VERIFYING}" for t in (PROTOCOLS, STARTS, DID_AUTH)), STORED, PRESENTED, ONLY,
                             LIFECYCLE})

FAULTS = [
    WalletExchangeFault("presents-more-than-asked", "presents every credential it holds, not only what QueryByExample asks for",
                        WalletRules(present_only_requested=False), ("LCX-06",),
                        {ONLY: "the QueryByExample did not ask for"}),
    WalletExchangeFault("signs-for-assertion", "signs its DIDAuthentication for assertionMethod, not authentication",
                        WalletRules(authentication_purpose=False), ("API-10",),
                        {f"{DID_AUTH} {ISSUING}": "wrong proof purpose"}, NEEDS_THE_BADGE),
    WalletExchangeFault("ignores-challenge", "signs its DIDAuthentication with a challenge of its own",
                        WalletRules(answer_challenge=False), ("API-10",),
                        {f"{DID_AUTH} {ISSUING}": "is not the challenge lerconf's exchange asked for"}, NEEDS_THE_BADGE),
]

CLEAN = WalletExchangeFault("clean", "no fault: the test bed itself", WalletRules(), (), {})
#: not a fault: an adapter without POST /interactions (404), whose scenarios are not claimed, never failed
NO_INTERACTIONS = WalletExchangeFault("no-interactions", "an adapter written before POST /interactions", WalletRules(), (), {},
                                      interactions=False)
