"""OB-29 / CLR-09: every endorsement a badge or CLR carries is verified as an EndorsementCredential.

Open Badges 3.0 verification step 6 and CLR 2.0 verification: ``endorsement`` (Data Integrity
EndorsementCredentials) and ``endorsementJwt`` (compact JWS) may sit on the credential, its
achievement, its issuer profile or anywhere in a CLR. lerconf's engine verifies each like any
credential (lerconf.verify.stages.stage_endorsements); these checks say what that means for the
document carrying them."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.checks.ob import types_of
from lerconf.results import Category

__all__ = ["ENDORSEMENT_TYPE", "Endorsed", "clr_endorsements_verify", "endorsements_verify"]

ENDORSEMENT_TYPE = "EndorsementCredential"


class Endorsed:
    """One endorsement found in a document: where, what it is, whether lerconf verified it and why not."""

    def __init__(self, where: str, document: Any, verified: bool, problems: Sequence[str]) -> None:
        self.where, self.document, self.verified, self.problems = where, document, verified, list(problems)

    @property
    def typed(self) -> bool:
        return isinstance(self.document, Mapping) and ENDORSEMENT_TYPE in types_of(self.document.get("type"))


def _verdict(found: Sequence[Endorsed]) -> Verdict:
    if not found:
        return not_applicable("no endorsement or endorsementJwt")
    bad = []
    for e in found:
        if e.document is None and e.problems:  # not verified at all (a bound reached)
            bad.append(f"{e.where}: {'; '.join(e.problems)}")
        elif not e.typed:
            bad.append(f"{e.where} is not an {ENDORSEMENT_TYPE}")
        elif not e.verified:
            bad.append(f"{e.where} does not verify ({'; '.join(e.problems[:3]) or 'see its report'})")
    if bad:
        return failed("; ".join(bad), endorsements=len(found))
    return passed(f"{len(found)} endorsement(s) verified as {ENDORSEMENT_TYPE}", endorsements=len(found))


@check("OB-29", Category.STRUCTURE)
def endorsements_verify(found: Sequence[Endorsed]) -> Verdict:
    """Each ``endorsement`` / ``endorsementJwt`` of an Open Badge is a verified EndorsementCredential."""
    return _verdict(found)


@check("CLR-09", Category.STRUCTURE)
def clr_endorsements_verify(found: Sequence[Endorsed]) -> Verdict:
    """Each ``endorsement`` / ``endorsementJwt`` anywhere in a CLR is a verified EndorsementCredential."""
    return _verdict(found)
