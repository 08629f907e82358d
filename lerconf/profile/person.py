"""The ``displayer`` and ``page_verifier`` sections of a vendor profile: roles only a person can drive.

A *displayer* (a wallet or a web page that shows badges to a person) and a *page verifier* (a
verifier that is only a web page: paste or upload a credential, read the verdict) have no API
lerconf could call. lerconf hands an operator badges to open, on a local operator page, and asks
what the screen showed; what only a person sees is judged as *attested* evidence
(lerconf.clients.manual.operator), what lerconf's own endpoints show (the status list and the
issuer's DID document fetched) is judged automatically.

```yaml
displayer:
  open: "https://wallet.example/ (Badges > Add > paste a link or upload a file)"  # shown to the operator
  claims:
    vc_versions: ["2.0", "1.1"]      # the badges it is given: VCDM 2.0 and 1.1
    securing: [eddsa-rdfc-2022]      # the cryptosuite the certification set is signed with
  timeout_s: 900                     # how long each step waits for the operator
  page_port: 0                       # the operator page's loopback port (0: any free port, printed)
page_verifier:
  open: https://verifier.example/check
  claims:
    vc_versions: ["2.0"]
    securing: [eddsa-rdfc-2022]
    recipient_check: true            # the page can be given the expected recipient (OB-28); default false
```
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PERSON_SECTIONS", "PersonSection", "not_claimed", "parse_person_section"]

#: the profile sections (and roles) of this module
PERSON_SECTIONS = ("displayer", "page_verifier")
#: what lerconf can hand a displayer: the certification's badges are eddsa-rdfc-2022, VCDM 2.0 and 1.1
VC_VERSIONS = ("2.0", "1.1")
SECURING = ("eddsa-rdfc-2022",)
DEFAULT_TIMEOUT_S = 900.0
#: the longest "open" text (a URL or one sentence)
MAX_OPEN = 300

Fail = Callable[[str, str], Exception]


@dataclass(frozen=True)
class PersonSection:
    """How the operator reaches the displayer or verifier page, what it claims, and the page's limits."""

    role: str
    open: str
    vc_versions: tuple[str, ...] = VC_VERSIONS
    securing: tuple[str, ...] = SECURING
    timeout_s: float = DEFAULT_TIMEOUT_S
    page_port: int = 0
    #: a verifier page that takes the expected recipient (an email address) and says whether the badge is theirs
    recipient_check: bool = False

    def missing(self, example: Mapping[str, str]) -> list[str]:
        """The claims an example row needs that the section does not make (vc_version, securing)."""
        out = []
        if "vc_version" in example and example["vc_version"] not in self.vc_versions:
            out.append(f"vc_version={example['vc_version']}")
        if "securing" in example and example["securing"] not in self.securing:
            out.append(f"securing={example['securing']}")
        if example.get("recipient_check") == "yes" and not self.recipient_check:
            out.append("recipient_check")
        return out

    def public_view(self) -> dict[str, Any]:
        return {"open": self.open, "mode": "manual", "timeout_s": self.timeout_s,
                "claims": {"vc_versions": list(self.vc_versions), "securing": list(self.securing),
                           **({"recipient_check": True} if self.recipient_check else {})}}


def _strings(raw: Any, where: str, allowed: tuple[str, ...], fail: Fail) -> tuple[str, ...]:
    if raw is None:
        return allowed
    if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw):
        raise fail(where, f"must be a non-empty list, some of: {', '.join(allowed)}")
    unknown = [v for v in raw if v not in allowed]
    if unknown:
        raise fail(where, f"unknown value(s) {', '.join(unknown)}; lerconf hands over some of: {', '.join(allowed)}")
    return tuple(dict.fromkeys(raw))


def parse_person_section(raw: Any, role: str, fail: Fail) -> PersonSection:
    """The ``displayer`` or ``page_verifier`` section, every field checked with a message naming it."""
    if not isinstance(raw, Mapping):
        raise fail(role, "must be a mapping with at least 'open' (how the operator reaches it)")
    unknown = set(map(str, raw)) - {"open", "claims", "timeout_s", "page_port"}
    if unknown:
        raise fail(role, f"unknown field(s) {', '.join(sorted(unknown))}")
    how = raw.get("open")
    if not isinstance(how, str) or not how.strip() or len(how) > MAX_OPEN:
        raise fail(f"{role}.open", f"must say how the operator reaches it: a URL or one sentence (at most {MAX_OPEN} "
                   "characters)")
    timeout = raw.get("timeout_s", DEFAULT_TIMEOUT_S)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 1 <= timeout <= 3600:
        raise fail(f"{role}.timeout_s", "must be a number of seconds between 1 and 3600")
    port = raw.get("page_port", 0)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise fail(f"{role}.page_port", "must be a port number (0: any free port)")
    claims = raw.get("claims") or {}
    if not isinstance(claims, Mapping):
        raise fail(f"{role}.claims", "must be a mapping")
    extra = set(map(str, claims)) - {"vc_versions", "securing"} - ({"recipient_check"} if role == "page_verifier" else set())
    if extra:
        raise fail(f"{role}.claims", f"unknown field(s) {', '.join(sorted(extra))}")
    recipient_check = claims.get("recipient_check", False)
    if not isinstance(recipient_check, bool):
        raise fail(f"{role}.claims.recipient_check", "must be true or false (the page takes the expected recipient)")
    return PersonSection(role, how.strip(),
                         _strings(claims.get("vc_versions"), f"{role}.claims.vc_versions", VC_VERSIONS, fail),
                         _strings(claims.get("securing"), f"{role}.claims.securing", SECURING, fail),
                         float(timeout), port, recipient_check)


def not_claimed(section: PersonSection | None, vendor: str, role: str, example: Mapping[str, str]) -> str | None:
    """Why a displayer or page-verifier scenario is not claimed by the vendor, or None."""
    if section is None:
        return f"{vendor} has no {role} section (a {role.replace('_', ' ')} is tested by a person: describe it in the profile)"
    missing = section.missing(example)
    return f"{role} does not claim {', '.join(missing)}" if missing else None
