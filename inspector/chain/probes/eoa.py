"""An externally owned account: no code, or (EIP-7702) only a delegation designator,
0xef0100 followed by the address whose code the account runs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.chain.accounts import Account
from inspector.chain.edges import Edge
from inspector.keccak import to_checksum_address

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

DESIGNATOR = bytes.fromhex("ef0100")


@dataclass(frozen=True)
class ExternallyOwned:
    address: str
    delegate: str | None = None  # EIP-7702: the code it delegates to

    def account(self) -> Account:
        if self.delegate is None:
            return Account(self.address, "eoa", "EOA")
        return Account(self.address, "eoa", "EOA (EIP-7702)", details={"delegate": self.delegate})

    def edges(self) -> tuple[Edge, ...]:
        return ()  # a key: nobody acts for it


def probe(reader: ChainReader, address: str) -> ExternallyOwned | None:
    code = reader.code(address)
    if not code:
        return ExternallyOwned(address)
    if code.startswith(DESIGNATOR) and len(code) == len(DESIGNATOR) + 20:
        return ExternallyOwned(address, to_checksum_address(code[3:23]))
    return None
