"""Headless chromium (Debian's package) for the report tests. A missing chromium fails the
test that needs it rather than skipping it: CI installs it (scripts/setup)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("chromium is not installed: run scripts/setup (apt-get install -y chromium) or install it yourself")
    return found


def load(page: Path, profile: Path, *flags: str, fragment: str = "") -> tuple[str, list[str]]:
    """The DOM after loading the page (at `fragment`: "#sort=score"), and what the page logged to the console."""
    done = subprocess.run(
        [chromium(), "--headless", "--disable-gpu", "--no-sandbox", f"--user-data-dir={profile}", "--enable-logging=stderr",
         "--v=0", *flags, "--dump-dom", page.resolve().as_uri() + fragment],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
