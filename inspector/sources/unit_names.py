"""Where each source unit an explorer names is written, below the address's sources folder.

The mapping is injective, so no two names can share a file: a component is kept when it is
made of plain characters, every other byte is written %XX (`%` itself included, so `a:b.sol`
and `a_b.sol` stay two files), `..` becomes `__up__` (and a real `__up__` is escaped), so
nothing climbs out. What cannot be written is refused, never dropped: a NUL byte, a
component over 255 bytes or a path over 4000, two names that still meet (`a/./b.sol` and
`a/b.sol`), a file that is also another file's folder (`A.sol` and `A.sol/B.sol`).
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Iterable

from inspector.sources.answers import quote

MAX_COMPONENT = 255  # bytes, what ext4, APFS, NTFS and most others allow
MAX_PATH = 4000  # bytes below the sources folder; PATH_MAX is 4096 with the folder
UP = "__up__"
_PLAIN = re.compile(r"[A-Za-z0-9._\-+@~,=()\[\] ]")


class UnitNameError(ValueError):
    """A set of names that cannot all be written as files; one line."""


def component(part: str) -> str:
    if part == "..":
        return UP
    if part == UP:
        return "%5F" + UP[1:]
    return "".join(c if _PLAIN.fullmatch(c) else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass")) for c in part)


def relative_path(name: str) -> PurePosixPath:
    if "\x00" in name:
        raise UnitNameError(f"the file name '{quote(name)}' holds a NUL byte")
    parts = [component(p) for p in name.split("/") if p not in ("", ".")]
    if not parts:
        raise UnitNameError(f"the file name '{quote(name)}' is empty")
    if any(len(p.encode()) > MAX_COMPONENT for p in parts):
        raise UnitNameError(f"the file name '{quote(name)}' has a part longer than {MAX_COMPONENT} bytes")
    path = PurePosixPath(*parts)
    if len(str(path).encode()) > MAX_PATH:
        raise UnitNameError(f"the file name '{quote(name)}' is longer than {MAX_PATH} bytes")
    return path


def disk_paths(names: Iterable[str]) -> dict[str, PurePosixPath]:
    """Each name's path below the sources folder, all distinct; else UnitNameError."""
    paths: dict[str, PurePosixPath] = {}
    owner: dict[PurePosixPath, str] = {}
    for name in names:
        path = relative_path(name)
        if path in owner:
            raise UnitNameError(f"the file names '{quote(owner[path])}' and '{quote(name)}' would be one file")
        owner[path], paths[name] = name, path
    for name, path in paths.items():
        folder = next((parent for parent in path.parents if parent in owner), None)
        if folder is not None:
            raise UnitNameError(f"'{quote(owner[folder])}' is a file and also a folder of '{quote(name)}'")
    return paths
