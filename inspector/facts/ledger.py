"""What a token's own transfer path says about its state, read from the data flow rather
than from names: which mappings are its balances (the transfer path debits and credits
them, or `balanceOf` returns them), which variable is its supply (what `totalSupply()`
returns), and which address-keyed mappings can stop a transfer (a check on the transfer
path that reverts reads them: a freeze list, whatever it is called).

The transfer path is the ERC-20/721 transfer functions (`transfer`, `transferFrom`,
`safeTransferFrom`) with their modifiers and every internal function they reach
(`_transfer`, `_update`, `_beforeTokenTransfer`, ...).
"""
from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from slither.core.cfg.node import NodeType
from slither.core.declarations import Function, Modifier, SolidityFunction, Structure
from slither.core.solidity_types import ElementaryType, MappingType, UserDefinedType
from slither.core.variables.local_variable import LocalVariable
from slither.core.variables.state_variable import StateVariable
from slither.slithir.operations import (
    Assignment,
    Binary,
    BinaryType,
    Condition,
    Delete,
    Index,
    InternalCall,
    LibraryCall,
    Member,
    Return,
    SolidityCall,
    TypeConversion,
    Unary,
)
from slither.slithir.operations.unary import UnaryType
from slither.slithir.variables import Constant, ReferenceVariable

from inspector.facts.dataflow import _reverts_at_once

TRANSFERS = frozenset({"transfer(address,uint256)", "transferFrom(address,address,uint256)",
                       "safeTransferFrom(address,address,uint256)", "safeTransferFrom(address,address,uint256,bytes)"})
_ARITHMETIC = {BinaryType.ADDITION: "add", BinaryType.SUBTRACTION: "sub"}
_OTHER_ARITHMETIC = (BinaryType.MULTIPLICATION, BinaryType.DIVISION, BinaryType.MODULO, BinaryType.POWER)


@dataclass(frozen=True)
class Ledger:
    balances: frozenset[str] = frozenset()  # mappings the transfer path debits and credits, or balanceOf returns
    supply: frozenset[str] = frozenset()  # what totalSupply() returns
    stops: frozenset[str] = frozenset()  # deny-lists: an entry set stops the account's transfers (`frozen[a]`, `lockedUntil[a]`)
    passes: frozenset[str] = frozenset()  # allow-lists: an entry cleared stops them (`require(whitelisted[from])`)
    kept: frozenset[str] = frozenset()  # of those, what the transfer path writes itself (a cooldown it keeps)
    # switches: a bool the transfer path checks, one for every account (`require(!stopped)`,
    # `require(transfersEnabled || agents[msg.sender])`) and does not write itself
    halts: frozenset[str] = frozenset()  # every transfer stops while it is set (`stopped`)
    gates: frozenset[str] = frozenset()  # every transfer stops while it is clear (`transfersEnabled`)


EMPTY = Ledger()


def _origin(value) -> StateVariable | None:
    """The state variable a written value lands in: itself, or what a reference points into."""
    if isinstance(value, StateVariable):
        return value
    if isinstance(value, ReferenceVariable):
        origin = value.points_to_origin
        return origin if isinstance(origin, StateVariable) else None
    return None


def _account_mapping(variable) -> bool:
    """A mapping from an address, one level deep: an allowance (`mapping(address =>
    mapping(address => uint))`) is not an account's."""
    kind = getattr(variable, "type", None)
    return (isinstance(kind, MappingType) and str(kind.type_from) in ("address", "address payable")
            and not isinstance(kind.type_to, MappingType))


def _numeric_mapping(variable) -> bool:
    kind = variable.type
    return _account_mapping(variable) and isinstance(kind.type_to, ElementaryType) and str(kind.type_to).startswith(("uint", "int"))


def _flag_mapping(variable) -> bool:
    """An account's flag or number (`mapping(address => bool)`, `=> uint256`): what a freeze list is."""
    kind = variable.type
    return _account_mapping(variable) and isinstance(kind.type_to, ElementaryType) and (
        str(kind.type_to) == "bool" or str(kind.type_to).startswith(("uint", "int")))


def _switch(variable) -> bool:
    """A bool of the contract's, for every account at once: a flag, a record with a flag
    (`Suspension systemSuspension`), or one per section or market, never per account
    (`mapping(bytes32 => Suspension) synthSuspension`)."""
    if variable.is_constant:
        return False
    kind = variable.type
    while isinstance(kind, MappingType):
        if str(kind.type_from) in ("address", "address payable"):
            return False
        kind = kind.type_to
    if isinstance(kind, ElementaryType):
        return str(kind) == "bool"
    return isinstance(kind, UserDefinedType) and isinstance(kind.type, Structure) and any(
        str(f.type) == "bool" for f in kind.type.elems_ordered)


def _offered_checks(contract, reads: "_Reads") -> set[tuple[str, bool, bool]]:
    """What the contract's views require for others to call (`requireSystemActive()`:
    `require(!systemSuspension.suspended)`): a switch other contracts stop on."""
    walked: dict[Function, None] = {}
    for function in contract.functions:
        if function.view and function.visibility in ("public", "external") and function.is_implemented:
            callees = (getattr(c, "function", c) for c in function.all_internal_calls())
            walked.update(dict.fromkeys([function, *(c for c in callees if isinstance(c, Function) and c.is_implemented)]))
    checked: set[tuple[str, bool, bool]] = set()
    for function in walked:
        checked |= reads.walk(function)[1]
    return checked


def _ledger_mapping(variable) -> bool:
    """An account's amount, or a record of amounts (`mapping(address => Balance)` with
    `unlocked` and `locked` fields)."""
    kind = variable.type
    return _numeric_mapping(variable) or (_account_mapping(variable) and isinstance(kind.type_to, UserDefinedType)
                                          and isinstance(kind.type_to.type, Structure))


_CALLEE_CHANGE: WeakKeyDictionary = WeakKeyDictionary()  # per function, dropped with the scan's objects


def _arithmetic(function: Function, depth: int = 0) -> frozenset[str]:
    """The kinds of arithmetic a helper does, through the helpers it calls: "add", "sub",
    "other" (mul, div, mod, exp)."""
    if function in _CALLEE_CHANGE:
        return _CALLEE_CHANGE[function]
    _CALLEE_CHANGE[function] = frozenset()  # a recursive helper adds nothing more
    kinds: set[str] = set()
    for node in function.nodes:
        for ir in node.irs:
            if isinstance(ir, Binary) and ir.type in _ARITHMETIC:
                kinds.add(_ARITHMETIC[ir.type])
            elif isinstance(ir, Binary) and ir.type in _OTHER_ARITHMETIC:
                kinds.add("other")
            elif isinstance(ir, (InternalCall, LibraryCall)) and isinstance(ir.function, Function) and depth < 3:
                kinds |= _arithmetic(ir.function, depth + 1)
    _CALLEE_CHANGE[function] = frozenset(kinds)
    return _CALLEE_CHANGE[function]


def _callee_change(function: Function) -> str:
    """How a helper changes its first operand: "add" for a function whose only arithmetic is
    additions (SafeMath's `add`), "sub" for subtractions, else "" (mul, average, ...)."""
    kinds = _arithmetic(function)
    return next(iter(kinds)) if len(kinds) == 1 and kinds <= {"add", "sub"} else ""


def _produced(ir, node, depth: int = 0) -> str:
    """The arithmetic that made the value an IR writes, within its node (`delete` takes it all)."""
    if depth > 8:
        return ""
    if isinstance(ir, Delete):
        return "sub"
    if isinstance(ir, Binary):
        return _ARITHMETIC.get(ir.type, "")
    if isinstance(ir, (InternalCall, LibraryCall)) and isinstance(ir.function, Function):
        return _callee_change(ir.function)
    if isinstance(ir, (Assignment, TypeConversion)):
        source = ir.rvalue if isinstance(ir, Assignment) else ir.variable
        producer = next((p for p in node.irs if getattr(p, "lvalue", None) is source and p is not ir), None)
        if producer is not None:
            return _produced(producer, node, depth + 1)
        if isinstance(source, LocalVariable) and node.function is not None:
            # `uint256 left = balances[from].sub(v); balances[from] = left;`: its one definition
            found = [(n, p) for n in node.function.nodes for p in n.irs if getattr(p, "lvalue", None) is source]
            if len(found) == 1:
                return _produced(found[0][1], found[0][0], depth + 1)
    return ""


def change(node, variable: str) -> str:
    """How `node` changes the state variable `variable` (a name, as effects carry it):
    "add" (`x += v`, `x = x.add(v)`), "sub", or "" for a plain assignment."""
    base = variable.split(".")[-1]
    for ir in reversed(node.irs):
        lvalue = getattr(ir, "lvalue", None)
        if lvalue is None or isinstance(ir, (Index, Member)):
            continue
        origin = _origin(lvalue)
        if origin is not None and origin.name in (variable, base):
            return _produced(ir, node)
    # a namespaced or pointer write: the node's own arithmetic
    kinds = {_ARITHMETIC[ir.type] for ir in node.irs if isinstance(ir, Binary) and ir.type in _ARITHMETIC}
    return kinds.pop() if len(kinds) == 1 else ""


_ZERO = ("0", "0x0", "address(0)")


def lowers(effect) -> bool:
    """A write that can only take the value down: a constant zero (`fees[coin] = 0`) or a
    decrease (`fee -= step`)."""
    value = (effect.args + (None, None))[1]
    return (value is not None and value.kind == "constant" and value.value in _ZERO) or change(effect.node, effect.target) == "sub"


def unconditional(node) -> bool:
    """Whether every run of the node's function reaches it: no `if` above it but those whose
    other side reverts at once (a `require` written as `if (...) revert`)."""
    for dominator in node.dominators or ():
        if dominator is node or dominator.type != NodeType.IF:
            continue
        if not (_reverts_at_once(dominator.son_true) or _reverts_at_once(dominator.son_false)):
            return False
    return True


def _under_state_condition(node) -> bool:
    """Whether an `if` on the contract's state decides if the node runs (`if (locks[from])
    autoUnlock(from);`): what such a branch checks is the branch's business, not every
    transfer's. Checks of the arguments (`if (from != address(0))`) decide nothing of the kind."""
    return any(d is not node and d.type == NodeType.IF and d.state_variables_read
               and not (_reverts_at_once(d.son_true) or _reverts_at_once(d.son_false))
               for d in node.dominators or ())


def _path(contract) -> dict[Function, bool]:
    """The transfer functions, their modifiers and every internal function they reach, each
    with whether every transfer reaching it runs it (False when only a branch on the
    contract's state calls it)."""
    reached: dict[Function, bool] = {}
    todo = [(f, True) for f in contract.functions if f.full_name in TRANSFERS and f.is_implemented and not f.is_shadowed]
    while todo:
        function, always = todo.pop()
        if function in reached and (reached[function] or not always):
            continue
        reached[function] = always
        todo.extend((m, always) for m in function.modifiers if isinstance(m, Modifier))
        for node in function.nodes:
            for ir in node.irs:
                if isinstance(ir, InternalCall) and isinstance(ir.function, Function) and ir.function.is_implemented:
                    todo.append((ir.function, always and not _under_state_condition(node)))
    return reached


_Taint = frozenset  # of (mapping, negated, combined): where a value was read from, whether negated on the way, and whether and/or-ed with something else


def _falsy(value) -> bool | None:
    """True for a literal false or zero, False for a literal true, None for anything else."""
    if not isinstance(value, Constant):
        return None
    if str(value.value) in ("False", "false", "0"):
        return True
    return False if str(value.value) in ("True", "true") else None


class _Reads:
    """Which account flags each value of a function was read from, and which of them a
    check that reverts reads: a deny-list when the transfer stops where the flag is set
    (`require(!frozen[from])`), an allow-list when it stops where the flag is clear
    (`require(whitelisted[from])`); an allow-list or-ed with another condition
    (`require(isOwner[msg.sender] || !locked)`) is an exemption, not a list of who may move."""

    def __init__(self, switches: frozenset[str] = frozenset()) -> None:
        self._returns: dict[int, _Taint] = {}
        self.switches = switches  # the contract's flags for everyone (see `_switch`)

    def returns(self, function: Function) -> _Taint:
        key = id(function)
        if key not in self._returns:
            self._returns[key] = frozenset()  # recursion reads nothing more
            self._returns[key] = self.walk(function)[0]
        return self._returns[key]

    def walk(self, function: Function) -> tuple[_Taint, set[tuple[str, bool, bool]]]:
        """(what the function returns was read from, (flag, stops-where-set, combined) of its checks)."""
        taint: dict[int, _Taint] = {}
        returned: set = set()
        checked: set[tuple[str, bool, bool]] = set()

        def of(value) -> _Taint:
            if isinstance(value, StateVariable) and _switch(value):
                return frozenset({(value.name, False, False)})
            return taint.get(id(value), frozenset())

        def flip(read: _Taint) -> _Taint:
            return frozenset((name, not negated, combined) for name, negated, combined in read)

        def require(read: _Taint, stops_where_true: bool) -> None:
            # `require(!frozen[a])`: the transfer stops where the flag is set
            found = {(name, negated != stops_where_true, combined) for name, negated, combined in read}
            if any(combined and where_set and name not in self.switches for name, where_set, combined in found):
                # `require(!frozenAccount[from] || unFreeze)`: a switch or-ed with a deny-list
                # entry only lifts the deny-list; it stops no one who is not on it
                found = {c for c in found if c[0] not in self.switches}
            checked.update(found)

        for node in function.nodes:
            for ir in node.irs:
                lvalue = getattr(ir, "lvalue", None)
                if isinstance(ir, Index):
                    read = of(ir.variable_left)
                    if isinstance(ir.variable_left, StateVariable) and _flag_mapping(ir.variable_left):
                        read = read | {(ir.variable_left.name, False, False)}
                    taint[id(lvalue)] = read
                elif isinstance(ir, Member):
                    taint[id(lvalue)] = of(ir.variable_left)
                elif isinstance(ir, Unary) and ir.type == UnaryType.BANG:
                    taint[id(lvalue)] = flip(of(ir.rvalue))
                elif isinstance(ir, Binary) and ir.type in (BinaryType.EQUAL, BinaryType.NOT_EQUAL):
                    # `frozen[a] == false` negates, `frozen[a] != false` does not
                    left, right = of(ir.variable_left), of(ir.variable_right)
                    falsy = _falsy(ir.variable_right) if left else _falsy(ir.variable_left)
                    read = left | right
                    if falsy is not None and falsy == (ir.type == BinaryType.EQUAL):
                        read = flip(read)
                    taint[id(lvalue)] = read
                elif isinstance(ir, Binary) and ir.type in (BinaryType.ANDAND, BinaryType.OROR):
                    read = of(ir.variable_left) | of(ir.variable_right)
                    taint[id(lvalue)] = frozenset((name, negated, True) for name, negated, _ in read)
                elif isinstance(ir, InternalCall) and isinstance(ir.function, Function):
                    taint[id(lvalue)] = self.returns(ir.function) if ir.function.is_implemented else frozenset()
                elif isinstance(ir, SolidityCall):
                    name = ir.function.name if isinstance(ir.function, SolidityFunction) else str(ir.function)
                    if name.startswith(("require(", "assert(")) and ir.arguments:
                        require(of(ir.arguments[0]), stops_where_true=False)
                elif isinstance(ir, Condition):
                    if _reverts_at_once(node.son_true):
                        require(of(ir.value), stops_where_true=True)  # `if (frozen[from]) revert Frozen();`
                    elif _reverts_at_once(node.son_false):
                        require(of(ir.value), stops_where_true=False)
                elif isinstance(ir, Return):
                    for value in ir.values:
                        returned |= of(value)
                elif lvalue is not None:
                    read = frozenset()
                    for value in ir.read:
                        read |= of(value)
                    if read:
                        taint[id(lvalue)] = of(lvalue) | read
        return frozenset(returned), checked


def _getter_reads(contract, signature: str, test) -> set[str]:
    function = contract.get_function_from_signature(signature)
    if function is None or not function.is_implemented:
        return set()
    return {v.name for v in function.all_state_variables_read() if test(v)}


def ledger(contract) -> Ledger:
    path = _path(contract)
    switches = frozenset(v.name for v in contract.state_variables if _switch(v))
    reads = _Reads(switches)
    credited: set[str] = set()
    debited: set[str] = set()
    written: set[str] = set()
    checked: set[tuple[str, bool, bool]] = set()
    numeric = {v.name for v in contract.state_variables if _numeric_mapping(v)}
    for function, always in path.items():
        if always:
            checked |= reads.walk(function)[1]
        for node in function.nodes:
            for variable in node.state_variables_written:
                written.add(variable.name)
                if _ledger_mapping(variable):
                    how = change(node, variable.name)
                    (credited if how == "add" else debited if how == "sub" else set()).add(variable.name)
    # what balanceOf reads, in a token (an EntryPoint's or a vault's balanceOf reads deposits)
    balances = (credited & debited) | (_getter_reads(contract, "balanceOf(address)", _ledger_mapping) if path else set())
    supply = _getter_reads(contract, "totalSupply()",
                           lambda v: isinstance(v.type, ElementaryType) and str(v.type).startswith("uint") and not v.is_constant)
    # a number (a locked amount, a lock-up date) stops transfers by being set, whichever way it is compared
    # a view's check or-ed with something else (`!checkEnabled || hasAccess[msg.sender]`) is an
    # access rule on reading, not a switch over everyone
    offered = {c for c in _offered_checks(contract, reads) if c[0] in switches and not c[2]}
    halts = {name for name, where_set, _ in checked | offered if where_set and name in switches} - written
    gates = {name for name, where_set, _ in checked | offered if not where_set and name in switches} - written
    checked = {c for c in checked if c[0] not in switches}
    stops = {name for name, where_set, _ in checked if where_set or name in numeric} - balances
    passes = {name for name, where_set, combined in checked if not (where_set or combined or name in numeric)} - balances
    return Ledger(frozenset(balances), frozenset(supply) if len(supply) == 1 else frozenset(),
                  frozenset(stops), frozenset(passes), frozenset((stops | passes) & written),
                  frozenset(halts - gates), frozenset(gates - halts))
