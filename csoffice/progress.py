"""Progress of a long command on the command line (no Qt): a bar on stderr when it is a
terminal, one summary line when it is not (a log, a pipe, CI).

Commands hand the reporter to the work as its ``(done, total)`` callback; a total of 0 means
the total is not known (an export counts its rows): the bar then shows the count alone.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from csoffice.i18n import _, format_number

_WIDTH = 28
_EVERY = 0.1  # seconds between redraws


class ProgressBar:
    """A ``(done, total)`` callback that draws ``label [#####-----] 45% 45,000/100,000 3 s``."""

    def __init__(self, label: str, stream: TextIO | None = None, interactive: bool | None = None):
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        if interactive is None:
            isatty = getattr(self.stream, "isatty", None)
            # CSOFFICE_PROGRESS=bar draws the bar into a pipe too (a wrapper showing it).
            interactive = bool(isatty and isatty()) or os.environ.get("CSOFFICE_PROGRESS") == "bar"
        self.interactive = interactive
        self.started = time.monotonic()
        self.done = 0
        self.total = 0
        self._drawn = 0.0
        self._line = 0

    def __call__(self, done: int, total: int = 0) -> None:
        self.done, self.total = max(0, done), max(0, total)
        if not self.interactive:
            return
        moment = time.monotonic()
        if moment - self._drawn < _EVERY and not (self.total and self.done >= self.total):
            return
        self._drawn = moment
        self._draw(self._text())

    def _text(self) -> str:
        seconds = int(time.monotonic() - self.started)
        if self.total:
            share = min(1.0, self.done / self.total)
            filled = int(share * _WIDTH)
            bar = "#" * filled + "-" * (_WIDTH - filled)
            count = f"{format_number(self.done)}/{format_number(self.total)}"
            return f"{self.label} [{bar}] {share:4.0%} {count} {seconds} s"
        return f"{self.label} {format_number(self.done)} … {seconds} s"

    def _draw(self, text: str) -> None:
        padding = " " * max(0, self._line - len(text))
        self.stream.write(f"\r{text}{padding}")
        self.stream.flush()
        self._line = len(text)

    def finish(self, outcome: str = "done") -> None:
        """End the bar's line (terminal) or write the one summary line (otherwise).
        ``outcome``: "done"; "stopped" (Ctrl+C: the work was rolled back); "failed" (the
        command reports its own error)."""
        seconds = time.monotonic() - self.started
        if outcome == "done":
            summary = _("{label}: done in {seconds:.1f} s").format(
                label=self.label, seconds=seconds
            )
        elif outcome == "stopped":
            summary = _("{label}: stopped after {seconds:.1f} s, nothing was written").format(
                label=self.label, seconds=seconds
            )
        else:
            summary = ""
        if self.interactive:
            if self._line or summary:
                self._draw(self._text() if outcome == "done" else summary)
                self.stream.write("\n")
        elif summary:
            self.stream.write(summary + "\n")
        self.stream.flush()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, kind, _value, _traceback) -> None:
        if kind is None:
            self.finish("done")
        elif issubclass(kind, KeyboardInterrupt):
            self.finish("stopped")
        else:
            self.finish("failed")
