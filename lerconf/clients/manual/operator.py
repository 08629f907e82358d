"""A person in front of a displayer or a verifier web page: lerconf asks, the operator reports.

For the roles only a person can drive (lerconf.profile.person), :class:`PersonOperator` opens one
step per badge on the operator page (lerconf.clients.manual.page): the badge to open (a link, the
JSON file, a baked PNG and SVG), one sentence saying what to do, and the questions about what the
screen showed. It waits for the operator's answers (never for the wire: nothing on lerconf's
endpoints says what a screen showed) and keeps the step's window on the wire, so automated
scenarios can judge what the displayer fetched while the badge was open (its status list, the
issuer's DID document).

A timeout breaks the scenario (silence is no verdict), "skip" leaves it not run. The step asks to
clear the displayer first only when lerconf's records say it may still hold a badge from an earlier
step (the operator reported on one, or lerconf's endpoints saw it fetch one); a verifier page holds
nothing between steps.
"""
from __future__ import annotations

import contextlib
import sys
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from lerconf.clients.manual.driver import terminal
from lerconf.clients.manual.page import PageServer, start_page
from lerconf.clients.manual.session import Link, ManualSession, Question, Step
from lerconf.refimpl.wire import Fetch, WireLog
from lerconf.verdicts import Broken

if TYPE_CHECKING:
    from lerconf.profile.person import PersonSection

__all__ = ["ACTED", "PersonOperator", "Reported", "person_operator"]

ENDED = {
    "reported": "the operator reported what the screen showed",
    "error": "the operator reported that it could not open the badge",
    "skip": "the operator skipped the step",
    "timeout": "no answer from the operator before the timeout",
}

#: how a step the operator acts on ended
ACTED = {
    "done": "the operator reported it finished",
    "error": "the operator reported an error",
    "skip": "the operator skipped the step",
    "timeout": "no answer before the timeout",
    "came-back": "lerconf saw the outcome",
}


@dataclass(frozen=True)
class Reported:
    """One finished step: how it ended, the operator's answers, and what lerconf's endpoints saw meanwhile."""

    step: Step = field(repr=False)
    how: str                       # "reported" | "error"
    answers: dict[str, str]
    fetches: tuple[Fetch, ...]     # of lerconf's status lists, DID documents and badge files, during the step
    earlier: tuple[Fetch, ...]     # the same during this operator's earlier steps (a displayer may cache)

    def fetched(self, path: str, *, earlier: bool = True) -> list[Fetch]:
        """The fetches of ``path`` during this step (and, with ``earlier``, during earlier ones)."""
        return [f for f in (*self.earlier, *self.fetches) if f.path == path] if earlier else \
            [f for f in self.fetches if f.path == path]

    def document(self) -> dict[str, Any]:
        """The step as evidence: what was handed over and what lerconf received (no answers: see attestation)."""
        return {"step": self.step.id, "title": self.step.title, "ended_by": self.how,
                "opened": [{"label": ln.label, "url": ln.url} for ln in self.step.links],
                "started": datetime.fromtimestamp(self.step.started, UTC).isoformat(timespec="seconds"),
                "received_by_lerconf": self.step.timeline(),
                "fetches": [f.to_evidence() for f in self.fetches]}

    def attestation(self, questions: list[dict[str, Any]], info: dict[str, str]) -> dict[str, Any]:
        """What the operator reported, question by question with lerconf's judgement of each (for
        Evidence.attest): the evidence of an @attested scenario, never of an automated one."""
        return {"step": self.step.id, "title": self.step.title, "ended_by": self.how, "questions": questions,
                "operator_message": self.step.message, "operator": info.get("operator", ""),
                "session": dict(info),
                "screenshots": [s.to_evidence() for s in self.step.screenshots]}


class PersonOperator:
    """Asks the operator about one badge at a time (see the module docstring)."""

    def __init__(self, session: ManualSession, page: PageServer | None, section: PersonSection, *,
                 out: TextIO | None = None, holds: bool = True) -> None:
        self.session, self.page, self.section = session, page, section
        self._own_out = out is None
        self.out = out if out is not None else terminal()
        #: whether what is tested keeps what it was shown (a displayer does; a verifier page does not)
        self.holds = holds
        self._may_hold: list[str] = []
        self._fetches: list[Fetch] = []

    def close(self) -> None:
        if self.page is not None:
            self.page.stop()
        if self._own_out and self.out not in (sys.__stderr__, sys.stderr):
            self.out.close()

    def plan(self, steps: int) -> None:
        self.session.plan(steps)

    def ask(self, title: str, instructions: str, links: tuple[Link, ...], questions: tuple[Question, ...],
            wire: WireLog | None) -> Reported:
        """Open a step, wait for the operator; Broken on a timeout or a skip (never a verdict)."""
        clear = ""
        if self.holds and self._may_hold:
            clear = (f"remove what lerconf gave it earlier ({', '.join(self._may_hold)}) from the "
                     f"{self.section.role.replace('_', ' ')}, so that only this step's badge is on screen")
        step = self.session.begin("attest", title, instructions, timeout_s=self.section.timeout_s, wire=wire,
                                  questions=questions, links=links, clear_first=clear)
        self._announce(step)
        how = self.session.wait(step, lambda records: False)
        fetches = tuple(f for f in (wire.fetches_since(step.mark) if wire is not None else [])
                        if step.end_mark is None or f.seq <= step.end_mark)
        reported = Reported(step, how, dict(step.answers), fetches, tuple(self._fetches))
        self._fetches.extend(fetches)
        if how in ("reported", "error") or any(f.path.startswith("/display/") for f in fetches):
            self._may_hold.append(title)
        self._print(f"lerconf: step {step.id} ended: {ENDED.get(how, how)}")
        if how == "timeout":
            raise Broken(f"{self.section.role}: {ENDED['timeout']} ({self.section.timeout_s:.0f} s, step {step.id})")
        if how not in ("reported", "error"):
            raise Broken(f"not run: the operator skipped step {step.id} ({title})")
        return reported

    def act(self, kind: str, title: str, instructions: str, *, uri: str | None = None, links: tuple[Link, ...] = (),
            wire: WireLog | None = None) -> Step:
        """Open a step the operator acts on (no questions: connect a consumer, log in) and return it at once,
        open. It ends by the operator (done, error, skip), by :meth:`end_step` (lerconf saw the outcome) or at
        its deadline: :meth:`wait` says which. Judging what lerconf received is the caller's."""
        step = self.session.begin(kind, title, instructions, uri=uri, timeout_s=self.section.timeout_s, wire=wire,
                                  links=links)
        self._announce(step)
        return step

    def wait(self, step: Step, poll_s: float = 0.2) -> str:
        """How ``step`` ended (blocks until it did)."""
        how = self.session.wait(step, lambda records: False, poll_s)
        self._print(f"lerconf: step {step.id} ended: {ACTED.get(how, how)}")
        return how

    def end_step(self, step: Step, how: str) -> bool:
        return self.session.end(step, how)

    def _print(self, text: str) -> None:
        try:
            self.out.write(text + "\n")
            self.out.flush()
        except (OSError, ValueError):
            pass

    def _announce(self, step: Step) -> None:
        lines = [f"\nlerconf {self.section.role.replace('_', ' ')} test, step {step.id}"
                 + (f" of {step.of}" if step.of else "") + f": {step.title}", f"  {step.instructions}"]
        lines += [f"  {ln.label}: {ln.url}" for ln in step.links]
        if self.page is not None:
            lines.append(f"  answer on the operator page: {self.page.url}")
        self._print("\n".join(lines))


#: one operator per vendor and role while the vendor object lives (its page and records persist)
_OPERATORS: dict[tuple[int, str], PersonOperator] = {}


def person_operator(vendor: object, section: PersonSection) -> PersonOperator:
    """The vendor's operator for a displayer or a verifier page: one page and one record per run."""
    key = (id(vendor), section.role)
    found = _OPERATORS.get(key)
    if found is not None:
        return found
    session = ManualSession()
    page = start_page(session, section.page_port)
    operator = PersonOperator(session, page, section, holds=section.role == "displayer")
    operator._print(f"lerconf: {section.role.replace('_', ' ')} by hand; open {section.open!r}; "
                    f"operator page at {page.url}")
    _OPERATORS[key] = operator
    weakref.finalize(vendor, _forget, key)
    return operator


def _forget(key: tuple[int, str]) -> None:
    operator = _OPERATORS.pop(key, None)
    if operator is not None:
        with contextlib.suppress(Exception):
            operator.close()
