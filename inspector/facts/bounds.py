"""Bounds the code applies without a `require`: a helper that returns the smaller or the
larger of two values (`Math.min(x, MAX)`, `VaultMath.clamp(bps, 1_000)`), read from its
body; and bounds that are not bounds: a "cap" that is only the width of a storage type
(ERC20Votes' `_maxSupply()`, `type(uint208).max`).
"""
from __future__ import annotations

from weakref import WeakKeyDictionary

from slither.core.cfg.node import NodeType
from slither.core.declarations import Function
from slither.slithir.operations import Assignment, Binary, BinaryType, InternalCall, LibraryCall, Return, TypeConversion
from slither.slithir.variables import Constant

_SMALLER_IF_TRUE = {BinaryType.LESS: True, BinaryType.LESS_EQUAL: True, BinaryType.GREATER: False, BinaryType.GREATER_EQUAL: False}
_SELECTS: WeakKeyDictionary = WeakKeyDictionary()  # per function, dropped with the scan's objects


def _returned(start):
    """The value a straight-line stretch of code from `start` returns, through simple
    assignments (`r = a;`) and join points; None when it branches first."""
    node, aliases = start, {}
    for _ in range(12):
        if node is None:
            return None
        for ir in node.irs:
            if isinstance(ir, (Assignment, TypeConversion)):
                source = ir.rvalue if isinstance(ir, Assignment) else ir.variable
                aliases[id(ir.lvalue)] = aliases.get(id(source), source)
            elif isinstance(ir, Return):
                return aliases.get(id(ir.values[0]), ir.values[0]) if len(ir.values) == 1 else None
        if len(node.sons) != 1:
            return None
        node = node.sons[0]
    return None


def _kind(comparison: Binary, when_true, when_false, a, b) -> str:
    """"min" or "max" for `comparison ? when_true : when_false` over the parameters a, b."""
    left, right = comparison.variable_left, comparison.variable_right
    if {id(left), id(right)} != {id(a), id(b)} or {id(when_true), id(when_false)} != {id(a), id(b)}:
        return ""
    # the comparison holds when its left operand is the smaller (`<`) or the larger (`>`)
    chosen_is_smaller = _SMALLER_IF_TRUE[comparison.type] == (when_true is left)
    return "min" if chosen_is_smaller else "max"


def _branchless(node, a, b) -> str:
    """`return ternary(a < b, a, b);` (OpenZeppelin 5's min): a helper handed a comparison of two
    values and those two values chooses between them by it, whatever its body computes."""
    produced = {id(ir.lvalue): ir for ir in node.irs if getattr(ir, "lvalue", None) is not None}
    for ir in node.irs:
        if not isinstance(ir, (InternalCall, LibraryCall)) or len(ir.arguments) != 3:
            continue
        parameters = ir.function.parameters if isinstance(ir.function, Function) else []
        comparison = produced.get(id(ir.arguments[0]))
        if len(parameters) == 3 and str(parameters[0].type) == "bool" and isinstance(comparison, Binary) \
                and comparison.type in _SMALLER_IF_TRUE:
            kind = _kind(comparison, ir.arguments[1], ir.arguments[2], a, b)
            if kind:
                return kind
    return ""


def selects(function: Function) -> str:
    """"min" when `function(a, b)` returns the smaller of its two parameters (`a < b ? a : b`,
    `if (v > max) return max; return v;`, `ternary(a < b, a, b)`), "max" when it returns the
    larger, else ""."""
    key = function
    if key not in _SELECTS:
        _SELECTS[key] = ""
        parameters = function.parameters
        if len(parameters) == 2 and function.is_implemented:
            a, b = parameters
            for node in function.nodes:
                kind = ""
                if node.type == NodeType.RETURN:
                    kind = _branchless(node, a, b)
                elif node.type == NodeType.IF:
                    comparison = next((ir for ir in node.irs if isinstance(ir, Binary) and ir.type in _SMALLER_IF_TRUE), None)
                    when_true, when_false = _returned(node.son_true), _returned(node.son_false)
                    if comparison is not None and when_true is not None and when_false is not None:
                        kind = _kind(comparison, when_true, when_false, a, b)
                if kind:
                    _SELECTS[key] = kind
                    break
    return _SELECTS[key]


def type_width(value: str) -> bool:
    """A literal that is the largest value of an integer type of 64 bits or more, 2**n - 1 (or
    2**n): the width of a storage slot, not a limit anyone chose."""
    try:
        number = int(str(value), 0)
    except ValueError:
        return False
    return number >= 2 ** 64 - 1 and ((number + 1) & number == 0 or number & (number - 1) == 0)


def returns_type_width(function: Function) -> bool:
    """Every value the function returns is a type's largest value (`type(uint208).max`)."""
    values = []
    for node in function.nodes:
        constants: dict[int, object] = {}
        for ir in node.irs:
            if isinstance(ir, (Assignment, TypeConversion)):
                source = ir.rvalue if isinstance(ir, Assignment) else ir.variable
                constants[id(ir.lvalue)] = constants.get(id(source), source)
            elif isinstance(ir, Return):
                values.extend(constants.get(id(v), v) for v in ir.values)
    return bool(values) and all(isinstance(v, Constant) and type_width(v.value) for v in values)


def helper_bound(function: Function, args) -> tuple[str, str] | None:
    """(parameter, "<= C" or ">= C") when a helper holds the caller's value under or over a
    constant (`clamp(bps, 1_000)`, `Math.max(amount, MIN)`); `args` are the call's dataflow tags."""
    kind = selects(function) if len(args) == 2 else ""
    chosen = [a for a in args if a is not None and a.kind == "param"]
    fixed = [a for a in args if a is not None and a.kind == "constant"]
    if not kind or len(chosen) != 1 or len(fixed) != 1:
        return None
    return chosen[0].name, f"{'<=' if kind == 'min' else '>='} {fixed[0].name}"
