"""Write a report atomically: all of it or nothing, never half a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from inspector.errors import ConfigError


def check_writable(path: Path) -> None:
    """Fail before a long scan, not after it, when the report could not be written."""
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ConfigError(f"cannot write {path}: it is a folder", "pass a file path to --output")
    if not parent.is_dir():
        raise ConfigError(f"cannot write {path}: folder {parent} does not exist", "create the folder or choose another --output")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"cannot write {path}: permission denied", "choose a writable --output path")


def write_atomic(path: Path, text: str) -> None:
    check_writable(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(f"cannot write {path}: {exc.strerror}", "choose a writable --output path") from exc
