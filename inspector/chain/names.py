"""Names for the contracts the control graph reaches that no target scanned: the ProxyAdmin
that upgrades a token, the DAO token a governor counts votes of, the Safe that owns them.
A node the graph only reached would read "contract 0x…"; an auditor wants to know what code
sits there before deciding whether to scan it.

Two ways, in this order, each said in the node (`Account.name_source`):
- the project (`--project`): the runtime code is one of its compiled contracts, as
  compile/match.py ties deployed code to the project (exactly, so its name is the contract's);
- a bytecode fingerprint: the selectors of the code's dispatcher (read by evmole) include
  every selector of a well-known implementation (OpenZeppelin's ProxyAdmin, TimelockController,
  Governor, UpgradeableBeacon, ERC20 and ERC20Votes tokens; Safe's singleton; Compound's
  Timelock). It says what interface the code answers to, not who wrote it: a name, never a
  kind the rules would trust (the probes decide kinds from what the chain answers).

A proxy is named with what runs behind it ("Safe proxy → Safe"); an EIP-1167 clone, whose
code has no selectors, by its implementation. Where nothing matches the node stays unnamed,
and the reports say its code is unnamed: an unnamed contract is unknown, never safe.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Callable, Iterable

import evmole

from inspector.chain import probes
from inspector.chain.accounts import Account
from inspector.facts.selectors import selector
from inspector.vocabulary import AccountKind, NameSource

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

# Accounts that have no code of their own to name
_CODELESS = (AccountKind.EOA, AccountKind.RENOUNCED, AccountKind.ANYONE, AccountKind.UNKNOWN)


@dataclass(frozen=True)
class Fingerprint:
    """A well-known implementation: the name it is given, and the function signatures its
    code must all dispatch (the selectors are computed from them, never typed in)."""

    name: str
    signatures: tuple[str, ...]

    @property
    def selectors(self) -> frozenset[str]:
        return _selectors(self.signatures)


@cache
def _selectors(signatures: tuple[str, ...]) -> frozenset[str]:
    return frozenset(selector(s) for s in signatures)


_ERC20 = ("totalSupply()", "balanceOf(address)", "transfer(address,uint256)", "transferFrom(address,address,uint256)",
          "approve(address,uint256)", "allowance(address,address)")
_OWNABLE = ("owner()", "transferOwnership(address)", "renounceOwnership()")

FINGERPRINTS = (
    # OpenZeppelin 5: one upgradeAndCall, the interface version; 4.x: upgrade, and the getters it dropped
    Fingerprint("OpenZeppelin ProxyAdmin (5.x)", ("UPGRADE_INTERFACE_VERSION()", "upgradeAndCall(address,address,bytes)", *_OWNABLE)),
    Fingerprint("OpenZeppelin ProxyAdmin (4.x)", ("upgrade(address,address)", "upgradeAndCall(address,address,bytes)",
                                                  "changeProxyAdmin(address,address)", "getProxyAdmin(address)",
                                                  "getProxyImplementation(address)", *_OWNABLE)),
    Fingerprint("OpenZeppelin TimelockController", (
        "getMinDelay()", "PROPOSER_ROLE()", "EXECUTOR_ROLE()", "schedule(address,uint256,bytes,bytes32,bytes32,uint256)",
        "execute(address,uint256,bytes,bytes32,bytes32)", "hashOperation(address,uint256,bytes,bytes32,bytes32)",
        "updateDelay(uint256)")),
    Fingerprint("OpenZeppelin Governor", (
        "propose(address[],uint256[],bytes[],string)", "castVote(uint256,uint8)", "votingDelay()", "votingPeriod()",
        "quorum(uint256)", "state(uint256)", "hashProposal(address[],uint256[],bytes[],bytes32)")),
    Fingerprint("Safe singleton", (
        "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)",
        "setup(address[],uint256,address,bytes,address,address,uint256,address)", "getOwners()", "getThreshold()",
        "addOwnerWithThreshold(address,uint256)", "enableModule(address)")),
    Fingerprint("Compound Timelock", (
        "delay()", "GRACE_PERIOD()", "acceptAdmin()", "setPendingAdmin(address)",
        "queueTransaction(address,uint256,string,bytes,uint256)", "executeTransaction(address,uint256,string,bytes,uint256)",
        "cancelTransaction(address,uint256,string,bytes,uint256)")),
    Fingerprint("OpenZeppelin UpgradeableBeacon", ("implementation()", "upgradeTo(address)", *_OWNABLE)),
    Fingerprint("ERC20Votes token", (*_ERC20, "delegate(address)", "delegates(address)", "getVotes(address)",
                                     "getPastVotes(address,uint256)", "getPastTotalSupply(uint256)")),
    Fingerprint("ERC20 token", _ERC20),
)


@dataclass(frozen=True)
class Name:
    name: str
    source: NameSource


def code_selectors(code: bytes) -> frozenset[str]:
    """The selectors the code's dispatcher compares the call data with (hex, no 0x)."""
    if not code:
        return frozenset()
    return frozenset(f.selector for f in evmole.contract_info(code, selectors=True).functions)


def fingerprint(code: bytes, known: Iterable[Fingerprint] = FINGERPRINTS) -> str | None:
    """The most specific well-known implementation whose every selector the code dispatches
    (an ERC20Votes token is an ERC20 token too: the one with more selectors is said)."""
    found = code_selectors(code)
    matched = [f for f in known if f.selectors <= found]
    return max(matched, key=lambda f: len(f.selectors)).name if matched else None


class Namer:
    """Names runtime code: the project's contract first (`project` maps code to a contract
    name, or None), then a fingerprint."""

    def __init__(self, project: Callable[[bytes], str | None] | None = None) -> None:
        self.project = project

    def code(self, code: bytes) -> Name | None:
        if not code:
            return None
        if self.project is not None:
            contract = self.project(code)
            if contract:
                return Name(contract, NameSource.PROJECT)
        known = fingerprint(code)
        return Name(known, NameSource.FINGERPRINT) if known else None

    def at(self, reader: ChainReader, address: str) -> Name | None:
        """What runs at `address`: its own code's name, and behind a proxy, the name of what it
        runs ("Safe proxy → Safe"); the proxy's own name is the proxy kind where its code has none.
        The source is the weaker of the two: a fingerprint when either name is one."""
        own = self.code(reader.code(address))
        proxy = probes.detect_proxy(reader, address)
        behind = [self.code(reader.code(i)) for i in proxy.implementations] if proxy is not None else []
        named = [n for n in behind if n is not None]
        if not named:
            return own
        head = own.name if own is not None else f"{proxy.kind} proxy"
        sources = {n.source for n in named} | ({own.source} if own is not None else set())
        source = NameSource.FINGERPRINT if NameSource.FINGERPRINT in sources else NameSource.PROJECT
        return Name(f"{head} → {', '.join(dict.fromkeys(n.name for n in named))}", source)


def name_nodes(reader: ChainReader, nodes: Iterable[Account], scanned: set[str], namer: Namer) -> None:
    """Name each node that holds code and that no target scanned (a target's node is labelled
    with the contract analysed there)."""
    for account in nodes:
        if account.kind in _CODELESS or account.address in scanned:
            continue
        found = namer.at(reader, account.address)
        if found is not None:
            account.name, account.name_source = found.name, found.source
