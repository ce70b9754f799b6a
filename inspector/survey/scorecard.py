"""The scorecard: one row per system, read from its JSON scan report (so a row says exactly
what `inspector scan --format json` of that system alone says), written as CSV and Parquet.

CSV cells that a spreadsheet would run as a formula (text starting with =, +, -, @, a tab or
a carriage return: system names and errors come from the user's file and from chains) are
written with a leading apostrophe, as OWASP advises; Parquet keeps every value as it is."""
from __future__ import annotations

import csv
import io
from dataclasses import astuple
from typing import Iterable, Mapping

from inspector.score.model import AXES
from inspector.survey.model import COLUMNS, ScorecardRow, System

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def report_path(system: System) -> str:
    return f"reports/{system.slug}.json"


def row_from_report(system: System, document: Mapping) -> ScorecardRow:
    """A system's row from its scan report (schema 2.x or 3.x)."""
    score = document.get("score") or None
    graph = document.get("control_graph") or {}
    by_severity = (document.get("summary") or {}).get("by_severity") or {}
    fields: dict = {}
    if score is not None:
        axes = score.get("axes") or {}
        deductions = score.get("deductions") or []
        strongest = max(deductions, key=lambda d: d.get("points", 0), default=None)  # the first of equals
        fields = {
            "analysed": (score.get("coverage") or {}).get("analysed"),
            "complete": score.get("complete"),
            "score": score.get("total"), "grade": score.get("grade"), "stage": score.get("stage"),
            **{axis: axes.get(axis) for axis in AXES},
            "strongest_power": strongest.get("power", "") if strongest else "",
            "strongest_power_key": strongest.get("key", "") if strongest else "",
        }
    return ScorecardRow(
        system=system.name, targets=len(system.targets), skipped=len(document.get("skipped") or []),
        findings_high_or_above=int(by_severity.get("critical", 0)) + int(by_severity.get("high", 0)),
        chain=graph.get("chain") or "", block=graph.get("block"), report=report_path(system), **fields)


def row_from_error(system: System, error: str) -> ScorecardRow:
    return ScorecardRow(system=system.name, targets=len(system.targets), error=error)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA) else text


def csv_text(rows: Iterable[ScorecardRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(v) for v in astuple(row)])
    return out.getvalue()


def parquet_bytes(rows: list[ScorecardRow]) -> bytes:
    """The same table, typed (nulls where unknown), as a Parquet file's bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"targets": pa.int64(), "analysed": pa.int64(), "skipped": pa.int64(), "complete": pa.bool_(),
             "score": pa.float64(), "stage": pa.int64(), "findings_high_or_above": pa.int64(), "block": pa.int64(),
             **{axis: pa.float64() for axis in AXES}}
    schema = pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])
    table = pa.Table.from_pylist([dict(zip(COLUMNS, astuple(r))) for r in rows], schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()
