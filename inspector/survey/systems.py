"""SYSTEMS.csv -> the systems of a survey. One row per target under a header naming the
columns `system` and `target` (others are ignored: a researcher's notes may sit beside them);
rows sharing a system name form one system, in the file's order. Every target is checked as
`inspector scan` checks its own before anything is scanned: a typo on line 2000 is refused
at once, not after hours of scanning. Relative paths are read from the working directory,
as `inspector scan --targets FILE` reads them.

Each system gets a file name of its own under DIR/reports/ (`slug`): its name where that is a
safe file name, else the name made safe plus a short hash of it, so that no name (`../x`,
`CON`, one differing only in case from another) can write outside DIR or over another's report."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from inspector.errors import ConfigError, InspectorError
from inspector.printable import visible
from inspector.survey.model import System

MAX_BYTES = 64 * 1024 * 1024  # a survey of a million targets is far below this
MAX_NAME = 200
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
_HINT = "write SYSTEMS.csv with a header 'system,target' and one row per target"


def read_systems(path: Path, cwd: Path) -> tuple[System, ...]:
    from inspector.userfile import read_text

    try:
        text = read_text(path, MAX_BYTES)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}", _HINT) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text", _HINT) from None
    return parse_systems(text.removeprefix("\ufeff"), str(path), cwd)


def parse_systems(text: str, where: str, cwd: Path) -> tuple[System, ...]:
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows, None)
        if header is None:
            raise ConfigError(f"{where} is empty", _HINT)
        columns = [c.strip().lower() for c in header]
        missing = [c for c in ("system", "target") if c not in columns]
        if missing:
            raise ConfigError(f"{where}: the header has no column {' or '.join(repr(m) for m in missing)}", _HINT)
        system_at, target_at = columns.index("system"), columns.index("target")
        found: dict[str, list[str]] = {}
        for row in rows:
            line = rows.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank lines
            if len(row) <= max(system_at, target_at):
                raise ConfigError(f"{where} line {line}: {len(row)} column(s), the header has {len(header)}", _HINT)
            name, target = row[system_at].strip(), row[target_at].strip()
            _check_name(name, where, line)
            if not target:
                raise ConfigError(f"{where} line {line}: system '{visible(name)}' has no target", _HINT)
            target = _check_target(target, where, line, cwd)
            targets = found.setdefault(name, [])
            if target in targets:
                raise ConfigError(f"{where} line {line}: '{visible(target)}' is already a target of system "
                                  f"'{visible(name)}'", "list each target of a system once")
            targets.append(target)
    except csv.Error as exc:
        raise ConfigError(f"{where} line {rows.line_num}: not CSV ({exc})", _HINT) from None
    if not found:
        raise ConfigError(f"{where} has a header but no systems", _HINT)
    slugs = _slugs(list(found))
    return tuple(System(name, tuple(targets), slugs[name]) for name, targets in found.items())


def _check_name(name: str, where: str, line: int) -> None:
    if not name:
        raise ConfigError(f"{where} line {line}: a row with no system name", _HINT)
    if len(name) > MAX_NAME:
        raise ConfigError(f"{where} line {line}: a system name of {len(name)} characters", f"keep names under {MAX_NAME}")
    if name != visible(name):
        raise ConfigError(f"{where} line {line}: the system name '{visible(name)}' holds control characters",
                          "name systems with printable text")


def _check_target(target: str, where: str, line: int, cwd: Path) -> str:
    """The target as the scan names it (an address checksummed), once checked."""
    from inspector.sources.project import check_target
    from inspector.targets import PathTarget, parse_target

    try:
        parsed = parse_target(target)
        if isinstance(parsed, PathTarget):
            check_target(parsed.path, cwd)
    except InspectorError as exc:
        raise ConfigError(f"{where} line {line}: {exc.cause}", exc.hint) from None
    return str(parsed)


def _slugs(names: list[str]) -> dict[str, str]:
    """A file name per system, unique even on a case-insensitive file system."""
    plain = {}
    for name in names:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")[:60] or "system"
        plain[name] = safe
    taken: dict[str, int] = {}
    for safe in plain.values():
        taken[safe.casefold()] = taken.get(safe.casefold(), 0) + 1
    slugs = {}
    for name, safe in plain.items():
        if _SAFE.fullmatch(name) and name == safe and taken[safe.casefold()] == 1:
            slugs[name] = name
        else:
            slugs[name] = f"{safe}-{hashlib.sha256(name.encode()).hexdigest()[:10]}"
    return slugs
