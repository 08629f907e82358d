"""Output into a pipe whose reader has gone (``lerconf verify --json ... | head``) ends quietly.

Python raises BrokenPipeError from whichever print first meets the closed pipe, deep inside a
command (or inside pytest during ``lerconf run``), and prints a traceback. lerconf instead sends the
rest of that stream to /dev/null and carries on: the command finishes its work (a run still
writes its run directory) and exits with its own code. SIGPIPE itself stays ignored, as Python
sets it, so a socket closed by a vendor is still an error the harness reports, not a silent kill.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast

__all__ = ["QuietPipe", "quiet_broken_pipes"]


class QuietPipe:
    """A text stream that, once its reader has gone, writes to /dev/null instead of raising."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._to_devnull()
            return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._to_devnull()

    def _to_devnull(self) -> None:
        self.reader_gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self._stream.fileno())
            finally:
                os.close(devnull)
            self._stream.flush()  # what was still buffered goes to /dev/null now
        except (OSError, ValueError):  # no file descriptor (an in-memory stream): nothing is left to flush
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def quiet_broken_pipes() -> Iterator[None]:
    """Within the block, sys.stdout and sys.stderr drop output quietly once their reader has gone."""
    saved = sys.stdout, sys.stderr
    out, err = cast(TextIO, QuietPipe(saved[0])), cast(TextIO, QuietPipe(saved[1]))
    sys.stdout, sys.stderr = out, err
    try:
        yield
    finally:
        out.flush()
        err.flush()
        if sys.stdout is out:  # unless someone replaced it meanwhile
            sys.stdout = saved[0]
        if sys.stderr is err:
            sys.stderr = saved[1]
