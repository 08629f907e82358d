"""How a scenario can end other than passed or failed, as exceptions library code raises.

Library code never imports pytest: it raises these, and only the pytest plugin (``lerconf.run``)
turns them into outcomes. A wrong answer from the vendor is an ``AssertionError`` (failed).

* Broken          the vendor gave no usable answer (5xx, timeout, garbage): broken, never passed
* Unjudged        the scenario ends skipped, with a reason that says why
  + NotClaimed    the vendor does not claim what the scenario needs ("not claimed: …")
  + CannotJudge   lerconf could not establish the facts, e.g. its positive control was refused
                  ("cannot be judged: …"); never blamed on the vendor
  + NotObservable the profile's verdict source cannot show what the scenario needs to see
"""
from __future__ import annotations

__all__ = ["Broken", "CannotJudge", "NotClaimed", "NotObservable", "Unjudged"]


class Broken(Exception):
    """The vendor gave no usable answer; the scenario is broken (not failed, not passed)."""


class Unjudged(Exception):
    """The scenario cannot be judged as passed or failed; it ends skipped with :attr:`reason`."""

    prefix = ""

    @property
    def reason(self) -> str:
        return self.prefix + str(self)


class NotClaimed(Unjudged):
    """The vendor's profile (or what it advertises) does not claim what the scenario needs."""

    prefix = "not claimed: "


class CannotJudge(Unjudged):
    """lerconf could not establish the facts (its positive control was refused, a limit of lerconf's)."""

    prefix = "cannot be judged: "


class NotObservable(Unjudged):
    """The vendor's chosen verdict source cannot show what the scenario needs to observe."""
