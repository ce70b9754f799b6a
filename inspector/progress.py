"""Progress on long work (compiling, fetching, log replay): one spinner line on stderr that
says what the scan is doing and for how long, redrawn in place and wiped when the work ends.
Only on a terminal: piped or redirected stderr gets nothing, so logs and CI output stay clean."""
from __future__ import annotations

import shutil
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TextIO

from inspector.printable import visible

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
ASCII_FRAMES = "|/-\\"
CLEAR = "\r\x1b[2K"


class Spinner:
    def __init__(self, stream: TextIO, interval: float = 0.1):
        self.stream = stream
        self.interval = interval
        try:
            FRAMES.encode(getattr(stream, "encoding", None) or "ascii")
            self.frames = FRAMES
        except (UnicodeEncodeError, LookupError):
            self.frames = ASCII_FRAMES
        self.message = ""
        self.tick = 0
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def __call__(self, message: str) -> None:
        with self.lock:
            self.message, self.started = visible(message), time.monotonic()
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="inspector-progress", daemon=True)
            self.thread.start()
        else:
            self._draw()  # a short step still shows before the next one replaces it

    def _run(self) -> None:
        while not self.stopped.is_set():
            self._draw()
            self.stopped.wait(self.interval)

    def _draw(self) -> None:
        with self.lock:
            if self.stopped.is_set():
                return
            frame = self.frames[self.tick % len(self.frames)]
            self.tick += 1
            elapsed = time.monotonic() - self.started
            line = f"{frame} {self.message} ({elapsed:.0f} s)"
            width = shutil.get_terminal_size((80, 24)).columns - 1
            self.stream.write(CLEAR + line[:width])
            self.stream.flush()

    def close(self) -> None:
        """Stop and wipe the line, so that what is printed next starts on a clean one."""
        with self.lock:
            self.stopped.set()
        if self.thread is not None:
            self.thread.join()
            self.stream.write(CLEAR)
            self.stream.flush()


@contextmanager
def progress_on(stream: TextIO) -> Iterator[Callable[[str], None]]:
    """A progress callback for the scan: a spinner on a terminal, silence elsewhere."""
    if not stream.isatty():
        yield lambda message: None
        return
    spinner = Spinner(stream)
    try:
        yield spinner
    finally:
        spinner.close()
