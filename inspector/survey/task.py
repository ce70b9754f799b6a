"""One system's scan, as a survey's worker runs it: the same pipeline, options, rules and
cache as `inspector scan --format json` of that system's targets, returned as the report's
JSON text, or as the one line the scan would have printed on failing. Nothing raised here
ends the survey: the worker's every failure is the system's `error`.

Each task opens the shared cache (SQLite in WAL mode, a 30 s busy timeout: parallel
writers wait for each other, see docs/decisions.md) and closes it when done."""
from __future__ import annotations

import functools
import gc
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from inspector.options import ScanOptions
from inspector.survey.model import System


@dataclass(frozen=True)
class SurveyScan:
    """What every system's scan is given: the command line's options and rule choice."""

    options: ScanOptions
    cwd: str  # the survey's working directory: relative paths are read from it
    rules_dirs: tuple[str, ...] = ()
    only_rules: tuple[str, ...] = ()
    excluded_rules: tuple[str, ...] = ()
    no_cache: bool = False
    debug: bool = False  # print a failing scan's traceback on the worker's stderr


@dataclass(frozen=True)
class Outcome:
    system: str
    report: str | None  # the JSON report, or None when the scan failed
    error: str = ""  # one line, as `inspector scan` prints it
    seconds: float = 0.0


@functools.lru_cache(maxsize=4)
def _catalogue(rules_dirs: tuple[str, ...]):
    """The rule catalogue, read once per worker process."""
    from inspector.rules.catalogue import load_rules

    return tuple(load_rules([Path(d) for d in rules_dirs]))


def scan_system(system: System, request: SurveyScan) -> Outcome:
    started = time.monotonic()
    try:
        report = _scan(system, request)
    except Exception as exc:  # noqa: BLE001 - every failure is this system's error, never the survey's end
        if request.debug:
            traceback.print_exception(exc)
        return Outcome(system.name, None, _one_line(exc), time.monotonic() - started)
    finally:
        gc.collect()  # a worker scans many systems: let go of this one's Slither objects now
    return Outcome(system.name, report, "", time.monotonic() - started)


def _scan(system: System, request: SurveyScan) -> str:
    from inspector.compile.solc_select_home import import_solc_select
    from inspector.paths import cache_dir
    from inspector.report import renderer
    from inspector.store import NullStore, Store
    from inspector.targets import parse_target

    targets = [parse_target(t) for t in system.targets]
    from inspector.config_file import rule_choice
    from inspector.rules.catalogue import select_rules

    config = request.options.config
    rules = select_rules(list(_catalogue(request.rules_dirs)), *rule_choice(config, request.only_rules, request.excluded_rules))
    import_solc_select()
    store = NullStore() if request.no_cache else Store(cache_dir() / "inspector.db")
    try:
        from inspector.scan import scan

        result = scan(targets, request.options, store, rules, Path(request.cwd))
    finally:
        store.close()
    return renderer("json")(result, colour=False)


def _one_line(exc: BaseException) -> str:
    from inspector.errors import InspectorError
    from inspector.printable import visible

    if isinstance(exc, InspectorError):
        return visible(str(exc))
    return f"internal error: {type(exc).__name__}: {visible(str(exc))}"
