"""The chain-facts stage: what the chain says of the deployed contracts, read once, before
the rules run — who holds each guard (the control graph, followed recursively), each
power's keys, each governor's rules, votes and reach, and, when asked, how a token's supply
is spread. Rules read it when present (`Rule.governance`, the multisig and timelock rules);
the findings stage names holders from it; the score weighs it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping

from inspector.chain.accounts import Account
from inspector.chain.governors import GovernorState, read_governors
from inspector.chain.graph import ControlGraph, Deployment, Edge, build_graph
from inspector.chain.holders import Holders, balances, concentration, deployment_block
from inspector.chain.names import Namer, name_nodes
from inspector.chain.paths import Power, powers
from inspector.facts.model import Guard
from inspector.vocabulary import AccountKind, ContractKind, EdgeKind

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader


@dataclass(frozen=True)
class ChainFacts:
    """The chain's answers for a scan's deployed contracts."""

    chain: str  # the chains read, "anvil" or "anvil, 31338"
    block: int | None  # the block the first chain was read at
    graph: ControlGraph
    deployments: tuple[Deployment, ...]
    powers: tuple[Power, ...]
    holders: tuple[Holders, ...] = ()  # token holder concentration, with --holders
    governors: tuple[GovernorState, ...] = ()  # each on-chain governor the graph reaches: its rules, votes and reach

    def deployments_of(self, contract: str) -> tuple[Deployment, ...]:
        """Where a contract of the facts is deployed (several addresses, or none)."""
        return tuple(d for d in self.deployments if d.contract.name == contract)

    def account(self, address: str) -> Account | None:
        return self.graph.nodes.get(address)

    def accounts_of(self, contract: str) -> tuple[Account, ...] | None:
        """What the chain read at every address a contract of the facts is deployed at; None
        when it is deployed nowhere or one of its addresses was not read (the code decides)."""
        accounts = tuple(self.graph.nodes.get(d.address) for d in self.deployments_of(contract))
        return accounts if accounts and None not in accounts else None

    def deployed_at(self, address: str) -> Deployment | None:
        """The scanned contract at an address (its first, for a diamond's facets)."""
        return next((d for d in self.deployments if d.address.lower() == address.lower()), None)

    def owners_of(self, address: str) -> tuple[str, ...]:
        """The accounts the chain shows owning a contract (its `owner()`)."""
        return tuple(e.source for e in self.graph.edges if e.target == address and e.kind == EdgeKind.OWNER)

    def guard_holders(self, deployment: Deployment, guard: Guard) -> tuple[str, ...] | None:
        """Who holds `guard` on a deployment, as the chain showed it; None where it could
        not be read (no getter, a role decided per call)."""
        return self.graph.guard_holders.get((deployment.address, guard))


def read_chain(readers: Mapping[int, "ChainReader"], deployments: list[Deployment], links: list[Edge], depth: int,
               holders: bool, from_block: int | None, progress: Callable[[str], None],
               project: Callable[[bytes], str | None] | None = None) -> ChainFacts | None:
    """The control graph of every chain the deployments are on, its contracts that no target
    scanned named (by `project`, which maps runtime code to a contract of --project, then by
    fingerprints: chain/names.py), and, with `holders`, the holder concentration of each
    deployed token. None when no chain was read."""
    if not readers or not deployments:
        return None
    progress("reading who holds each power from the chain")
    graph = ControlGraph()
    namer = Namer(project)
    per_chain = []
    for chain_id, reader in readers.items():
        on_chain = [d for d in deployments if d.chain_id == chain_id]
        found = build_graph(reader, on_chain, depth, [link for link in links if link.chain_id == chain_id])
        name_nodes(reader, found.nodes.values(), {d.address for d in on_chain}, namer)
        per_chain.append((reader, found))
        graph.merge(found, str(reader.chain))
    all_powers = powers(graph)
    governors: list[GovernorState] = []
    for reader, chain_graph in per_chain:
        governors += read_governors(reader, chain_graph, all_powers, from_block)
    measured: list[Holders] = []
    if holders:
        progress("replaying Transfer logs")
        labels = {a.address: a.describe() for a in graph.nodes.values() if a.kind in (AccountKind.MULTISIG, AccountKind.TIMELOCK, AccountKind.GOVERNOR, AccountKind.CONTRACT)}
        for chain_id, reader in readers.items():
            tokens = dict.fromkeys(d.address for d in deployments if d.chain_id == chain_id and ContractKind.TOKEN in d.contract.kinds)
            measured += [concentration(t, balances(reader, t, from_block if from_block is not None else deployment_block(reader, t)), labels)
                         for t in tokens]
    first = next(iter(readers.values()))
    return ChainFacts(chain=", ".join(str(r.chain) for r in readers.values()), block=first.block, graph=graph,
                      deployments=tuple(deployments), powers=all_powers, holders=tuple(measured), governors=tuple(governors))
