"""Holder concentration of a token, from its Transfer logs replayed up to the pinned block:
top-1 and top-10 shares, HHI, Gini, and the Nakamoto coefficient (the fewest holders that
together hold more than half). Burn addresses are left out; holders that are part of the
control graph (a timelock, a multisig, a treasury) are labelled."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from inspector.chain.accounts import DEAD
from inspector.keccak import keccak, to_checksum_address

if TYPE_CHECKING:  # the reader is the caller's: reports use Holders without it
    from inspector.chain.rpc import ChainReader

TRANSFER = keccak(text="Transfer(address,address,uint256)")
_BURN = {a.lower() for a in DEAD}


@dataclass
class Holders:
    token: str
    holders: int
    supply: int  # held by counted holders (burn addresses excluded)
    top1: float
    top10: float
    hhi: float  # sum of squared shares, 0..1
    gini: float
    nakamoto: int
    top: list[tuple[str, int, float, str]] = field(default_factory=list)  # (address, balance, share, label)


def deployment_block(reader: ChainReader, address: str) -> int:
    """The first block at which the address has code: a binary search over `eth_getCode`
    at past blocks (about 25 reads on mainnet), so logs are replayed from there only."""
    low, high = 0, reader.block
    while low < high:
        middle = (low + high) // 2
        if reader.code_at(address, middle):
            high = middle
        else:
            low = middle + 1
    return low


def balances(reader: ChainReader, token: str, from_block: int = 0) -> dict[str, int]:
    held: dict[str, int] = {}
    for log in reader.logs(token, TRANSFER, from_block):
        topics = [t.removeprefix("0x") for t in log["topics"]]
        if len(topics) != 3:
            continue  # ERC-721 Transfer has the id indexed too: not a fungible balance
        source, target = "0x" + topics[1][-40:], "0x" + topics[2][-40:]
        value = int(log["data"].removeprefix("0x") or "0", 16)
        held[source] = held.get(source, 0) - value
        held[target] = held.get(target, 0) + value
    return {to_checksum_address(a): v for a, v in held.items() if v > 0 and a.lower() not in _BURN}


def concentration(token: str, held: dict[str, int], labels: dict[str, str]) -> Holders:
    ranked = sorted(held.items(), key=lambda item: (-item[1], item[0]))
    supply = sum(held.values())
    if supply == 0:
        return Holders(token, 0, 0, 0.0, 0.0, 0.0, 0.0, 0)
    shares = [v / supply for _, v in ranked]
    ascending = sorted(held.values())
    n = len(ascending)
    gini = (2 * sum((i + 1) * x for i, x in enumerate(ascending))) / (n * supply) - (n + 1) / n
    running, nakamoto = 0.0, 0
    for share in shares:
        running += share
        nakamoto += 1
        if running > 0.5:
            break
    return Holders(
        token=token, holders=n, supply=supply, top1=round(shares[0], 6), top10=round(sum(shares[:10]), 6),
        hhi=round(sum(s * s for s in shares), 6), gini=round(gini, 6), nakamoto=nakamoto,
        top=[(a, v, round(v / supply, 6), labels.get(a, "")) for a, v in ranked[:10]],
    )
