"""Parse what the user typed into typed targets, once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from inspector.chains import Chain, parse_chain
from inspector.errors import TargetError

_CHAIN_TARGET = re.compile(r"^(?P<chain>[A-Za-z0-9_-]+):(?P<address>0x[0-9A-Fa-f]*)$")


@dataclass(frozen=True)
class PathTarget:
    """A .sol file, a folder, or a Foundry/Hardhat project root."""

    path: Path

    def __str__(self) -> str:
        return str(self.path)


@dataclass(frozen=True)
class ChainTarget:
    """A deployed contract: `CHAIN:0xADDRESS`, the address checksummed."""

    chain: Chain
    address: str

    def __str__(self) -> str:
        return f"{self.chain}:{self.address}"


Target = PathTarget | ChainTarget


def parse_target(text: str) -> Target:
    match = _CHAIN_TARGET.match(text.strip())
    if match is None or Path(text).exists():
        return PathTarget(Path(text))
    from inspector.keccak import is_checksum_address, to_checksum_address  # only for an address: a path is refused without it

    address = match.group("address")
    if not re.fullmatch(r"0x[0-9A-Fa-f]{40}", address):
        raise TargetError(f"{text}: '{address}' is not an address (0x and 40 hex digits)", "check the address")
    if address != address.lower() and address[2:] != address[2:].upper() and not is_checksum_address(address):
        raise TargetError(f"{text}: '{address}' has a wrong checksum (mixed case must be EIP-55)", "check the address, or write it in lower case")
    return ChainTarget(parse_chain(match.group("chain")), to_checksum_address(address))
