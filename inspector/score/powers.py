"""The powers the score weighs, read from the facts (never from the findings, so that what a
project silences or which rules ran cannot change them), with who holds each one: the keys
of the control graph when a chain was read, else unresolved (one key, no delay).

A power is one capability on one contract, over every entry point that uses it. It counts
when a key holds it (any guard but the contract's own governance flow) or when anyone may
use something only an admin should. Findings do not make powers; they cite them, and the
ones the project silenced or baselined are kept as acknowledgements.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from inspector.chain.governors import GovernorState
from inspector.chain.graph import ControlGraph, Deployment
from inspector.chain.paths import Key, Power as ChainPower
from inspector.facts.model import Capability, ContractFacts, EntryPoint, Facts, Guard
from inspector.facts.queries import executes_governed_calls, for_users, guards_of, is_quorum, unrestricted
from inspector.findings import ADMIN_ROLE, UPGRADE, Finding
from inspector.score.model import Acknowledged, Holder, Power
from inspector.score.weights import weight_of
from inspector.vocabulary import (
    ADMIN_ONLY, REPLACES_CODE, AccountKind, CapabilityName, Category, ContractKind, GuardKind, OffChainDecision,
)

SIGNED, FEED = OffChainDecision.SIGNED_ACTION, OffChainDecision.PRICE_FEED
ANYONE = Holder(AccountKind.ANYONE, AccountKind.ANYONE)
SIGNER = Holder("signer", "signer")  # whoever holds the signing key: one key by construction
ORACLE = Holder("feed", "feed")  # whoever runs the feed
VOTER = "voter"  # the holder kind of one account holding the majority of a governor's votes


@dataclass(frozen=True)
class Use:
    """One entry point using one capability, and who may call it there."""

    contract: ContractFacts
    entry: EntryPoint
    capability: str
    bound: str
    guards: tuple[Guard, ...]  # empty for SIGNED and FEED: the holder is off chain
    open: bool  # anyone may call it


def _protective(capability: Capability) -> str:
    """The bound that limits the harm: a ceiling on a fee, a floor or ceiling on a limit, a cap on a mint."""
    if capability.name == CapabilityName.SET_FEE:
        return capability.bound if capability.bound.startswith("<=") else ""
    return capability.bound


def uses(facts: Facts) -> Iterator[Use]:
    """Every use of a power the score weighs. Left out: abstract contracts (their heir is
    scanned), initializers that run once, a timelock, governor or multisig carrying out what
    was queued, voted or co-signed, a contract's own governance flow (`self`), giving power
    up, a mint someone pays for, open functions that do nothing only an admin should, and
    the delegatecall of an entry point that upgrades (it runs the code the upgrade installs)."""
    for contract in facts.contracts:
        if contract.abstract:
            continue
        for entry in contract.entry_points:
            if entry.initializer == "guarded" or executes_governed_calls(contract, entry):
                continue
            if entry.feeds:
                yield Use(contract, entry, FEED, "", (), False)
            signed = entry.verifies_signature and bool(entry.capabilities)
            if signed:
                yield Use(contract, entry, SIGNED, "", (), False)
            upgrades = any(c.name == CapabilityName.UPGRADE for c in entry.capabilities)
            for capability in entry.capabilities:
                if weight_of(capability.name) is None or (capability.name == CapabilityName.MINT and capability.paid):
                    continue
                if upgrades and capability.name == CapabilityName.DELEGATECALL:
                    continue  # the upgrade's own call into the new code (upgradeToAndCall, diamondCut's init): one power, not two
                guards = tuple(g for g in guards_of(entry, capability)
                               if g.kind not in (GuardKind.SELF, GuardKind.CALLBACK, GuardKind.CREATOR) and not is_quorum(g, contract))
                if not guards or for_users(guards):
                    continue  # the contract's own flow (or its owners' quorum), a callback, or a user's own use reaches it
                if unrestricted(guards):
                    if signed or capability.name not in ADMIN_ONLY:
                        continue  # the signer decides (SIGNED), or nothing only an admin should do
                    yield Use(contract, entry, capability.name, _protective(capability), (), True)
                else:
                    yield Use(contract, entry, capability.name, _protective(capability), guards, False)


def _cites(finding: Finding, capability: str, functions: tuple[str, ...]) -> bool:
    """A finding describes a power when it is about one of its entry points and names the
    capability in its evidence (or cites no line, or is an off-chain finding there, for the
    off-chain ones), or when it is about the whole contract and the power is its subject: what
    replaces the code for an upgrade finding, granting roles for one about the admin role (the
    powers whose holders a chain scan names as the finding's holder)."""
    if not finding.function:
        return (finding.subject == UPGRADE and capability in REPLACES_CODE) or (
            finding.subject == ADMIN_ROLE and capability == CapabilityName.GRANT_ROLE)
    if finding.function not in functions:
        return False
    if capability in (SIGNED, FEED):
        return finding.category == Category.OFF_CHAIN
    return not finding.evidence or any(e.note.split(":", 1)[0] == capability for e in finding.evidence)


class HolderReader:
    """Who holds a use of a power: from the control graph's powers on every address the
    contract is deployed at, or unresolved when it is not deployed or a guard was not read."""

    def __init__(self, deployments: Iterable[Deployment] = (), graph: ControlGraph | None = None,
                 chain_powers: Iterable[ChainPower] = (), governors: Iterable[GovernorState] = ()) -> None:
        self.addresses: dict[str, list[str]] = {}
        for deployment in deployments if graph is not None else ():  # bound to an address, but no chain read: unknown
            self.addresses.setdefault(deployment.contract.name, []).append(deployment.address)
        self.scanned = {d.address for d in deployments}
        self.keys: dict[tuple[str, str, str], tuple[Key, ...]] = {
            (p.contract, p.capability, p.function): p.keys for p in chain_powers}
        self.unread = {(address, guard) for address, guard, _ in (graph.unresolved if graph else ())}
        # a governor one delegate decides (more than half of the delegated votes): that account is the key
        self.decided_by = {g.governor: g.votes.largest[0] for g in governors
                           if g.votes is not None and g.votes.largest is not None and g.votes.largest[1] * 2 > g.votes.total}
        self.majority = {g.governor: g.holders_to_majority for g in governors}  # the fewest delegates that win a vote

    def holders(self, use: Use) -> tuple[tuple[Holder, ...], bool]:
        """(holders, unresolved)."""
        if use.open:
            return (ANYONE,), False
        if use.capability == SIGNED:
            return (SIGNER,), False
        if use.capability == FEED:
            return (ORACLE,), False
        addresses = self.addresses.get(use.contract.name, [])
        if not addresses:
            return (), True
        found: list[Holder] = []
        unresolved = False
        for address in addresses:
            if any((address, g.detail or g.kind) in self.unread for g in use.guards):
                unresolved = True
            for key in self.keys.get((address, use.capability, use.entry.function), ()):
                found.append(self._holder(key))
                unresolved = unresolved or key.kind in (AccountKind.UNKNOWN, AccountKind.CONTRACT)
        return tuple(dict.fromkeys(found)), unresolved

    def _holder(self, key: Key) -> Holder:
        kind = key.kind
        if kind == AccountKind.CONTRACT and key.address in self.scanned:
            kind = "code"  # a scanned contract nobody controls: its code decides, and its own powers are scored
        if kind == AccountKind.GOVERNOR and key.address in self.decided_by:
            return Holder(self.decided_by[key.address], VOTER, key.delay)  # one account wins every vote: a key, not governance
        return Holder(key.address, kind, key.delay, key.threshold, key.owners, self.majority.get(key.address))


def collect(facts: Facts, reader: HolderReader, findings: Iterable[Finding] = (),
            acknowledged: Mapping[Finding, Acknowledged] | None = None) -> tuple[Power, ...]:
    """The powers of a scan, each with its holders, the findings that describe it and the
    ones the project set aside (`acknowledged`: finding -> how)."""
    grouped: dict[tuple[str, str], list[Use]] = {}
    for use in uses(facts):
        grouped.setdefault((use.contract.name, use.capability), []).append(use)
    findings = list(findings)
    set_aside = dict(acknowledged or {})
    out = []
    for (name, capability), found in sorted(grouped.items()):
        functions = tuple(dict.fromkeys(u.entry.function for u in found))
        bounds = [u.bound for u in found]
        holders: dict[Holder, None] = {}
        unresolved = False
        for use in found:
            held, unread = reader.holders(use)
            holders.update(dict.fromkeys(held))
            unresolved = unresolved or unread
        cited = [f for f in findings if f.contract == name and _cites(f, capability, functions)]
        aside = [a for f, a in set_aside.items() if f.contract == name and _cites(f, capability, functions)]
        out.append(Power(
            contract=name, capability=capability, functions=functions,
            bound=bounds[0] if all(bounds) else "",  # bounded only when every way to it is
            holders=tuple(sorted(holders, key=lambda h: (h.delay, h.address, h.kind))), unresolved=unresolved,
            token=ContractKind.TOKEN in found[0].contract.kinds, bytecode_only=found[0].contract.bytecode_only,
            finding_ids=tuple(sorted({f.id for f in cited})),
            acknowledged=tuple(sorted(set(aside), key=lambda a: (a.file, a.line, a.rule))),
        ))
    return tuple(out)
