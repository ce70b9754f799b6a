"""The sources of deployed code: what an explorer verified for an address, bound to where
its state lives, as groups of compilation units analysed together."""
from __future__ import annotations

import time
from dataclasses import dataclass, replace

from inspector import net
from inspector.chain.edges import Edge
from inspector.options import ScanOptions
from inspector.sources.explorer import fetch_source
from inspector.sources.model import Bytecode, CodeMatch, SourceBundle
from inspector.sources.verified import bundle_from_verified
from inspector.store import Store
from inspector.targets import ChainTarget


@dataclass(frozen=True)
class Group:
    """Compilation units analysed together, and, for a deployed contract, where each
    contract's state lives on chain: (contract name, state address, code address, via)."""

    bundles: tuple[SourceBundle, ...]
    bindings: tuple[tuple[str, str, str, str], ...] = ()
    chain_id: int | None = None
    links: tuple[Edge, ...] = ()  # control edges the chain shows directly
    targets: tuple[str, ...] = ()  # the chain targets it was made for: skipped when it fails to build
    matches: tuple[CodeMatch, ...] = ()  # how each deployed code was tied to its contract
    bytecode: tuple[Bytecode, ...] = ()  # unverified code, analysed without sources (instead of bundles)


class Explorer:
    """Verified sources for the addresses of one scan: one deadline for every explorer read,
    however many targets the scan has."""

    def __init__(self, options: ScanOptions, store: Store) -> None:
        self.options, self.store = options, store
        self.deadline = time.monotonic() + net.setting("INSPECTOR_EXPLORER_DEADLINE", 900.0)

    def bundle(self, target: ChainTarget, address: str) -> tuple[SourceBundle, str]:
        """The verified sources of the code at `address`, and the explorer that verified them."""
        sources = self.options.sources
        source = fetch_source(target.chain, address, self.store, sources.explorer, sources.etherscan_url, sources.sourcify_url,
                              self.options.refresh, deadline=self.deadline)
        return bundle_from_verified(source), source.explorer


def merge_groups(groups: list[Group]) -> list[Group]:
    """Groups of one unit with the same standard-JSON input (several addresses verified from
    one project, or matched to one --project) are analysed once: one Slither load for all."""
    at: dict[str, int] = {}  # key -> where in `out` the group the others join is
    out: list[Group] = []
    for group in groups:
        if len(group.bundles) != 1:
            out.append(group)
            continue
        # per chain: a binding's state is read on its group's chain
        key = f"{group.chain_id}:{group.bundles[0].key()}"
        if key not in at:
            at[key] = len(out)
            out.append(group)
            continue
        into, (first,), (other,) = out[at[key]], out[at[key]].bundles, group.bundles
        bundle = replace(first, targets=tuple(dict.fromkeys(first.targets + other.targets)),
                         contracts=tuple(dict.fromkeys(first.contracts + other.contracts)))
        bindings = list(into.bindings)
        for binding in group.bindings:
            if binding not in bindings:
                bindings.append(binding)
        out[at[key]] = replace(into, bundles=(bundle,), bindings=tuple(bindings), links=into.links + group.links,
                               targets=tuple(dict.fromkeys(into.targets + group.targets)),
                               matches=tuple(dict.fromkeys(into.matches + group.matches)))
    return out
