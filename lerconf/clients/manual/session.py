"""What the operator of a manual test sees and says: one step at a time.

A :class:`ManualSession` is shared by a manual driver (which opens a step and waits) and the
operator page (which shows the step and records the operator's answers). A step ends when the
wire shows the flow finished, when the operator answers ("wallet showed an error", "done",
"skip", or "reported": the answers to the step's :class:`Question` s), or at its deadline. What the
operator says is kept as evidence; nothing here decides a scenario. In manual wallet mode the wire
(lerconf's own endpoints) decides; a displayer's or a verifier web page's @attested scenarios are
judged by the reported answers, labelled as attested (lerconf.clients.manual.operator).
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lerconf.protocol.wire_record import WireRecord
from lerconf.refimpl.wire import WireLog

__all__ = ["ANSWERS", "MAX_MESSAGE", "MAX_SCREENSHOT", "Link", "ManualSession", "Question", "Screenshot", "Step",
           "image_type"]

#: what the operator may answer; "done" = the wallet says it succeeded, "skip" = not run, "reported" =
#: the answers to a step's questions (what the screen showed)
ANSWERS = ("error", "done", "skip", "reported")
MAX_MESSAGE = 2000
#: one screenshot, as stored in results.json (base64) and report.html: a phone screenshot fits
MAX_SCREENSHOT = 2 * 1024 * 1024
MAX_SCREENSHOTS_PER_STEP = 4
INFO_FIELDS = ("wallet", "device", "operator")

_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
          (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


def image_type(data: bytes) -> str | None:
    """The image type by magic bytes (never by the uploader's claim), or None if not an image."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True)
class Screenshot:
    content_type: str
    data: bytes = field(repr=False)
    filename: str = ""

    def to_evidence(self) -> dict[str, Any]:
        return {"content_type": self.content_type, "bytes": len(self.data), "filename": self.filename,
                "sha256": hashlib.sha256(self.data).hexdigest(), "data_base64": base64.b64encode(self.data).decode()}


@dataclass(frozen=True)
class Question:
    """One thing the operator reports about what the screen showed: one of ``choices`` (value, label).
    ``shown`` is what lerconf issued, printed beside the question so the operator can compare; a
    question asked blind (the badge's status) has none."""

    id: str
    label: str
    choices: tuple[tuple[str, str], ...]
    shown: str = ""

    def to_page(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "shown": self.shown, "choices": [list(c) for c in self.choices]}


@dataclass(frozen=True)
class Link:
    """Something the operator opens: a badge as a file, a baked image, a link."""

    label: str
    url: str


@dataclass
class Step:
    """One thing the operator is asked to do: scan an offer, scan a request, clear the wallet, or
    open a badge and report what the screen showed."""

    id: int
    kind: str                                  # "offer" | "presentation" | "interaction" | "reset"
    title: str
    instructions: str
    uri: str | None                            # exactly what the QR code encodes
    tx_code: str | None = field(repr=False)    # shown beside the QR code, never inside it
    timeout_s: float
    wire: WireLog | None = field(default=None, repr=False)
    mark: int = 0
    started: float = field(default_factory=time.time)
    deadline: float = 0.0                      # time.monotonic()
    ended: str | None = None                   # "wire" | "error" | "done" | "skip" | "timeout" | "superseded"
    message: str = ""
    screenshots: list[Screenshot] = field(default_factory=list, repr=False)
    questions: tuple[Question, ...] = ()
    links: tuple[Link, ...] = ()
    answers: dict[str, str] = field(default_factory=dict)
    #: how many steps the run plans in all (None: not known ahead, as in manual wallet mode)
    of: int | None = None
    #: the wire's sequence number when the step ended (what it received is between mark and this)
    end_mark: int | None = None
    #: "clear the wallet/displayer first" shown above the step: lerconf's records say it may hold
    #: something from an earlier step
    clear_first: str = ""

    def received(self) -> list[WireRecord]:
        return self.wire.since(self.mark) if self.wire is not None else []

    def timeline(self) -> list[dict[str, Any]]:
        """What lerconf's endpoints received since the step began (protocol requests, and fetches of its
        status lists, DID documents and badge files): method, path, status, never a body."""
        if self.wire is None:
            return []
        events = [(r.seq, r.at, r.method, r.path, r.status) for r in self.received()]
        events += [(f.seq, f.at, f.method, f.path, f.status) for f in self.wire.fetches_since(self.mark)]
        end = self.end_mark
        return [{"seq": seq, "t": round(at - self.started, 2), "method": method, "path": path, "status": status}
                for seq, at, method, path, status in sorted(events) if end is None or seq <= end]

    def to_page(self) -> dict[str, Any]:
        return {"id": self.id, "of": self.of, "kind": self.kind, "title": self.title, "instructions": self.instructions,
                "uri": self.uri, "tx_code": self.tx_code, "ended": self.ended, "message": self.message,
                "remaining_s": max(0, round(self.deadline - time.monotonic())) if self.ended is None else 0,
                "screenshots": len(self.screenshots), "watching_wire": self.wire is not None,
                "questions": [q.to_page() for q in self.questions],
                "links": [{"label": ln.label, "url": ln.url} for ln in self.links],
                "clear_first": self.clear_first, "timeline": self.timeline()}

    def problem_with(self, answers: dict[str, str]) -> str | None:
        """Why ``answers`` do not answer the step's questions (every one, with one of its choices), or None."""
        missing = [q.label for q in self.questions if not answers.get(q.id)]
        if missing:
            return "answer every question before sending: " + "; ".join(missing)
        for q in self.questions:
            if answers[q.id] not in {value for value, _ in q.choices}:
                return f"{q.label}: {answers[q.id][:40]!r} is not one of the choices"
        unknown = sorted(set(answers) - {q.id for q in self.questions})
        return f"unknown question(s): {', '.join(unknown)[:200]}" if unknown else None


class ManualSession:
    """The steps of one manual run and the operator's answers; thread-safe (page and driver)."""

    def __init__(self) -> None:
        #: in the page's path: a web page elsewhere cannot guess it to post fake answers
        self.token = secrets.token_urlsafe(18)
        self.info: dict[str, str] = {}
        self.steps: list[Step] = []
        #: steps the run has announced it will ask (a displayer's badges, a verifier page's set)
        self.planned = 0
        self._cond = threading.Condition()

    def plan(self, steps: int) -> None:
        """Announce ``steps`` more steps, so the page can say "step i of n"."""
        with self._cond:
            self.planned += steps

    @property
    def current(self) -> Step | None:
        with self._cond:
            return self.steps[-1] if self.steps else None

    def begin(self, kind: str, title: str, instructions: str, *, uri: str | None = None, tx_code: str | None = None,
              timeout_s: float, wire: WireLog | None = None, questions: tuple[Question, ...] = (),
              links: tuple[Link, ...] = (), clear_first: str = "") -> Step:
        with self._cond:
            for old in self.steps:
                if old.ended is None:
                    old.ended = "superseded"
            number = len(self.steps) + 1
            step = Step(number, kind, title, instructions, uri, tx_code, timeout_s, wire,
                        wire.mark() if wire is not None else 0, deadline=time.monotonic() + timeout_s,
                        questions=questions, links=links, of=self.planned if self.planned >= number else None,
                        clear_first=clear_first)
            self.steps.append(step)
            self._cond.notify_all()
            return step

    def _open(self, step_id: int) -> Step | str:
        step = next((s for s in self.steps if s.id == step_id), None)
        if step is None:
            return "no such step"
        if step.ended is not None:
            return f"step {step_id} has already ended ({step.ended})"
        return step

    def answer(self, step_id: int, action: str, message: str = "", screenshot: Screenshot | None = None,
               answers: dict[str, str] | None = None) -> str | None:
        """The operator's answer to an open step; the problem as text, or None when recorded. A step with
        questions takes "reported" (every question answered), "error" or "skip"; one without, no "reported"."""
        if action not in ANSWERS:
            return f"unknown answer {action!r}"
        with self._cond:
            step = self._open(step_id)
            if isinstance(step, str):
                return step
            if action == "reported":
                if not step.questions:
                    return f"step {step_id} asks no questions"
                problem = step.problem_with(answers or {})
                if problem:
                    return problem
                step.answers = dict(answers or {})
            elif action == "done" and step.questions:
                return f"step {step_id} asks what the screen showed: answer its questions"
            elif action == "done" and step.kind == "login":
                return f"step {step_id} ends when the browser comes back to lerconf after the login"
            if screenshot is not None:
                if len(step.screenshots) >= MAX_SCREENSHOTS_PER_STEP:
                    return f"at most {MAX_SCREENSHOTS_PER_STEP} screenshots per step"
                step.screenshots.append(screenshot)
            step.message = message[:MAX_MESSAGE]
            step.ended = action
            step.end_mark = step.wire.mark() if step.wire is not None else None
            self._cond.notify_all()
            return None

    def end(self, step: Step, how: str) -> bool:
        """lerconf ends an open step itself (it saw the outcome: a login came back); False when it had ended."""
        with self._cond:
            if step.ended is not None:
                return False
            step.ended = how
            step.end_mark = step.wire.mark() if step.wire is not None else None
            self._cond.notify_all()
            return True

    def add_screenshot(self, step_id: int, screenshot: Screenshot) -> str | None:
        with self._cond:
            step = self._open(step_id)
            if isinstance(step, str):
                return step
            if len(step.screenshots) >= MAX_SCREENSHOTS_PER_STEP:
                return f"at most {MAX_SCREENSHOTS_PER_STEP} screenshots per step"
            step.screenshots.append(screenshot)
            return None

    def set_info(self, values: dict[str, str]) -> None:
        """Who tests what: wallet name and version, device and OS, operator (into every step's evidence)."""
        with self._cond:
            self.info = {k: str(values.get(k, ""))[:200] for k in INFO_FIELDS if values.get(k)}

    def wait(self, step: Step, finished: Callable[[list[WireRecord]], bool], poll_s: float = 0.2) -> str:
        """Block until the wire shows the flow finished, the operator answered, or the deadline."""
        with self._cond:
            while True:
                if step.ended is not None:
                    return step.ended
                if step.wire is not None and finished(step.received()):
                    step.ended = "wire"
                    return step.ended
                left = step.deadline - time.monotonic()
                if left <= 0:
                    step.ended = "timeout"
                    return step.ended
                self._cond.wait(min(poll_s, left))

    def state(self) -> dict[str, Any]:
        with self._cond:
            current = self.steps[-1] if self.steps else None
            return {"step": current.to_page() if current is not None else None,
                    "steps": len(self.steps), "info": dict(self.info)}
