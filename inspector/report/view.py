"""What the Markdown and HTML reports show alike, decided once: code excerpts, how a node
and an edge of the control graph are named, the findings by severity, the catalogue's
advice for a finding. Each format only escapes and lays out these values."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from inspector.chain.accounts import Account, short  # noqa: F401 (reports call view.short)
from inspector.chain.graph import ControlGraph, Edge
from inspector.durations import duration
from inspector.findings import Finding, Severity
from inspector.result import ScanResult
from inspector.vocabulary import AccountKind, Axis

AXIS_TITLES = {
    Axis.GOVERNANCE_CONCENTRATION: "Governance concentration",
    Axis.OFFCHAIN_DEPENDENCY: "Off-chain dependency",
    Axis.ECONOMIC_CONTROL: "Economic control",
}


@dataclass(frozen=True)
class Advice:
    """The catalogue's words for a finding's rule (empty for Slither's own detectors)."""

    title: str = ""
    remediation: str = ""
    references: tuple[str, ...] = ()


def advice_by_rule(rules: Iterable) -> dict[str, Advice]:
    return {r.id: Advice(r.title, r.remediation, tuple(r.references)) for r in rules}


def by_severity(findings: Iterable[Finding]) -> list[tuple[Severity, list[Finding]]]:
    """Most severe first; severities without findings left out."""
    groups: dict[Severity, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.severity, []).append(finding)
    return [(s, groups[s]) for s in sorted(groups, reverse=True)]


def excerpt(result: ScanResult, file: str, line: int, context: int = 2) -> list[tuple[int, str]]:
    """(line number, text) around `line`, or nothing when the scan kept no text for the file."""
    text = result.sources.get(file)
    if text is None or line < 1:
        return []
    lines = text.splitlines()
    if line > len(lines):
        return []
    first, last = max(1, line - context), min(len(lines), line + context)
    return [(n, lines[n - 1].rstrip()) for n in range(first, last + 1)]


def node_lines(account: Account) -> list[str]:
    """A node's caption, one item per line: kind and label, then what sets its power (M of N,
    delay), then its address."""
    head = account.kind if account.label in ("", account.kind) else f"{account.kind}: {account.label}"
    lines = [head]
    if account.kind == AccountKind.MULTISIG:
        lines.append(f"{account.threshold}-of-{len(account.owners)}")
    if account.kind == AccountKind.TIMELOCK:
        lines.append("delay unknown" if account.delay is None else f"delay {duration(account.delay, short=True)}")
    if account.name:
        lines.append(f"{account.name} (by {account.name_source})" if account.name_source else account.name)
    elif account.unnamed:
        lines.append("code unnamed")
    if account.address.startswith("0x"):
        lines.append(short(account.address))
    return lines


def graph_text(account: Account) -> str:
    """A node in a line of the text report's control graph: how holders are described, and
    how its code was named (or that nothing named it)."""
    text = account.describe()
    if account.name and account.name_source:
        return f"{text} (named by {account.name_source})" if account.kind == AccountKind.CONTRACT else \
            f"{text} ({account.name}, named by {account.name_source})"
    return f"{text} (code unnamed)" if account.unnamed else text


def edge_text(edge: Edge) -> str:
    via = f" via {edge.function}" if edge.function else ""
    delay = f" after {duration(edge.delay, short=True)}" if edge.delay else ""
    return f"{edge.capability}{via}{delay}"


def graph_nodes(graph: ControlGraph) -> list[Account]:
    """Nodes in a stable order, with a placeholder for an edge's end the graph never classified."""
    nodes = dict(graph.nodes)
    for edge in graph.edges:
        for end in (edge.source, edge.target):
            nodes.setdefault(end, Account(end, AccountKind.UNKNOWN))
    return sorted(nodes.values(), key=lambda a: a.address)


def points(value: float) -> str:
    return f"{value:g}"


def tally(findings: Iterable[Finding]) -> str:
    """'3 (1 high, 2 medium)'."""
    findings = list(findings)
    counts = Counter(f.severity for f in findings)
    parts = ", ".join(f"{counts[s]} {s}" for s in sorted(Severity, reverse=True) if counts[s])
    return f"{len(findings)}" + (f" ({parts})" if parts else "")


def compiled(result: ScanResult) -> str:
    """'solc 0.8.24 (solcjs, 12 files)', or why nothing was: code read from its bytecode alone."""
    units = ", ".join(f"solc {u.version} ({u.route}, {u.files} files)" for u in result.units)
    if units:
        return units
    return "nothing (read from bytecode)" if any(str(m.match) == "bytecode-only" for m in result.matches) else "nothing"


_MATCHED = {"verified": "verified on {detail}", "full": "full match ({detail})", "partial": "partial match ({detail})",
            "bytecode-only": "bytecode only ({detail})"}


def match_lines(result: ScanResult) -> list[str]:
    """How the code each deployed target runs was tied to what was analysed, one line a code:
    'anvil:0x... ProxiedToken at 0x... via EIP-1967 proxy: partial match (out/build-info/...)'."""
    lines = []
    for m in result.matches:
        where = m.address if not m.via else f"{m.address} via {m.via}"
        how = _MATCHED[str(m.match)].format(detail=m.detail or "no detail")
        lines.append(f"{m.target}: {m.contract or 'code'} at {where}: {how}")
    return lines


def governance_rows(state) -> list[tuple[str, str]]:
    """A governor's rules and who can win its votes, as (field, value) rows."""
    votes = state.votes
    unit = state.clock

    def count(value) -> str:
        return "unknown" if value is None else str(value)

    rows = [("governor", state.governor), ("voting token", state.token or "none"), ("timelock", state.timelock or "none"),
            ("quorum", count(state.quorum)), ("proposal threshold", count(state.proposal_threshold)),
            ("voting delay", f"{count(state.voting_delay)} {unit}"), ("voting period", f"{count(state.voting_period)} {unit}")]
    if votes is not None:
        share = "unknown" if state.delegated_share is None else f"{state.delegated_share:.1%} of the supply"
        rows += [("delegates", f"{len(votes.delegates)} ({share} delegated; {votes.source})"),
                 ("holders to reach the quorum", count(state.holders_to_quorum) if state.quorum is not None else "unknown"),
                 ("holders to a majority", count(state.holders_to_majority))]
    rows.append(("powers it reaches", f"{len(state.powers_reachable)} of {state.powers_total}"))
    return rows


def vote_slices(state, shown: int = 5) -> list[tuple[str, float]]:
    """The voting power's spread: the largest delegates, the rest, and what nobody delegated,
    each as a share of the supply (of the delegated votes when the supply is unknown)."""
    votes = state.votes
    if votes is None or not votes.delegates:
        return []
    whole = votes.supply or votes.total
    slices = [(short(address), held / whole) for address, held in votes.delegates[:shown]]
    rest = sum(held for _, held in votes.delegates[shown:])
    if rest:
        slices.append((f"{len(votes.delegates) - shown} other delegates", rest / whole))
    if votes.supply and votes.supply > votes.total:
        slices.append(("not delegated", (votes.supply - votes.total) / votes.supply))
    return slices


def is_link(reference: str) -> bool:
    """A reference a report may turn into a link: http(s) only, never javascript: or data:."""
    return re.fullmatch(r"https?://[^\s<>\"']+", reference) is not None


# -- the score, as every format says it --------------------------------------------------

def score_headline(score) -> str:
    """'41.7/100 (partial)': a partial scan says so beside its number."""
    return f"{points(score.total)}/100" + ("" if score.complete else " (partial)")


def coverage_lines(score) -> list[str]:
    """What the score did not see, and why: skipped targets, powers whose holders were not read."""
    coverage = score.coverage
    lines = [f"target {target} was not analysed: {why}" for target, why in coverage.skipped]
    if coverage.unresolved_powers:
        lines.append(f"holders not read for {len(coverage.unresolved_powers)} power(s): {', '.join(coverage.unresolved_powers)}")
    return lines


def deduction_power(deduction) -> str:
    """'LaunchToken.mint via mint(address,uint256)'."""
    via = f" via {', '.join(deduction.functions)}" if deduction.functions else ""
    return f"{deduction.power}{via}"


def acknowledged_lines(score) -> list[str]:
    """Powers the project set findings aside for, still counted: where and how."""
    lines = []
    for deduction in score.deductions:
        for ack in deduction.acknowledged:
            where = "in the baseline" if ack.scope == "baseline" else f"suppressed at {ack.file}:{ack.line} ({ack.scope})"
            lines.append(f"{deduction.power}: {ack.rule} {where}; still counted (-{points(deduction.points)})")
    return lines


def unreported_line(score) -> str:
    if not score.unreported:
        return ""
    return (f"{len(score.unreported)} power(s) scored without a reported finding (rules disabled, not selected, or none "
            f"describes them): {', '.join(score.unreported)}")


def settings_line(score) -> str:
    if not score.custom_settings:
        return ""
    return "custom score settings: " + ", ".join(f"{name} = {value}" for name, value in score.custom_settings)


def system_line(score) -> str:
    """How the system's total relates to the contracts': the union of their powers."""
    if len(score.contracts) < 2:
        return ""
    weakest = min(score.contracts, key=lambda c: (c.total, c.contract))
    return (f"The system's score weighs the powers of all {len(score.contracts)} contracts together, so it is never above "
            f"its weakest contract ({weakest.contract}: {points(weakest.total)}).")
