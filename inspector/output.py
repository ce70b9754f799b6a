"""Write a report atomically: all of it or nothing, never half a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from inspector.errors import ConfigError


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def check_writable(path: Path, option: str = "--output") -> None:
    """Fail before a long scan, not after it, when the report could not be written.
    The test is a real file created and removed in the folder: permission bits say
    nothing to root, nor about read-only file systems."""
    hint = f"choose a writable {option} path"
    if path.is_dir():
        raise ConfigError(f"cannot write {path}: it is a folder", f"pass a file path to {option}")
    if not _folder(path).is_dir():
        raise ConfigError(f"cannot write {path}: folder {_folder(path)} does not exist", "create the folder or " + hint)
    if path.exists() and not os.access(path, os.W_OK):
        raise ConfigError(f"cannot write {path}: permission denied", hint)
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", dir=_folder(path))
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror.lower()}", hint) from exc
    os.close(fd)
    os.unlink(probe)


def write_atomic(path: Path, text: str, option: str = "--output") -> None:
    check_writable(path, option)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=_folder(path))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(f"cannot write {path}: {exc.strerror.lower()}", f"choose a writable {option} path") from exc
