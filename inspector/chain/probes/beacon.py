"""EIP-1967 beacon proxy: a beacon at its standard slot, whose implementation() is the code
that runs. The beacon's owner upgrades every proxy that follows it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.chain.edges import Edge
from inspector.chain.probes.common import Proxy, word_address
from inspector.standards import slot_number
from inspector.vocabulary import CapabilityName

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

KIND = "EIP-1967 beacon"
BEACON_SLOT = slot_number("eip1967-beacon")
# the function of the edge by which a beacon upgrades a proxy that follows it
FOLLOWED = "implementation() of the beacon"


def probe(reader: ChainReader, address: str) -> Proxy | None:
    beacon = word_address(reader.storage(address, BEACON_SLOT))
    if beacon is None:
        return None
    target = reader.address_call(beacon, "implementation()")
    return Proxy(KIND, (target,) if target else (), beacon=beacon)


def link(proxy: Proxy, address: str, chain_id: int | None) -> Edge:
    """What the chain shows beyond the code: the beacon holds the upgrade power over the proxy."""
    return Edge(proxy.beacon, address, CapabilityName.UPGRADE, FOLLOWED, chain_id=chain_id)
