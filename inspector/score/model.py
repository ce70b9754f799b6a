"""The score's typed result: what the report stage renders (JSON `score`)."""
from __future__ import annotations

from dataclasses import dataclass

AXES = ("governance_concentration", "offchain_dependency", "economic_control")


@dataclass(frozen=True)
class Deduction:
    """Points one rule took from one axis, and the findings that took them."""

    axis: str  # one of AXES
    points: float
    rule: str
    finding_ids: tuple[str, ...]
    reason: str  # why this many points: "upgrade of Token held by one key, no delay"
    unresolved: bool = False  # the holder could not be read: counted as one key


@dataclass(frozen=True)
class Axes:
    governance_concentration: float
    offchain_dependency: float
    economic_control: float


@dataclass(frozen=True)
class ContractScore:
    contract: str
    total: float
    axes: Axes


@dataclass(frozen=True)
class Score:
    total: float  # 0-100, higher is better
    grade: str  # A-F
    stage: int  # 0, 1 or 2
    stage_reasons: tuple[str, ...]  # why this stage and not the next
    axes: Axes
    deductions: tuple[Deduction, ...]
    contracts: tuple[ContractScore, ...]
    unresolved_note: str = ""  # what an --rpc would resolve, when powers were counted unresolved
