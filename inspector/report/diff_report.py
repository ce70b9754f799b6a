"""The changes between two reports, for people (text) and for programs (json)."""
from __future__ import annotations

import json
from collections import Counter

from inspector.findings import Severity
from inspector.report.diff import Change
from inspector.report.reader import Report
from inspector.printable import visible


def _source(report: Report) -> dict:
    return {"file": report.name, "targets": list(report.targets), "chain": report.chain or None, "block": report.block}


def render_json(old: Report, new: Report, changes: list[Change]) -> str:
    return json.dumps({
        "old": _source(old),
        "new": _source(new),
        "changes": [{"kind": c.kind, "subject": c.subject, "old": c.old, "new": c.new, "severity": str(c.severity),
                     "message": c.message} for c in changes],
    }, indent=2) + "\n"


def _label(report: Report) -> str:
    return report.name + (f" (block {report.block})" if report.block is not None else "")


def render_text(old: Report, new: Report, changes: list[Change]) -> str:
    head = f"{_label(old)} -> {_label(new)}: "
    if not changes:
        return head + "no changes\n"
    counts = Counter(c.severity for c in changes)
    tally = ", ".join(f"{counts[s]} {s}" for s in sorted(Severity, reverse=True) if counts[s])
    lines = [head + f"{len(changes)} change{'s' if len(changes) != 1 else ''} ({tally})"]
    lines += [f"{str(c.severity):<8} {c.kind:<23} {c.message}" for c in changes]
    return "\n".join(visible(line) for line in lines) + "\n"
