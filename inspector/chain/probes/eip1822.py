"""EIP-1822 (UUPS before EIP-1967): the implementation at keccak256("PROXIABLE")."""
from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.chain.probes.common import Proxy, word_address
from inspector.standards import slot_number

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

KIND = "EIP-1822"
SLOT = slot_number("eip1822")


def probe(reader: ChainReader, address: str) -> Proxy | None:
    implementation = word_address(reader.storage(address, SLOT))
    return Proxy(KIND, (implementation,)) if implementation else None
