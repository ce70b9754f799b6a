"""The Markdown report, to hand over or paste into a pull request: the score, the control
graph as a Mermaid diagram, the findings with their code and the catalogue's advice.
Contract names, messages and source text are untrusted: everything is escaped or fenced."""
from __future__ import annotations

import re
from typing import Iterable

from inspector import __version__
from inspector.findings import Finding
from inspector.report import view
from inspector.result import ScanResult
from inspector.printable import visible

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!])")
# Mermaid reads `#name;` and `#code;` as entities inside a label; anything that could end the
# label ("), open a shape ([ ] ( ) { }), an edge label (|) or HTML (< > &) is written as one.
_MERMAID_CODES = {c: f"#{ord(c)};" for c in '#"[](){}|<>&`;'}


def text(value: str) -> str:
    """Plain text: no Markdown or HTML can come out of it, and it stays on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def code(value: str, in_table: bool = False) -> str:
    """An inline code span that no backtick in `value` can close early."""
    value = " ".join(str(value).split())
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    span = f"{ticks}{pad}{value}{pad}{ticks}"
    return span.replace("|", "\\|") if in_table else span


def fence(body: str, info: str = "") -> list[str]:
    """A fenced block longer than any backtick run inside it."""
    ticks = "`" * max(3, max((len(run) for run in re.findall(r"`{3,}", body)), default=0) + 1)
    return [f"{ticks}{info}", *body.splitlines(), ticks]


def mermaid_label(value: str) -> str:
    return "".join(_MERMAID_CODES.get(c, c) for c in " ".join(str(value).split()))


def mermaid(graph) -> list[str]:
    """The control graph as a Mermaid flowchart: one node per account, one edge per power."""
    nodes = view.graph_nodes(graph)
    ids = {account.address: f"n{i}" for i, account in enumerate(nodes)}
    lines = ["flowchart LR"]
    for account in nodes:
        caption = "<br/>".join(mermaid_label(part) for part in view.node_lines(account))
        lines.append(f'  {ids[account.address]}["{caption}"]')
    for edge in graph.edges:
        lines.append(f'  {ids[edge.source]} -->|"{mermaid_label(view.edge_text(edge))}"| {ids[edge.target]}')
    return lines


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    header = list(header)
    return [f"| {' | '.join(header)} |", f"|{' --- |' * len(header)}", *(f"| {' | '.join(row)} |" for row in rows)]


def _score(result: ScanResult) -> list[str]:
    score = result.score
    lines = ["## Summary", ""]
    if score is None:
        return lines + [f"No score: this report was made without the score model. Findings: {view.tally(result.findings)}.", ""]
    axes = [(view.AXIS_TITLES[name], view.points(getattr(score.axes, name))) for name in view.AXIS_TITLES]
    total = f"**{view.points(score.total)}** / 100" + ("" if score.complete else " (partial)")
    grade = text(score.grade) + (f" ({text(score.grade_note)})" if score.grade_note else "")
    lines += _table(["", ""], [("Score", total), ("Grade", grade), ("Stage", str(score.stage)),
                              *((title, f"{value} / 100") for title, value in axes), ("Findings", view.tally(result.findings))])
    if not score.complete:
        lines += ["", "### Partial", "", "The score is a partial answer: it did not see everything that was asked.", ""]
        lines += [f"- {text(line)}" for line in view.coverage_lines(score)]
    lines += ["", "### Stage", ""] + [f"- {text(reason)}" for reason in score.stage_reasons]
    if not score.stage_reasons:
        lines.append("- no reason given")
    lines += ["", "### Deductions", ""]
    if score.deductions:
        lines += _table(["axis", "points", "power", "findings", "reason"], (
            (view.AXIS_TITLES.get(d.axis, text(d.axis)), f"−{view.points(d.points)}", code(view.deduction_power(d), True),
             ", ".join(code(i, True) for i in d.finding_ids), text(d.reason))
            for d in score.deductions))
    else:
        lines.append("No points were taken away.")
    acknowledged = view.acknowledged_lines(score)
    if acknowledged:
        lines += ["", "### Acknowledged by the project", "", "Findings the project silenced or baselined; their powers still count.", ""]
        lines += [f"- {text(line)}" for line in acknowledged]
    notes = [line for line in (view.unreported_line(score), view.settings_line(score), score.unresolved_note) if line]
    for note in notes:
        lines += ["", f"> {text(note)}"]
    if score.contracts:
        lines += ["", "### Per contract", ""]
        lines += _table(["contract", "score", *view.AXIS_TITLES.values()], (
            (code(c.contract, True), view.points(c.total), *(view.points(getattr(c.axes, name)) for name in view.AXIS_TITLES))
            for c in score.contracts))
        if view.system_line(score):
            lines += ["", text(view.system_line(score))]
    return lines + [""]


def _graph(result: ScanResult) -> list[str]:
    graph = result.graph
    if graph is None:
        return []
    where = f"Read from {text(result.chain)}" + (f" at block {result.block}" if result.block is not None else "") + "."
    lines = ["## Control graph", "", where, "", *fence("\n".join(mermaid(graph)), "mermaid")]
    if graph.unresolved:
        lines += ["", "Could not be resolved:", ""]
        lines += [f"- {code(contract)}: {code(principal)}: {text(why)}" for contract, principal, why in graph.unresolved]
    return lines + [""]


def _finding(result: ScanResult, finding: Finding, advice: view.Advice | None) -> list[str]:
    where = f"{finding.contract}.{finding.function}" if finding.function else finding.contract
    lines = [f"#### {code(finding.rule)} in {code(where)}", "",
             f"- **Location:** {code(f'{finding.file}:{finding.line}')}",
             f"- **Confidence:** {text(finding.confidence)}",
             f"- **Id:** {code(finding.id)}"]
    if finding.principal:
        lines.append(f"- **Guarded by:** {code(finding.principal)}")
    if finding.holder:
        lines.append(f"- **Held by on chain:** {text(finding.holder)}")
    lines += ["", text(finding.message), ""]
    shown = view.excerpt(result, finding.file, finding.line)
    if shown:
        width = len(str(shown[-1][0]))
        body = "\n".join(f"{'>' if n == finding.line else ' '} {n:>{width}} | {line}" for n, line in shown)
        lines += [*fence(body, "solidity"), ""]
    for evidence in finding.evidence:
        lines.append(f"- at {code(f'{evidence.file}:{evidence.line}')}: {text(evidence.note)}")
    if finding.evidence:
        lines.append("")
    if advice is not None:
        lines += [f"**Remediation:** {text(advice.remediation)}", ""]
        if advice.references:
            lines += ["**References:**", "", *(f"- <{r}>" if view.is_link(r) else f"- {text(r)}" for r in advice.references), ""]
    return lines


def _findings(result: ScanResult) -> list[str]:
    lines = ["## Findings", ""]
    if not result.findings:
        return lines + ["No findings.", ""]
    advice = view.advice_by_rule(result.rules)
    for severity, findings in view.by_severity(result.findings):
        lines += [f"### {str(severity).capitalize()} ({len(findings)})", ""]
        for finding in findings:
            lines += _finding(result, finding, advice.get(finding.rule))
    return lines


def _holders(result: ScanResult) -> list[str]:
    if not result.holders:
        return []
    lines = ["## Token holders", ""]
    lines += _table(["token", "holders", "top-1", "top-10", "HHI", "Gini", "Nakamoto coefficient"], (
        (code(h.token, True), str(h.holders), f"{h.top1:.1%}", f"{h.top10:.1%}", f"{h.hhi:.3f}", f"{h.gini:.3f}", str(h.nakamoto))
        for h in result.holders))
    return lines + [""]


def _governance(result: ScanResult) -> list[str]:
    """Each on-chain governor: its rules, who can win its votes, and the votes' spread (a
    Mermaid pie, which GitHub renders where it strips inline SVG)."""
    if not result.governors:
        return []
    lines = ["## Governance", ""]
    for state in result.governors:
        lines += ["| | |", "| --- | --- |"]
        lines += [f"| {text(name)} | {code(value, True) if value.startswith('0x') else text(value)} |"
                  for name, value in view.governance_rows(state)]
        lines.append("")
        slices = view.vote_slices(state)
        if slices:
            pie = ["pie showData title voting power (share of the supply)",
                   *(f'  "{mermaid_label(label)}" : {share * 100:.2f}' for label, share in slices)]
            lines += [*fence("\n".join(pie), "mermaid"), ""]
    return lines


def _matches(result: ScanResult) -> list[str]:
    if not result.matches:
        return []
    return ["## Deployed code analysed", "", *(f"- {text(line)}" for line in view.match_lines(result)), ""]


def _skipped(result: ScanResult) -> list[str]:
    if not result.skipped:
        return []
    return ["## Skipped targets", "", *(f"- {code(target)}: {text(why)}" for target, why in result.skipped), ""]


def render(result: ScanResult, colour: bool = False) -> str:  # colour: a terminal's, not this format's
    lines = [f"# inspector report: {', '.join(code(t) for t in result.targets)}", "",
             f"inspector {__version__}; {len(result.facts.contracts)} contract(s) analysed; compiled with {text(view.compiled(result))}.", ""]
    lines += _score(result) + _matches(result) + _governance(result) + _graph(result) + _findings(result) + _holders(result) + _skipped(result)
    return visible("\n".join(lines).rstrip("\n"), lines=True) + "\n"  # no raw control or bidi character
