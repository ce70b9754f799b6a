"""State nothing enforces: values a privileged function writes that no code of the contract
acts on, only shows.

A blocked flag only a getter returns (`isMemberBlocked`), a fee amount stored and emitted but
never charged, a list of past owners, a version string pushed for the record: setting them
changes what the contract says, not what it does, so the setter holds no power over anyone.
What counts as acting on a value is read from Slither's IR, field by field: any use of it in
a function that can change state, in a modifier some function applies, in a condition or a
computation of any function, or in a view another contract of the scan calls. Only reads a
public view hands back unchanged (a getter), emits in an event, or makes in a constructor are
not. A contract with no open entry point (a registry, an allow-list, a price feed) exists to
be read by others: what it shows is what it offers, and nothing of it is inert.
"""
from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from slither.core.declarations import Contract, Function
from slither.core.variables.state_variable import StateVariable
from slither.slithir.operations import (Assignment, Delete, EventCall, HighLevelCall, Index, InternalCall, Length,
                                        LibraryCall, LowLevelCall, Member, Return, Send, Transfer)
from slither.slithir.variables import ReferenceVariable

from inspector.facts.dataflow import is_struct
from inspector.facts.kinds import all_state_variables

# the metadata a token standard publishes (ERC-20 and ERC-721 `name()`, `symbol()`): every
# wallet and explorer reads it, whatever the token's own code does
METADATA = frozenset({"name", "symbol", "_name", "_symbol"})
WHOLE = ""  # the value itself (every field of a struct, every element of an array)
LENGTH = "<length>"  # an array's length


@dataclass(frozen=True)
class Inert:
    """The (variable, field) pairs some code writes and nothing acts on."""

    unread: frozenset[tuple[str, str]]

    def covers(self, writes: list[tuple[str, str]]) -> bool:
        """Every one of these writes lands on a value nothing acts on."""
        return bool(writes) and all(w in self.unread or (w[0], WHOLE) in self.unread for w in writes)


NONE = Inert(frozenset())


def _root(value):
    return value.points_to_origin if isinstance(value, ReferenceVariable) else value


def _origin(value) -> StateVariable | None:
    root = _root(value)
    return root if isinstance(root, StateVariable) else None


class _Places:
    """Which field of which state variable each reference of one function stands for."""

    def __init__(self, function: Function):
        self.fields: dict[object, str] = {}
        for ir in function.slithir_operations:
            if isinstance(ir, Member) and isinstance(ir.lvalue, ReferenceVariable):
                self.fields[ir.lvalue] = str(ir.variable_right)
            elif isinstance(ir, Index) and isinstance(ir.lvalue, ReferenceVariable):
                self.fields[ir.lvalue] = self.fields.get(ir.variable_left, WHOLE)
            elif isinstance(ir, Length) and isinstance(ir.lvalue, ReferenceVariable):
                self.fields[ir.lvalue] = LENGTH

    def field(self, value) -> str:
        return self.fields.get(value, WHOLE) if isinstance(value, ReferenceVariable) else WHOLE

    def of(self, value) -> tuple[str, str] | None:
        root = _origin(value)
        return None if root is None else (root.name, self.field(value))


def _pointers(function: Function) -> list:
    """The parameters a helper takes as storage pointers (`Entity storage e`), or as struct
    copies whose fields it reads (`doesEntityExist(a, Entity entity)`)."""
    return [p for p in function.parameters if getattr(p, "location", "") == "storage" or is_struct(p)]


# per function, dropped with the scan's objects: a helper is read once, however many entry
# points reach it
_FIELDS: WeakKeyDictionary = WeakKeyDictionary()
_USES: WeakKeyDictionary = WeakKeyDictionary()
_WRITES: WeakKeyDictionary = WeakKeyDictionary()


def _pointer_fields(function: Function) -> dict[int, tuple[frozenset[str], frozenset[str]]]:
    """For each storage-pointer parameter (by position): the fields the helper reads and
    the fields it writes (`setEntityActiveValue(Entity storage e, bool v) { e.active = v; }`).
    A pointer handed on to another call is read whole and its writes there are not seen."""
    if function in _FIELDS:
        return _FIELDS[function]
    _FIELDS[function] = {}  # a recursive helper reads what it reads
    pointers = _pointers(function)
    places = _Places(function)
    found: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
    for position, parameter in enumerate(function.parameters):
        if parameter not in pointers:
            continue
        read, written = set(), set()
        for ir in function.slithir_operations:
            if isinstance(ir, (Member, Length, EventCall)):
                continue
            values = [ir.variable_right] if isinstance(ir, Index) else ir.read
            read |= {places.field(v) for v in values if _root(v) is parameter}
            lvalue = getattr(ir, "lvalue", None)
            if lvalue is not None and not isinstance(ir, Index) and _root(lvalue) is parameter \
                    and getattr(parameter, "location", "") == "storage":  # a copy's writes stay in memory
                written.add(places.field(lvalue))
        found[position] = (frozenset(read), frozenset(written))
    _FIELDS[function] = found
    return found


def _handed(ir, places: _Places) -> list[tuple[tuple[str, str], tuple[frozenset[str], frozenset[str]]]]:
    """State handed to a helper or a library as a storage pointer at this call: the place,
    and the fields the helper reads and writes through it."""
    callee = getattr(ir, "function", None)
    if not isinstance(ir, (InternalCall, LibraryCall)) or not isinstance(callee, Function):
        return []
    fields = _pointer_fields(callee)
    handed = []
    for position, argument in enumerate(ir.arguments):
        place = places.of(argument)
        if place is not None and position in fields:
            handed.append((place, fields[position]))
    return handed


def _through(place: tuple[str, str], field: str) -> tuple[str, str]:
    return (place[0], field) if place[1] == WHOLE else place


def _pushes(function: Function) -> set[object]:
    """Length references a node both reads and writes: `arr.push(x)` compiled before 0.5
    (the length read to place the element and raised), not a use of the count."""
    found = set()
    for node in function.nodes:
        lengths = {ir.lvalue for ir in node.irs if isinstance(ir, Length)}
        found |= {ir.lvalue for ir in node.irs if isinstance(ir, Assignment) and ir.lvalue in lengths}
    return found


def _uses(function: Function, shows: bool) -> frozenset[tuple[str, str]]:
    """What one function acts on. `shows`: a public view no code calls, whose `return` of a
    value is a getter's (shown, not acted on)."""
    cached = _USES.setdefault(function, {})
    if shows not in cached:
        cached[shows] = _acted(function, shows)
    return cached[shows]


def _acted(function: Function, shows: bool) -> frozenset[tuple[str, str]]:
    places, pushes = _Places(function), _pushes(function)
    used: set[tuple[str, str]] = set()
    for ir in function.slithir_operations:
        if isinstance(ir, EventCall):
            continue  # a log says what happened; it enforces nothing
        if isinstance(ir, (Member, Length, Delete)):
            continue  # addressing a field or a length reads nothing yet; deleting reads nothing
        handed = _handed(ir, places)
        for place, (read, _) in handed:
            used |= {_through(place, field) for field in read}
        passed = {id(a) for a in getattr(ir, "arguments", ()) if places.of(a) in {h[0] for h in handed}}
        reads = [ir.variable_right] if isinstance(ir, Index) else ir.read
        for value in reads:
            if value in pushes or id(value) in passed:
                continue
            place = places.of(value)
            if place is None:
                continue
            # a count any view reports is still only shown; state-changing code may act on it
            counted = place[1] == LENGTH and (function.view or function.pure)
            if not ((shows and isinstance(ir, Return)) or counted):
                used.add(place)
    return frozenset(used)


def _logged_only(call, function: Function) -> bool:
    """The call's result only goes into an event (`emit AppendedData(d, getVersionIndex())`)."""
    if call.lvalue is None:
        return False
    consumers = [ir for ir in function.slithir_operations if call.lvalue in ir.read]
    return bool(consumers) and all(isinstance(ir, EventCall) for ir in consumers)


def _getters(contract: Contract) -> set[Function]:
    called = {getattr(call, "function", call) for f in contract.functions for call in f.internal_calls
              if not _logged_only(call, f)}
    return {f for f in contract.functions if (f.view or f.pure) and f.visibility in ("public", "external") and f not in called}


def _open(contract: Contract, guarded, initializers) -> bool:
    """Some state-changing entry point anyone may call, and may call again: the contract has
    users. An initializer anyone may call once is the deployment's, not a user's."""
    return any(not (f.view or f.pure) and not f.is_constructor and not guarded(f) and not initializers(f)
               for f in contract.functions_entry_points)


def _declared(contract: Contract) -> set[str]:
    """Signatures an interface or base of the contract declares without a body: an API the
    contract serves to others (`getLiquidationPenaltyRatio() external view override`,
    `feeTo()` of IUniswapV2Factory), whatever the contract itself does with the value."""
    return {f.full_name for base in contract.inheritance for f in base.functions_declared if not f.is_implemented}


def find_inert(contract: Contract, guarded, initializers, called_elsewhere: set[str]) -> Inert:
    """`guarded(function)`: whether the entry point has a guard; `initializers(function)`:
    whether it runs only once. `called_elsewhere`: the names of the functions other
    contracts of the scan call (`factory.feeTo()`)."""
    if not _open(contract, guarded, initializers):
        return NONE
    served = _declared(contract)
    getters = {f for f in _getters(contract) if f.full_name not in served}
    used: set[tuple[str, str]] = set()
    written: set[tuple[str, str]] = set()
    reached: set[Function] = set()
    for entry in contract.functions_entry_points:
        if entry.is_constructor or entry.is_constructor_variables:
            continue
        closure = closure_of(entry)
        acted: set[tuple[str, str]] = set()
        for function in closure:
            shows = function is entry and entry in getters and entry.name not in called_elsewhere
            acted |= _uses(function, shows)
            if function.contains_assembly:
                # a slot read in assembly names no field Slither sees: whatever the text mentions is used
                text = function.source_mapping.content or ""
                acted |= {(v.name, WHOLE) for v in contract.state_variables if v.name in text}
        own = [w for function in closure for w in writes(function)]
        if guarded(entry) and not (entry.view or entry.pure):
            # a key's function that only flips what it checks (`pause() whenNotPaused`,
            # `require(paused)` before `paused = false`, `require(e.active != v)` before
            # `e.active = v`) acts on nothing but its own switch; a flag that gates another
            # write (a request approved), a call (a once-only release minting elsewhere) or a
            # number that bounds one (a reserve a mint is drawn from) is acted on
            mine = set(own)
            if mine <= acted and mine <= {w for function in closure for w in writes(function, flags=True)} \
                    and not any(_calls_out(function) for function in closure):
                acted -= mine  # it only flips flags it checks, and does nothing else
        used |= acted
        written |= set(own)
        reached.update(closure)
    for function in contract.functions:
        # a helper no entry point reaches here is what an heir builds on (LayerZero's
        # `_checkGasLimit` reading `minDstGasLookup`): its reads count; a modifier no
        # function applies guards nothing
        if function not in reached and not function.is_constructor and not function.is_constructor_variables:
            used |= _uses(function, False)
    used |= {(v.name, WHOLE) for v in contract.state_variables
             if v.name in called_elsewhere or (v.visibility == "public" and _getter_signature(v) in served)}
    # a single address nothing here reads is read elsewhere: by a proxy delegating to it
    # (a Safe's `masterCopy` in slot 0), by off-chain agents (LayerZero's `precrime`)
    pointers = {v.name for v in all_state_variables(contract) if str(v.type) in ("address", "address payable")}
    unread = {w for w in written if w[0] not in METADATA and w[0] not in pointers and w not in used and (w[0], WHOLE) not in used
              and not (w[1] == WHOLE and any(u[0] == w[0] for u in used))}
    return Inert(frozenset(unread))


def _calls_out(function: Function) -> bool:
    """Calls another contract or sends value (`token.mint(wallet, amount)` after a once-only
    flag): what the flag gates is that call."""
    return any(isinstance(ir, (HighLevelCall, LowLevelCall, Transfer, Send)) and not isinstance(ir, LibraryCall)
               for ir in function.slithir_operations)


def closure_of(entry: Function) -> list[Function]:
    """The entry point, the functions it calls internally and the modifiers they apply."""
    callees = [getattr(call, "function", call) for call in entry.all_internal_calls()]
    functions = [entry, *(f for f in callees if isinstance(f, Function))]
    return list(dict.fromkeys([*functions, *(m for f in functions for m in f.modifiers)]))


def _getter_signature(variable: StateVariable) -> str:
    try:
        return variable.solidity_signature
    except Exception:  # a type Slither cannot write a getter for
        return f"{variable.name}()"


def writes(function: Function, flags: bool = False) -> tuple[tuple[str, str], ...]:
    """The (variable, field) pairs one function's own code writes (an array's length, moved
    with its elements, left out), through the storage pointers it hands to helpers included;
    `flags`: only its own writes of bool values."""
    cached = _WRITES.setdefault(function, {})
    if flags not in cached:
        cached[flags] = _written(function, flags)
    return cached[flags]


def _written(function: Function, flags: bool) -> tuple[tuple[str, str], ...]:
    places = _Places(function)
    found = []
    for ir in function.slithir_operations:
        if not flags:  # (a helper's writes through a pointer carry no type here)
            found += [_through(place, field) for place, (_, written) in _handed(ir, places) for field in written if field != LENGTH]
        lvalue = getattr(ir, "lvalue", None)
        if isinstance(ir, (Member, Index, Length)) or lvalue is None:
            continue
        place = places.of(lvalue)
        if place is not None and place[1] != LENGTH and (not flags or str(getattr(lvalue, "type", "")) == "bool"):
            found.append(place)
    return tuple(found)
