"""The findings model: what every report format renders."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import IntEnum

from inspector.vocabulary import Category


# What a finding about the whole contract (no function) is about, so that a chain scan names
# who holds that, never whoever controls the contract in general (a timelock's proposers, a
# Safe's signers). A contract-level finding with none of them is left without a holder.
ADMIN_ROLE = "admin role"  # the members of the role that administers its roles (a timelock's admin)
ITSELF = "itself"  # the contract itself as the chain shows it: a multisig's M-of-N, a timelock's delay
UPGRADE = "upgrade"  # whoever can replace its code


class Severity(IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str) -> "Severity":
        return cls[text.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Evidence:
    """A line that supports a finding, and what it shows."""

    file: str
    line: int
    note: str


@dataclass(frozen=True)
class Finding:
    rule: str
    category: Category  # a rule's category, or Category.SLITHER for Slither's own detectors
    severity: Severity
    confidence: str  # high | medium | low
    contract: str
    function: str  # full signature, or "" for a contract-level finding
    file: str
    line: int
    message: str
    evidence: tuple[Evidence, ...] = ()
    principal: str = ""  # who holds the power, as the guard names it
    holder: str = ""  # who holds it on chain, when a chain was read ("Safe 2-of-3 0x…"), or "unresolved: why"
    subject: str = ""  # for a finding about the whole contract: ADMIN_ROLE, ITSELF or UPGRADE (not reported)

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", Category(self.category))  # a user rule's may be a str

    @property
    def id(self) -> str:
        """Stable across runs: built from what the finding is about, not from its wording."""
        key = "|".join((self.rule, self.file, self.contract, self.function, self.principal))
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def sort_key(self) -> tuple:
        return (-int(self.severity), self.file, self.line, self.contract, self.function, self.rule)
