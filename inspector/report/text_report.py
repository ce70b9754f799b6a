"""The terminal report, for people. Colour only when writing to a terminal.

Names come from sources and explorers: every line is escaped (inspector.printable) before it
is printed; a line that carries our colour codes is built from escaped pieces (_Painted)."""
from __future__ import annotations

from collections import Counter

import click

from inspector import __version__
from inspector.durations import duration
from inspector.findings import Severity
from inspector.printable import visible
from inspector.result import ScanResult
from inspector.report import view
from inspector.score.model import AXES

_COLOURS = {
    Severity.CRITICAL: "magenta",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "white",
}


class _Painted(str):
    """A line made of escaped pieces and inspector's own colour codes: not escaped again."""


def render(result: ScanResult, colour: bool = False) -> str:
    def paint(text: str, **style) -> str:
        return click.style(visible(text), **style) if colour else visible(text)

    contracts = len(result.facts.contracts)
    lines = [f"inspector {__version__}: {contracts} contract(s) analysed; compiled with {view.compiled(result)}", ""]
    if result.matches:
        lines += ["Deployed code analysed:", *(f"  {line}" for line in view.match_lines(result)), ""]
    for finding in result.findings:
        label = paint(f"{str(finding.severity).upper():<8}", fg=_COLOURS[finding.severity], bold=True)
        where = paint(f"{finding.file}:{finding.line}", bold=True)
        lines.append(_Painted(f"{label} {visible(finding.rule)}  {where}  {visible(f'{finding.contract}.{finding.function}')}"))
        lines.append(f"         {finding.message}")
        for evidence in finding.evidence:
            lines.append(f"         at {evidence.file}:{evidence.line}  {evidence.note}")
        lines.append("")
    if not result.findings:
        lines += ["No findings.", ""]
    if result.graph is not None:
        lines.append(f"Control graph ({result.chain}, block {result.block}):")
        for edge in result.graph.edges:
            source = result.graph.nodes.get(edge.source)
            target = result.graph.nodes.get(edge.target)
            delay = f" after {duration(edge.delay)}" if edge.delay else ""
            via = f" via {edge.function}" if edge.function else ""
            lines.append(f"  {view.graph_text(source) if source else edge.source} -> {edge.capability}{via} on "
                         f"{view.graph_text(target) if target else edge.target}{delay}")
        for contract, principal, reason in result.graph.unresolved:
            lines.append(f"  unresolved on {contract}: {principal}: {reason}")
        lines.append("")
    for state in result.governors:
        lines.append(f"Governance of {state.governor}:")
        lines += [f"  {name}: {value}" for name, value in view.governance_rows(state)[1:]]
        lines.append("")
    for holders in result.holders:
        lines.append(f"Holders of {holders.token}: {holders.holders} accounts; top-1 {holders.top1:.1%}, top-10 {holders.top10:.1%}, "
                     f"HHI {holders.hhi:.3f}, Gini {holders.gini:.3f}, Nakamoto coefficient {holders.nakamoto}")
        for address, _, share, label in holders.top[:5]:
            lines.append(f"  {share:>7.2%}  {address}  {label}")
        lines.append("")
    for target, reason in result.skipped:
        lines.append(_Painted(paint(f"skipped {target}: {reason}", fg="yellow")))
    if result.skipped:
        lines.append("")
    if result.score is not None:
        lines += _score(result.score) + [""]
    counts = Counter(f.severity for f in result.findings)
    tally = ", ".join(f"{counts[s]} {s}" for s in sorted(Severity, reverse=True) if counts[s])
    apart = [f"{len(result.suppressed)} suppressed by comments" if result.suppressed else "",
             f"{len(result.baseline)} in the baseline" if result.baseline else ""]
    apart_text = "; ".join(a for a in apart if a)
    lines.append(f"{len(result.findings)} finding(s){': ' + tally if tally else ''}{' (not counted: ' + apart_text + ')' if apart_text else ''}")
    return "\n".join(line if isinstance(line, _Painted) else visible(line) for line in lines) + "\n"


def _score(score) -> list[str]:
    """The score, its axes, what capped the grade, why the stage is not higher, the largest
    deductions, and what the score did not see or the project set aside."""
    axes = ", ".join(f"{name.replace('_', ' ')} {getattr(score.axes, name):g}" for name in AXES)
    lines = [f"Score {view.score_headline(score)}, grade {score.grade}, stage {score.stage} ({axes})"]
    if score.grade_note:
        lines.append(f"  {score.grade_note}")
    lines += [f"  stage: {reason}" for reason in score.stage_reasons[:3]]
    if len(score.stage_reasons) > 3:
        lines.append(f"  stage: ... and {len(score.stage_reasons) - 3} more (see --format json)")
    for deduction in score.deductions[:5]:
        lines.append(f"  -{deduction.points:g} {deduction.axis.replace('_', ' ')}: {view.deduction_power(deduction)}: {deduction.reason}")
    if len(score.deductions) > 5:
        lines.append(f"  ... and {len(score.deductions) - 5} more deduction(s) (see --format json)")
    lines += [f"  partial: {line}" for line in view.coverage_lines(score)]
    lines += [f"  acknowledged by the project: {line}" for line in view.acknowledged_lines(score)]
    lines += [f"  {line}" for line in (view.unreported_line(score), view.settings_line(score), view.system_line(score)) if line]
    if score.unresolved_note:
        lines.append(f"  {score.unresolved_note}")
    return lines