"""Who can use each power in the end, and how long they must wait: the control graph read
backwards from each power to the keys that hold it.

A key is where control stops being delegated: an EOA, a multisig (its M-of-N is the key;
its modules act without the threshold, so they are followed too), a governor (token
holders vote), anyone, or a contract whose holders could not be read. Timelocks and owned
contracts pass control on: a timelock adds its delay to every path through it (even its
admin, who may grant itself the proposer role, must wait), an owned contract adds nothing.
Delays add up along a path; each key keeps its shortest one.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

from inspector.chain.graph import ControlGraph
from inspector.vocabulary import TAKES_OVER, AccountKind, CapabilityName, EdgeKind

# Nodes that hold power themselves rather than passing it on
_KEY_KINDS = (AccountKind.EOA, AccountKind.MULTISIG, AccountKind.GOVERNOR, AccountKind.ANYONE, AccountKind.RENOUNCED,
              AccountKind.TOKEN)


@dataclass(frozen=True)
class Key:
    address: str
    kind: str
    label: str
    delay: int  # seconds before a change it makes takes effect, on its shortest path
    threshold: int | None = None
    owners: int = 0  # for a multisig: how many signers


@dataclass(frozen=True)
class Power:
    """One capability on one scanned contract (an edge of the static facts), and its keys."""

    contract: str  # address
    capability: str
    function: str
    keys: tuple[Key, ...]

    @property
    def min_delay(self) -> int | None:
        """The shortest wait from any key that can act (None: nobody can)."""
        delays = [k.delay for k in self.keys if k.kind != AccountKind.RENOUNCED]
        return min(delays) if delays else None


def _controllers(graph: ControlGraph, address: str, capability: str) -> list[tuple[str, int]]:
    """Who acts as `address` to use `capability`, and the delay that step adds. Controlling
    edges are the ones holders were followed by (no function: a Safe's signers, a timelock's
    proposers, an owner), and, for a scanned contract that passes a power on (a beacon
    upgrading its proxies), the holders of that same power on it, and of any power that takes
    the contract over (upgrade, arbitrary call, delegatecall)."""
    account = graph.nodes.get(address)
    # a timelock, governor or multisig executing calls carries out what was queued, voted or signed
    governed = account is not None and account.kind in (AccountKind.TIMELOCK, AccountKind.GOVERNOR, AccountKind.MULTISIG)

    def takes_over(edge) -> bool:
        return edge.kind in TAKES_OVER and not (governed and edge.kind != CapabilityName.UPGRADE)

    found = []
    for edge in graph.edges:
        if edge.target != address or (edge.function and edge.kind != capability and not takes_over(edge)):
            continue
        if account is not None and account.kind == AccountKind.MULTISIG and edge.kind != EdgeKind.EXECUTE_AS_MODULE:
            continue  # signers are the multisig key itself; modules bypass it
        delay = max(edge.delay, account.delay or 0) if account is not None and account.kind == AccountKind.TIMELOCK else edge.delay
        found.append((edge.source, delay))
    return found


def keys_of(graph: ControlGraph, holder: str, capability: str, first_delay: int = 0) -> tuple[Key, ...]:
    """The keys behind `holder`, each with its shortest delay (Dijkstra over controllers)."""
    best: dict[str, int] = {}
    queue = [(first_delay, holder)]
    keys: dict[str, Key] = {}
    while queue:
        delay, address = heapq.heappop(queue)
        if address in best:
            continue
        best[address] = delay
        account = graph.nodes.get(address)
        if account is None:
            keys[address] = Key(address, AccountKind.UNKNOWN, address, delay)
            continue
        controllers = _controllers(graph, address, capability)
        if account.kind in _KEY_KINDS or not controllers:
            keys[address] = Key(address, account.kind, account.describe(), delay, account.threshold, len(account.owners))
        if account.kind in _KEY_KINDS and account.kind != AccountKind.MULTISIG:
            continue
        for source, step in controllers:
            if source not in best:
                heapq.heappush(queue, (delay + step, source))
    return tuple(sorted(keys.values(), key=lambda k: (k.delay, k.address)))


def powers(graph: ControlGraph) -> tuple[Power, ...]:
    """Every power the static facts found on a scanned contract, with its keys."""
    grouped: dict[tuple[str, str, str], list[tuple[str, int]]] = {}
    for edge in graph.edges:
        if edge.function:  # a power found in code (or a beacon's upgrade link)
            grouped.setdefault((edge.target, edge.capability, edge.function), []).append((edge.source, edge.delay))
    out = []
    for (contract, capability, function), holders in grouped.items():
        keys: dict[str, Key] = {}
        for source, delay in holders:
            for key in keys_of(graph, source, capability, delay):
                if key.address not in keys or key.delay < keys[key.address].delay:
                    keys[key.address] = key
        out.append(Power(contract, capability, function, tuple(sorted(keys.values(), key=lambda k: (k.delay, k.address)))))
    return tuple(sorted(out, key=lambda p: (p.contract, p.capability, p.function)))
