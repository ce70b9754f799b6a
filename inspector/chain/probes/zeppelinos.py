"""ZeppelinOS proxy (OpenZeppelin before EIP-1967): the implementation at
keccak256("org.zeppelinos.proxy.implementation")."""
from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.chain.probes.common import Proxy, word_address
from inspector.standards import slot_number

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

KIND = "ZeppelinOS"
SLOT = slot_number("zeppelinos")


def probe(reader: ChainReader, address: str) -> Proxy | None:
    implementation = word_address(reader.storage(address, SLOT))
    return Proxy(KIND, (implementation,)) if implementation else None
