"""What the operator of a manual wallet test sees and says: one step at a time.

A :class:`ManualSession` is shared by the manual driver (which opens a step and waits) and the
operator page (which shows the step and records the operator's answers). A step ends when the
wire shows the flow finished, when the operator answers ("wallet showed an error", "done",
"skip"), or at its deadline. What the operator says is kept as evidence; verdicts come from the
wire (lerconf's own endpoints), so nothing here decides a scenario.
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

__all__ = ["ANSWERS", "MAX_MESSAGE", "MAX_SCREENSHOT", "ManualSession", "Screenshot", "Step", "image_type"]

#: what the operator may answer; "done" = the wallet says it succeeded, "skip" = not run
ANSWERS = ("error", "done", "skip")
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


@dataclass
class Step:
    """One thing the operator is asked to do: scan an offer, scan a request, or clear the wallet."""

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

    def received(self) -> list[WireRecord]:
        return self.wire.since(self.mark) if self.wire is not None else []

    def timeline(self) -> list[dict[str, Any]]:
        """What lerconf's endpoints received since the step began: method, path, status (no bodies)."""
        return [{"seq": r.seq, "t": round(r.at - self.started, 2), "method": r.method, "path": r.path,
                 "status": r.status} for r in self.received()]

    def to_page(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "title": self.title, "instructions": self.instructions,
                "uri": self.uri, "tx_code": self.tx_code, "ended": self.ended, "message": self.message,
                "remaining_s": max(0, round(self.deadline - time.monotonic())) if self.ended is None else 0,
                "screenshots": len(self.screenshots), "watching_wire": self.wire is not None,
                "timeline": self.timeline()}


class ManualSession:
    """The steps of one manual run and the operator's answers; thread-safe (page and driver)."""

    def __init__(self) -> None:
        #: in the page's path: a web page elsewhere cannot guess it to post fake answers
        self.token = secrets.token_urlsafe(18)
        self.info: dict[str, str] = {}
        self.steps: list[Step] = []
        self._cond = threading.Condition()

    @property
    def current(self) -> Step | None:
        with self._cond:
            return self.steps[-1] if self.steps else None

    def begin(self, kind: str, title: str, instructions: str, *, uri: str | None = None, tx_code: str | None = None,
              timeout_s: float, wire: WireLog | None = None) -> Step:
        with self._cond:
            for old in self.steps:
                if old.ended is None:
                    old.ended = "superseded"
            step = Step(len(self.steps) + 1, kind, title, instructions, uri, tx_code, timeout_s, wire,
                        wire.mark() if wire is not None else 0, deadline=time.monotonic() + timeout_s)
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

    def answer(self, step_id: int, action: str, message: str = "", screenshot: Screenshot | None = None) -> str | None:
        """The operator's answer to an open step; the problem as text, or None when recorded."""
        if action not in ANSWERS:
            return f"unknown answer {action!r}"
        with self._cond:
            step = self._open(step_id)
            if isinstance(step, str):
                return step
            if screenshot is not None:
                if len(step.screenshots) >= MAX_SCREENSHOTS_PER_STEP:
                    return f"at most {MAX_SCREENSHOTS_PER_STEP} screenshots per step"
                step.screenshots.append(screenshot)
            step.message = message[:MAX_MESSAGE]
            step.ended = action
            self._cond.notify_all()
            return None

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
