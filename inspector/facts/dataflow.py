"""One walk over Slither's IR that both guards and capabilities read.

Values are tagged with what they are known to be: the caller (`msg.sender`, and whatever
a helper such as `_msgSender()` returns), the contract itself, a stored variable, a
constant, a parameter of the entry point, or a check on the caller. Calls into internal
functions, modifiers and libraries are followed with their arguments' tags bound to the
callee's parameters, so `onlyRole(MINTER_ROLE)` -> `_checkRole(role)` ->
`hasRole(role, _msgSender())` ends as a check of the role MINTER_ROLE, and
`Address.functionCall(target, data)` still knows its target came from the caller.

The walk records, per function and binding:
- checks: comparisons on the caller that end in `require`/`assert` or a branch (guards);
- effects: state writes, calls and value transfers, with their arguments' tags
  (capabilities). A modifier's effects are left out: they are bookkeeping.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace

from slither.core.cfg.node import NodeType
from slither.core.declarations import Contract, Function, Structure, Modifier, SolidityFunction, SolidityVariable, SolidityVariableComposed
from slither.core.solidity_types import UserDefinedType
from slither.core.variables.local_variable import LocalVariable
from slither.core.variables.state_variable import StateVariable
from slither.slithir.operations import (
    Assignment,
    Binary,
    BinaryType,
    Condition,
    Delete,
    EventCall,
    HighLevelCall,
    Index,
    InternalCall,
    LibraryCall,
    LowLevelCall,
    Member,
    NewContract,
    Return,
    Send,
    SolidityCall,
    Transfer,
    TypeConversion,
    Unary,
    Unpack,
)
from slither.slithir.variables import Constant, ReferenceVariable
from slither.utils.function import get_function_id

from inspector.facts.bounds import helper_bound
from inspector.facts.model import MULTISIG_SIGNERS, Guard
from inspector.vocabulary import GuardKind

_COMPARISONS = (BinaryType.LESS, BinaryType.LESS_EQUAL, BinaryType.GREATER, BinaryType.GREATER_EQUAL)
# the number of confirmations a multisig needs (Gnosis' `required`, Safe's `threshold`)
_THRESHOLD_NAME = re.compile(r"^(m_|_)?(required|threshold|quorum|((num)?(confirmations|signatures|approvals)_?required)|"
                             r"(required_?(confirmations|signatures|approvals))|(min_?(confirmations|signatures|approvals)))$", re.I)
_REQUIRES = ("require(", "assert(")
MAX_DEPTH = 24  # call depth; real code stays far below it


@dataclass(frozen=True)
class Tag:
    """What an IR value is known to be.

    kind: sender | origin | self | stored | constant | param | check | keyed | bound |
          record (an entry of a mapping keyed by a user's value, or what another contract
          returns for a user's value) | fetched (an address another contract returns:
          `controller.getGovernor()`) | payment (msg.value) | count (a local counter, `count += 1`: how many
          confirmations a loop found) | remaining (a count of confirmations still needed, started at
          the threshold) | amount (a helper's number its caller computed: name, the helper's
          parameter) | selector (msg.sig) | hash (`keccak256("text")`, name:
          the text) | dispatch (msg.sig compared with a selector, value: the selector)
    name: the variable, constant, parameter or role it stands for
    guard: for a check, the principal it admits; a `user` guard is the account concerned
          (`msg.sender == from`, `== ownerOf[id]`, an approval), never a guard on its own
    alternatives: for a check, the other principals it admits (`a || b`)
    forwarder: for the caller, the trusted forwarder that may speak for it (ERC-2771)
    """

    kind: str
    name: str = ""
    guard: Guard | None = None
    alternatives: tuple[Guard, ...] = ()
    forwarder: str = ""
    value: str = ""  # a constant's literal, when known
    negated: bool = False  # a check that holds when the caller is NOT the principal
    contract: str = ""  # for a stored or fixed address typed as a contract: that type


@dataclass(frozen=True)
class Effect:
    """Something a function does that may be a power.

    kind: write | call | external | lowlevel | transfer | selfdestruct | sstore | payment | ecrecover
    target: the state variable written, the function called, or the low-level call's kind
    args: tags of the call's arguments (for a write: the key and the value written; for a
          low-level call: the destination first; for a transfer: the destination and the value)
    """

    kind: str
    target: str
    node: object
    args: tuple[Tag | None, ...] = ()
    guard: Guard | None = None  # a check that holds only on the branch this happens in
    var_type: str = ""  # for a write: the state variable's type
    dispatch: Dispatch | None = None  # the selector a fallback matched before doing this
    # for a write of an account's permission (`userPermissions[who][MINT_SIG] = true`): the
    # constant naming the permission; the key is then the account
    permission: str = ""


@dataclass(frozen=True)
class Dispatch:
    """A function selector a fallback compares `msg.sig` with (a transparent proxy's
    `upgradeToAndCall`): what it does on that branch is that function's."""

    selector: int
    signature: str  # when the code names it: `bytes4(keccak256("upgradeTo(address)"))`
    node: object  # the comparison


@dataclass
class Summary:
    returns: Tag | None = None
    checks: list[Guard] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    bounds: list[tuple[str, str]] = field(default_factory=list)  # (parameter, "<= MAX" or ">= MIN")
    # state that must still be unset for execution to go on (`require(!initialized)`,
    # `require(_implementation() == address(0))`): "slot NAME" for a slot read in assembly
    unset: list[str] = field(default_factory=list)
    # the account concerned's own approval was required (`_approvedRelayers[user][msg.sender]`)
    approved: bool = False
    # parameters whose hash must match what the contract stored (a failed message kept for
    # retry, a queued operation, an oracle request): the caller replays them, it does not choose them
    committed: set[str] = field(default_factory=set)
    # the state variables those hashes are kept in (`commitments`, `_queuedTransactions`)
    commitments: set[str] = field(default_factory=set)
    # of `checks`, those held by ending the function quietly rather than reverting (a
    # modifier's `if (confirmAndCheck(op)) _;`): they end only the function they guard, so a
    # caller that calls it gets them on its effects, not as its own guard
    quiet: list[Guard] = field(default_factory=list)

    def runs_once(self) -> bool:
        """Whether the function requires some state to be unset and then sets it: a second
        call fails (an initializer checked by its own effect, not by a flag's name)."""
        written = {e.target for e in self.effects if e.kind == "write"}
        written |= {f"slot {e.args[0].name}" for e in self.effects
                    if e.kind == "sstore" and e.args and e.args[0] is not None and e.args[0].kind == "constant"}
        return any(name in written or name.split(".")[0] in written for name in self.unset)


def is_struct(value) -> bool:
    kind = getattr(value, "type", None)
    return isinstance(kind, UserDefinedType) and isinstance(kind.type, Structure)


def _contract_type(variable: StateVariable) -> str:
    """The contract a stored address holds, when the code says: by the variable's type, or
    for an immutable, by the contract its declaring constructor creates for it
    (OpenZeppelin 5's TransparentUpgradeableProxy stores `new ProxyAdmin(owner)` in `_admin`)."""
    kind = variable.type
    if isinstance(kind, UserDefinedType) and isinstance(kind.type, Contract):
        return str(kind)
    constructor = variable.contract.constructor if variable.is_immutable else None
    if constructor is None:
        return ""
    created: dict[int, str] = {}
    for node in constructor.nodes:
        for ir in node.irs:
            if isinstance(ir, NewContract):
                created[id(ir.lvalue)] = str(ir.contract_name)
            elif isinstance(ir, (TypeConversion, Assignment)):
                source = ir.variable if isinstance(ir, TypeConversion) else ir.rvalue
                if id(source) in created:
                    if ir.lvalue is variable or getattr(ir.lvalue, "name", None) == variable.name:
                        return created[id(source)]
                    created[id(ir.lvalue)] = created[id(source)]
    return ""


def _literal(variable: StateVariable) -> str:
    expression = variable.expression
    return str(expression) if expression is not None else ""


def _name_of(value: object) -> str:
    return getattr(value, "name", None) or str(value)


class Dataflow:
    """Memoises summaries per (function, argument tags)."""

    def __init__(self) -> None:
        self._memo: dict[tuple, Summary] = {}
        self._active: set[tuple] = set()
        self._contract_types: dict[int, str] = {}
        self._multisigs: dict[int, bool] = {}
        self._countdowns: dict[int, frozenset[str]] = {}

    def multisig(self, function: Function) -> bool:
        """Whether the function belongs to a multisig wallet (its threshold is a quorum)."""
        from inspector.facts.kinds import is_multisig  # kinds reads summaries of this module

        contract = getattr(function, "contract", None)
        if not isinstance(contract, Contract):
            return False
        if id(contract) not in self._multisigs:
            self._multisigs[id(contract)] = is_multisig(contract)
        return self._multisigs[id(contract)]

    def countdowns(self, function: Function) -> frozenset[str]:
        """_countdowns of the function's contract, once per contract."""
        contract = getattr(function, "contract", None)
        if not isinstance(contract, Contract):
            return frozenset()
        if id(contract) not in self._countdowns:
            self._countdowns[id(contract)] = _countdowns(contract)
        return self._countdowns[id(contract)]

    def contract_type(self, variable: StateVariable) -> str:
        """_contract_type, once per variable: for an immutable it walks the constructor."""
        key = id(variable)
        if key not in self._contract_types:
            self._contract_types[key] = _contract_type(variable)
        return self._contract_types[key]

    def entry(self, function: Function) -> Summary:
        """The summary of an entry point, its parameters standing for the caller's input."""
        return self.summary(function, tuple(Tag("param", p.name) for p in function.parameters))

    def summary(self, function: Function, args: tuple[Tag | None, ...], depth: int = 0) -> Summary:
        key = (id(function), args, depth == 0)  # an entry point's early return ends it; a callee's, only the callee
        if key in self._memo:
            return self._memo[key]
        if key in self._active or depth > MAX_DEPTH:
            return Summary()
        self._active.add(key)
        try:
            result = _Walk(self, function, args, depth).run()
        finally:
            self._active.discard(key)
        self._memo[key] = result
        return result


class _Walk:
    def __init__(self, flow: Dataflow, function: Function, args: tuple[Tag | None, ...], depth: int) -> None:
        self.flow = flow
        self.function = function
        self.depth = depth
        self.tags: dict[int, Tag] = {}
        self.refs: dict[int, tuple[str, Tag | None, str]] = {}  # reference -> (state variable, key, its type)
        self.permissions: dict[int, str] = {}  # reference -> the permission constant of an account's entry
        self.out = Summary()
        self.returned: list[Tag] = []
        self.true_under: list[Guard | None] = []  # for each `return true`: the branch check it is under
        self.opaque = False  # some return is neither a check nor a constant
        self.branches: list[tuple[object, Guard]] = []  # (first node of a branch, the check it is under)
        self.dispatches: list[tuple[object, Dispatch]] = []  # (first node of a branch, the selector matched)
        self.user_branches: list[tuple[object, Guard]] = []  # (first node of a branch only others take, the user)
        self.alternatives: dict[Guard, list[Guard]] = {}  # the user -> who else may act for them
        self.approvals: set[Guard] = set()  # users whose own approval the other side also needs
        for parameter, tag in zip(function.parameters, args):
            if tag is None and depth > 0 and str(parameter.type).startswith(("uint", "int")):
                # an amount the caller computed (`setBonus(to, bonusOf(wei) - tokensOf(wei))`):
                # unknown, but the same amount wherever this helper uses it
                tag = Tag("amount", f"{function.canonical_name}:{parameter.name}")
            if tag is not None:
                self.tags[id(parameter)] = tag

    # -- values -----------------------------------------------------------------------
    def tag(self, value: object) -> Tag | None:
        if isinstance(value, SolidityVariableComposed):
            if value.name == "msg.sender":
                return Tag("sender")
            if value.name == "msg.value":
                return Tag("payment")
            if value.name == "tx.origin":
                return Tag("origin")
            if value.name == "msg.sig":
                return Tag("selector")
            return None
        if isinstance(value, SolidityVariable):
            return Tag("self") if value.name == "this" else None
        if isinstance(value, StateVariable):
            contract = self.flow.contract_type(value)
            if value.is_constant or value.is_immutable:
                literal = _literal(value) if value.is_constant else ""
                return Tag("constant", value.name, value=literal, contract=contract)
            return Tag("stored", value.name, contract=contract)
        if isinstance(value, Constant):
            return Tag("constant", str(value.value), value=str(value.value))
        return self.tags.get(id(value))

    def set(self, lvalue: object, tag: Tag | None) -> None:
        if lvalue is not None and tag is not None:
            self.tags[id(lvalue)] = tag

    def user_branch(self, node) -> Guard | None:
        """The account concerned, when the node lies on a side only other callers take."""
        if node is None:
            return None
        dominators = getattr(node, "dominators", None) or set()
        return next((g for start, g in self.user_branches if start is node or start in dominators), None)

    def check(self, guard: Guard, node=None, quiet: bool = False) -> None:
        """A guard every caller must pass; checked on the side of a branch that only callers
        other than the account concerned take, it is that account's alternative (settled in
        finish: none, if that side also needs the account's own approval). A quiet one is
        held by ending the function without reverting: it ends only this function."""
        user = self.user_branch(node)
        if user is not None:
            self.alternatives.setdefault(user, []).append(guard)
            return
        if guard not in self.out.checks:
            self.out.checks.append(guard)
            if quiet:
                self.out.quiet.append(guard)
        elif not quiet and guard in self.out.quiet:
            self.out.quiet.remove(guard)  # also held by a revert: it ends every caller

    def condition(self, tag: Tag, node) -> None:
        """A branch on a check. `if (!allowed) { ... revert }` and `if (ok) {...} else
        revert` guard what follows, and so do `if (caller != owner) return;` and a modifier's
        `if (caller == owner) _;`: for anyone else the function does nothing. `if
        (frozen[caller]) revert` is a deny-list, which guards nothing; `if (caller == admin)
        { upgrade }` guards only its branch. A check the account concerned passes (the user's
        own) guards no branch."""
        branch = tag.kind == "check" and not any(g.kind == GuardKind.USER for g in _principals(tag))
        if tag.kind == "check" and all(g.kind == GuardKind.USER for g in _principals(tag)):
            # `if (msg.sender != user) { authenticate(); }`: what the other side checks is the
            # alternative to being the user (Balancer's authenticateFor: the user, or a relayer)
            other = node.son_true if tag.negated else node.son_false
            if _opens(other, node):
                self.user_branches.append((other, tag.guard))
            user = self.user_branch(node)
            if user is not None and _may_fail(other):
                # on that side, `if (!approvedRelayer[user][msg.sender]) verifyUserSignature();`:
                # going on needs the user's own consent, one way or the other
                self.approvals.add(user)
        if tag.negated:
            if _may_revert(node.son_true) or self.ends(node.son_true):
                self.consume(replace(tag, negated=False), node, quiet=not _may_revert(node.son_true))
            elif branch and _opens(node.son_false, node):
                self.branches.append((node.son_false, tag.guard))
        elif _may_revert(node.son_false) or self.ends(node.son_false):
            self.consume(tag, node, quiet=not _may_revert(node.son_false))
        elif _reverts_at_once(node.son_true) or self.ends(node.son_true):
            self.consume(replace(tag, negated=True))  # a deny-list for checks; a floor for bounds
        elif branch and node.son_true is not None:
            self.branches.append((node.son_true, tag.guard))

    def holds_after(self, tag: Tag, node) -> bool:
        """Whether what follows a branch on `tag` runs only where it holds: the side where it
        does not reverts or ends (`if (initialized) revert();`, `if (x != 0) return;`).
        `if (!initialized) {...}` alone holds nothing."""
        fails = node.son_true if tag.negated else node.son_false
        return _may_revert(fails) or self.ends(fails)

    def commit(self, tag: Tag) -> None:
        """The inputs a commitment tag hashes had to match what its variable keeps."""
        self.out.committed.update(filter(None, tag.value.split(",")))
        if tag.name:
            self.out.commitments.add(tag.name)

    def approve(self, node) -> None:
        """The account concerned's own approval is required at this node: on the side only
        other callers take, it settles that side (a relayer the user approved)."""
        user = self.user_branch(node)
        if user is not None:
            self.approvals.add(user)
        else:
            self.out.approved = True

    def ends(self, node) -> bool:
        """Whether a branch ends the entry point doing nothing: in the entry point itself, or
        in a modifier (whose early return skips the body). A helper's early return ends only
        the helper, and its `return false` is an answer its caller weighs (`canCall`)."""
        return (isinstance(self.function, Modifier) or self.depth == 0) and _ends_at_once(node)

    def branch_guard(self, node) -> Guard | None:
        """The check of the branch that dominates a node, if any; of nested ones, the owners'
        quorum (an owner's confirmation counted inside `if (isOwner)`): what runs there
        needed enough owners, whoever else had to pass too."""
        dominators = getattr(node, "dominators", None) or set()
        guards = [g for start, g in self.branches if start is node or start in dominators]
        return MULTISIG_SIGNERS if MULTISIG_SIGNERS in guards else next(iter(guards), None)

    def dispatch_of(self, node) -> Dispatch | None:
        """The selector matched on the branch that dominates a node, if any."""
        dominators = getattr(node, "dominators", None) or set()
        return next((d for start, d in self.dispatches if start is node or start in dominators), None)

    def emit(self, effect: Effect) -> None:
        """Record an effect, under the branch check that dominates its node, if any:
        a transparent proxy's fallback upgrades only where `msg.sender == admin`."""
        self.emit_at(effect.node, [effect])

    def emit_at(self, node, effects: list[Effect]) -> None:
        """Effects (of a callee: placed at the call's node) under the branch check and the
        selector that dominate the node."""
        guard, dispatch = self.branch_guard(node), self.dispatch_of(node)
        for effect in effects:
            if guard is not None and effect.guard is None:
                effect = replace(effect, guard=guard)
            if dispatch is not None and effect.dispatch is None:
                effect = replace(effect, dispatch=dispatch)
            self.out.effects.append(effect)

    def dispatch(self, tag: Tag, node) -> None:
        """A branch on `msg.sig == selector`: what it opens is that function's. `if (msg.sig
        != selector) revert(); else ...` opens the else side; without an else, only when the
        mismatch reverts."""
        if tag.negated:
            start = node.son_false
            if start is None or (start.type == NodeType.ENDIF and not _may_revert(node.son_true)):
                return
        else:
            start = node.son_true
        if start is not None:
            self.dispatches.append((start, Dispatch(int(tag.value), tag.name, node)))

    def consume(self, tag: Tag, node=None, quiet: bool = False) -> None:
        """A check or bound that must hold for execution to go on. A negated check (a
        deny-list, `require(!frozen[msg.sender])`) admits everyone else: not a guard."""
        if tag.kind == "bound":
            # a ceiling that must hold (`bps <= MAX`), or, negated, a floor (`amount >= MIN`)
            self.out.bounds.append((tag.name, f"{'>=' if tag.negated else '<='} {tag.value}"))
            return
        if tag.negated:
            return
        if tag.kind == "check":
            principals = _principals(tag)
            if all(g.kind == GuardKind.USER for g in principals):
                # the account concerned acting on its own things: no guard; on the side other
                # callers take, the user's approval of them (a relayer the user approved)
                if node is not None:
                    self.approve(node)
                return
            for guard in principals:
                # `a || b`: each may call; a user alternative (`ownerOf[id] || isCOO`) is
                # kept so that the privileged one reads as acting for any user
                self.check(guard, node, quiet)
            if tag.forwarder:
                self.check(Guard(GuardKind.FORWARDER, tag.forwarder), node)

    # -- the walk ---------------------------------------------------------------------
    def run(self) -> Summary:
        for node in self.function.nodes:
            if node.type == NodeType.ASSEMBLY:
                self.assembly(node)
            for ir in node.irs:
                self.visit(ir, node)
                if any(isinstance(v, SolidityVariableComposed) and v.name == "msg.value" for v in ir.read):
                    self.emit(Effect("payment", "msg.value", node))
                lvalue = getattr(ir, "lvalue", None)
                if isinstance(ir, Delete):
                    # `delete balances[a]` zeroes the entry `a` names, not the whole mapping
                    target = ir.variable if id(ir.variable) in self.refs else lvalue
                    self.record_write(target, Tag("constant", "0", value="0"), node)
                elif lvalue is not None and not isinstance(ir, (Index, Member)):
                    self.record_write(lvalue, self.tags.get(id(lvalue)), node)
        self.finish()
        return self.out

    def finish(self) -> None:
        for user, others in self.alternatives.items():
            if user in self.approvals:
                continue  # others act for the user only with the user's approval: the user's own
            for guard in (user, *others):
                if guard not in self.out.checks:
                    self.out.checks.append(guard)
        if isinstance(self.function, Modifier):
            # `if (msg.sender == owner) { _; } else { forward(); }`: the function's body
            # runs only where every placeholder runs, under the check of its branch
            placeholders = [self.branch_guard(n) for n in self.function.nodes if n.type == NodeType.PLACEHOLDER]
            if placeholders and all(placeholders) and len(set(placeholders)) == 1:
                self.check(placeholders[0])
        if self.true_under and all(self.true_under) and not self.opaque:
            self.returned.extend(Tag("check", guard=g) for g in self.true_under)
        elif self.true_under:
            self.returned.append(Tag("constant", "true", value="true"))
        ranked = ("check", "sender", "stored", "fetched", "keyed", "bound")
        preferred = sorted(self.returned, key=lambda t: ranked.index(t.kind) if t.kind in ranked else 9)
        self.out.returns = preferred[0] if preferred else None
        checks = [t for t in preferred if t.kind == "check" and not t.negated]
        if len(checks) > 1:
            # true on one path for one principal, on another for another: either may call
            self.out.returns = checks[0]
            for other in checks[1:]:
                self.out.returns = _any_of(self.out.returns, other)
        branch_checks = [g for _, g in self.branches]
        if self.out.returns is not None and self.out.returns.kind == "sender" and (self.out.checks or branch_checks):
            # A function that returns the caller after checking it (ERC-2771's `_msgSender`
            # asks `isTrustedForwarder(msg.sender)`) is telling who the caller is, not
            # restricting it: the stored address it checked can speak for anyone.
            forwarder = next((g.detail for g in self.out.checks + branch_checks if g.kind in (GuardKind.OWNER, GuardKind.ADDRESS)), "")
            self.out.returns = Tag("sender", forwarder=forwarder)
            self.out.checks = []

    def visit(self, ir, node) -> None:
        lvalue = getattr(ir, "lvalue", None)
        if isinstance(ir, (Assignment, TypeConversion)):
            source = ir.rvalue if isinstance(ir, Assignment) else ir.variable
            if isinstance(lvalue, ReferenceVariable):
                self.tags.pop(id(lvalue), None)  # the entry now holds what is written, not what it held
            self.set(lvalue, self.tag(source))
        elif isinstance(ir, Binary):
            self.binary(ir)
        elif isinstance(ir, Unary):
            tag = self.tag(ir.rvalue)
            if tag and tag.kind in ("check", "unset", "commit"):
                self.set(lvalue, replace(tag, negated=not tag.negated))
            elif tag and tag.kind == "stored":
                self.set(lvalue, Tag("unset", tag.name))  # `!initialized`
        elif isinstance(ir, Index):
            self.index(ir)
        elif isinstance(ir, Member):
            self.member(ir)
        elif isinstance(ir, Unpack):
            self.set(lvalue, self.tag(ir.tuple))
        elif isinstance(ir, InternalCall) and isinstance(ir.function, Function):
            self.call(ir.function, ir.arguments, lvalue, node)
        elif isinstance(ir, LibraryCall) and isinstance(ir.function, Function):
            self.call(ir.function, ir.arguments, lvalue, node)
        elif isinstance(ir, LowLevelCall):
            args = (self.tag(ir.destination), *(self.tag(a) for a in ir.arguments))
            self.emit(Effect("lowlevel", str(ir.function_name), node, args))
            if ir.call_value is not None and str(ir.function_name) == "call":
                self.emit(Effect("transfer", "eth", node, (self.tag(ir.destination), self.tag(ir.call_value))))
        elif isinstance(ir, HighLevelCall):
            self.external(ir, lvalue, node)
        elif isinstance(ir, (Transfer, Send)):
            self.emit(Effect("transfer", "eth", node, (self.tag(ir.destination), self.tag(ir.call_value))))
        elif isinstance(ir, SolidityCall):
            self.solidity_call(ir, node)
        elif isinstance(ir, Condition):
            tag = self.tag(ir.value)
            if tag and tag.kind == "dispatch":
                self.dispatch(tag, node)
            if tag and tag.kind == "stored":
                tag = Tag("unset", tag.name, negated=True)  # `if (flag)`: the flag is set
            if tag and tag.kind == "unset" and self.holds_after(tag, node):
                self.out.unset.append(tag.name)
            if tag and tag.kind == "commit" and self.holds_after(tag, node):
                self.commit(tag)
            if tag and tag.kind in ("check", "bound"):
                # `if (owner != caller) revert` guards as `require(owner == caller)` does,
                # and so does `if (owner == caller) {...} else revert`. A branch that
                # reverts on neither side guards only what it opens.
                self.condition(tag, node)
        elif isinstance(ir, Return):
            for value in ir.values:
                tag = self.tag(value)
                if tag is not None and tag.kind == "constant" and tag.value in _TRUE:
                    # `if (src == owner) return true;`: a predicate true for that principal
                    # (DSAuth's isAuthorized), if every `return true` is under such a check
                    self.true_under.append(self.branch_guard(node))
                    continue
                if tag is None or tag.kind not in ("check", "constant"):
                    self.opaque = True  # `return mintingOpen;`: true for others too
                if tag is not None:
                    self.returned.append(tag)

    def record_write(self, lvalue, value: Tag | None, node) -> None:
        if isinstance(lvalue, StateVariable) and not (lvalue.is_constant or lvalue.is_immutable):
            self.emit(Effect("write", lvalue.name, node, (None, value), var_type=str(lvalue.type)))
        elif isinstance(lvalue, ReferenceVariable) and id(lvalue) in self.refs:
            name, key, var_type = self.refs[id(lvalue)]
            self.emit(Effect("write", name, node, (key, value), var_type=var_type, permission=self.permissions.get(id(lvalue), "")))

    # -- operations -------------------------------------------------------------------
    def binary(self, ir: Binary) -> None:
        left, right = self.tag(ir.variable_left), self.tag(ir.variable_right)
        if ir.type == BinaryType.ADDITION and ir.lvalue is ir.variable_left and isinstance(ir.lvalue, LocalVariable) \
                and isinstance(ir.variable_right, Constant):
            self.set(ir.lvalue, Tag("count"))  # `count += 1`: a counter
            return
        quorum = self.quorum(ir, left, right)
        if quorum is not None:
            self.set(ir.lvalue, quorum)
            return
        if ir.type in (BinaryType.EQUAL, BinaryType.NOT_EQUAL):
            selector = _selector(left, right) or _selector(right, left)
            if selector is not None:
                self.set(ir.lvalue, Tag("dispatch", selector[1], value=str(selector[0]), negated=ir.type == BinaryType.NOT_EQUAL))
                return
        if ir.type in (BinaryType.EQUAL, BinaryType.NOT_EQUAL):
            negated = ir.type == BinaryType.NOT_EQUAL
            for hashed, other, kept in ((left, right, ir.variable_right), (right, left, ir.variable_left)):
                if _hash_of_inputs(hashed) and other is not None and not _hash_of_inputs(other) and (
                        other.kind in ("stored", "record") or (other.kind == "keyed" and other.name.startswith("<"))):
                    # `keccak256(_payload) == failedMessages[...]`: the input must be what was stored
                    name = self.refs[id(kept)][0] if id(kept) in self.refs else _name_of(kept)
                    self.set(ir.lvalue, Tag("commit", name, value=hashed.value, negated=negated))
                    return
                if hashed is not None and hashed.kind == "commit" and other is not None and other.kind == "constant" \
                        and other.value in FALSY:
                    # `timestamps[id] != 0` where id hashes the inputs: they were queued
                    self.set(ir.lvalue, replace(hashed, negated=hashed.negated != (not negated)))
                    return
            for check, other in ((left, right), (right, left)):
                if check and check.kind == "check" and other and other.kind == "constant" and other.value in FALSY:
                    # `modules[msg.sender] != address(0)`: the entry exists, so the check holds
                    self.set(ir.lvalue, replace(check, negated=check.negated != (ir.type == BinaryType.EQUAL)))
                    return
                if check and check.kind == "check" and other and other.kind == "constant" and (
                        other.value in _TRUE or other.value.isdigit()):
                    # `isAdmin[msg.sender] == true` is `isAdmin[msg.sender]`, and so is
                    # `wards[msg.sender] == 1` (MakerDAO's `auth`)
                    self.set(ir.lvalue, replace(check, negated=check.negated != (ir.type == BinaryType.NOT_EQUAL)))
                    return
            for state, other in ((left, right), (right, left)):
                if state and state.kind == "stored" and other and other.kind == "constant" and other.value in FALSY:
                    # `require(manager == address(0))`: state that must still be unset
                    self.set(ir.lvalue, Tag("unset", state.name, negated=negated))
                    return
            guards = _compare(left, right)
            if guards:
                forwarder = guards[1].detail if len(guards) > 1 else ""
                negated = ir.type == BinaryType.NOT_EQUAL
                self.set(ir.lvalue, Tag("check", guard=guards[0], forwarder=forwarder, negated=negated))
        elif ir.type in (BinaryType.ANDAND, BinaryType.OROR):
            checks = [t for t in (left, right) if t and t.kind == "check"]
            if len(checks) == 2 and checks[0].negated == checks[1].negated and checks[0].negated == (ir.type == BinaryType.ANDAND):
                # `a || b`, or `!a && !b` (its negation): either principal may call
                self.set(ir.lvalue, _any_of(checks[0], checks[1]))
                return
            single = [t for t in (left, right) if t and t.kind == "check"]
            other = right if left in single else left
            if len(single) == 1 and other is not None and other.kind in ("unset", "stored") and \
                    single[0].negated == (ir.type == BinaryType.ANDAND):
                # `!paused || msg.sender == owner` (or its negation, `paused && msg.sender !=
                # owner`): the owner is exempt from a condition everyone else meets, not the
                # only one who may call
                return
            commits = [t for t in (left, right) if t and t.kind == "commit" and not t.negated]
            if ir.type == BinaryType.ANDAND and commits and not any(t and t.kind in ("check", "bound") for t in (left, right)):
                # `eta[id] != 0 && block.timestamp >= eta[id]`: the inputs were queued (and are due)
                self.set(ir.lvalue, commits[0])
                return
            # `caller != SENTINEL && modules[caller] != 0`: the positive check is the guard,
            # and of two that must both hold, one that is not the user's own
            candidates = [t for t in (left, right) if t and t.kind in ("check", "bound")]
            candidates.sort(key=lambda t: t.kind == "check" and all(g.kind == GuardKind.USER for g in _principals(t)))
            self.set(ir.lvalue, next((t for t in candidates if not t.negated), candidates[0] if candidates else None))
        elif ir.type in _COMPARISONS and _nonzero(ir.type, left, right) is not None:
            # `m_ownerIndex[msg.sender] > 0`: the caller has an entry, so the check holds
            self.set(ir.lvalue, _nonzero(ir.type, left, right))
        elif ir.type in _COMPARISONS:
            # `require(bps <= MAX_BPS)`: a parameter held under a constant is a hard bound
            # `param <= MAX` holds the parameter under a ceiling; `param > MAX` is the
            # failing case of the same ceiling (negated, so `if (...) revert` accepts it)
            # (a stored value on the other side bounds nothing for good, but `fee <= fee_`
            # before `fee_ = fee` says the value can only fall: capabilities tell them apart)
            small, large = (left, right) if ir.type in (BinaryType.LESS, BinaryType.LESS_EQUAL) else (right, left)
            if small and small.kind == "param" and large and large.kind in ("constant", "stored"):
                self.set(ir.lvalue, Tag("bound", small.name, value=large.name))
            elif large and large.kind == "param" and small and small.kind in ("constant", "stored"):
                self.set(ir.lvalue, Tag("bound", large.name, value=small.name, negated=True))
        else:
            # arithmetic keeps a parameter's identity (a destination or amount the caller chose),
            # and a stored address moved by a fixed offset stays that address's (an L1 owner
            # aliased on L2: `address(uint160(l1Owner) + OFFSET)`)
            chosen = next((t for t in (left, right) if t and t.kind == "param"), None) or \
                next((t for t in (left, right) if t and t.kind == "amount"), None)
            if chosen is None and ir.type in (BinaryType.ADDITION, BinaryType.SUBTRACTION, BinaryType.OR, BinaryType.CARET):
                stored = [t for t in (left, right) if t and t.kind == "stored"]
                if len(stored) == 1 and any(t and t.kind == "constant" for t in (left, right)):
                    chosen = stored[0]
            self.set(ir.lvalue, chosen)

    def quorum(self, ir: Binary, left: Tag | None, right: Tag | None) -> Tag | None:
        """In a multisig, a count of confirmations (a local counter, or a count kept in the
        transaction's record) held against the threshold: `count == required`,
        `txn.confirmations >= threshold`. Where it holds, the owners' quorum decided."""
        if ir.type not in (*_COMPARISONS, BinaryType.EQUAL, BinaryType.NOT_EQUAL):
            return None

        def threshold(tag: Tag | None) -> bool:
            return tag is not None and tag.kind == "stored" and bool(_THRESHOLD_NAME.match(tag.name))

        def counted(tag: Tag | None) -> bool:
            return tag is not None and tag.kind in ("count", "record")

        countdown = _last_confirmation(ir.type, left, right)
        if countdown is not None:
            # `if (pending.yetNeeded <= 1)`: the counter started at the threshold and this is
            # the last confirmation it waited for (the counter itself says it is a multisig)
            return Tag("check", guard=MULTISIG_SIGNERS, negated=not countdown)
        if threshold(right) and counted(left):
            count_first = True
        elif threshold(left) and counted(right):
            count_first = False
        else:
            return None
        if not self.flow.multisig(self.function):
            return None
        # enough confirmations: count >= T, count > T, count == T (or T <= count, T < count)
        at_least = (BinaryType.GREATER, BinaryType.GREATER_EQUAL) if count_first else (BinaryType.LESS, BinaryType.LESS_EQUAL)
        negated = ir.type == BinaryType.NOT_EQUAL or (ir.type in _COMPARISONS and ir.type not in at_least)
        return Tag("check", guard=MULTISIG_SIGNERS, negated=negated)

    def index(self, ir: Index) -> None:
        base, key = self.tag(ir.variable_left), self.tag(ir.variable_right)
        if isinstance(ir.variable_left, StateVariable):
            self.refs[id(ir.lvalue)] = (ir.variable_left.name, key, str(ir.variable_left.type))
        elif id(ir.variable_left) in self.refs:
            name, account, var_type = self.refs[id(ir.variable_left)]
            if _permission_of(account, key, ir.variable_right):
                # `userPermissions[who][MINT_SIG]`: the account's entry for one permission
                self.refs[id(ir.lvalue)] = (name, account, var_type)
                self.permissions[id(ir.lvalue)] = key.name
            else:
                self.refs[id(ir.lvalue)] = (name, key, var_type)
        elif base is not None and base.kind == "stored" and _in_storage(ir.variable_left, self.refs):
            # a mapping or array of the contract handed to a library as a storage pointer
            self.refs[id(ir.lvalue)] = (base.name, key, str(ir.variable_left.type))
        if base is None:
            return
        if base.kind == "param":
            self.set(ir.lvalue, Tag("param", f"{base.name}[]"))  # an element of the caller's array
            return
        if base.kind == "stored" and _hash_of_inputs(key):
            # an entry kept under the hash of the inputs (`storedCredits[keccak256(payload)]`)
            self.set(ir.lvalue, Tag("commit", self.refs.get(id(ir.lvalue), (base.name,))[0], value=key.value))
            return
        if base.kind == "record":
            if key and key.kind == "sender":
                # `_operatorApprovals[owner][msg.sender]`: a user's own delegation
                self.set(ir.lvalue, Tag("check", guard=Guard(GuardKind.USER, f"{base.name}[msg.sender]")))
            else:
                self.set(ir.lvalue, base)  # `failedMessages[chain][source][nonce]`: still that record
            return
        if key and key.kind == "sender":
            if base.kind == "keyed":
                self.set(ir.lvalue, Tag("check", guard=Guard(GuardKind.ROLE, base.name), forwarder=key.forwarder))
            elif base.kind == "stored":
                self.set(ir.lvalue, Tag("check", guard=Guard(GuardKind.CUSTOM, f"{base.name}[msg.sender]"), forwarder=key.forwarder))
        elif key and _role_like(key, ir.variable_right) and base.kind in ("stored", "keyed"):
            # a mapping keyed by a role id: `_roles[MINTER_ROLE]`
            self.set(ir.lvalue, Tag("keyed", _role_name(key)))
        elif key and key.kind in ("stored", "fetched") and base.kind == "stored" and _is_mapping(ir.lvalue):
            # `admins[epoch]` of `admins[epoch][msg.sender]`: the contract's own current
            # entry of a nested mapping, not a user's record
            self.set(ir.lvalue, Tag("stored", f"{base.name}[{key.name}]"))
        elif base.kind in ("stored", "keyed"):
            # an entry of a mapping picked by some other key (a token id, an owner, a
            # proposal, a source chain's sender): a record of the users', whose fields are not governance
            self.set(ir.lvalue, Tag("record", f"{base.name}[]"))

    def member(self, ir: Member) -> None:
        self.member_tag(ir)
        struct = getattr(getattr(ir.variable_left, "type", None), "type", None)
        if isinstance(struct, Structure) and f"{struct.name}.{ir.variable_right}" in self.flow.countdowns(self.function):
            # `pending.yetNeeded`: confirmations still needed, counted down from the threshold
            self.set(ir.lvalue, Tag("remaining", f"{struct.name}.{ir.variable_right}"))

    def member_tag(self, ir: Member) -> None:
        base = self.tag(ir.variable_left)
        member = str(ir.variable_right)
        if id(ir.variable_left) in self.refs:
            self.refs[id(ir.lvalue)] = self.refs[id(ir.variable_left)]
        pointer = (isinstance(ir.variable_left, LocalVariable) and ir.variable_left.location == "storage") or (
            # a storage struct handed back by a helper (`LibDiamond.diamondStorage().contractOwner`)
            base is not None and base.kind == "constant" and is_struct(ir.variable_left))
        if pointer and (base is None or base.kind == "constant"):
            # namespaced storage (ERC-7201): `$._owner` through a local storage pointer, whose
            # slot is a constant (`$.slot := OwnableStorageLocation`)
            struct = str(ir.variable_left.type).split(".")[-1]
            if struct.endswith("Slot") and base is not None and not base.name.startswith("0x"):
                # OpenZeppelin's StorageSlot: the slot's constant names it (IMPLEMENTATION_SLOT)
                name = base.name
            else:
                name = f"{struct}.{member}"
            self.refs[id(ir.lvalue)] = (name, None, str(ir.lvalue.type))
            self.set(ir.lvalue, Tag("stored", name))
            return
        if base is not None and base.kind == "stored" and _in_storage(ir.variable_left, self.refs):
            # a field of a struct in the contract's storage: written inline (`config.fee = v`),
            # or by a library or helper handed the struct as a storage pointer
            # (`Admin.setFee(state, v)` -> `s.fee = v`): either way the contract's state
            name = f"{base.name}.{member}"
            self.refs[id(ir.lvalue)] = (name, None, str(ir.lvalue.type))
            # a struct that is nothing but a set of accounts (OpenZeppelin 2's `Roles.Role`,
            # `role.bearer[account]`): the variable holding it is a role
            self.set(ir.lvalue, Tag("keyed", base.name) if _membership(ir.variable_left) else Tag("stored", name))
            return
        if base is not None and base.kind == "keyed" and _membership(ir.variable_left) and _in_storage(ir.variable_left, self.refs) \
                and id(ir.variable_left) not in self.refs:
            # a role's record handed to a library as a storage pointer (OpenZeppelin 1's
            # `roles[ROLE_MINTER].add(account)` -> `role.bearer[account] = true`): a write of that role
            self.refs[id(ir.lvalue)] = (f"role {base.name}", None, str(ir.lvalue.type))
        if base is not None and base.kind == "record" and base.name.endswith("[]") and _in_storage(ir.variable_left, self.refs) \
                and id(ir.variable_left) not in self.refs:
            # an entry of the contract's mapping handed to a library or helper as a storage
            # pointer (`MarketLogic.setOracle(markets[asset], oracle)` -> `market.oracle = oracle`):
            # a write of that mapping, as `markets[asset].oracle = oracle` inline is
            self.refs[id(ir.lvalue)] = (base.name[:-2], base, str(ir.variable_left.type))
        if base is None:
            return
        if base.kind == "keyed" and base.name.startswith("<") and str(getattr(ir.lvalue, "type", "")) == "address":
            # an address in the entry a caller's id picks (ENS's `records[node].owner`): whose
            # record it is, not a role's member list
            self.set(ir.lvalue, Tag("record", f"{base.name}.{member}"))
        elif base.kind == "keyed" and "admin" in member.lower():
            # `_roles[role].adminRole`: the role that administers `role`
            self.set(ir.lvalue, Tag("keyed", f"admin of {base.name}"))
        elif base.kind in ("check", "keyed", "record", "commit"):
            self.set(ir.lvalue, base)
        elif base.kind == "stored":
            self.set(ir.lvalue, Tag("stored", f"{base.name}.{member}"))
        elif base.kind == "param":
            self.set(ir.lvalue, Tag("param", f"{base.name}.{member}"))  # a field of the caller's struct (`funds.sender`)

    def call(self, callee: Function, arguments, lvalue, node) -> None:
        args = tuple(self.tag(a) for a in arguments)
        summary = Summary()
        if isinstance(callee, Modifier) or callee.is_implemented:
            summary = self.flow.summary(callee, args, self.depth + 1)
            dispatched = self.dispatch_of(node) is not None
            # a helper that quietly does nothing for others (`function confirm(h)
            # onlymanyowners(h)`) ends only itself: its caller goes on, and only what the
            # helper does needs its check
            ends_callee = [] if isinstance(callee, Modifier) else summary.quiet
            for guard in summary.checks:
                if guard in ends_callee:
                    continue
                if dispatched:
                    self.branches.append((node, guard))  # `ifAdmin`-style checks of one dispatched function
                else:
                    self.check(guard, node, guard in summary.quiet)
            self.out.bounds.extend(summary.bounds)
            self.out.unset.extend(summary.unset)
            self.out.committed |= summary.committed
            self.out.commitments |= summary.commitments
            if summary.approved and not dispatched:
                self.approve(node)
            if not isinstance(callee, Modifier):
                self.emit(Effect("call", callee.name, node, args))
                guarded = ends_callee[0] if ends_callee else None
                self.emit_at(node, [replace(e, guard=guarded) if guarded is not None and e.guard is None else e
                                    for e in summary.effects])
            self.set(lvalue, summary.returns)
            held = helper_bound(callee, args)
            if held is not None:
                # `fee = Math.min(bps, MAX)`: the caller's value, held under a constant
                self.out.bounds.append(held)
                self.set(lvalue, Tag("param", held[0]))
        sender = next((a for a in args if a and a.kind == "sender"), None)
        if sender is not None and callee.name.lstrip("_").startswith("canCall") and not summary.checks:
            # OpenZeppelin 5's AccessManager decides through role ids it looks up per
            # target and selector; the walk cannot name the role, only who decides
            self.set(lvalue, Tag("check", guard=Guard(GuardKind.ROLE, "AccessManager"), forwarder=sender.forwarder))
        if callee.name == "hasRole" and not callee.is_implemented and any(a and a.kind == "sender" for a in args):
            # an unimplemented or external hasRole (an interface): the role is the first argument
            role = args[0]
            self.set(lvalue, Tag("check", guard=Guard(GuardKind.ROLE, _role_name(role) if role else "?")))

    def external(self, ir: HighLevelCall, lvalue, node) -> None:
        args = tuple(self.tag(a) for a in ir.arguments)
        destination = self.tag(ir.destination)
        name = str(ir.function_name)
        self.emit(Effect("external", name, node, (destination, *args)))
        sender = next((a for a in args if a and a.kind == "sender"), None)
        where = destination.name if destination else _name_of(ir.destination)
        if sender is None:
            if destination is not None and destination.kind in ("stored", "constant", "fetched"):
                # what a contract the code holds returns: for a value the caller picks, a
                # user's record (`nft.ownerOf(id)`); else the contract's answer, such as an
                # address it names (`controller.getGovernor()`)
                chosen = any(a is not None and a.kind in ("param", "record") for a in args)
                self.set(lvalue, Tag("record" if chosen else "fetched", f"{where}.{name}()"))
            return
        callee = ir.function
        returns = [str(t) for t in (getattr(callee, "return_type", None) or [])] if isinstance(callee, Function) else []
        if returns and returns != ["bool"]:
            # `debtToken.balanceOf(msg.sender)`: an amount the caller holds, the user's own record,
            # not a yes/no question about who may call
            self.set(lvalue, Tag("record", f"{where}.{name}(msg.sender)"))
            return
        if isinstance(callee, Function) and not (callee.view or callee.pure) and not _QUESTION.match(name):
            # `require(token.transferFrom(msg.sender, ...))` moves the caller's tokens: no
            # question about who calls. (Old interfaces left `constant` off some questions:
            # `isAdmin(address)` still reads as one.)
            return
        if name == "hasRole" and args and args[0] is not None:
            self.set(lvalue, Tag("check", guard=Guard(GuardKind.ROLE, f"{_role_name(args[0])} in {where}"), forwarder=sender.forwarder))
        elif name.startswith("canCall"):
            # OpenZeppelin 5's AccessManager: the authority decides, by its own roles
            self.set(lvalue, Tag("check", guard=Guard(GuardKind.ROLE, f"AccessManager {where}"), forwarder=sender.forwarder))
        else:
            # another contract decides (`aclManager.isPoolAdmin(msg.sender)`): a guard, by its source
            self.set(lvalue, Tag("check", guard=Guard(GuardKind.EXTERNAL, f"{where}.{name}(msg.sender)"), forwarder=sender.forwarder))

    def assembly(self, node) -> None:
        """Inline assembly Slither leaves unparsed (solc before 0.6 gives it as text, in the
        AST's `operations` or only in the source): its slot reads and writes and its
        delegatecall, which is all a proxy's admin check and upgrade need."""
        if not isinstance(node.inline_asm, str) and not (node.inline_asm is None and all(s.type == NodeType.ENDASSEMBLY for s in node.sons)):
            return  # Yul Slither parsed into IR (solc 0.6 and later)
        try:
            # the source as written, so that each statement keeps its line
            text, first = node.source_mapping.content, node.source_mapping.lines[0]
        except (AssertionError, AttributeError, IndexError):
            text, first = node.inline_asm or "", 0
        if not text:
            return
        names = {v.name: v for v in self.function.variables if v.name}
        local: dict[str, Tag | None] = {}

        def tag(word: str) -> Tag | None:
            if word in local:
                return local[word]
            if word in names:
                return self.tag(names[word])
            if re.fullmatch(r"0x[0-9a-fA-F]+|\d+", word):
                return Tag("constant", word, value=word)
            return None

        for statement in _ASM_STATEMENT.finditer(text):
            target, call, arguments = statement.group("target"), statement.group("call"), statement.group("args")
            at = _AtLine(node, first + text[:statement.start("call")].count("\n")) if first else node
            words = [a.strip() for a in arguments.split(",")] if arguments else []
            if call == "sload" and target and words:
                slot = tag(words[0])
                value = Tag("stored", f"slot {slot.name}") if slot is not None and slot.kind == "constant" else None
                if target in names:
                    self.set(names[target], value)
                else:
                    local[target] = value
            elif call == "sstore" and len(words) == 2:
                self.emit(Effect("sstore", "sstore", at, (tag(words[0]), tag(words[1]))))
            elif call == "delegatecall" and len(words) > 1:
                self.emit(Effect("lowlevel", "delegatecall", at, (tag(words[1]),)))
            elif call in ("selfdestruct", "suicide"):
                self.emit(Effect("selfdestruct", "selfdestruct", at, tuple(tag(w) for w in words)))

    def solidity_call(self, ir: SolidityCall, node) -> None:
        name = ir.function.name if isinstance(ir.function, SolidityFunction) else str(ir.function)
        if name.startswith(_REQUIRES) and ir.arguments:
            tag = self.tag(ir.arguments[0])
            if tag and tag.kind == "check" and not tag.negated and self.dispatch_of(node) is not None:
                self.branches.append((node, tag.guard))  # a check of one dispatched function, not of the fallback
            elif tag and tag.kind in ("check", "bound"):
                self.consume(tag, node)
            elif tag and tag.kind == "unset" and not tag.negated:
                self.out.unset.append(tag.name)
            elif tag and tag.kind == "commit" and not tag.negated:
                self.commit(tag)
        elif name.startswith(("selfdestruct(", "suicide(")):
            self.emit(Effect("selfdestruct", "selfdestruct", node, tuple(self.tag(a) for a in ir.arguments)))
        elif name.startswith("delegatecall("):
            # inline assembly: delegatecall(gas, target, in, insize, out, outsize)
            target = self.tag(ir.arguments[1]) if len(ir.arguments) > 1 else None
            self.emit(Effect("lowlevel", "delegatecall", node, (target,)))
        elif name.startswith("sstore(") and ir.arguments:
            self.emit(Effect("sstore", "sstore", node, tuple(self.tag(a) for a in ir.arguments)))
        elif name.startswith("sload(") and ir.arguments:
            slot = self.tag(ir.arguments[0])
            if slot and slot.kind == "constant":
                self.set(ir.lvalue, Tag("stored", f"slot {slot.name}"))
        elif name.startswith(("keccak256(", "sha3(")) and len(ir.arguments) == 1 and isinstance(ir.arguments[0], Constant) \
                and isinstance(ir.arguments[0].value, str):
            self.set(ir.lvalue, Tag("hash", ir.arguments[0].value))
        elif name.startswith(("keccak256(", "sha3(", "sha256(", "abi.encode(", "abi.encodePacked(")):
            # an id computed from the caller's input (`keccak256(abi.encodePacked(node, label))`)
            # picks a record as the input does; as calldata it says nothing of what a call does
            tagged = [(a, self.tag(a)) for a in ir.arguments]
            chosen = next((t for _, t in tagged if t is not None and t.kind in ("param", "record")), None)
            inputs = ",".join(t.value if t.kind == "record" and t.name.endswith("#") else t.name
                              for _, t in tagged if t is not None and t.kind in ("param", "record") and
                              (t.kind == "param" or t.name.endswith("#")))
            calldata = next((t for a, t in tagged if t is not None and t.kind == "param" and str(getattr(a, "type", "")) == "bytes"), None)
            if name.startswith("abi.") and calldata is not None:
                self.set(ir.lvalue, calldata)  # `abi.encodePacked(selector, data)`: the caller's calldata
            elif chosen is not None:
                self.set(ir.lvalue, Tag("record", f"{chosen.name}#", value=inputs))
        elif name.startswith("ecrecover("):
            self.emit(Effect("ecrecover", "ecrecover", node, tuple(self.tag(a) for a in ir.arguments)))


def _nonzero(kind, left: Tag | None, right: Tag | None) -> Tag | None:
    """A check held above zero (`index[msg.sender] > 0`, `0 < index[msg.sender]`, `>= 1`):
    the check itself; held at or under zero, its negation."""
    if right is not None and right.kind == "check" and left is not None:
        left, right, kind = right, left, _MIRROR.get(kind)
    if left is None or left.kind != "check" or right is None or right.kind != "constant":
        return None
    holds = {(BinaryType.GREATER, "0"): True, (BinaryType.GREATER_EQUAL, "1"): True,
             (BinaryType.LESS_EQUAL, "0"): False, (BinaryType.LESS, "1"): False}.get((kind, right.value))
    return None if holds is None else replace(left, negated=left.negated != (not holds))


def _countdowns(contract: Contract) -> frozenset[str]:
    """Fields (`Struct.field`) the contract sets to its multisig threshold (`pending.yetNeeded =
    m_required` in Parity's multiowned): counters of the confirmations still needed."""
    found = set()
    for function in contract.functions:
        fields: dict[int, str] = {}
        for node in function.nodes:
            for ir in node.irs:
                struct = getattr(getattr(getattr(ir, "variable_left", None), "type", None), "type", None)
                if isinstance(ir, Member) and isinstance(struct, Structure):
                    fields[id(ir.lvalue)] = f"{struct.name}.{ir.variable_right}"
                elif isinstance(ir, Assignment) and id(ir.lvalue) in fields and isinstance(ir.rvalue, StateVariable) \
                        and _THRESHOLD_NAME.match(ir.rvalue.name):
                    found.add(fields[id(ir.lvalue)])
    return frozenset(found)


# (comparison with the remaining count on the left, the constant) -> whether it means "this is
# the last confirmation needed": `remaining <= 1`, `remaining < 2`, `remaining == 1`, and
# their negations. A zero is left out: a counter not started yet is zero too.
_LAST = {(BinaryType.LESS_EQUAL, 1): True, (BinaryType.LESS, 2): True, (BinaryType.EQUAL, 1): True,
         (BinaryType.GREATER, 1): False, (BinaryType.GREATER_EQUAL, 2): False, (BinaryType.NOT_EQUAL, 1): False}
_MIRROR = {BinaryType.LESS: BinaryType.GREATER, BinaryType.GREATER: BinaryType.LESS, BinaryType.LESS_EQUAL: BinaryType.GREATER_EQUAL,
           BinaryType.GREATER_EQUAL: BinaryType.LESS_EQUAL, BinaryType.EQUAL: BinaryType.EQUAL, BinaryType.NOT_EQUAL: BinaryType.NOT_EQUAL}


def _last_confirmation(kind, left: Tag | None, right: Tag | None) -> bool | None:
    """Whether a comparison of a countdown of confirmations with a constant holds on the last
    one (True), on every other (False), or is no such comparison (None)."""
    if left is not None and left.kind == "constant" and right is not None and right.kind == "remaining":
        left, right, kind = right, left, _MIRROR.get(kind)
    if left is None or left.kind != "remaining" or right is None or right.kind != "constant" or not right.value.isdigit():
        return None
    return _LAST.get((kind, int(right.value)))


_HASHED = re.compile(r"""keccak256\(\s*(?:abi\.encodePacked\(\s*)?['"]([^'"]+)['"]""")


def _selector(selector: Tag | None, other: Tag | None) -> tuple[int, str] | None:
    """(selector, signature if the code names it) when `selector` is msg.sig and `other`
    a function selector: a literal (`0x3659cfe6`, or `I.upgradeTo.selector`, which the
    compiler front end makes a literal), a constant, or `bytes4(keccak256("sig"))`."""
    if selector is None or selector.kind != "selector" or other is None:
        return None
    if other.kind == "hash":
        return get_function_id(other.name), other.name
    if other.kind != "constant":
        return None
    hashed = _HASHED.search(other.value)
    if hashed:
        return get_function_id(hashed.group(1)), hashed.group(1)
    try:
        return int(other.value, 0), ""
    except ValueError:
        return None


def _membership(value) -> bool:
    """A struct whose one field maps accounts to a flag: a set of accounts (`Roles.Role`)."""
    kind = getattr(value, "type", None)
    if not (isinstance(kind, UserDefinedType) and isinstance(kind.type, Structure)):
        return False
    fields = kind.type.elems_ordered
    return len(fields) == 1 and str(fields[0].type) == "mapping(address => bool)"


def _in_storage(value, refs: dict) -> bool:
    """A struct (or mapping, or array) the contract keeps in storage, reached directly, by a
    storage pointer (a library's `Storage.State storage s` parameter bound to the contract's
    variable), or as a field of one (`s.config` in `s.config.fee`)."""
    if isinstance(value, StateVariable):
        return not (value.is_constant or value.is_immutable) and is_struct(value)
    if isinstance(value, LocalVariable):
        return value.location == "storage"
    return isinstance(value, ReferenceVariable) and refs.get(id(value), (None, 1))[1] is None


# `x := sload(slot)`, `let x := sload(slot)`, `sstore(slot, v)`, `delegatecall(gas, target, ...)`
# (arguments that are names, numbers or `gas`/`gas()`): the statements of a proxy's assembly
_ASM_STATEMENT = re.compile(
    r"(?:(?:let\s+)?(?P<target>\w+)\s*:=\s*)?\b(?P<call>sload|sstore|delegatecall|selfdestruct|suicide)\s*"
    r"\((?P<args>(?:[^()]|\([^()]*\))*)\)")


class _AtLine:
    """An assembly block's node, placed at the line of one statement in it (where solc 0.6
    and later would have put the statement's own node)."""

    def __init__(self, node, line: int) -> None:
        self._node = node
        self.source_mapping = copy.copy(node.source_mapping)
        self.source_mapping.lines = [line]

    def __getattr__(self, name: str):
        return getattr(self._node, name)


def _principals(tag: Tag) -> tuple[Guard, ...]:
    """Every principal a check admits: its guard and its alternatives."""
    return ((tag.guard,) if tag.guard is not None else ()) + tag.alternatives


def _any_of(first: Tag, second: Tag) -> Tag:
    """`a || b`: one check admitting the principals of both."""
    principals = tuple(dict.fromkeys(_principals(first) + _principals(second)))
    privileged = [g for g in principals if g.kind != GuardKind.USER] or list(principals)
    lead = privileged[0]
    return Tag("check", guard=lead, alternatives=tuple(g for g in principals if g != lead),
               forwarder=first.forwarder or second.forwarder, negated=first.negated)


def _is_mapping(value) -> bool:
    return str(getattr(value, "type", "")).startswith("mapping(")


def _ends_at_once(node) -> bool:
    """Whether the straight-line code a branch opens ends the function doing nothing:
    `if (msg.sender != owner) return;`, or the empty side of a modifier's
    `if (msg.sender == owner) _;`."""
    for _ in range(4):
        if node is None or node.type == NodeType.PLACEHOLDER or not all(_quiet(ir) for ir in node.irs):
            return False
        if node.type == NodeType.RETURN or not node.sons:
            return True
        if len(node.sons) != 1:
            return False
        node = node.sons[0]
    return False


def _quiet(ir) -> bool:
    """An operation that changes nothing on the way out: an event, a return, a conversion,
    or a call to a helper that writes no state and calls no one (Compound's
    `return fail(Error.UNAUTHORIZED, ...)`, which only logs)."""
    if isinstance(ir, Assignment):
        return not isinstance(ir.lvalue, (StateVariable, ReferenceVariable))  # a local, not state
    if isinstance(ir, (EventCall, Return, TypeConversion, Member, Index, Binary, Unary)):
        return True
    if isinstance(ir, InternalCall) and isinstance(ir.function, Function):
        callee = ir.function
        return not callee.all_state_variables_written() and not callee.all_high_level_calls() and not callee.all_low_level_calls()
    return False


def _opens(start, node) -> bool:
    """Whether a branch's first node is its own: not the join point (an `if` without
    `else`) that the other side reaches too."""
    return start is not None and (start.type != NodeType.ENDIF or all(f is node for f in start.fathers))


def _reverts_at_once(node) -> bool:
    """Whether the straight-line code a branch opens ends in a revert."""
    for _ in range(4):
        if node is None:
            return False
        if _is_revert(node):
            return True
        if len(node.sons) != 1:
            return False
        node = node.sons[0]
    return False


def _is_revert(node) -> bool:
    """A node that reverts: `revert(...)`, `throw`, or a call to a helper every way out of
    which reverts (Balancer's `_revert(errorCode)`, `_revertUnauthorized()`)."""
    if node.type == NodeType.THROW:
        return True
    return any((isinstance(ir, SolidityCall) and str(ir.function.name).startswith("revert")) or
               (isinstance(ir, InternalCall) and isinstance(ir.function, Function) and not isinstance(ir.function, Modifier)
                and always_reverts(ir.function)) for ir in node.irs)


def always_reverts(function: Function) -> bool:
    """Every way out of the function reverts (Safe's simulateAndRevert, a revert helper).
    Kept on the function itself: it belongs to that build, not to an id Python may reuse."""
    known = getattr(function, "_inspector_always_reverts", None)
    if known is None:
        function._inspector_always_reverts = False  # a helper calling itself does not revert by that alone

        def reverts(node) -> bool:
            while not node.irs and len(node.fathers) == 1:  # past empty end markers (END_ASSEMBLY)
                node = node.fathers[0]
            return _is_revert(node)

        exits = [n for n in function.nodes if not n.sons]
        known = function._inspector_always_reverts = bool(exits) and all(reverts(n) for n in exits)
    return known


def _dominated(start) -> list:
    """The nodes a branch opens: its first node and those it dominates (none for the empty
    side of an `if` without `else`, whose join point opens nothing)."""
    if start is None or start.type == NodeType.ENDIF:
        return []
    return [n for n in start.function.nodes if n is start or start in (n.dominators or ())]


def _may_revert(start) -> bool:
    """Whether the code a branch opens may revert: some node it dominates reverts.
    `if (!allowed) { if (delay > 0) schedule(); else revert(); }` counts: the caller
    passes only where allowed, or through the scheduled path. The empty side of an `if`
    without `else` is its join point, which opens nothing."""
    return any(_is_revert(n) for n in _dominated(start))


def replayed(summary: Summary) -> Summary:
    """The summary of an open entry point that replays what was committed: the inputs whose
    hash had to match a stored one were chosen when they were committed, not by this caller."""
    def pinned(tag: Tag | None) -> Tag | None:
        return Tag("record", tag.name) if tag is not None and tag.kind == "param" and tag.name in summary.committed else tag
    return replace(summary, effects=[replace(e, args=tuple(pinned(a) for a in e.args)) for e in summary.effects])


def _hash_of_inputs(tag: Tag | None) -> bool:
    """A hash of the caller's inputs (`keccak256(abi.encode(target, data))`)."""
    return tag is not None and tag.kind == "record" and tag.name.endswith("#") and bool(tag.value)


def _may_fail(start, depth: int = 3) -> bool:
    """Whether the code a branch opens may revert, in it or in a helper it calls (a
    signature check that requires its signer)."""
    return any(_is_revert(n) or any(_requires(ir, depth) for ir in n.irs) for n in _dominated(start))


def _requires(ir, depth: int) -> bool:
    if isinstance(ir, SolidityCall):
        return str(ir.function.name).startswith(_REQUIRES)
    if isinstance(ir, InternalCall) and isinstance(ir.function, Function) and depth > 0 and ir.function.nodes:
        return _may_fail(ir.function.nodes[0], depth - 1)
    return False


_QUESTION = re.compile(r"^_?(is|has|can|check|verify|auth)([A-Z_]|$)")
FALSY = ("0", "0x0", "False", "false", "0x0000000000000000000000000000000000000000")
_TRUE = ("True", "true")
_ROLE_KEY_TYPES = ("bytes32", "uint64", "uint8", "uint16", "uint32")


def _role_like(key: Tag, variable) -> bool:
    """Role ids are constants, or bytes32/small-uint values a caller names (`grantRole(role,
    ...)`); a key of type address or uint256 picks a user's record instead."""
    if key.kind in ("constant", "keyed"):
        return True
    # a role id the caller names, or one the contract looks up per call (AccessManager's
    # guardian of the target function's role)
    return key.kind in ("param", "record", "fetched") and str(getattr(variable, "type", "")) in _ROLE_KEY_TYPES


def _permission_of(account: Tag | None, key: Tag | None, variable) -> bool:
    """Whether an entry picked by an account and then by a constant role id is that account's
    permission (`userPermissions[who][MINT_SIG]`), not a mapping keyed by a constant."""
    return account is not None and account.kind != "constant" and key is not None and key.kind == "constant" \
        and not key.value.isdigit() and str(getattr(variable, "type", "")) in _ROLE_KEY_TYPES + ("bytes4",)


def _role_name(tag: Tag) -> str:
    if tag.kind in ("param", "record", "fetched"):
        return f"<{tag.name}>"  # chosen by the caller, or looked up per call: any role
    return tag.name


def _compare(left: Tag | None, right: Tag | None) -> tuple[Guard, ...]:
    """The principal a `caller == x` comparison admits, and its forwarder if any."""
    for who, other in ((left, right), (right, left)):
        if who is None or other is None or who.kind not in ("sender", "origin"):
            continue
        forwarder = (Guard(GuardKind.FORWARDER, who.forwarder),) if who.forwarder else ()
        if who.kind == "origin" and other.kind in ("stored", "constant"):
            return (Guard(GuardKind.TX_ORIGIN, other.value or other.name),)
        if other.kind == "stored":
            return (Guard(GuardKind.OWNER, other.name, contract=other.contract), *forwarder)
        if other.kind == "fetched":
            # an address another contract names (`controller.getGovernor()`): a guard, by its source
            return (Guard(GuardKind.EXTERNAL, other.name), *forwarder)
        if other.kind in ("param", "record") and who.kind == "sender":
            # the caller is the account concerned (`from`, `ownerOf[id]`): the user's own
            return (Guard(GuardKind.USER, other.name),)
        if other.kind == "constant" and other.value in ("0", "0x0", "0x0000000000000000000000000000000000000000"):
            return ()  # no one calls from the zero address: a sanity check, not a principal
        if other.kind == "constant":
            return (Guard(GuardKind.ADDRESS, other.value if other.value.startswith("0x") else other.name, contract=other.contract), *forwarder)
        if other.kind == "self":
            return (Guard(GuardKind.SELF, "this"),)
    return ()
