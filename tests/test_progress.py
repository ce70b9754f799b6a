"""Progress on stderr: a spinner on a terminal, nothing at all anywhere else."""
from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
import time

from conftest import FIXTURES, REPO
from inspector.progress import CLEAR, FRAMES, Spinner, progress_on

POSITIVE = FIXTURES / "admin-key-single-owner" / "positive"
SCAN = ["scan", "OwnedToken.sol", "--no-cache", "--format", "json", "--fail-on", "none", "--rule", "admin-key-single-owner"]


class Terminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def test_not_a_terminal_gets_no_progress(run_process):
    done = run_process(SCAN, cwd=POSITIVE)  # --no-cache: it compiles, the long work progress is for
    assert done.returncode == 0
    assert done.stderr == ""
    assert json.loads(done.stdout)["compilation"][0]["route"] == "solcjs"


def test_progress_on_a_pipe_is_silent_and_starts_no_thread():
    stream = io.StringIO()
    with progress_on(stream) as progress:
        progress("compiling 3 file(s) with solc 0.8.28")
    assert stream.getvalue() == ""


def test_spinner_redraws_one_line_and_wipes_it_at_the_end():
    stream = Terminal()
    with progress_on(stream) as progress:
        assert isinstance(progress, Spinner)
        progress.interval = 0.01
        progress("compiling 3 file(s) with solc 0.8.28")
        time.sleep(0.1)
        progress("analysing 3 file(s) with Slither")
        time.sleep(0.1)
    written = stream.getvalue()
    assert "\n" not in written and written.endswith(CLEAR)
    draws = [d for d in written.split(CLEAR) if d]
    assert draws[0] == f"{FRAMES[0]} compiling 3 file(s) with solc 0.8.28 (0 s)"
    assert draws[-1].endswith("analysing 3 file(s) with Slither (0 s)")
    assert {d[0] for d in draws} > {FRAMES[0]}  # it turns


def test_spinner_falls_back_to_ascii_where_braille_cannot_be_written():
    stream = Terminal()
    stream.encoding = "ascii"
    assert Spinner(stream).frames == "|/-\\"


def test_a_terminal_sees_the_spinner_and_stdout_stays_the_report():
    primary, secondary = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "inspector", *SCAN], cwd=POSITIVE, stdout=subprocess.PIPE, stderr=secondary,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    stdout, _ = child.communicate(timeout=300)
    os.close(primary)
    assert child.returncode == 0
    text = seen.decode()
    assert "compiling 1 file(s) with solc 0.8." in text and "analysing 1 file(s) with Slither" in text
    assert text.endswith(CLEAR) and "\n" not in text
    assert json.loads(stdout)["findings"][0]["rule"] == "admin-key-single-owner"
