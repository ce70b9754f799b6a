"""Write a report atomically: all of it or nothing, never half a file.

A path that is a symbolic link is written through to the link's target, as the shell's `>`
writes, and the link stays a link: the temporary file is made in the target's folder and
renamed over the target. Refused with one line: a dangling link (it would create a file
wherever the link points), a link loop, a link to a folder, and a link another user owns
(in a shared folder such as /tmp, that is how someone else's file would be overwritten).

A destination that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written to,
as the shell writes, never renamed over: replacing a device with a file would break every
program that uses it (as root, `-o /dev/null` would have replaced the system's /dev/null).
A FIFO nobody reads is refused rather than waited on.
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from inspector.errors import ConfigError


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def destination(path: Path, option: str = "--output") -> Path:
    """The file a write to `path` replaces: `path`, or the target of the link it is."""
    if not path.is_symlink():
        return path
    hint = f"pass the file itself to {option}"
    if os.lstat(path).st_uid != os.geteuid():
        raise ConfigError(f"cannot write {path}: it is a symbolic link owned by another user", hint)
    try:
        return Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        what = "a symbolic link loop" if exc.errno == errno.ELOOP else f"a symbolic link to {os.readlink(path)}, which does not exist"
        raise ConfigError(f"cannot write {path}: it is {what}", hint) from None


def check_writable(path: Path, option: str = "--output") -> None:
    """Fail before a long scan, not after it, when the report could not be written.
    The test is a real file created and removed in the folder: permission bits say
    nothing to root, nor about read-only file systems."""
    hint = f"choose a writable {option} path"
    target = destination(path, option)
    if _special(target):
        if not os.access(target, os.W_OK):
            raise ConfigError(f"cannot write {path}: permission denied", hint)
        return
    if target.is_dir():
        raise ConfigError(f"cannot write {path}: it is a folder", f"pass a file path to {option}")
    if not _folder(target).is_dir():
        raise ConfigError(f"cannot write {path}: folder {_folder(target)} does not exist", "create the folder or " + hint)
    if target.exists() and not os.access(target, os.W_OK):
        raise ConfigError(f"cannot write {path}: permission denied", hint)
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}.", dir=_folder(target))
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


def write_atomic(path: Path, text: str | bytes, option: str = "--output") -> None:
    """The whole text or nothing at `path`, readable as any file the user creates: mkstemp's
    temporary file is private (0600), so it gets 0666 less the umask before it is renamed.
    Whatever fails (a full disk, text that cannot be encoded), the temporary file goes."""
    check_writable(path, option)
    target = destination(path, option)
    if _special(target):
        _write_through(path, target, text, option)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=_folder(target))
    try:
        with _opened(fd, text) as handle:
            handle.write(text)
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ConfigError(f"cannot write {path}: {exc.strerror.lower()}", f"choose a writable {option} path") from exc
        raise


def _special(target: Path) -> bool:
    """A device, FIFO or socket: something to write to, not a file to replace."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _opened(fd: int, text: str | bytes):
    return os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8")


def _write_through(path: Path, target: Path, text: str | bytes, option: str) -> None:
    """Write to a device or FIFO as the shell's `>` does; a FIFO with no reader is refused,
    not waited on (opening it without blocking fails at once)."""
    hint = f"choose a writable {option} path"
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        why = "no process reads it" if exc.errno == errno.ENXIO else (exc.strerror or "it cannot be opened").lower()
        raise ConfigError(f"cannot write {path}: {why}", hint) from None
    try:
        os.set_blocking(fd, True)
        with _opened(fd, text) as handle:
            handle.write(text)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {(exc.strerror or 'write failed').lower()}", hint) from None
