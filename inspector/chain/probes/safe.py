"""A Safe (Gnosis Safe) multisig: its M-of-N owners, its modules (which execute without the
threshold) and its transaction guard."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.chain.accounts import Account
from inspector.chain.edges import Edge
from inspector.chain.probes.common import addresses, word_address
from inspector.keccak import keccak
from inspector.vocabulary import EdgeKind

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

SENTINEL = "0x0000000000000000000000000000000000000001"  # the head of a Safe's module list
GUARD_SLOT = int(keccak(text="guard_manager.guard.address").hex(), 16)
PAGE = 50  # modules read, at most


@dataclass(frozen=True)
class Safe:
    address: str
    threshold: int
    owners: tuple[str, ...]
    modules: tuple[str, ...]
    guard: str | None

    def account(self) -> Account:
        return Account(self.address, "multisig", "Safe", threshold=self.threshold, owners=list(self.owners),
                       details={"modules": list(self.modules), "guard": self.guard})

    def edges(self) -> tuple[Edge, ...]:
        signers = (self.threshold, len(self.owners))
        return (*(Edge(owner, self.address, EdgeKind.SIGN, "", threshold=signers) for owner in self.owners),
                *(Edge(module, self.address, EdgeKind.EXECUTE_AS_MODULE, "") for module in self.modules))


def owners(reader: ChainReader, address: str) -> tuple[str, ...] | None:
    found = reader.call(address, "getOwners()", ["address[]"])
    return None if found is None else addresses(found)


def modules(reader: ChainReader, address: str) -> tuple[str, ...]:
    found = reader.call(address, "getModulesPaginated(address,uint256)", ["address[]", "address"], (SENTINEL, PAGE),
                        ["address", "uint256"])
    return addresses(found[0] if found else ())


def probe(reader: ChainReader, address: str) -> Safe | None:
    threshold = reader.call(address, "getThreshold()", ["uint256"])
    signers = owners(reader, address)
    if threshold is None or signers is None:
        return None
    return Safe(address, threshold, signers, modules(reader, address), word_address(reader.storage(address, GUARD_SLOT)))
