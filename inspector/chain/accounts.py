"""An address as the control graph shows it: an EOA (EIP-7702 delegated or not), a Safe or
other multisig (M of N), a timelock (its delay), a governor, a proxy, an unknown contract,
or nobody (renounced to the zero or dead address). What it is is read by the probes
(chain/probes/, one fact per module); reports build accounts from JSON without them."""
from __future__ import annotations

from dataclasses import dataclass, field

from inspector.durations import duration

ZERO = "0x0000000000000000000000000000000000000000"
DEAD = {ZERO, "0x000000000000000000000000000000000000dEaD", "0xdEAD000000000000000042069420694206942069"}


def short(address: str) -> str:
    """An address as reports show it, '0x1234…abcd'; anything else as it is."""
    return f"{address[:6]}…{address[-4:]}" if address.startswith("0x") and len(address) == 42 else address


@dataclass
class Account:
    address: str
    kind: str  # an AccountKind
    label: str = ""
    threshold: int | None = None
    owners: list[str] = field(default_factory=list)
    delay: int | None = None  # seconds, for a timelock
    details: dict = field(default_factory=dict)
    # what code runs there, for a contract the graph reached that no target scanned
    # (chain/names.py); "" where nothing named it
    name: str = ""
    name_source: str = ""  # a NameSource: "project" or "bytecode fingerprint"

    @property
    def unnamed(self) -> bool:
        """A contract whose code neither a scanned target, the project nor a fingerprint named."""
        return self.kind == "contract" and self.label in ("", "contract") and not self.name

    def describe(self) -> str:
        shown = short(self.address)
        if self.kind == "multisig":
            return f"{self.label or 'multisig'} {self.threshold}-of-{len(self.owners)} {shown}"
        if self.kind == "timelock":
            delay = "delay unknown" if self.delay is None else f"{duration(self.delay)} delay"
            return f"{self.label or 'timelock'} ({delay}) {shown}"
        if self.kind == "renounced":
            return f"nobody (renounced to {shown})"
        if self.kind == "anyone":
            return "anyone"
        if self.kind == "contract" and self.name and self.label in ("", "contract"):
            return f"{self.name} {shown}"
        return f"{self.label or self.kind} {shown}"

