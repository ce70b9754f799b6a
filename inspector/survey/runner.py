"""A survey from start to end: which systems DIR already holds, the others scanned on the
engine as they come back, then the scorecard (CSV, Parquet) and the leaderboard (index.html).

DIR's layout: `reports/<slug>.json` (each system's full scan report), `errors/<slug>.json`
(why a system has none: its name, targets and the error), `scorecard.csv`,
`scorecard.parquet`, `index.html`. Each file is written whole or not at all (a temporary
file renamed), as soon as its system ends: an interrupted survey keeps every system it
finished, and the same command goes on where it stopped. A system is done when DIR holds a
report (or an error) for exactly its targets; `--refresh` scans every system again,
`--retry-failed` those that failed. One survey writes to a DIR at a time (a lock file)."""
from __future__ import annotations

import errno
import fcntl
import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence, TextIO

from inspector.errors import ConfigError, InspectorError
from inspector.output import write_atomic
from inspector.survey.engine import Engine
from inspector.survey.model import ScorecardRow, System
from inspector.survey.progress import SurveyProgress
from inspector.survey.scorecard import csv_text, parquet_bytes, report_path, row_from_error, row_from_report
from inspector.survey.task import Outcome, SurveyScan

MAX_REPORT = 512 * 1024 * 1024


@dataclass(frozen=True)
class SurveyResult:
    rows: tuple[ScorecardRow, ...]
    scanned: int  # systems scanned in this run
    kept: int  # systems whose report or error DIR already held

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if row.error)


class Interrupted(InspectorError):
    pass


def run_survey(systems: Sequence[System], out: Path, request: SurveyScan, engine: Callable[[], Engine], stream: TextIO,
               refresh: bool = False, retry_failed: bool = False, render_index: Callable[[Sequence[ScorecardRow]], str] | None = None
               ) -> SurveyResult:
    with _locked(out):
        for folder in (out / "reports", out / "errors"):
            folder.mkdir(exist_ok=True)
        rows: dict[str, ScorecardRow] = {}
        if not refresh:
            for system in systems:
                row = _kept(system, out, retry_failed)
                if row is not None:
                    rows[system.name] = row
        todo = [s for s in systems if s.name not in rows]
        kept = len(rows)
        if todo:
            by_name = {s.name: s for s in todo}
            progress = None
            try:
                with engine() as made:
                    stream.write(f"survey: {len(systems)} systems, {kept} already in {out}, {len(todo)} to scan on {made.describe()}\n")
                    stream.flush()
                    progress = SurveyProgress(stream, len(systems), kept)
                    for outcome in made.results(todo, request):
                        rows[outcome.system] = _save(by_name[outcome.system], outcome, out)
                        progress.finished(outcome)
            except KeyboardInterrupt:
                scanned = progress.scanned if progress is not None else 0
                raise Interrupted(f"interrupted after {scanned} of {len(todo)} systems",
                                  f"{out} keeps their reports; run the same command again to go on") from None
            finally:
                if progress is not None:
                    progress.close()
        else:
            stream.write(f"survey: all {len(systems)} systems already in {out} (--refresh scans them again)\n")
        ordered = tuple(rows[s.name] for s in systems)
        write_atomic(out / "scorecard.csv", csv_text(ordered), "--out")
        write_atomic(out / "scorecard.parquet", parquet_bytes(list(ordered)), "--out")
        if render_index is not None:
            write_atomic(out / "index.html", render_index(ordered), "--out")
        return SurveyResult(ordered, len(todo), kept)


def _kept(system: System, out: Path, retry_failed: bool) -> ScorecardRow | None:
    """The system's row from what DIR holds for exactly its targets, else None (scan it)."""
    document = _read(out / report_path(system))
    if isinstance(document, dict) and _targets(document) == system.targets:
        return row_from_report(system, document)
    failure = None if retry_failed else _read(_error_path(system, out))
    if (isinstance(failure, dict) and failure.get("system") == system.name and tuple(failure.get("targets") or ()) == system.targets
            and isinstance(failure.get("error"), str)):
        return row_from_error(system, failure["error"])
    return None


def _targets(document: dict) -> tuple[str, ...]:
    found = document.get("targets")
    if not isinstance(found, list):
        return ()
    return tuple(t.get("target") if isinstance(t, dict) else t for t in found)  # 3.x objects, 2.x strings


def _read(path: Path):
    from inspector.userfile import loads_json, read_text

    try:
        return loads_json(read_text(path, MAX_REPORT))
    except (OSError, ValueError):  # absent, unreadable or not JSON: not a finished system
        return None


def _error_path(system: System, out: Path) -> Path:
    return out / "errors" / f"{system.slug}.json"


def _save(system: System, outcome: Outcome, out: Path) -> ScorecardRow:
    """Write what the scan gave and drop what it replaces: a report and an error never both stand."""
    report, error = out / report_path(system), _error_path(system, out)
    if outcome.report is not None:
        write_atomic(report, outcome.report, "--out")
        error.unlink(missing_ok=True)
        return row_from_report(system, json.loads(outcome.report))
    write_atomic(error, json.dumps({"system": system.name, "targets": list(system.targets), "error": outcome.error}, indent=2) + "\n", "--out")
    report.unlink(missing_ok=True)
    return row_from_error(system, outcome.error)


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = open(out / ".survey.lock", "a+")
    except OSError as exc:
        raise ConfigError(f"cannot write to --out {out}: {(exc.strerror or str(exc)).lower()}", "choose a writable folder") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise ConfigError(f"another survey is writing to {out}", "wait for it to end, or pass another --out") from None
            raise
        yield
    finally:
        handle.close()
