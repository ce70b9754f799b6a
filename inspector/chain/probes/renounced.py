"""Nobody: an address nobody holds the key of (the zero address, the usual dead ones), where
a power renounced to it goes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.chain.accounts import DEAD, Account
from inspector.chain.edges import Edge

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

_DEAD = {d.lower() for d in DEAD}


@dataclass(frozen=True)
class Renounced:
    address: str

    def account(self) -> Account:
        return Account(self.address, "renounced", "nobody")

    def edges(self) -> tuple[Edge, ...]:
        return ()


def probe(reader: ChainReader, address: str) -> Renounced | None:
    return Renounced(address) if address.lower() in _DEAD else None
