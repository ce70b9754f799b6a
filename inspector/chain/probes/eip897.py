"""EIP-897 delegate proxy: proxyType() answers and implementation() names the code."""
from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.chain.probes.common import Proxy

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

KIND = "EIP-897"


def probe(reader: ChainReader, address: str) -> Proxy | None:
    if reader.call(address, "proxyType()", ["uint256"]) is None:
        return None
    target = reader.address_call(address, "implementation()")
    return Proxy(KIND, (target,)) if target else None
