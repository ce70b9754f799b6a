"""What every probe shares: how an address is read from a storage word, what a proxy probe
returns, and what an account probe returns (the node it makes, and the edges by which
others act for it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from inspector.chain.accounts import Account
from inspector.chain.edges import Edge
from inspector.keccak import to_checksum_address


def word_address(raw: bytes) -> str | None:
    """The address in the low 20 bytes of a storage word; None when they are all zero."""
    value = raw[-20:]
    return to_checksum_address(value) if len(value) == 20 and any(value) else None


def addresses(values) -> tuple[str, ...]:
    """A decoded address[] (or None: the call did not answer), checksummed."""
    return tuple(to_checksum_address(v) for v in (values or ()))


@dataclass(frozen=True)
class Proxy:
    """What runs behind a proxy: its implementation(s), and who repoints it where the proxy
    itself names them (an EIP-1967 admin, a beacon)."""

    kind: str  # EIP-1967, EIP-1967 beacon, EIP-1822, ZeppelinOS, EIP-1167, EIP-897, Safe, EIP-2535 diamond
    implementations: tuple[str, ...]
    admin: str | None = None
    beacon: str | None = None


class Probed(Protocol):
    """What an account probe read: the node it is in the graph, and who acts for it."""

    address: str

    def account(self) -> Account: ...

    def edges(self) -> tuple[Edge, ...]: ...


@dataclass(frozen=True)
class Contract:
    """A contract no probe recognised: a node of its own, nobody read as acting for it."""

    address: str

    def account(self) -> Account:
        return Account(self.address, "contract", "contract")

    def edges(self) -> tuple[Edge, ...]:
        return ()
