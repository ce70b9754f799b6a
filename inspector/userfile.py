"""Read files that come from the user (config, baseline, reports given to diff, project
files, sources): regular files only, UTF-8 only, and parsers whose every failure is the
error its caller already handles.

- `read_text` opens without blocking and checks what it opened: a FIFO, socket or device
  named like a source file would otherwise hang the scan or read from a terminal. Every
  failure is an OSError whose `strerror` says why in words, so a caller's `except OSError`
  turns it into its one line.
- `loads_json` and `loads_toml` raise only the decoder's own error (JSONDecodeError,
  TOMLDecodeError) for what Python's parsers let through as other exceptions: integers past
  Python's int-string conversion limit (ValueError), nesting past the recursion limit
  (RecursionError), and JSON's non-standard NaN and Infinity. They parse under Python's
  default recursion limit: py-ecc (imported with web3) raises it to 100000 for the whole
  process, and a file nested 100000 deep then overflows the C stack (a segfault, not an error).
"""
from __future__ import annotations

import errno
import json
import os
import stat
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from inspector import safe_json

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - setup.cfg installs tomli there
    import tomli as tomllib

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


class Unreadable(OSError):
    """A user file that cannot be read as text; `strerror` says why."""


def not_regular(mode: int) -> str:
    """What a file of this st_mode is when it is not a regular file ('' when it is one)."""
    if stat.S_ISREG(mode):
        return ""
    return next((name for test, name in _KINDS if test(mode)), "a special file")


def _refuse(mode: int) -> None:
    kind = not_regular(mode)
    if kind:
        raise Unreadable(errno.EISDIR if kind == "a folder" else errno.EINVAL, f"it is {kind}, not a regular file")


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """The text of a regular UTF-8 file. A FIFO, socket, device or folder is refused before
    it is read (the open does not block, and what was opened is checked, not the name); a file
    over `max_bytes` is refused unread (build artifacts can be any size)."""
    _refuse(os.stat(path).st_mode)  # a socket cannot even be opened; a device should not be
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        opened = os.fstat(fd)
        _refuse(opened.st_mode)  # what was opened, should the name now point elsewhere
        if max_bytes is not None and opened.st_size > max_bytes:
            raise Unreadable(errno.EFBIG, f"it is larger than {_size(max_bytes)}")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
        if max_bytes is not None and len(data) > max_bytes:  # it grew while read
            raise Unreadable(errno.EFBIG, f"it is larger than {_size(max_bytes)}")
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Unreadable(errno.EILSEQ, f"not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})") from None


@contextmanager
def _shallow(levels: int = 1000) -> Iterator[None]:
    """At most `levels` more Python frames (each nesting level of JSON or TOML takes one)."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(min(old, depth + levels))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _size(count: int) -> str:
    return f"{count // 2**20} MiB" if count >= 2**20 else f"{count} bytes"


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def loads_json(text: str) -> Any:
    """json.loads, strict: NaN and Infinity are refused, nesting is bounded before anything is
    parsed (safe_json: a JSONError), and every other failure is a JSONDecodeError."""
    try:
        return safe_json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, safe_json.JSONError):
        raise
    except ValueError as exc:  # a number past the int-string conversion limit, or NaN
        raise json.JSONDecodeError(_number_problem(exc), text, 0) from None


def loads_toml(text: str) -> dict:
    """tomllib.loads, with every failure a TOMLDecodeError."""
    try:
        with _shallow():
            return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:
        raise tomllib.TOMLDecodeError("nested too deeply") from None
    except ValueError as exc:
        raise tomllib.TOMLDecodeError(_number_problem(exc)) from None


def _number_problem(exc: ValueError) -> str:
    text = str(exc)
    if "integer string conversion" in text:
        return f"a number has more than {sys.get_int_max_str_digits()} digits"
    return text
