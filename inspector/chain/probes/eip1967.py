"""EIP-1967 proxy: the implementation at its standard slot, the admin (a transparent
proxy's) at another."""
from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.chain.probes.common import Proxy, word_address
from inspector.standards import slot_number

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

KIND = "EIP-1967"
IMPLEMENTATION_SLOT = slot_number("eip1967-implementation")
ADMIN_SLOT = slot_number("eip1967-admin")


def probe(reader: ChainReader, address: str) -> Proxy | None:
    implementation = word_address(reader.storage(address, IMPLEMENTATION_SLOT))
    if implementation is None:
        return None
    return Proxy(KIND, (implementation,), admin=word_address(reader.storage(address, ADMIN_SLOT)))
