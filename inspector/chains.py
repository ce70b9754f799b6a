"""Chains inspector knows by name, and where their RPC endpoints come from.

A chain is named as the user types it (`mainnet`, `base`, ...) or by chain id; local
devnets (anvil, Hardhat) use 31337. RPC URLs come from `--rpc` or from an environment
variable per chain, `INSPECTOR_RPC_<NAME>` or `INSPECTOR_RPC_<CHAINID>`: never from a file
inspector writes, since they often carry credentials.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from inspector.errors import TargetError


@dataclass(frozen=True)
class Chain:
    chain_id: int
    name: str

    def __str__(self) -> str:
        return self.name


# name -> chain id; the first name of an id is how reports call it
_CHAINS: dict[str, int] = {
    "mainnet": 1, "ethereum": 1, "eth": 1,
    "sepolia": 11155111, "holesky": 17000, "hoodi": 560048,
    "optimism": 10, "op": 10, "optimism-sepolia": 11155420,
    "bsc": 56, "bnb": 56, "bsc-testnet": 97,
    "gnosis": 100, "xdai": 100,
    "polygon": 137, "matic": 137, "polygon-amoy": 80002,
    "fantom": 250, "zksync": 324, "metis": 1088, "moonbeam": 1284,
    "mantle": 5000, "base": 8453, "base-sepolia": 84532,
    "arbitrum": 42161, "arbitrum-one": 42161, "arbitrum-nova": 42170, "arbitrum-sepolia": 421614,
    "celo": 42220, "avalanche": 43114, "avax": 43114, "linea": 59144, "blast": 81457,
    "scroll": 534352, "zora": 7777777,
    "anvil": 31337, "hardhat": 31337, "localhost": 31337, "devnet": 31337,
}
_NAMES: dict[int, str] = {}
for _name, _id in _CHAINS.items():
    _NAMES.setdefault(_id, _name)


def parse_chain(text: str) -> Chain:
    key = text.strip().lower()
    if key.isdigit():
        chain_id = int(key)
        return Chain(chain_id, _NAMES.get(chain_id, key))
    if key not in _CHAINS:
        raise TargetError(f"unknown chain '{text}'", "use a chain id, or one of: " + ", ".join(sorted(set(_NAMES.values()))))
    return Chain(_CHAINS[key], _NAMES[_CHAINS[key]])


def rpc_from_environment(chain: Chain) -> str | None:
    for name in (f"INSPECTOR_RPC_{chain.name.upper().replace('-', '_')}", f"INSPECTOR_RPC_{chain.chain_id}"):
        value = os.environ.get(name)
        if value:
            return value
    return None


_URL = re.compile(r"(?P<scheme>https?|wss?)://(?P<userinfo>[^/?#]*@)?(?P<host>[A-Za-z0-9.\-_:\[\]]+)(?P<path>[^?#]*)(?P<query>\?[^#]*)?")


def mask_url(url: str) -> str:
    """An RPC or explorer URL as it may be shown: scheme, host and port only. User info, the
    whole path and the whole query become `***`, since any of them may be a key (Infura and
    Alchemy put it in the path, short keys included): `http://user:secret@host/rpc/KEY`
    shows as `http://***@host/***`. Anything not an http(s)/ws(s) URL is `***` entirely."""
    match = _URL.fullmatch(url.split("#", 1)[0].strip())
    if not match:
        return "***"
    userinfo = "***@" if match.group("userinfo") is not None else ""
    path = "/***" if match.group("path").strip("/") else match.group("path")
    query = "?***" if match.group("query") else ""
    return f"{match.group('scheme')}://{userinfo}{match.group('host')}{path}{query}"
