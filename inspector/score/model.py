"""The score's typed values: the powers it weighs (what the facts found, who holds them) and
the result the reports render (JSON `score`)."""
from __future__ import annotations

from dataclasses import dataclass

from inspector.vocabulary import Axis

AXES = tuple(Axis)


@dataclass(frozen=True)
class Holder:
    """One key at the end of a power's path, as the score sees it (from the control graph)."""

    address: str
    kind: str  # eoa | multisig | governor | voter (one account with most of a governor's votes) | token | anyone | renounced | contract | timelock | unknown | signer | feed | code
    delay: int = 0  # seconds before its change takes effect
    threshold: int | None = None
    owners: int = 0
    # for a governor whose votes were read: the fewest delegates holding a majority of them
    voters: int | None = None


@dataclass(frozen=True)
class Acknowledged:
    """How the project set a finding about a power aside: a suppression comment (file, line,
    scope), or the baseline file (scope `baseline`). The power is scored all the same."""

    rule: str
    finding_id: str
    scope: str  # line | file | contract | baseline
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Power:
    """One power as the score weighs it: a capability on a contract (every entry point that
    uses it), its bound in code, and who holds it. Empty `holders` and `unresolved`: nobody
    read who holds it, counted as one key with no delay."""

    contract: str
    capability: str
    functions: tuple[str, ...]
    bound: str = ""  # the weakest bound over its entry points; "" when one of them is unbounded
    holders: tuple[Holder, ...] = ()
    unresolved: bool = False
    token: bool = False  # the contract is a token (a sweep out of it does not reach holders' balances)
    finding_ids: tuple[str, ...] = ()  # reported findings that describe it
    acknowledged: tuple[Acknowledged, ...] = ()  # findings about it the project silenced or baselined
    bytecode_only: bool = False  # found in unverified bytecode (facts/bytecode.py): its reason says so

    @property
    def name(self) -> str:
        return f"{self.contract}.{self.capability}"


@dataclass(frozen=True)
class Deduction:
    """The points one power took from its axis, and why."""

    power: str  # "PointsToken.mint"
    contract: str
    capability: str
    functions: tuple[str, ...]
    axis: str  # one of AXES
    points: float  # what it took from the axis, after the heavier powers before it
    share: float  # the share of what was left of the axis it takes: weight x holder factor / 100
    weight: float
    holder_factor: float
    reason: str  # "held by one key (EOA), no delay; uncapped"
    finding_ids: tuple[str, ...] = ()
    acknowledged: tuple[Acknowledged, ...] = ()
    unresolved: bool = False  # the holder could not be read: counted as one key
    key: str = ""  # who holds it, the holder that decides its factor (compute.key_of): "eoa 0x…", "unresolved"


@dataclass(frozen=True)
class Axes:
    governance_concentration: float
    offchain_dependency: float
    economic_control: float

    def lowest(self) -> float:
        return min(getattr(self, axis) for axis in AXES)


@dataclass(frozen=True)
class ContractScore:
    contract: str
    total: float
    axes: Axes


@dataclass(frozen=True)
class Coverage:
    """How much of what was asked the score saw. Incomplete: a target was skipped or a
    power's holder could not be read; the score is then a partial answer."""

    analysed: int  # contracts analysed
    skipped: tuple[tuple[str, str], ...] = ()  # (target, why)
    unmatched: tuple[str, ...] = ()  # of the skipped targets: deployed code no local contract matched (--project)
    unresolved_powers: tuple[str, ...] = ()  # powers whose holders were not read

    @property
    def complete(self) -> bool:
        return not self.skipped and not self.unresolved_powers


@dataclass(frozen=True)
class Score:
    total: float  # 0-100, higher is better
    grade: str  # A-F
    stage: int  # 0, 1 or 2
    stage_reasons: tuple[str, ...]  # why this stage and not the next
    axes: Axes
    deductions: tuple[Deduction, ...]
    contracts: tuple[ContractScore, ...]
    coverage: Coverage
    grade_cap: str = "A"  # the best letter the stage and the coverage allow
    grade_note: str = ""  # why the grade is lower than the total alone would give, when it is
    unresolved_note: str = ""  # what an --rpc would resolve, when powers were counted unresolved
    custom_settings: tuple[tuple[str, str], ...] = ()  # score settings the project changed: (name, value)
    unreported: tuple[str, ...] = ()  # powers scored that no reported finding describes (rules off or not selected)

    @property
    def complete(self) -> bool:
        return self.coverage.complete
