"""What a scan produces, as one typed value: what was compiled, the facts, the findings
(and those set aside), the control graph and holders when a chain was read, the score.
The pipeline (scan.py) makes it; every report renders it. It imports only value types, so
a report never loads the analysis stack (Slither, crytic-compile)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from inspector.rules.catalogue import Rule
from inspector.chain.graph import ControlGraph
from inspector.chain.governors import GovernorState
from inspector.chain.holders import Holders
from inspector.chain.paths import Power
from inspector.facts.model import Facts
from inspector.findings import Finding
from inspector.score.model import Score
from inspector.sources.model import CodeMatch
from inspector.findings.suppressions import Suppressed


@dataclass(frozen=True)
class UnitSummary:
    """What was compiled, for the report: the version, how the compiler came, the files."""

    version: str
    route: str
    files: int
    targets: tuple[str, ...]


@dataclass(frozen=True)
class ScanResult:
    targets: tuple[str, ...]
    units: tuple[UnitSummary, ...]
    facts: Facts
    findings: tuple[Finding, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (target, why) in a multi-target scan
    graph: ControlGraph | None = None  # when chain targets were resolved over RPC
    chain: str = ""  # the chain the graph was read from
    block: int | None = None
    holders: tuple[Holders, ...] = ()
    rules: tuple[Rule, ...] = ()  # the catalogue rules that ran, for reports that describe them (SARIF)
    suppressed: tuple[Suppressed, ...] = ()  # silenced by comments in the sources: not in `findings`
    baseline: tuple[Finding, ...] = ()  # in the --baseline file: not in `findings`, not gated
    score: "Score | None" = None
    # display path -> text of the files findings point at, for the reports' code excerpts
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    powers: tuple[Power, ...] = ()  # each power on a scanned contract and its keys (from the graph)
    governors: tuple[GovernorState, ...] = ()  # each on-chain governor the graph reaches (chain/governors.py)
    matches: tuple[CodeMatch, ...] = ()  # how each deployed code analysed was tied to its contract
