"""OpenZeppelin's TimelockController: its minimum delay and its role members. Proposers act
after the delay; an admin grants itself any role at once (the timelock's own admin role
before OpenZeppelin 5, DEFAULT_ADMIN_ROLE since); executors and cancellers are kept as its
settings (address(0) as an executor opens execution to everyone)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.chain.accounts import ZERO, Account
from inspector.chain.edges import Edge
from inspector.chain.probes.access_control import members_of
from inspector.keccak import keccak
from inspector.vocabulary import EdgeKind

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

LABEL = "TimelockController"
# The role that administers every role of a TimelockController: its own TIMELOCK_ADMIN_ROLE
# before OpenZeppelin 5, DEFAULT_ADMIN_ROLE since
ADMIN_ROLES = ("TIMELOCK_ADMIN_ROLE", "DEFAULT_ADMIN_ROLE")


@dataclass(frozen=True)
class TimelockController:
    address: str
    delay: int  # seconds
    proposers: tuple[str, ...]
    admins: tuple[str, ...]  # with the timelock itself, which the edges leave out
    executors: tuple[str, ...]
    cancellers: tuple[str, ...]

    def account(self) -> Account:
        return Account(self.address, "timelock", LABEL, delay=self.delay, details={
            "executors": list(self.executors), "cancellers": list(self.cancellers),
            "open_executor": ZERO in self.executors, "admins": list(self.admins)})

    def edges(self) -> tuple[Edge, ...]:
        return (*(Edge(m, self.address, EdgeKind.PROPOSE, "", self.delay) for m in self.proposers if m != self.address),
                *(Edge(m, self.address, EdgeKind.GRANT_ROLE, "") for m in self.admins if m != self.address))


def read_roles(reader: ChainReader, address: str, delay: int) -> TimelockController:
    """The role members of a timelock whose delay is known."""
    return TimelockController(address, delay, *(tuple(members_of(reader, address, *roles)) for roles in (
        ("PROPOSER_ROLE",), ADMIN_ROLES, ("EXECUTOR_ROLE",), ("CANCELLER_ROLE",))))


# A TimelockController names its proposer role by this constant (OpenZeppelin 4 and 5): what
# answers every call alike (a contract returning one word to anything) is no timelock. The
# rules take a timelock for governance, so a look-alike must not pass for one.
PROPOSER_ROLE = keccak(text="PROPOSER_ROLE")


def probe(reader: ChainReader, address: str) -> TimelockController | None:
    delay = reader.call(address, "getMinDelay()", ["uint256"])
    if delay is None or _bytes(reader.call(address, "PROPOSER_ROLE()", ["bytes32"])) != PROPOSER_ROLE:
        return None
    return read_roles(reader, address, delay)


def _bytes(value) -> bytes | None:
    if isinstance(value, str):
        return bytes.fromhex(value.removeprefix("0x"))
    return value if isinstance(value, bytes) else None
