"""EIP-2535 diamond: its facets, from the loupe's facetAddresses()."""
from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.chain.probes.common import Proxy, addresses

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

KIND = "EIP-2535 diamond"


def probe(reader: ChainReader, address: str) -> Proxy | None:
    facets = reader.call(address, "facetAddresses()", ["address[]"])
    return Proxy(KIND, addresses(facets)) if facets else None
