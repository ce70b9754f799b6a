"""Seats held by the contract that creates their contract.

A storage or ledger contract that sets `owner = msg.sender` in its constructor and that
another scanned contract creates with `new` (`tokenStorage = new TokenStorage()`) is owned
by its creator: the creator's code, driven by its users or by its own guarded functions,
is the only caller its owner-only functions have. Its powers are the creator's, reported
where the creator exposes them (an upgrade, an admin setter), not a key's. That holds
only while the seat stays with the creator: if the storage lets someone other than its
owner take the seat, or the creator hands it on (calls the storage's `transferOwnership`)
or makes a low-level call whose target or data its caller chooses, a key may end up holding it.
"""
from __future__ import annotations

from dataclasses import dataclass

from slither.core.declarations import Contract, Function
from slither.core.solidity_types import UserDefinedType
from slither.slithir.operations import HighLevelCall, LibraryCall, NewContract

from inspector.facts.dataflow import Dataflow, Effect
from inspector.facts.model import Guard
from inspector.vocabulary import GuardKind


@dataclass(frozen=True)
class Creation:
    """Who creates a contract with `new`: the contracts whose code does it (where declared)."""

    created: str
    creators: tuple[Contract, ...]


def creations(contracts: list[Contract]) -> dict[str, Creation]:
    """`new S(...)` anywhere in the code of the given contracts (constructors included),
    by the name of the contract created."""
    found: dict[str, list[Contract]] = {}
    for contract in contracts:
        for function in [*contract.functions_declared, *contract.modifiers_declared]:
            for node in function.nodes:
                for ir in node.irs:
                    if isinstance(ir, NewContract):
                        creators = found.setdefault(str(ir.contract_name), [])
                        if contract not in creators and contract.name != str(ir.contract_name):
                            creators.append(contract)
    return {name: Creation(name, tuple(by)) for name, by in found.items() if by}


def _set_to_deployer(contract: Contract, seat: str, flow: Dataflow) -> bool:
    """The constructors (the contract's own and its bases') write the seat from msg.sender."""
    for constructor in contract.constructors:
        for effect in flow.entry(constructor).effects:
            value = (effect.args + (None, None))[1]
            if effect.kind == "write" and effect.target == seat and value is not None and value.kind == "sender":
                return True
    return False


def _seat_writes(entries, seat: str, nominees: dict[str, tuple[str, ...]]) -> list[tuple[object, Effect]]:
    """(entry, write) of the seat, or of a pending owner the seat names."""
    held = {seat} | {n for n, by in nominees.items() if seat in by}
    return [(entry, effect) for entry in entries for effect in entry.summary.effects
            if effect.kind == "write" and effect.target in held]


def _only_holder_moves(entries, seat: str, nominees: dict[str, tuple[str, ...]]) -> bool:
    """Every write of the seat (or of its pending owner) is made by its holder (or by the
    pending owner it named, accepting): no one else can take it."""
    held = {seat} | {n for n, by in nominees.items() if seat in by}
    for entry, effect in _seat_writes(entries, seat, nominees):
        guards = (effect.guard,) if effect.guard is not None else entry.guards
        if not all(g.kind == GuardKind.OWNER and g.detail in held for g in guards):
            return False
    return True


def _moving_functions(entries, seat: str, nominees: dict[str, tuple[str, ...]]) -> set[str]:
    """Signatures of the entry points that hand the seat on (to a pending owner or at once)."""
    return {entry.signature for entry, effect in _seat_writes(entries, seat, nominees)
            if not (effect.args[1:2] and effect.args[1] is not None and effect.args[1].kind == "constant")}


def _related(kind, created: Contract) -> bool:
    """A call's destination typed as the created contract, one of its bases, or an heir."""
    if not (isinstance(kind, UserDefinedType) and isinstance(kind.type, Contract)):
        return False
    target, name = kind.type, created.name
    return target.name == name or target.name in {c.name for c in created.inheritance} \
        or name in {c.name for c in target.inheritance}


def _hands_on(creator: Contract, created: Contract, moving: set[str], flow: Dataflow) -> bool:
    """The creator's code can give the seat away: it calls one of the storage's functions that
    move the seat, or it makes a low-level call its caller steers."""
    for function in [*creator.functions, *creator.modifiers]:
        for node in function.nodes:
            for ir in node.irs:
                if isinstance(ir, HighLevelCall) and not isinstance(ir, LibraryCall) \
                        and isinstance(ir.function, Function) and ir.function.full_name in moving \
                        and _related(getattr(ir.destination, "type", None), created):
                    return True
    for function in creator.functions_entry_points:
        if any(_steered(e) for e in flow.entry(function).effects):
            return True
    return False


def _steered(effect: Effect) -> bool:
    """A low-level call whose target or calldata the caller chooses: it may reach any
    function of the created contract (Polymath's factory calls the module it created with the
    caller's `_data`)."""
    return effect.kind == "lowlevel" and effect.target == "call" and any(a is not None and a.kind == "param" for a in effect.args)


def _heirs(creator: Contract, contracts: list[Contract]) -> list[Contract]:
    """The creator and the scanned contracts inheriting it: each may run the creator's code."""
    return [creator, *(c for c in contracts if creator.name in {base.name for base in c.inheritance})]


def held_by_creator(contract: Contract, entries, nominees: dict[str, tuple[str, ...]], creation: Creation | None,
                    contracts: list[Contract], flow: Dataflow) -> dict[str, str]:
    """Seat variable -> the contracts that create this one and hold that seat, for each owner
    seat the constructor gives the deployer, that only its holder can move, and that no
    creator (nor an heir of one) can hand on."""
    if creation is None:
        return {}
    seats = {g.detail for e in entries for g in e.guards if g.kind == GuardKind.OWNER}
    found = {}
    for seat in sorted(seats):
        if not (_set_to_deployer(contract, seat, flow) and _only_holder_moves(entries, seat, nominees)):
            continue
        moving = _moving_functions(entries, seat, nominees)
        runners = [c for creator in creation.creators for c in _heirs(creator, contracts)]
        if any(_hands_on(runner, contract, moving, flow) for runner in runners):
            continue
        found[seat] = ", ".join(sorted(c.name for c in creation.creators))
    return found


def as_creator(found: tuple[Guard, ...], held: dict[str, str]) -> tuple[Guard, ...]:
    """The owner guards of seats the creator holds, as the creator's (`creator` guards)."""
    return tuple(Guard(GuardKind.CREATOR, g.detail, contract=held[g.detail]) if g.kind == GuardKind.OWNER and g.detail in held else g
                 for g in found)
