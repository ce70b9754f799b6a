"""The baseline: findings a project has accepted, so that CI fails only on new ones.

A finding is known by its id (rule, file, contract, function, principal: not its line),
so moving code around does not make an accepted finding new.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from inspector.errors import ConfigError
from inspector.findings import Finding
from inspector.output import write_atomic
from inspector.safe_json import JSONError
from inspector.userfile import loads_json, read_text

VERSION = 1
_HINT = "write one with --write-baseline FILE"


def read_baseline(path: Path) -> frozenset[str]:
    """The ids in a baseline file."""
    try:
        data = loads_json(read_text(path))
    except FileNotFoundError:
        raise ConfigError(f"cannot read baseline {path}: no such file", _HINT) from None
    except OSError as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc.strerror[:1].lower()}{exc.strerror[1:]}", _HINT) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"baseline {path} is not JSON: {exc}", _HINT) from None
    except JSONError as exc:
        raise ConfigError(f"baseline {path}: {exc}", _HINT) from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(entries, list):
        raise ConfigError(f"baseline {path} is not an inspector baseline (version {VERSION} with a findings list)", _HINT)
    if not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in entries):
        raise ConfigError(f"baseline {path} has a finding without an id", _HINT)
    return frozenset(e["id"] for e in entries)


def write_baseline(path: Path, findings: Iterable[Finding]) -> None:
    entries = [{"id": f.id, "rule": f.rule, "contract": f.contract, "function": f.function, "file": f.file}
               for f in sorted(findings, key=lambda f: (f.rule, f.file, f.contract, f.function, f.id))]
    unique = list({e["id"]: e for e in entries}.values())
    write_atomic(path, json.dumps({"version": VERSION, "findings": unique}, indent=2) + "\n", "--write-baseline")


def split(findings: Iterable[Finding], known: frozenset[str]) -> tuple[list[Finding], list[Finding]]:
    """(new findings, findings already in the baseline)."""
    findings = list(findings)
    return [f for f in findings if f.id not in known], [f for f in findings if f.id in known]
