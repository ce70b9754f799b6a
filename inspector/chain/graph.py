"""The control graph: who really holds each power of a deployed system.

Nodes are accounts and contracts with their kind; an edge `A -> B` says A can use a
capability on B (through a function), with the delay on that step. Holders are followed
recursively: a Safe's owners sign for it, a timelock's proposers act after its delay, a
contract's owner acts for it, up to a depth (default 5).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from inspector.chain import probes
from inspector.chain.accounts import Account, short
from inspector.chain.edges import Edge
from inspector.chain.probes import Probed, access_control, eip1967, safe
from inspector.chain.probes.access_control import ANYONE
from inspector.durations import waiting
from inspector.errors import ChainError
from inspector.facts.model import ContractFacts, Guard
from inspector.keccak import to_checksum_address
from inspector.vocabulary import PROPOSING, EdgeKind

if TYPE_CHECKING:  # the reader is the caller's: reports use the graph without it
    from inspector.chain.rpc import ChainReader


@dataclass(frozen=True)
class Deployment:
    """A scanned contract bound to the chain: its state lives at `address`, its code at
    `code_address` (the implementation behind a proxy)."""

    contract: ContractFacts
    address: str
    code_address: str
    via: str = ""  # "EIP-1967 proxy 0x…" for an implementation
    # name -> [(start, length)] of immutables in the runtime code; compiled only when asked
    immutables: Callable[[], dict[str, list[tuple[int, int]]]] | None = field(default=None, compare=False, repr=False)
    chain_id: int | None = None


@dataclass
class ControlGraph:
    nodes: dict[str, Account] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    unresolved: list[tuple[str, str, str]] = field(default_factory=list)  # (contract address, guard, why)
    # (contract address, guard) -> who holds the guard there, where the chain showed it
    guard_holders: dict[tuple[str, Guard], tuple[str, ...]] = field(default_factory=dict)

    def add_edge(self, edge: Edge) -> None:
        if edge not in self.edges:
            self.edges.append(edge)

    def merge(self, other: "ControlGraph", chain: str = "") -> None:
        """Another chain's graph into this one (a scan of targets on several chains). An
        account on both chains is the same key only when it is an EOA; a contract at one
        address on two chains (CREATE2) is two contracts with their own holders, which one
        graph keyed by address cannot tell apart."""
        for address, account in other.nodes.items():
            known = self.nodes.get(address)
            if known is not None and "eoa" not in (known.kind, account.kind) and known.kind not in ("renounced", "anyone"):
                raise ChainError(f"contract {address} appears on more than one scanned chain{' (' + chain + ')' if chain else ''}",
                                 "scan each chain's targets in a separate run")
        self.nodes.update(other.nodes)
        for edge in other.edges:
            self.add_edge(edge)
        self.unresolved.extend(other.unresolved)
        self.guard_holders.update(other.guard_holders)


def _getter_names(detail: str) -> list[str]:
    """Getters that may expose a stored principal: `_owner` -> owner(), a namespaced
    `OwnableStorage._owner` -> owner(), `contractOwner` -> contractOwner(), owner()."""
    member = detail.split(".")[-1]
    names = [member, member.lstrip("_")]
    for word in ("owner", "admin", "governance", "governor", "guardian", "operator", "minter", "signer"):
        if word in member.lower():
            names += [word, "get" + word.capitalize()]  # owner(), getOwner() (BEP-20 style)
    return list(dict.fromkeys(n for n in names if n))


def resolve_guard(reader: ChainReader, deployment: Deployment, guard: Guard) -> tuple[list[str], str]:
    """The addresses that hold a guard on a deployed contract, or why they cannot be read."""
    address = deployment.address
    if guard.kind == "external":
        return _resolve_external(reader, deployment, guard)
    if guard.kind in ("owner", "address", "forwarder", "tx_origin", "callback", "creator"):
        if guard.detail.startswith("0x") and len(guard.detail) == 42:
            return [to_checksum_address(guard.detail)], ""
        if guard.detail.startswith("slot "):
            # an address kept at a fixed slot, read in assembly (a ZeppelinOS proxy's admin)
            slot = deployment.contract.values.get(guard.detail[5:], guard.detail[5:])
            if slot.startswith("0x"):
                return [to_checksum_address(reader.storage(address, int(slot, 16))[-20:])], ""
        for name in _getter_names(guard.detail):
            value = reader.address_call(address, f"{name}()")
            if value:
                return [value], ""
        if "admin" in guard.detail.lower():
            # a transparent proxy keeps its admin in an immutable and in the EIP-1967 admin slot
            admin = reader.storage(address, eip1967.ADMIN_SLOT)
            if any(admin[-20:]):
                return [to_checksum_address(admin[-20:])], ""
        offsets = deployment.immutables().get(guard.detail) if deployment.immutables else None
        if offsets:
            # an immutable without a getter: read it where the compiler wrote it into the code
            code = reader.code(deployment.code_address)
            start, length = offsets[0]
            return [to_checksum_address(code[start:start + length][-20:])], ""
        slot = deployment.contract.storage.get(guard.detail)
        if slot is not None:
            raw = reader.storage(address, slot[0])
            offset = slot[1]
            value = raw[32 - offset - 20: 32 - offset]
            return [to_checksum_address(value)], ""
        return [], f"no getter or known slot for '{guard.detail}'"
    if guard.kind == "role" and guard.detail.startswith("admin of"):
        # AccessControl's grantRole/revokeRole: the admin of whichever role is passed, so the
        # members of every role that administers one (DEFAULT_ADMIN_ROLE, and any set later)
        return access_control.admins(reader, address, access_control.admin_roles(reader, address)), ""
    if guard.kind == "role":
        if guard.detail.startswith(("<", "AccessManager")) or " in " in guard.detail:
            return [], f"role '{guard.detail}' is decided per call"
        role = access_control.role_id(reader, address, guard.detail)
        if role is None:
            return [], f"no getter for role {guard.detail}"
        # OpenZeppelin's TimelockController opens a role to everyone by granting it to address(0)
        return access_control.open_to_anyone(access_control.members(reader, address, role)), ""
    if guard.kind == "self" or guard.detail == "M-of-N owner signatures":
        return [address], ""
    if guard.kind == "custom" and guard.detail == "owners[msg.sender]":
        return list(safe.owners(reader, address) or ()), ""
    if guard.kind == "custom" and guard.detail == "modules[msg.sender]":
        return list(safe.modules(reader, address)), ""
    return [], f"{guard.kind} guard '{guard.detail}' cannot be read from the chain"


def _resolve_external(reader: ChainReader, deployment: Deployment, guard: Guard) -> tuple[list[str], str]:
    """An address another contract names (`controller.getGovernor()`): the contract, read as
    a stored principal, then asked. A check another contract makes for the caller
    (`aclManager.isPoolAdmin(msg.sender)`) lists no one."""
    source, _, call = guard.detail.rpartition(".")
    if not source or not call.endswith("()"):
        return [], f"'{guard.detail}' is decided by another contract"
    holders, why = resolve_guard(reader, deployment, Guard("owner", source))
    if not holders:
        return [], why
    value = reader.address_call(holders[0], call)
    return ([value], "") if value else ([], f"{call} on {holders[0]} returned no address")


def build_graph(reader: ChainReader, deployments: list[Deployment], depth: int = 5, links: list[Edge] = ()) -> ControlGraph:
    """`links` are edges the chain itself shows (a beacon upgrades the proxies that follow it)."""
    graph = ControlGraph()
    probed: dict[str, Probed] = {}  # address -> what its probe read: who acts for it

    def classify(address: str) -> Account:
        found = probed[address] = probes.classify(reader, address)
        return found.account()

    pending: list[tuple[str, int]] = []
    names: dict[str, dict[str, list[str]]] = {}  # address -> via -> contract names bound there
    for link in links:
        graph.add_edge(link)
    for deployment in deployments:
        account = graph.nodes.get(deployment.address) or classify(deployment.address)
        if account.kind == "contract":
            account.kind = _kind(deployment.contract)
            if account.kind in _GOVERNING:
                # its code governs others, but the chain does not show it as a Safe, a timelock or
                # a governor it knows: who acts for it is not what owner() says
                probed.pop(deployment.address, None)
        if deployment.via:
            # the code behind a proxy, so that two reports show an upgrade (inspector diff)
            account.details["implementations"] = sorted({*account.details.get("implementations", []), deployment.code_address})
        graph.nodes[deployment.address] = account
        names.setdefault(deployment.address, {}).setdefault(deployment.via, []).append(deployment.contract.name)
        pending.append((deployment.address, 0))
        resolved: dict[Guard, list[str]] = {}
        for entry in deployment.contract.entry_points:
            for capability in entry.capabilities:
                for guard in capability.guards or entry.guards:
                    if guard.kind in ("anyone", "user"):
                        continue  # nobody's power: everyone's, or each user's own
                    if guard not in resolved:
                        holders, why = resolve_guard(reader, deployment, guard)
                        resolved[guard] = holders
                        if why:
                            graph.unresolved.append((deployment.address, guard.detail or guard.kind, why))
                        else:
                            graph.guard_holders[(deployment.address, guard)] = tuple(holders)
                    for holder in resolved[guard]:
                        graph.add_edge(Edge(holder, deployment.address, capability.name, entry.function))
                        pending.append((holder, 1))
    expanded: set[str] = set()
    while pending:
        address, level = pending.pop(0)
        if address in expanded or level > depth:
            continue
        expanded.add(address)
        account = graph.nodes.get(address)
        if account is not None and account.kind in ("token",) and level > 0:
            continue  # a voting token: its holders vote, and are measured by --holders
        if account is None and address == ANYONE:
            graph.nodes[address] = Account(ANYONE, "anyone", "anyone")
            continue
        if account is None:
            account = graph.nodes[address] = classify(address)
        if level == 0 and account.kind not in ("multisig", "timelock"):
            continue  # a scanned contract's powers were resolved from its guards above
        for edge in probed[address].edges() if address in probed else ():
            graph.add_edge(edge)
            pending.append((edge.source, level + 1))
    for address, by_via in names.items():
        # what runs there: the implementation(s) behind a proxy (every facet of a diamond), else the contract itself
        via = next((v for v in by_via if v), "")
        graph.nodes[address].label = f"{', '.join(dict.fromkeys(by_via[via]))} via {via}" if via else by_via[""][0]
    return graph


# Kinds of contract that act for others by rules of their own (signatures, a delay, votes)
_GOVERNING = ("multisig", "timelock", "governor")


def _kind(contract: ContractFacts) -> str:
    for kind in ("multisig", "timelock", "governor", "proxy", "token"):
        if kind in contract.kinds:
            return kind
    return "contract"


def holder_text(graph: ControlGraph, address: str, depth: int = 4) -> str:
    """Who holds a power, followed through the contracts that hold it for someone else, with
    the delay on the way: 'contract 0x856e…eae5 owned by Safe 2-of-3 0x0229…117C, no delay'."""
    text, delay = _holder_chain(graph, address, depth)
    return f"{text}, {waiting(delay)}"


def _holder_chain(graph: ControlGraph, address: str, depth: int) -> tuple[str, int]:
    account = graph.nodes.get(address)
    if account is None:
        return short(address), 0
    text, delay = account.describe(), 0
    if account.kind == "multisig" and account.threshold == 1:
        text += " (any one owner acts alone)"
    if account.kind == "timelock":
        delay += account.delay or 0
        proposers = [e.source for e in graph.edges if e.target == address and e.kind in PROPOSING]
        if proposers and depth > 0:
            names = [_holder_chain(graph, p, depth - 1)[0] for p in proposers]
            text += f" on proposals of {' or '.join(names)}"
    elif account.kind == "contract" and depth > 0:
        owners = [e.source for e in graph.edges if e.target == address and e.kind == EdgeKind.OWNER]
        if owners:
            inner, inner_delay = _holder_chain(graph, owners[0], depth - 1)
            text += f" owned by {inner}"
            delay += inner_delay
    return text, delay
