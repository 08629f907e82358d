"""Each fault turns off one behaviour of the reference consumer (lerconf.refimpl.obconsumer.ConsumerRules)."""
from __future__ import annotations

from dataclasses import dataclass, field

from lerconf.refimpl.obconsumer import ConsumerRules


@dataclass(frozen=True)
class ConsumerFault:
    name: str
    summary: str
    rules: ConsumerRules
    requirements: tuple[str, ...]
    detected_by: dict[str, str]                # rendered scenario title -> what its reason must say
    blocked: frozenset[str] = field(default_factory=frozenset)  # scenarios left without their prerequisite

    @property
    def vendor_name(self) -> str:
        return f"faulty consumer {self.name}"

    def __str__(self) -> str:
        return self.name


OAUTH = "The consumer discovers the host, registers, and logs in with PKCE, a state and only the scopes it needs"
WRITE = "The consumer stores a valid credential with the content type of its format"
READ = "The consumer reads every page of credentials and the profile"
REFRESH = "The consumer gets a new token when its token has expired, and does not retry in a loop"
APIS = ("ob", "clr")
JOBS = ("write", "read")
FORMATS = ("ldp_vc", "jwt")


def _every(title: str, rows: list[str], because: str) -> dict[str, str]:
    return {f"{title} ({row})": because for row in rows}


OAUTH_ROWS = [f"{a}, {o}" for a in APIS for o in JOBS]
WRITE_ROWS = [f"{a}, {f}" for a in APIS for f in FORMATS]
REFRESH_ROWS = OAUTH_ROWS

CLEAN = ConsumerFault("clean", "the reference consumer, nothing turned off", ConsumerRules(), (), {})

FAULTS = [
    ConsumerFault("no-pkce", "sends its authorization request without PKCE", ConsumerRules(pkce=False), ("OBAPI-13",),
                  _every(OAUTH, OAUTH_ROWS, "no code_challenge"),
                  # lerconf's host gives no code without PKCE: no token, so nothing else can be judged
                  frozenset({*(f"{WRITE} ({r})" for r in WRITE_ROWS), *(f"{READ} ({a})" for a in APIS),
                             *(f"{REFRESH} ({r})" for r in REFRESH_ROWS)})),
    ConsumerFault("every-scope", "asks for all four scopes whatever its job", ConsumerRules(minimal_scopes=False),
                  ("OBAPI-13",), _every(OAUTH, OAUTH_ROWS, "asked for scopes it does not need")),
    ConsumerFault("ignores-next", "reads the first page of credentials only", ConsumerRules(follow_next=False),
                  ("LCO-02",), _every(READ, list(APIS), "did not follow")),
    ConsumerFault("jwt-as-json", "upserts a VC-JWT as a JSON string (application/json)", ConsumerRules(jwt_as_text=False),
                  ("LCO-01",), _every(WRITE, [f"{a}, jwt" for a in APIS], "as a JSON string")),
    ConsumerFault("extension-member", "registers with a member of its own besides those OB 3.0 defines",
                  ConsumerRules(no_extensions=False), ("OBAPI-13",),
                  _every(OAUTH, OAUTH_ROWS, "nor RFC 7591 defines: x_consumer_features")),
    ConsumerFault("retries-on-401", "sends a refused access token again and again instead of refreshing",
                  ConsumerRules(refresh_on_401=False), ("LCO-03",), _every(REFRESH, REFRESH_ROWS, "a retry loop")),
]
