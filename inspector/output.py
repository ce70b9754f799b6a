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


def _umask() -> int:
    """The process's umask. Linux shows it in /proc/self/status, which reads it without
    changing it; elsewhere it can only be read by setting another, so a restrictive one is
    set for that instant and the old one put back."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str, option: str = "--output") -> None:
    """The whole text or nothing at `path`, readable as any file the user creates: mkstemp's
    temporary file is private (0600), so it gets 0666 less the umask before it is renamed."""
    check_writable(path, option)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=_folder(path))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(f"cannot write {path}: {exc.strerror.lower()}", f"choose a writable {option} path") from exc
