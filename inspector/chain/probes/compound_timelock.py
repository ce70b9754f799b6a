"""Compound's Timelock: its delay, its admin (who queues, then executes after the delay) and
its pending admin (who can accept the admin role, then queue too). Told apart from other
contracts with a delay() and an admin() by its GRACE_PERIOD()."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.chain.accounts import ZERO, Account
from inspector.chain.edges import Edge
from inspector.vocabulary import EdgeKind

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

LABEL = "Timelock"


@dataclass(frozen=True)
class CompoundTimelock:
    address: str
    delay: int  # seconds
    admin: str
    pending_admin: str | None

    def account(self) -> Account:
        return Account(self.address, "timelock", LABEL, delay=self.delay,
                       details={"admin": self.admin, "pendingAdmin": self.pending_admin})

    def edges(self) -> tuple[Edge, ...]:
        found = (Edge(self.admin, self.address, EdgeKind.QUEUE, "", self.delay),)
        if self.pending_admin and self.pending_admin != ZERO:
            found += (Edge(self.pending_admin, self.address, EdgeKind.ACCEPT_ADMIN_THEN_QUEUE, "", self.delay),)
        return found


def probe(reader: ChainReader, address: str) -> CompoundTimelock | None:
    delay = reader.call(address, "delay()", ["uint256"])
    admin = reader.address_call(address, "admin()")
    if delay is None or admin is None or reader.call(address, "GRACE_PERIOD()", ["uint256"]) is None:
        return None
    # its queue answers a bool for any hash: what answers every call with one word (a look-alike
    # the rules would take for governance) does not decode as one
    if reader.call(address, "queuedTransactions(bytes32)", ["bool"], (bytes(32),), ["bytes32"]) is None:
        return None
    return CompoundTimelock(address, delay, admin, reader.address_call(address, "pendingAdmin()"))
