"""A Safe's proxy: its singleton (masterCopy) in storage slot 0, which masterCopy() returns."""
from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.chain.probes.common import Proxy, word_address

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

KIND = "Safe"


def probe(reader: ChainReader, address: str) -> Proxy | None:
    singleton = reader.address_call(address, "masterCopy()")
    if singleton and word_address(reader.storage(address, 0)) == singleton:
        return Proxy(KIND, (singleton,))
    return None
