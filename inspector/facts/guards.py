"""Who may call a function: the caller checks it makes, directly or through modifiers
and the internal helpers they call (`_checkOwner`, `_msgSender`, library checks).

The analysis follows values through Slither's IR: it marks what the caller is (msg.sender,
and anything returned by a function that returns it, such as `_msgSender()`), what is
stored (state variables, and getters such as `owner()` that return one), and looks for
comparisons between the two that end in a `require`/`assert` or a branch.
"""
from __future__ import annotations

from dataclasses import dataclass

from slither.core.declarations import Function, SolidityVariableComposed
from slither.core.variables.local_variable import LocalVariable
from slither.core.variables.state_variable import StateVariable
from slither.slithir.operations import (
    Assignment,
    Binary,
    BinaryType,
    Condition,
    Index,
    InternalCall,
    LibraryCall,
    Member,
    Return,
    SolidityCall,
    TypeConversion,
    Unary,
)
from slither.slithir.variables import Constant

from inspector.facts.model import ANYONE, Guard

_REQUIRES = ("require(", "assert(")


@dataclass(frozen=True)
class _Tag:
    """What an IR value is known to be."""

    kind: str  # sender | origin | stored | constant | check
    name: str = ""
    guard: Guard | None = None


class GuardAnalysis:
    """Memoises per-function summaries, so each helper is analysed once per contract set."""

    def __init__(self) -> None:
        self._returns: dict[int, _Tag | None] = {}
        self._checks: dict[int, tuple[Guard, ...]] = {}
        self._active: set[int] = set()

    # -- summaries -------------------------------------------------------------------
    def returns(self, function: Function) -> _Tag | None:
        """What a function returns, if it is the caller or a stored value."""
        key = id(function)
        if key not in self._returns:
            if key in self._active:
                return None
            self._active.add(key)
            self._returns[key], self._checks[key] = self._analyse(function)
            self._active.discard(key)
        return self._returns[key]

    def own_checks(self, function: Function) -> tuple[Guard, ...]:
        self.returns(function)
        return self._checks.get(id(function), ())

    def guards(self, entry: Function) -> tuple[Guard, ...]:
        """Every principal the entry point, its modifiers and helpers check for. None: anyone."""
        found: list[Guard] = []
        seen: set[int] = set()
        stack: list[Function] = [entry, *entry.modifiers]
        while stack:
            function = stack.pop()
            if id(function) in seen:
                continue
            seen.add(id(function))
            for guard in self.own_checks(function):
                if guard not in found:
                    found.append(guard)
            stack.extend([*_callees(function), *function.modifiers])
        return tuple(found) or (ANYONE,)

    # -- one function ----------------------------------------------------------------
    def _tag(self, value: object, tags: dict[int, _Tag]) -> _Tag | None:
        if isinstance(value, SolidityVariableComposed):
            if value.name == "msg.sender":
                return _Tag("sender")
            if value.name == "tx.origin":
                return _Tag("origin")
            return None
        if isinstance(value, StateVariable):
            if value.is_constant or value.is_immutable:
                # fixed when deployed: a hard-coded address, not a key that can be handed on
                literal = str(value.expression) if value.is_constant and value.expression is not None else value.name
                return _Tag("constant", literal)
            return _Tag("stored", value.name)
        if isinstance(value, Constant):
            return _Tag("constant", str(value.value))
        return tags.get(id(value))

    def _compare(self, left: _Tag | None, right: _Tag | None) -> Guard | None:
        for who, other in ((left, right), (right, left)):
            if who is None or other is None or who.kind not in ("sender", "origin"):
                continue
            if other.kind == "stored":
                return Guard("tx_origin" if who.kind == "origin" else "owner", other.name)
            if other.kind == "constant":
                return Guard("tx_origin" if who.kind == "origin" else "address", other.name)
        return None

    def _analyse(self, function: Function) -> tuple[_Tag | None, tuple[Guard, ...]]:
        tags: dict[int, _Tag] = {}
        checks: list[Guard] = []
        returned: _Tag | None = None
        for node in function.nodes:
            for ir in node.irs:
                lvalue = getattr(ir, "lvalue", None)
                if isinstance(ir, (Assignment, TypeConversion)):
                    source = ir.rvalue if isinstance(ir, Assignment) else ir.variable
                    tag = self._tag(source, tags)
                    if tag and lvalue is not None:
                        tags[id(lvalue)] = tag
                elif isinstance(ir, (InternalCall, LibraryCall)) and isinstance(ir.function, Function):
                    tag = self.returns(ir.function)
                    if tag and lvalue is not None:
                        tags[id(lvalue)] = tag
                elif isinstance(ir, Binary):
                    left, right = self._tag(ir.variable_left, tags), self._tag(ir.variable_right, tags)
                    if ir.type in (BinaryType.EQUAL, BinaryType.NOT_EQUAL):
                        guard = self._compare(left, right)
                        if guard:
                            tags[id(lvalue)] = _Tag("check", guard=guard)
                    elif ir.type in (BinaryType.ANDAND, BinaryType.OROR):
                        carried = next((t for t in (left, right) if t and t.kind == "check"), None)
                        if carried:
                            tags[id(lvalue)] = carried
                elif isinstance(ir, Unary):
                    tag = self._tag(ir.rvalue, tags)
                    if tag and tag.kind == "check":
                        tags[id(lvalue)] = tag
                elif isinstance(ir, Index):
                    key = self._tag(ir.variable_right, tags)
                    base = self._tag(ir.variable_left, tags)
                    if key and key.kind == "sender" and base and base.kind == "stored":
                        tags[id(lvalue)] = _Tag("check", guard=Guard("custom", f"{base.name}[msg.sender]"))
                elif isinstance(ir, Member):
                    base = self._tag(ir.variable_left, tags)
                    if base and base.kind == "check":
                        tags[id(lvalue)] = base
                    elif base and base.kind == "stored":
                        tags[id(lvalue)] = _Tag("stored", f"{base.name}.{ir.variable_right}")
                    elif _is_storage_pointer(ir.variable_left):
                        # namespaced storage (ERC-7201): `$._owner` through a local storage pointer
                        tags[id(lvalue)] = _Tag("stored", f"{ir.variable_left.type}.{ir.variable_right}")
                elif isinstance(ir, SolidityCall) and ir.function.name.startswith(_REQUIRES) and ir.arguments:
                    tag = self._tag(ir.arguments[0], tags)
                    if tag and tag.kind == "check" and tag.guard not in checks:
                        checks.append(tag.guard)
                elif isinstance(ir, Condition):
                    tag = self._tag(ir.value, tags)
                    if tag and tag.kind == "check" and tag.guard not in checks:
                        checks.append(tag.guard)
                elif isinstance(ir, Return) and ir.values:
                    tag = self._tag(ir.values[0], tags)
                    if tag and tag.kind in ("sender", "stored"):
                        returned = tag
        return returned, tuple(checks)


def _is_storage_pointer(value: object) -> bool:
    return isinstance(value, LocalVariable) and value.location == "storage"


def _callees(function: Function) -> list[Function]:
    called = []
    for node in function.nodes:
        for ir in node.irs:
            if isinstance(ir, (InternalCall, LibraryCall)) and isinstance(ir.function, Function):
                called.append(ir.function)
    return called
