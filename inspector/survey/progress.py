"""A survey's progress on stderr: systems done of all, the rate and the time left. On a
terminal, one bar redrawn in place; elsewhere (a log, CI, a batch job) one line per system
as it ends, so a survey of thousands can be followed with `tail -f`."""
from __future__ import annotations

import math
import shutil
import time
from typing import TextIO

from inspector.printable import visible
from inspector.survey.task import Outcome

CLEAR = "\r\x1b[2K"
WIDTH = 24


class SurveyProgress:
    def __init__(self, stream: TextIO, total: int, done: int, clock=time.monotonic) -> None:
        self.stream, self.total, self.done, self.clock = stream, total, done, clock
        self.scanned = 0  # in this run
        self.failed = 0
        self.started = clock()
        self.live = stream.isatty()

    def rate(self) -> float | None:
        """Systems per minute in this run."""
        elapsed = self.clock() - self.started
        return self.scanned / elapsed * 60 if self.scanned and elapsed > 0 else None

    def status(self) -> str:
        rate = self.rate()
        left = self.total - self.done
        pace = f"{rate:.1f} systems/min" if rate is not None else "- systems/min"
        eta = f"ETA {_eta(left / rate * 60)}" if rate else "ETA -"
        return f"{self.done}/{self.total} systems, {pace}, {eta}"

    def finished(self, outcome: Outcome) -> None:
        self.done += 1
        self.scanned += 1
        self.failed += bool(outcome.error)
        what = f"failed: {outcome.error}" if outcome.error else f"scanned in {outcome.seconds:.0f} s"
        if self.live:
            filled = round(WIDTH * self.done / self.total) if self.total else WIDTH
            line = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {self.status()} ({visible(outcome.system)} {what})"
            width = shutil.get_terminal_size((100, 24)).columns - 1
            self.stream.write(CLEAR + line[:width])
        else:
            self.stream.write(f"{self.status()}: {visible(outcome.system)} {what}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write(CLEAR)
            self.stream.flush()


def _eta(seconds: float) -> str:
    """'40 s', '7 min', '3 h 5 min': rounded up, an estimate."""
    whole = math.ceil(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = math.ceil(whole / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"
