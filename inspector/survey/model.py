"""A survey's typed values: the systems it was asked to scan (from SYSTEMS.csv) and one
scorecard row per system, made from that system's JSON scan report (or its error)."""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class System:
    """One system of SYSTEMS.csv: every row sharing its name, in the file's order."""

    name: str
    targets: tuple[str, ...]  # as the scan names them (`anvil:0xChecksummed`, a path as given)
    slug: str  # its file name under DIR/reports/: the name made safe, unique in the survey


@dataclass(frozen=True)
class ScorecardRow:
    """What the survey says of one system: its scan report's coverage, score and strongest
    power, or why it has none (`error`). None: not known (the scan failed or scored nothing)."""

    system: str
    targets: int
    analysed: int | None = None  # contracts analysed
    skipped: int | None = None  # targets skipped
    complete: bool | None = None
    score: float | None = None
    grade: str | None = None
    stage: int | None = None
    governance_concentration: float | None = None
    offchain_dependency: float | None = None
    economic_control: float | None = None
    strongest_power: str = ""  # the power that took the most points: "Token.mint"
    strongest_power_key: str = ""  # who holds it: "eoa 0x…", "multisig 2-of-3 0x…", "unresolved", "nobody"
    findings_high_or_above: int | None = None
    chain: str = ""
    block: int | None = None  # the block the chain was read at
    report: str = ""  # its report, relative to DIR: "reports/<slug>.json"
    error: str = ""  # one line: why the system has no report


COLUMNS = tuple(f.name for f in fields(ScorecardRow))
