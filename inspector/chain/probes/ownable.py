"""An owned contract: whoever owner() names acts for it (none when it is the zero address:
renounced)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.chain.accounts import ZERO, Account
from inspector.chain.edges import Edge
from inspector.vocabulary import EdgeKind

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader


@dataclass(frozen=True)
class Owned:
    address: str
    owner: str

    def account(self) -> Account:
        return Account(self.address, "contract", "contract", details={"owner": self.owner})

    def edges(self) -> tuple[Edge, ...]:
        return (Edge(self.owner, self.address, EdgeKind.OWNER, ""),) if self.owner != ZERO else ()


def probe(reader: ChainReader, address: str) -> Owned | None:
    owner = reader.address_call(address, "owner()")
    return Owned(address, owner) if owner else None
