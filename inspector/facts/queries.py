"""Questions rules ask of the facts, answered once here so that rules stay conditions."""
from __future__ import annotations

import re
from typing import Callable, Iterator

from inspector.facts.model import MULTISIG_SIGNERS, Capability, ContractFacts, EntryPoint, Facts, Guard
from inspector.vocabulary import CapabilityName, ContractKind, GuardKind

_TIMELOCK_NAME = re.compile(r"timelock", re.I)


def guards_of(entry: EntryPoint, capability: Capability) -> tuple[Guard, ...]:
    """Who can exercise a capability: its own branch guard, else the entry's guards. A
    callback alternative (the ERC-4337 EntryPoint beside the owner) is left out where a key
    may call too: the key is who holds the power."""
    guards = capability.guards or entry.guards
    keys = tuple(g for g in guards if g.kind not in (GuardKind.CALLBACK, GuardKind.CREATOR))
    return keys or guards


def seat_of(detail: str) -> str:
    """The state a guard or a write names: `allowed[_owner][msg.sender]` -> `allowed`."""
    return detail.split("[", 1)[0]


def empowered_seats(contract: ContractFacts) -> frozenset[str]:
    """The seats (the state guards compare the caller with) that hold some power, directly
    or through the seats they fill. A seat guarding an entry point whose effect the facts do
    not name holds power (unknown is not nothing); one whose entry points only fill other
    powerless seats, or write only what nothing acts on (`inert`), holds none: a token whose
    owner can only name a pending owner, trustees, and a version string."""
    seats = {seat_of(g.detail) for e in contract.entry_points for g in e.guards if g.kind != GuardKind.ANYONE and g.detail}
    held: set[str] = set()
    changed = True
    while changed:
        changed = False
        for entry in contract.entry_points:
            uses = [(c, guards_of(entry, c)) for c in entry.capabilities]
            if not entry.capabilities and not entry.inert:
                uses.append((None, entry.guards))
            for capability, guards in uses:
                target = None if capability is None else seat_of(capability.detail)
                if target is not None and target in seats and target not in held:
                    continue  # fills a seat not (yet) known to hold anything
                if capability is not None and capability.name in (CapabilityName.CHANGE_OWNER, CapabilityName.RENOUNCE) and "." not in target:
                    continue  # the contract's own seat moved through a helper (`_transferOwnership(next)`)
                for guard in guards:
                    seat = seat_of(guard.detail)
                    if guard.kind != GuardKind.ANYONE and seat and seat not in held:
                        held.add(seat)
                        changed = True
    return frozenset(held)


def powers(facts: Facts, names: frozenset[str] | set[str] | None = None) -> Iterator[tuple[ContractFacts, EntryPoint, Capability]]:
    for contract in facts.contracts:
        for entry in contract.entry_points:
            for capability in entry.capabilities:
                if names is None or capability.name in names:
                    yield contract, entry, capability


def is_timelock_guard(guard: Guard) -> bool:
    """A principal that is, by its type or name, a timelock."""
    return bool(_TIMELOCK_NAME.search(guard.contract) or _TIMELOCK_NAME.search(guard.detail))


_GOVERNANCE_NAME = re.compile(r"timelock|governor|authority|\bdao\b", re.I)


def is_governance_contract(guard: Guard) -> bool:
    """A principal that is, by its type or name, a governance contract (a timelock, a
    governor, an AccessManager authority) rather than a key."""
    return bool(is_timelock_guard(guard) or _GOVERNANCE_NAME.search(guard.contract) or _GOVERNANCE_NAME.search(guard.detail))


def is_quorum(guard: Guard, contract: ContractFacts) -> bool:
    """A multisig acting on what enough of its owners confirmed: its threshold decides."""
    return guard == MULTISIG_SIGNERS and ContractKind.MULTISIG in contract.kinds


def is_governance_path(guard: Guard, contract: ContractFacts) -> bool:
    """Reached only through the contract's own governance flow (a call the contract makes
    to itself after a vote or a delay, a multisig's confirmed transaction), or through a
    timelock; or by no key at all: a fixed contract calling back as its users drive it
    (`callback`) or the contract that created it holding its seat (`creator`), or the
    account concerned acting on its own things (`user`, whose
    privileged alternative is `act_for_users`)."""
    return guard.kind in (GuardKind.SELF, GuardKind.CALLBACK, GuardKind.CREATOR, GuardKind.USER) or is_quorum(guard, contract) or is_timelock_guard(guard)


def outside_governance(guards: tuple[Guard, ...], contract: ContractFacts) -> tuple[Guard, ...]:
    """The alternatives that do not go through the contract's governance flow: of
    `msg.sender == timelock || msg.sender == guardian`, the guardian."""
    return tuple(g for g in guards if not is_governance_path(g, contract))


def unrestricted(guards: tuple[Guard, ...]) -> bool:
    return any(g.kind == GuardKind.ANYONE for g in guards)


def for_users(guards: tuple[Guard, ...]) -> bool:
    """A user's own function (`msg.sender == ownerOf[id] || isCOO(msg.sender)`): the user
    side is no power, and a privileged alternative is reported as `act_for_users`."""
    return any(g.kind == GuardKind.USER for g in guards)


def describe(guard: Guard) -> str:
    if guard.kind == GuardKind.ANYONE:
        return "anyone"
    if guard.kind == GuardKind.ROLE:
        return f"role {guard.detail}" + (f" (admin {guard.admin})" if guard.admin else "")
    if guard.kind == GuardKind.SELF:
        return "the contract itself"
    if guard.kind == GuardKind.FORWARDER:
        return f"the trusted forwarder '{guard.detail}'"
    if guard.kind == GuardKind.TX_ORIGIN:
        return f"tx.origin == '{guard.detail}'"
    if guard.kind == GuardKind.USER:
        return f"the account concerned ('{guard.detail}')"
    if guard.kind == GuardKind.CALLBACK:
        return f"the contract in '{guard.detail}', calling back"
    if guard.kind == GuardKind.EXTERNAL:
        return f"'{guard.detail}' (decided by another contract)"
    if guard.kind == GuardKind.CREATOR:
        return f"the contract that creates it ({guard.contract}), holding '{guard.detail}'"
    typed = f" ({guard.contract})" if guard.contract else ""
    cosigned = f" on a request of '{guard.cosigner}'" if guard.cosigner else ""
    return f"'{guard.detail}'{typed}{cosigned}"


def principal_of(guards: tuple[Guard, ...]) -> str:
    """The holders as the JSON `principal` names them: variables, roles, addresses."""
    return " | ".join(g.detail if g.detail and g.kind != GuardKind.SELF else g.kind for g in guards)


def describe_all(guards: tuple[Guard, ...]) -> str:
    return " or ".join(describe(g) for g in guards)


def contract_uses_timelock(contract: ContractFacts) -> bool:
    return ContractKind.TIMELOCK in contract.kinds or any(
        is_timelock_guard(g) for e in contract.entry_points for g in e.guards)


_EXECUTION = re.compile(r"^(execute|executeBatch|executeTransaction|execTransaction|relay|schedule|queue)", re.I)


def executes_governed_calls(contract: ContractFacts, entry: EntryPoint) -> bool:
    """A timelock, governor, multisig or access manager carrying out what was queued, voted
    or co-signed: its purpose, not a key's power of its own. In a multisig whose code shows
    where its quorum decides, an `execute` one owner calls alone (a Parity wallet's payment
    under the daily limit) is that owner's power."""
    if not _EXECUTION.match(entry.function):
        return False
    if {ContractKind.TIMELOCK, ContractKind.GOVERNOR, ContractKind.ACCESS_MANAGER} & set(contract.kinds):
        return True
    if ContractKind.MULTISIG not in contract.kinds:
        return False
    counted = any(MULTISIG_SIGNERS in e.guards for e in contract.entry_points)
    return not counted or MULTISIG_SIGNERS in entry.guards


def privileged_uses(facts: Facts, names: set[str], governs: Callable[[Guard, ContractFacts], bool] = is_governance_path,
                    ) -> Iterator[tuple[ContractFacts, EntryPoint, Capability, tuple[Guard, ...]]]:
    """(contract, entry, capability, guards) where a privileged principal, outside the
    contract's own governance or timelock flow, can exercise one of `names`. `governs` says
    whether a guard is that flow: by the code (names, types), or by the chain (the rules'
    Governance)."""
    for contract in facts.contracts:
        if contract.abstract:
            continue
        for entry in contract.entry_points:
            for capability in entry.capabilities:
                if capability.name not in names:
                    continue
                guards = guards_of(entry, capability)
                if unrestricted(guards) or for_users(guards) or all(governs(g, contract) for g in guards):
                    continue
                if executes_governed_calls(contract, entry):
                    continue
                yield contract, entry, capability, guards


def is_voting_token(contract: ContractFacts) -> bool:
    """ERC20Votes (OpenZeppelin) or Comp: delegation and a votes getter (facts/kinds.py names
    the token's standard 'ERC20 with votes'; the getter is a view, not an entry point)."""
    return contract.standards.get(ContractKind.TOKEN, "").endswith(" with votes")
