"""Read a JSON report back (`inspector scan --format json`) into the typed values it was
written from, so that later stages (`inspector diff`) never pass raw dicts around.

Only what a comparison needs is read: targets, the control graph, findings, holder
concentration, the score, and each function's guards (which role a power belongs to).
Unknown keys are ignored, as the schema's minor versions promise.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspector.chain.accounts import Account
from inspector.chain.edges import Edge, labelled
from inspector.chain.holders import Holders
from inspector.errors import InspectorError
from inspector.facts.model import Guard
from inspector.findings import Evidence, Finding, Severity
from inspector.report.json_report import SCHEMA_VERSION
from inspector.safe_json import JSONError
from inspector.score.model import AXES, Axes, ContractScore, Coverage, Score
from inspector.userfile import loads_json, read_text
from inspector.vocabulary import GuardKind


# Majors this version reads: 2.0 changed the score's deductions (one per power, not per
# rule), which a comparison does not read; the totals, axes, stage and grade it compares are in both;
# 3.0 made each target an object saying how its deployed code was matched (the name is read from it).
READABLE = ("1", "2", SCHEMA_VERSION.split(".")[0])


class ReportError(InspectorError):
    """A file that is not a readable inspector JSON report of a schema this version reads."""


@dataclass(frozen=True)
class Report:
    name: str  # the file it was read from, for messages
    targets: tuple[str, ...]
    chain: str
    block: int | None
    nodes: dict[str, Account]  # by address
    edges: tuple[Edge, ...]
    findings: dict[str, Finding]  # by the id the report gives
    holders: dict[str, Holders]  # by token address
    score: Score | None
    # (contract, function, capability) -> who may use it there, as the facts name them
    guards: dict[tuple[str, str, str], tuple[Guard, ...]]
    skipped: dict[str, str]  # target -> why it could not be scanned
    unresolved: dict[tuple[str, str], str]  # (contract address, principal) -> why its holders could not be read


class _Fields:
    """Typed access to one JSON object, naming the place of a bad field in the error."""

    def __init__(self, data: Any, where: str, name: str) -> None:
        if not isinstance(data, dict):
            raise ReportError(f"{name}: not an inspector report: {where or 'the document'} is not an object",
                              "pass a file written by 'inspector scan --format json'")
        self.data, self.where, self.name = data, where, name

    def get(self, key: str, kind: type | tuple, default: Any = ...) -> Any:
        if key not in self.data or (self.data[key] is None and default is not ...):
            if default is ...:
                raise self._bad(key, "is missing")
            return default
        value = self.data[key]
        # bool is an int to Python, never to the schema
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            raise self._bad(key, f"is not {_names(kind)}")
        return value

    def number(self, key: str) -> float:
        """A finite number: 1e999 reads as infinity and a long integer overflows a float."""
        value = self.get(key, _NUMBER)
        try:
            value = float(value)
        except OverflowError:
            raise self._bad(key, "is too large a number") from None
        if not math.isfinite(value):
            raise self._bad(key, "is not a finite number")
        return value

    def sub(self, key: str, default: Any = ...) -> "_Fields | None":
        value = self.get(key, dict, default)
        return None if value is None else _Fields(value, self._path(key), self.name)

    def items(self, key: str, default: Any = ()) -> list["_Fields"]:
        return [_Fields(item, f"{self._path(key)}[{i}]", self.name) for i, item in enumerate(self.get(key, list, default))]

    def strings(self, key: str, default: Any = ()) -> tuple[str, ...]:
        values = self.get(key, list, default)
        if not all(isinstance(v, str) for v in values):
            raise self._bad(key, "is not a list of strings")
        return tuple(values)

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _bad(self, key: str, what: str) -> ReportError:
        return ReportError(f"{self.name}: not an inspector report: {self._path(key)} {what}",
                           "pass a file written by 'inspector scan --format json'")


def _tuple(kind: type | tuple) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


def _names(kind: type | tuple) -> str:
    return " or ".join({str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "a list",
                        dict: "an object", type(None): "null"}[k] for k in _tuple(kind))


_NUMBER = (int, float)


def load_report(path: Path) -> Report:
    try:
        text = read_text(path)
    except OSError as exc:
        raise ReportError(f"cannot read {path}: {exc.strerror}",
                          "pass a JSON report written by 'inspector scan --format json'") from None
    try:
        data = loads_json(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{path}: not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                          "pass a JSON report written by 'inspector scan --format json'") from None
    except JSONError as exc:
        raise ReportError(f"{path}: {exc}", "pass a JSON report written by 'inspector scan --format json'") from None
    return parse_report(data, str(path))


def parse_report(data: Any, name: str) -> Report:
    root = _Fields(data, "", name)
    version = root.get("schema_version", str)
    if version.split(".")[0] not in READABLE:
        raise ReportError(f"{name}: schema_version {version} is not supported",
                          f"this inspector reads {', '.join(m + '.x' for m in READABLE[:-1])} and {READABLE[-1]}.x reports; scan again with it")
    graph = root.sub("control_graph", None)
    return Report(
        name=name,
        targets=_target_names(root),
        chain=graph.get("chain", str, "") if graph else "",
        block=graph.get("block", int, None) if graph else None,
        nodes={node.address: node for node in (_node(n) for n in graph.items("nodes"))} if graph else {},
        edges=tuple(_edge(e) for e in graph.items("edges")) if graph else (),
        findings={f.get("id", str): _finding(f) for f in root.items("findings", ...)},
        holders={h.token: h for h in (_holders(h) for h in root.items("holders"))},
        score=_score(root.sub("score", None)),
        guards=_guards(root.sub("facts", None)),
        skipped={s.get("target", str): s.get("reason", str, "") for s in root.items("skipped")},
        unresolved={(u.get("contract", str), u.get("principal", str)): u.get("reason", str, "")
                    for u in (graph.items("unresolved") if graph else [])},
    )


def _target_names(root: _Fields) -> tuple[str, ...]:
    """The targets as given: strings before schema 3, objects naming them since."""
    if all(isinstance(t, str) for t in root.get("targets", list, ...)):
        return root.strings("targets", ...)
    return tuple(t.get("target", str) for t in root.items("targets", ...))


def _node(node: _Fields) -> Account:
    return Account(
        address=node.get("address", str), kind=node.get("kind", str), label=node.get("label", str, ""),
        threshold=node.get("threshold", int, None), owners=list(node.strings("owners")),
        delay=node.get("delay", int, None), details=dict(node.get("details", dict, {})),
        # reports before names (and unnamed nodes) have none
        name=node.get("name", str, ""), name_source=node.get("name_source", str, ""),
    )


def _edge(edge: _Fields) -> Edge:
    return labelled(edge.get("from", str), edge.get("to", str), edge.get("capability", str), edge.get("function", str, ""),
                    edge.get("delay", int, 0))


def _finding(finding: _Fields) -> Finding:
    severity = finding.get("severity", str)
    if severity not in {str(s) for s in Severity}:
        raise finding._bad("severity", f"'{severity}' is not a severity")
    return Finding(
        rule=finding.get("rule", str), category=finding.get("category", str, ""), severity=Severity.parse(severity),
        confidence=finding.get("confidence", str, ""), contract=finding.get("contract", str, ""),
        function=finding.get("function", str, ""), file=finding.get("file", str, ""), line=finding.get("line", int, 0),
        message=finding.get("message", str, ""),
        evidence=tuple(Evidence(e.get("file", str), e.get("line", int), e.get("note", str, "")) for e in finding.items("evidence")),
        principal=finding.get("principal", str, ""), holder=finding.get("holder", str, ""),
    )


def _holders(holders: _Fields) -> Holders:
    return Holders(
        token=holders.get("token", str), holders=holders.get("holders", int), supply=_amount(holders, "supply"),
        top1=holders.number("top1"), top10=holders.number("top10"), hhi=holders.number("hhi"),
        gini=holders.number("gini"), nakamoto=holders.get("nakamoto", int),
    )


def _amount(fields: _Fields, key: str) -> int:
    """A token amount, written as a string of digits (a uint256 has at most 78) or an integer."""
    value = fields.get(key, (str, int))
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit() and len(value) <= 78):
            raise fields._bad(key, "is not a token amount (up to 78 digits)")
        value = int(value)
    return value


def _axes(axes: _Fields) -> Axes:
    return Axes(**{axis: axes.number(axis) for axis in AXES})


def _score(score: _Fields | None) -> Score | None:
    """What a comparison reads of a score: totals, grade, stage and its reasons, axes, the
    contracts' totals and the coverage (a 1.x report has none: read as complete)."""
    if score is None:
        return None
    coverage = score.sub("coverage") if "coverage" in score.data else None
    return Score(
        total=score.number("total"), grade=score.get("grade", str), stage=score.get("stage", int),
        stage_reasons=score.strings("stage_reasons"), axes=_axes(score.sub("axes")), deductions=(),
        contracts=tuple(ContractScore(c.get("contract", str), c.number("total"), _axes(c.sub("axes")))
                        for c in score.items("contracts")),
        coverage=Coverage(coverage.get("analysed", int, 0), tuple((t, "") for t in coverage.strings("skipped")),
                          coverage.strings("unmatched"), coverage.strings("unresolved_powers")) if coverage else Coverage(0),
        unresolved_note=score.get("unresolved_note", str, ""),
    )


def _guard(guard: _Fields) -> Guard:
    kind = guard.get("kind", str)
    if kind not in set(GuardKind):
        raise guard._bad("kind", f"'{kind}' is not a guard kind")
    return Guard(kind, guard.get("detail", str, ""), guard.get("admin", str, ""), guard.get("contract", str, ""),
                 guard.get("cosigner", str, ""))


def _guards(facts: _Fields | None) -> dict[tuple[str, str, str], tuple[Guard, ...]]:
    """Who may use each capability of each function: the capability's own guards where
    only a branch does it, else the function's (as the control graph resolves them)."""
    found: dict[tuple[str, str, str], tuple[Guard, ...]] = {}
    for contract in facts.items("contracts") if facts else []:
        name = contract.get("name", str)
        for entry in contract.items("entry_points"):
            guards = tuple(_guard(g) for g in entry.items("guards"))
            for capability in entry.items("capabilities"):
                own = tuple(_guard(g) for g in capability.items("guards"))
                found[(name, entry.get("function", str), capability.get("name", str))] = own or guards
    return found
