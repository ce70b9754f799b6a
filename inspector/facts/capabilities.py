"""What an entry point can change, with the line that changes it.

The walk covers the function and the internal functions it calls, but not its
modifiers: a modifier's own writes (a reentrancy lock, an initializer flag) are
bookkeeping, not a power the caller gains.
"""
from __future__ import annotations

import re

from slither.core.declarations import Function
from slither.core.variables.state_variable import StateVariable
from slither.slithir.operations import Binary, BinaryType, InternalCall, LibraryCall

from inspector.facts.locations import source_file, source_line
from inspector.facts.model import Capability

_MINT_FUNCTIONS = re.compile(r"^_?(safe)?mint(batch)?$", re.IGNORECASE)
_SUPPLY = re.compile(r"^_?total_?supply$", re.IGNORECASE)
_BALANCES = re.compile(r"^_?balances?(of)?$", re.IGNORECASE)
_OWNER_NAMES = re.compile(r"^_?(pending_?)?(owner|admin|governance|governor|gov)$", re.IGNORECASE)


def _where(node) -> tuple[str, int]:
    return source_file(node.source_mapping), source_line(node.source_mapping)


def _reachable(entry: Function) -> list[Function]:
    seen: dict[int, Function] = {}
    stack = [entry]
    while stack:
        function = stack.pop()
        if id(function) in seen:
            continue
        seen[id(function)] = function
        for node in function.nodes:
            for ir in node.irs:
                if isinstance(ir, (InternalCall, LibraryCall)) and isinstance(ir.function, Function):
                    stack.append(ir.function)
    return list(seen.values())


def capabilities(entry: Function, principals: set[str], privileged: bool) -> tuple[Capability, ...]:
    """Capabilities of one entry point.

    `principals` are the state variables some guard of the contract compares the caller
    with: writing one of them changes who holds power. `set_parameter` (any other state
    change) is a capability only of privileged entry points; for anyone it is just use.
    """
    found: dict[tuple[str, str], Capability] = {}

    def add(name: str, detail: str, node) -> None:
        file, line = _where(node)
        found.setdefault((name, detail), Capability(name=name, detail=detail, file=file, line=line))

    for function in _reachable(entry):
        for node in function.nodes:
            for ir in node.irs:
                if isinstance(ir, (InternalCall, LibraryCall)) and isinstance(ir.function, Function):
                    if _MINT_FUNCTIONS.match(ir.function.name) and function is not ir.function:
                        add("mint", ir.function.name, node)
            adds = any(isinstance(ir, Binary) and ir.type == BinaryType.ADDITION for ir in node.irs)
            for variable in node.state_variables_written:
                if not isinstance(variable, StateVariable):
                    continue
                if _SUPPLY.match(variable.name) and adds and function is entry:
                    # Only the entry's own code: shared helpers (OpenZeppelin 5's `_update`)
                    # raise the supply on one branch and are reached by plain transfers too.
                    add("mint", variable.name, node)
                elif variable.name in principals or _OWNER_NAMES.match(variable.name):
                    add("change_owner", variable.name, node)
                elif _BALANCES.match(variable.name):
                    if privileged:
                        add("set_balance", variable.name, node)
                elif privileged and not _SUPPLY.match(variable.name):
                    add("set_parameter", variable.name, node)
    if any(name == "mint" for name, _ in found):
        # crediting the recipient is what minting is, not a separate power
        found = {key: cap for key, cap in found.items() if key[0] != "set_balance"}
    return tuple(sorted(found.values(), key=lambda c: (c.name, c.line, c.detail)))
