"""What code a deployed target needs, read from the chain only: the target's own code, and
behind a proxy its implementation(s) (a diamond's facets), or a beacon's, each bound to
the address whose state it runs on. Fetching or matching the sources of that code is the
sources and compile stages' work (scan.py asks them)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.chain.edges import Edge
from inspector.chain.probes import beacon, detect_proxy
from inspector.chains import rpc_from_environment
from inspector.errors import ChainError
from inspector.options import ScanOptions
from inspector.store import Store
from inspector.targets import ChainTarget

if TYPE_CHECKING:  # the reader (and its requests session) is imported only when a chain is read
    from inspector.chain.rpc import ChainReader


@dataclass(frozen=True)
class Code:
    """Code the target runs: at `address`, on the state at `state` (the proxy's, for an
    implementation), `via` what ("EIP-1967 proxy"; "" for the address's own code)."""

    address: str
    state: str
    via: str = ""
    # the proxy's own code, which may be unverified (an EIP-1167 clone never is) when the
    # code behind it is
    optional: bool = False
    links: tuple[Edge, ...] = ()  # control edges the chain shows for it (a beacon upgrading the proxy)


@dataclass(frozen=True)
class Discovered:
    target: ChainTarget
    codes: tuple[Code, ...]


def open_reader(target: ChainTarget, options: ScanOptions, store: Store) -> ChainReader | None:
    """A reader of the target's chain, from --rpc or INSPECTOR_RPC_<CHAIN>; None without one."""
    url = options.chain.rpc or rpc_from_environment(target.chain)
    if url is None:
        return None
    from inspector.chain.rpc import ChainReader

    return ChainReader(url, target.chain, store, options.chain.block, options.refresh)


def discover(target: ChainTarget, reader: ChainReader | None) -> Discovered:
    """The code at a deployed address and, with a reader of its chain (None without an RPC),
    the code behind it, detected from chain state (never from an explorer's flag)."""
    if reader is None:
        return Discovered(target, (Code(target.address, target.address),))
    if not reader.code(target.address):
        raise ChainError(f"no code at {target.address} on {target.chain} (block {reader.block})", "check the address and chain")
    proxy = detect_proxy(reader, target.address)
    if proxy is None:
        return Discovered(target, (Code(target.address, target.address),))
    via = f"{proxy.kind} proxy"
    codes = [Code(target.address, target.address, optional=True)]
    codes += [Code(implementation, target.address, via) for implementation in proxy.implementations]
    if proxy.beacon:
        # the beacon holds the upgrade power over every proxy that follows it
        codes.append(Code(proxy.beacon, proxy.beacon, links=(beacon.link(proxy, target.address, target.chain.chain_id),)))
    return Discovered(target, tuple(codes))
