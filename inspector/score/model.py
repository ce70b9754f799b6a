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


@dataclass(frozen=True)
class Holder:
    """One key at the end of a power's path, as the score sees it (from the control graph)."""

    address: str
    kind: str  # eoa | multisig | governor | token | anyone | renounced | contract | timelock | unknown
    delay: int = 0  # seconds before its change takes effect
    threshold: int | None = None
    owners: int = 0


@dataclass(frozen=True)
class Exposure:
    """One finding as the score weighs it: its rule's weight and axis, who holds the power
    (empty: not resolved, counted as one key with no delay), and what an upgrade can reach."""

    finding_id: str
    rule: str
    axis: str
    weight: float
    severity: int  # Severity's value: 3 high, 4 critical
    confidence: str
    contract: str
    where: str  # "Token.mint(address,uint256)"
    holders: tuple[Holder, ...] = ()
    unresolved: bool = False
    reach: float = 1.0  # an upgrade of a contract with no economic power or funds reaches less
