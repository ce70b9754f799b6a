"""EIP-1167 minimal proxy (a clone): the implementation is written into the code itself,
363d3d373d3d3d363d73 <20 bytes> 5af43d82803e903d91602b57fd5bf3."""
from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.chain.probes.common import Proxy
from inspector.keccak import to_checksum_address

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

KIND = "EIP-1167"
PREFIX = bytes.fromhex("363d3d373d3d3d363d73")
SUFFIX = bytes.fromhex("5af43d82803e903d91602b57fd5bf3")


def probe(reader: ChainReader, address: str) -> Proxy | None:
    code = reader.code(address)
    if code.startswith(PREFIX) and code[30:].startswith(SUFFIX):
        return Proxy(KIND, (to_checksum_address(code[10:30]),))
    return None
