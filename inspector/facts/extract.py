"""Static facts for the contracts the user asked about."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from slither import Slither
from slither.core.declarations import Contract, Function
from slither.core.variables.state_variable import StateVariable
from slither.slithir.operations import Assignment, Delete, HighLevelCall, InternalCall, LibraryCall, Member, SolidityCall, TypeConversion
from slither.utils.function import get_function_id

from inspector.facts.capabilities import capabilities, value_type
from inspector.facts.creators import as_creator, creations, held_by_creator
from inspector.facts.dataflow import FALSY, Dataflow, Effect, Summary, always_reverts
from inspector.facts.guards import guards, role_admins
from inspector.facts.inert import METADATA, Inert, closure_of, find_inert, writes
from inspector.facts.kinds import all_state_variables, classify, delegate_targets
from inspector.facts.ledger import ledger
from inspector.facts.locations import source_file, source_line
from inspector.facts.model import ANYONE, MULTISIG_SIGNERS, Capability, ContractFacts, EntryPoint, Facts, Guard
from inspector.facts.pots import bounding, find_pots
from inspector.facts.queries import for_users, is_governance_contract
from inspector.facts.requests import apply_requests, find_requests
from inspector.vocabulary import SETTINGS, CapabilityName, ContractKind, GuardKind, Principal


_SIGNATURE_CHECK = re.compile(r"^_?check(N)?Signatures$|^_?verifySignatures?$", re.I)


def _multisig_authorized(summary) -> bool:
    """A multisig's execution is authorized by its owners' signatures, not by msg.sender."""
    return any(e.kind == "ecrecover" or (e.kind == "call" and _SIGNATURE_CHECK.match(e.target)) for e in summary.effects)


def _reopened(entries: list[EntryPoint], accounts) -> list[EntryPoint]:
    """Lifting a switch some entry point closes (`resumeSystem()` beside `suspendSystem()`,
    `start()` beside `stop()`) is the other half of that pause power; a switch no one can
    close (`openTrading()` alone) stays a parameter."""
    closed = {c.detail.split(".")[0] for e in entries for c in e.capabilities if c.name == CapabilityName.PAUSE}
    switches = (accounts.halts | accounts.gates) & closed

    def lifted(c: Capability) -> Capability:
        return replace(c, name=CapabilityName.PAUSE) if c.name == CapabilityName.SET_PARAMETER and c.detail.split(".")[0] in switches else c

    return [replace(e, capabilities=tuple(lifted(c) for c in e.capabilities)) for e in entries]


def _delegate_setters(entries: list[EntryPoint], fallback: Summary | None) -> list[EntryPoint]:
    """Writing the variable the fallback delegates every call to (`lib = _lib` beside
    `lib.delegatecall(msg.data)`) replaces the code users run: an upgrade, whatever the
    variable is called."""
    targets = {t.name for t in delegate_targets(fallback) if t is not None and t.kind == "stored"}
    if not targets:
        return entries

    def upgrade(c: Capability) -> Capability:
        return replace(c, name=CapabilityName.UPGRADE) if c.name == CapabilityName.SET_PARAMETER and c.detail in targets else c

    return [replace(e, capabilities=tuple(upgrade(c) for c in e.capabilities)) for e in entries]


def _thresholds(entries: list[EntryPoint], standards: dict[str, str], types: dict[str, str]) -> list[EntryPoint]:
    """A number named like a threshold is a quorum's only in a multisig or a governor (what
    counts signatures or votes); elsewhere (`_debtThreshold`, `distributionThreshold`) it is a
    parameter."""
    if {ContractKind.MULTISIG, ContractKind.GOVERNOR} & set(standards):
        return entries

    def plain(c: Capability) -> Capability:
        number = value_type(types.get(c.detail.split(".")[0], "")).startswith(("uint", "int"))
        return replace(c, name=CapabilityName.SET_PARAMETER) if c.name == CapabilityName.CHANGE_THRESHOLD and number else c

    return [replace(e, capabilities=tuple(plain(c) for c in e.capabilities)) for e in entries]


def _internal_constructor(contract: Contract) -> bool:
    """A constructor written `internal` (before 0.7, how a base contract said it is never
    deployed alone, as OpenZeppelin 2's roles do): the contract is a base, like an abstract one."""
    return any(c.visibility == "internal" for c in contract.constructors if c.contract_declarer is contract)


def _privileged(guards: tuple[Guard, ...]) -> bool:
    """A key's function: a user's own function (whoever else may use it) or a callback is
    not a privileged one, and its plain writes are use, not powers."""
    return any(g.kind not in _NOT_KEYS for g in guards) and not for_users(guards)


def _committed_by_others(entry, reported: list) -> bool:
    """Whether the commitments an entry's inputs must match (`commitments[id]`) are written by
    an entry point some other principal calls: an oracle's requester commits, the node
    answers. A timelock's admin that queues and executes chose both."""
    kept = entry.summary.commitments
    writers = [other for other in reported if other is not entry and any(
        e.kind == "write" and e.target in kept and not _clears(e) for e in other.summary.effects)]
    return any(not set(other.guards) & set(entry.guards) for other in writers)


def _entry_points(contract: Contract) -> list[Function]:
    """Externally reachable functions that can change state. View and pure functions are
    left out: they cannot change anything, so they hold no power."""
    return [
        f
        for f in contract.functions_entry_points
        if not f.is_constructor and not f.view and not f.pure and not f.is_constructor_variables
    ]


def _scanned_contracts(slither: Slither, targets: set[str], only: set[str] | None = None) -> list[Contract]:
    """Deployable-shape contracts declared in target files; a contract that another one
    in the targets inherits is reported through its heir, not twice. `only` names the
    contracts wanted (a verified address is one contract, whatever its file holds)."""
    if only:
        found = {(c.source_mapping.filename.used, c.name): c for c in slither.contracts
                 if c.name in only and c.source_mapping.filename.used in targets}
        return [c for _, c in sorted(found.items())]
    chosen: dict[tuple[str, str], Contract] = {}
    for contract in slither.contracts:
        if contract.is_interface or contract.is_library:
            continue
        if contract.source_mapping.filename.used not in targets:
            continue
        chosen.setdefault((contract.source_mapping.filename.used, contract.name), contract)
    inherited = {base.name for c in chosen.values() for base in c.inheritance}
    return [c for _, c in sorted(chosen.items()) if c.name not in inherited]


# `setup` is Safe's initializer; it runs once because it requires a zero threshold
_INITIALIZER = re.compile(r"^(initiali[sz]e|init|reinitiali[sz]e|setup)\w*$|^__\w+_init\w*$", re.I)
_INIT_FLAG = re.compile(r"initiali[sz](ed|ing)|^_?inited$|^threshold$", re.I)
_INIT_MODIFIERS = {"initializer", "reinitializer", "onlyInitializing"}


def _initializer(function: Function, summary=None) -> str:
    """"guarded" for an initializer that runs once: by OpenZeppelin's modifiers, a flag it
    reads, or because it requires state to be unset and sets it (`require(_implementation()
    == address(0))` before `_setImplementation`, `require(manager == address(0))`)."""
    if not _INITIALIZER.match(function.name):
        return ""
    if any(m.name in _INIT_MODIFIERS for m in function.modifiers):
        return "guarded"
    if summary is not None and summary.runs_once():
        return "guarded"
    flags = [v for v in function.all_state_variables_read() if _INIT_FLAG.search(v.name)]
    return "guarded" if flags else "open"


def _member_set(guard: Guard) -> str:
    """The account set a guard lets in: a role (`_minters`, `MINTER_ROLE`) or the mapping of
    an allow-list (`isAdmin` of `isAdmin[msg.sender]`)."""
    if guard.kind == GuardKind.ROLE:
        return "" if " " in guard.detail or guard.detail.startswith("<") else guard.detail
    if guard.kind == GuardKind.CUSTOM and guard.detail.endswith("[msg.sender]"):
        return guard.detail.split("[", 1)[0]
    return ""


def _minter_grants(entries: list[EntryPoint]) -> list[EntryPoint]:
    """A grant of the account set that guards a mint is a minter's appointment (OpenZeppelin
    2's `addMinter`): set_minter, by what the set guards rather than by its name."""
    minters = {_member_set(g) for e in entries if any(c.name == CapabilityName.MINT and not c.guards for c in e.capabilities)
               for g in e.guards} - {""}
    if not minters:
        return entries

    def renamed(c: Capability) -> Capability:
        # `_minters.bearer` (a Roles.Role), `role ROLE_MINTER` (OpenZeppelin 1's RBAC), `isMinter`
        root = c.detail.removeprefix("role ").split(".")[0]
        return replace(c, name=CapabilityName.SET_MINTER) if c.name == CapabilityName.GRANT_ROLE and root in minters else c
    return [replace(e, capabilities=tuple(renamed(c) for c in e.capabilities)) for e in entries]


def _disables_initializers(contract: Contract) -> bool:
    """The constructor locks the implementation: it calls `_disableInitializers()` or sets
    the flag the initializer checks (Safe's singleton sets `threshold = 1`)."""
    constructor = contract.constructor
    if constructor is None:
        return False
    for node in constructor.nodes:
        if any(_INIT_FLAG.search(v.name) for v in node.state_variables_written):
            return True
        if any(isinstance(ir, InternalCall) and getattr(ir.function, "name", "") == "_disableInitializers" for ir in node.irs):
            return True
    return False


_RECOVER = re.compile(r"^(ecrecover|recover|tryRecover|isValidSignatureNow|isValidSignature|_verify\w*Signature\w*)$")
_FEEDS = re.compile(r"^(latestRoundData|latestAnswer|getRoundData|getPrice\w*|consult|observe|getReserves|peek|read)$")


def _verifies_signature(summary) -> bool:
    return any(e.kind == "ecrecover" or (e.kind in ("call", "external") and _RECOVER.match(e.target))
               for e in summary.effects)


def _feeds(function: Function) -> tuple[str, ...]:
    """External reads of price or data feeds, view calls included (the summary keeps
    effects; these are reads)."""
    names = set()
    for callee in [function, *function.all_internal_calls()]:
        callee = getattr(callee, "function", callee)
        for node in getattr(callee, "nodes", []):
            for ir in node.irs:
                name = str(getattr(ir, "function_name", ""))
                if isinstance(ir, HighLevelCall) and not isinstance(ir, LibraryCall) and _FEEDS.match(name):
                    names.add(name)
    return tuple(sorted(names))


def _oracle_variables(contract: Contract) -> frozenset[str]:
    """State variables whose address the contract asks for prices or data (`feed.latestAnswer()`,
    `assetsSources[asset].latestRoundData()`, through a local copy or a cast): setting one
    chooses an oracle, whatever the variable is called."""
    found: set[str] = set()
    for function in [*contract.functions, *contract.modifiers]:
        origins: dict[int, str] = {}

        def origin(value) -> str:
            if id(value) in origins:
                return origins[id(value)]
            value = getattr(value, "points_to_origin", None) or value
            if isinstance(value, StateVariable):
                return value.name
            return origins.get(id(value), "")

        for node in function.nodes:
            for ir in node.irs:
                if isinstance(ir, Member) and ir.lvalue is not None and origin(ir.variable_left):
                    # a field of a record (`_configs[token].priceFeed`): that field is the oracle
                    origins[id(ir.lvalue)] = f"{origin(ir.variable_left)}.{ir.variable_right}"
                elif isinstance(ir, (Assignment, TypeConversion)) and ir.lvalue is not None:
                    source = origin(ir.rvalue if isinstance(ir, Assignment) else ir.variable)
                    if source:
                        origins[id(ir.lvalue)] = source
                elif isinstance(ir, HighLevelCall) and not isinstance(ir, LibraryCall) and _FEEDS.match(str(ir.function_name)):
                    name = origin(ir.destination)
                    if name:
                        found.add(name)
    return frozenset(found)


# Callbacks by interface: token hooks (ERC-223/677/721/777/1155/1363, approveAndCall),
# ERC-3156 and Aave flash loans, swap callbacks, ERC-4337's EntryPoint calling an account or
# a paymaster. Only read when the code alone does not show the caller is a contract.
_CALLBACK = re.compile(
    r"^(tokenFallback|onTokenTransfer|tokensReceived|tokensToSend|receiveApproval|onTransferReceived|onApprovalReceived"
    r"|on\w*Received|onERC\d+\w*|onFlashLoan|executeOperation|\w+(Swap|Mint|Flash)Callback|uniswapV2Call|pancakeCall"
    r"|validateUserOp|validatePaymasterUserOp|postOp|executeUserOp)$")
# Who the code lets in besides a key: the contract's own flow, a callback, the user concerned
_NOT_KEYS = (GuardKind.ANYONE, GuardKind.USER, GuardKind.CALLBACK)


def _fixed_variables(contract: Contract) -> set[str]:
    """State variables nothing can change after deployment: constants, immutables, and (the
    way code before 0.6 wrote an immutable) variables only constructors or an initializer
    that runs once write."""
    fixed = {v.name for v in all_state_variables(contract) if v.is_constant or v.is_immutable}
    written: set[str] = set()
    for function in contract.functions_entry_points:
        if function.is_constructor or function.is_constructor_variables or _initializer(function) == "guarded":
            continue
        written.update(v.name for v in function.all_state_variables_written())
    return fixed | {v.name for v in all_state_variables(contract) if v.name not in written}


def _called_variables(contract: Contract) -> set[str]:
    """State variables whose address the contract calls as a contract: `token.transferFrom(...)`,
    `IERC20(token).safeTransfer(...)`, `entryPoint.getNonce(...)`."""
    called: set[str] = set()
    for function in [*contract.functions, *contract.modifiers]:
        aliases: dict[int, str] = {}

        def name_of(value) -> str:
            if isinstance(value, StateVariable):
                return value.name
            return aliases.get(id(value), "")

        for node in function.nodes:
            for ir in node.irs:
                if isinstance(ir, (TypeConversion, Assignment)):
                    source = name_of(ir.variable if isinstance(ir, TypeConversion) else ir.rvalue)
                    if source:
                        aliases[id(ir.lvalue)] = source
                elif isinstance(ir, LibraryCall):
                    if ir.arguments and name_of(ir.arguments[0]):
                        called.add(name_of(ir.arguments[0]))  # `using SafeERC20 for IERC20`
                elif isinstance(ir, HighLevelCall) and name_of(ir.destination):
                    called.add(name_of(ir.destination))
    return called


def _calling_contracts(functions: list[Function], entry_guards: dict[int, tuple[Guard, ...]], contract: Contract) -> set[str]:
    """Fixed callers that are contracts, not keys: a token calling its receiver's hook, the
    ERC-4337 EntryPoint calling an account. Whoever uses that contract drives what it calls,
    so those are callbacks, not admin powers. Fixed: the code cannot point the variable
    elsewhere (a settable one is held by whoever sets it, and stays an owner). A contract:
    this code calls it as one, or, failing that, it guards a known callback interface."""
    fixed, called = _fixed_variables(contract), _called_variables(contract)
    hooks = {g.detail for f in functions if _CALLBACK.match(f.name) for g in entry_guards[id(f)]}
    return {g.detail for gs in entry_guards.values() for g in gs
            if g.kind in (GuardKind.OWNER, GuardKind.ADDRESS) and g.detail in fixed and not is_governance_contract(g)
            and (g.detail in called or g.detail in hooks)}


def _callbacks(found: tuple[Guard, ...], callers: set[str]) -> tuple[Guard, ...]:
    return tuple(Guard(GuardKind.CALLBACK, g.detail, contract=g.contract) if g.kind in (GuardKind.OWNER, GuardKind.ADDRESS) and g.detail in callers
                 else g for g in found)


_ELEMENTARY = re.compile(r"^(u?int\d*|bool|address( payable)?|bytes\d+)\)*$")


def _self_served(functions: list[Function], entry_guards: dict[int, tuple[Guard, ...]], summaries: dict) -> set[str]:
    """Checks of the caller's own entry (`unlockBlock[msg.sender] != 0`, `balances[msg.sender]`)
    in mappings that anyone fills for themselves: some open entry point writes a non-zero
    value at `[msg.sender]` (`unlockBlock[msg.sender] = block.number`). Those entries are each
    user's own state, not an allow-list an admin keeps: no guard. Writing one's own entry
    to zero (renouncing a role) grants nothing and does not count."""
    def enrols(function, whole: bool = False) -> set[str]:
        """`whole`: only writes of the caller's entire entry (`joined[msg.sender] = now`), not of
        one field of a record whose other field the check reads (`requesters[msg.sender].
        lastStartedRound` beside `require(requesters[msg.sender].authorized)`)."""
        found = set()
        for effect in summaries[id(function)].effects:
            key, value = (effect.args + (None, None))[:2] if effect.kind == "write" else (None, None)
            if whole and "=> " in effect.var_type and not _ELEMENTARY.match(effect.var_type.rsplit("=> ", 1)[1]):
                continue
            if key is not None and key.kind == "sender" and not (value is not None and value.kind == "constant" and value.value in FALSY):
                found.add(f"{effect.target}[msg.sender]")
        return found

    own: set[str] = set()
    changed = True
    while changed:
        changed = False
        for function in functions:
            guards = entry_guards[id(function)]
            entries = enrols(function, whole=guards != (ANYONE,))
            # open, or checked only on entries the caller fills for itself (a deposit that
            # first pays out the caller's earlier return, checked by a helper it calls)
            if guards == (ANYONE,) or all(g.kind == GuardKind.CUSTOM and g.detail in own | entries for g in guards):
                if not entries <= own:
                    own |= entries
                    changed = True
    return own



def _acting_for_users(entry_line: tuple[str, int], found: tuple[Guard, ...]) -> tuple[Capability, ...]:
    """`require(msg.sender == ownerOf[id] || isCOO(msg.sender))`: a user's own function that a
    privileged account may also use, for every user. The user side is no power; the
    privileged side is one of its own: it acts for any user."""
    users = [g for g in found if g.kind == GuardKind.USER]
    keys = tuple(g for g in found if g.kind not in _NOT_KEYS)
    if not users or not keys:
        return ()
    file, line = entry_line
    return (Capability(CapabilityName.ACT_FOR_USERS, ", ".join(u.detail for u in users), file, line, guards=keys),)


def _constructor_grants(contract: Contract, flow: Dataflow) -> tuple[tuple[str, str], ...]:
    constructor = contract.constructor
    if constructor is None:
        return ()
    grants = []
    for effect in flow.entry(constructor).effects:
        if effect.kind == "call" and effect.target in ("_grantRole", "_setupRole", "grantRole") and len(effect.args) >= 2:
            role, account = effect.args[0], effect.args[1]
            if role is None or account is None:
                continue
            grantee = {"sender": Principal.DEPLOYER, "self": Principal.SELF}.get(account.kind, f"<{account.name}>" if account.kind == "param" else account.name)
            if (role.name, grantee) not in grants:
                grants.append((role.name, grantee))
    return tuple(grants)


_ZERO = ("0", "0x0", "0x0000000000000000000000000000000000000000")
_TEXT_TYPES = ("string", "bytes")


def _unread_texts(contract: Contract) -> frozenset[str]:
    """String and bytes state variables no code of the contract reads, not even a view: only
    their public getter shows them (Zeppelin's `Contactable.contactInformation`). Writing one
    governs nothing. One a function reads (a base URI `tokenURI` builds the metadata of every
    token from, an access code the transfer checks), or a token's standard metadata, is what
    the contract says or does."""
    texts = {v.name for v in all_state_variables(contract) if str(v.type) in _TEXT_TYPES and v.name not in METADATA}
    for function in [*contract.functions, *contract.modifiers]:
        texts -= {v.name for v in function.state_variables_read}
    return frozenset(texts)


def _governing(caps: tuple[Capability, ...], texts: frozenset[str]) -> tuple[Capability, ...]:
    """The capabilities left once writes of text nothing reads are dropped: no power."""
    return tuple(c for c in caps if not (c.name == CapabilityName.SET_PARAMETER and c.detail in texts))


def _acted_on(caps: tuple[Capability, ...], function: Function, inert: Inert) -> tuple[tuple[Capability, ...], tuple[str, ...]]:
    """The capabilities whose writes something acts on, and the variables of those dropped."""
    if not inert.unread:
        return caps, ()
    written = [w for f in closure_of(function) for w in writes(f)]
    kept, dropped = [], []
    for c in caps:
        variable = c.detail.split(".")[0]
        if c.name in SETTINGS and inert.covers([w for w in written if w[0] == variable]):
            dropped.append(variable)
        else:
            kept.append(c)
    return tuple(kept), tuple(dict.fromkeys(dropped))


@dataclass
class _Entry:
    """An entry point to report: a function, or a function a fallback dispatches by selector."""

    function: Function  # the Slither function whose code runs (the fallback, for a dispatched one)
    signature: str
    declared_in: str
    file: str
    line: int
    summary: Summary
    guards: tuple[Guard, ...]

    @classmethod
    def of(cls, function: Function, summary: Summary, guards: tuple[Guard, ...]) -> _Entry:
        mapping = function.source_mapping
        return cls(function, function.full_name, function.contract_declarer.name, source_file(mapping),
                   source_line(mapping), summary, guards)


# what a proxy's fallback dispatches, when the compilation unit does not declare it
_PROXY_SIGNATURES = ("upgradeTo(address)", "upgradeToAndCall(address,bytes)", "changeAdmin(address)", "admin()",
                     "implementation()", "upgradeBeaconToAndCall(address,bytes)")
_STATE_CHANGING = ("write", "sstore", "lowlevel", "transfer", "selfdestruct", "external")


def _signature_of(function: Function, selector: int, known: dict[int, dict[int, str]]) -> str:
    """The signature a selector stands for: among the functions the compilation unit
    declares (`ITransparentUpgradeableProxy.upgradeToAndCall`), or a proxy's well-known ones.
    `known` keeps each unit's table for one extraction."""
    unit = function.compilation_unit
    if id(unit) not in known:
        table = {get_function_id(s): s for s in _PROXY_SIGNATURES}
        for contract in unit.contracts:
            for candidate in contract.functions_declared:
                if candidate.visibility in ("public", "external") and not (candidate.is_fallback or candidate.is_receive
                                                                           or candidate.is_constructor):
                    table.setdefault(get_function_id(candidate.solidity_signature), candidate.solidity_signature)
        known[id(unit)] = table
    return known[id(unit)].get(selector, f"0x{selector:08x}")


def _dispatched(entry: _Entry, declared: set[str], known: dict[int, dict[int, str]]) -> list[_Entry]:
    """Split what a fallback does by the selector it matched (`msg.sig == upgradeToAndCall
    .selector` under `msg.sender == admin`, OpenZeppelin's transparent proxy): each selector
    that changes state becomes an entry point of its own, guarded by the branch check its
    effects share; the fallback keeps the rest (the delegation). A receive function never
    sees a selector (its calldata is empty): what it would dispatch cannot run."""
    groups: dict[int, list[Effect]] = {}
    for effect in entry.summary.effects:
        if effect.dispatch is not None:
            groups.setdefault(effect.dispatch.selector, []).append(effect)
    if not groups:
        return []
    entry.summary = replace(entry.summary, effects=[e for e in entry.summary.effects if e.dispatch is None])
    if entry.function.is_receive:
        return []
    found = []
    for selector, effects in sorted(groups.items()):
        dispatch = effects[0].dispatch
        signature = dispatch.signature or _signature_of(entry.function, selector, known)
        if signature in declared or not any(e.kind in _STATE_CHANGING for e in effects):
            continue  # a real function of that name wins; a getter (`admin()`) changes nothing
        shared = {e.guard for e in effects}
        guards = entry.guards
        if len(shared) == 1 and None not in shared:
            guards = (shared.pop(),)  # the admin check every effect of the branch is under
            effects = [replace(e, guard=None) for e in effects]
        mapping = dispatch.node.source_mapping
        found.append(_Entry(entry.function, signature, dispatch.node.function.contract_declarer.name, source_file(mapping),
                            source_line(mapping), Summary(effects=effects, bounds=entry.summary.bounds), guards))
    return found


def _clears(effect) -> bool:
    """A write that empties the variable: `pendingOwner = address(0)`, `delete _pendingOwner`."""
    value = (effect.args + (None, None))[1]
    if value is not None and value.kind == "constant" and value.value in _ZERO:
        return True
    return any(isinstance(ir, Delete) and getattr(ir.lvalue, "name", None) == effect.target.split(".")[-1]
               for ir in effect.node.irs)


def _nominees(entries: list[_Entry]) -> dict[str, tuple[str, ...]]:
    """Pending owners of a two-step transfer: variables that an owner (or the contract's own
    governance flow) sets to an address its caller names, that are cleared once used (the
    offer is consumed), and that nothing else writes. Whoever such a variable holds can
    only accept what an owner offered. An offer never cleared is one too where it is the
    only way the seat moves and no owner that names it can give its seat up (`owner =
    newOwner` leaves newOwner equal to the owner). Beside a cleared offer, or where the
    owner can renounce, such a key is a standing one: a way back after a handover or a
    renounce."""
    named: dict[str, list[str]] = {}
    spoiled: set[str] = set()
    cleared: set[str] = set()
    for entry in entries:
        for effect in entry.summary.effects:
            if effect.kind == "write":
                target, (key, value) = effect.target, (effect.args + (None, None))[:2]
                address, clear = effect.var_type in ("address", "address payable"), _clears(effect)
            elif effect.kind == "sstore" and effect.args and effect.args[0] is not None and effect.args[0].kind == "constant":
                # a slot written in assembly (`sstore(PENDING_ADMIN_SLOT, newAdmin)`): no type to check
                target, key, value, address = f"slot {effect.args[0].name}", None, (effect.args + (None,))[1], True
                clear = value is not None and value.kind == "constant" and value.value in _ZERO
            else:
                continue
            if clear:
                cleared.add(target)
                continue
            guards = (effect.guard,) if effect.guard is not None else entry.guards
            nominators = [g.detail for g in guards if g.kind == GuardKind.OWNER and g.detail != target]
            nominators += [Principal.SELF for g in guards if g.kind == GuardKind.SELF]
            if address and key is None and value is not None and value.kind == "param" and nominators:
                named.setdefault(target, []).extend(nominators)
            else:
                spoiled.add(target)
    offers = {nominator for name, by in named.items() if name in cleared and name not in spoiled for nominator in by}

    def consumed(name: str, by: list[str]) -> bool:
        # an offer never cleared is one only where it is how the seat moves: no seat of its
        # nominators is ever emptied, and they offer their seat through no cleared variable
        return name in cleared or not any(nominator in cleared or nominator in offers for nominator in by)

    return {name: tuple(dict.fromkeys(by)) for name, by in sorted(named.items())
            if name not in spoiled and consumed(name, by)}


def _storage(contract: Contract) -> dict[str, tuple[int, int]]:
    """Where address-typed state lives, so that chain reads can find a private owner."""
    found = {}
    for variable in all_state_variables(contract):
        if variable.is_constant or variable.is_immutable or str(variable.type) not in ("address", "address payable"):
            continue
        try:
            found[variable.name] = tuple(contract.compilation_unit.storage_layout_of(contract, variable))
        except (KeyError, AttributeError):
            continue
    return found


def _values(contract: Contract) -> dict[str, str]:
    """Constants and literal initial values (`uint256 public constant MINIMUM_DELAY = 2 days`),
    and slots written as bytes32 literals."""
    values = {}
    for variable in all_state_variables(contract):
        expression = variable.expression
        if expression is not None and str(variable.type).startswith(("uint", "int", "address", "bool")):
            values[variable.name] = str(expression)
        elif variable.is_constant and str(variable.type) == "bytes32" and str(expression).startswith("0x"):
            values[variable.name] = str(expression)  # a storage slot (a proxy's admin slot)
    return values


def extract_facts(slither: Slither, targets: set[str], only: set[str] | None = None) -> Facts:
    flow = Dataflow()
    selectors: dict[int, dict[int, str]] = {}
    contracts = []
    in_targets = [c for c in slither.contracts if c.source_mapping.filename.used in targets
                  and not (c.is_interface or c.is_library)]
    made = creations(in_targets)
    called_elsewhere = {str(ir.function_name) for c in in_targets for f in c.functions for ir in f.slithir_operations
                        if isinstance(ir, HighLevelCall) and not isinstance(ir, LibraryCall)}
    for contract in _scanned_contracts(slither, targets, only):
        functions = sorted(_entry_points(contract), key=lambda f: f.full_name)
        admins = role_admins(contract)
        summaries = {id(f): flow.entry(f) for f in functions}
        entry_guards = {id(f): guards(summaries[id(f)], admins) for f in functions}
        fallback = next((summaries[id(f)] for f in functions if f.is_fallback), None)
        standards = classify(contract, fallback)
        if ContractKind.MULTISIG not in standards and any(MULTISIG_SIGNERS in entry_guards[id(f)] for f in functions):
            # what runs needs enough owners' confirmations, counted in code (Parity's multiowned)
            standards[ContractKind.MULTISIG] = "custom M-of-N"
        if any(f.name == "execTransaction" for f in functions) or ContractKind.MULTISIG in standards:
            for f in functions:
                if entry_guards[id(f)] == (ANYONE,) and _multisig_authorized(summaries[id(f)]):
                    entry_guards[id(f)] = (MULTISIG_SIGNERS,)
                elif MULTISIG_SIGNERS in entry_guards[id(f)]:
                    # an owner calls, but nothing happens without enough confirmations: the quorum decides
                    entry_guards[id(f)] = (MULTISIG_SIGNERS,)
        callers = _calling_contracts(functions, entry_guards, contract)
        own = _self_served(functions, entry_guards, summaries)

        def users_own(guard: Guard | None) -> bool:
            return guard is not None and guard.kind == GuardKind.CUSTOM and guard.detail in own

        for f in functions:
            # a branch only callers with their own entry take (`if (invested[msg.sender] > 0)`) is theirs too
            effects = summaries[id(f)].effects
            if any(users_own(e.guard) for e in effects):
                summaries[id(f)] = replace(summaries[id(f)], effects=[replace(e, guard=None) if users_own(e.guard) else e
                                                                      for e in effects])
            entry_guards[id(f)] = _callbacks(entry_guards[id(f)], callers)
            kept = tuple(g for g in entry_guards[id(f)] if not users_own(g))
            entry_guards[id(f)] = kept or (ANYONE,)
        reported = [_Entry.of(f, summaries[id(f)], entry_guards[id(f)]) for f in functions]
        declared = {e.signature for e in reported}
        for entry in list(reported):
            if entry.function.is_fallback or entry.function.is_receive:
                reported += _dispatched(entry, declared, selectors)
        reported.sort(key=lambda e: e.signature)
        nominees = _nominees(reported)
        held = held_by_creator(contract, reported, nominees, made.get(contract.name), in_targets, flow)
        for entry in reported:
            entry.guards = as_creator(entry.guards, held)
        principals = {g.detail for e in reported for g in e.guards if g.kind in (GuardKind.OWNER, GuardKind.CREATOR)}
        members = frozenset(filter(None, (_member_set(g) for e in reported for g in e.guards)))
        oracles = _oracle_variables(contract)
        accounts = ledger(contract)
        texts = _unread_texts(contract)
        keyed = {id(e.function) for e in reported if _privileged(e.guards)}
        inert = find_inert(contract, lambda f: id(f) in keyed, lambda f: _initializer(f) == "guarded", called_elsewhere)
        pots = find_pots([(e.summary, tuple(g.detail for g in e.guards) if _privileged(e.guards) else None) for e in reported],
                         accounts)
        entries = []
        for entry in reported:
            function = entry.function
            # a user's own function (whoever else may use it) or a callback is not a
            # privileged one: its plain writes are use, not powers
            privileged = _privileged(entry.guards)
            dispatched = entry.signature != function.full_name
            caps = () if always_reverts(function) else capabilities(function, entry.summary, principals, privileged, accounts, members,
                                                                    oracles, _committed_by_others(entry, reported),
                                                                    bounding(pots, (g.detail for g in entry.guards)))
            caps, unread = _acted_on(_governing(caps, texts), function, inert)
            caps += _acting_for_users((entry.file, entry.line), entry.guards)
            entries.append(
                EntryPoint(
                    function=entry.signature,
                    declared_in=entry.declared_in,
                    file=entry.file,
                    line=entry.line,
                    guards=entry.guards,
                    capabilities=caps,
                    initializer="" if dispatched else _initializer(function, entry.summary),
                    verifies_signature=_verifies_signature(entry.summary),
                    feeds=() if dispatched else _feeds(function),
                    inert=unread,
                )
            )
        entries = apply_requests(_minter_grants(entries), find_requests(reported))
        entries = _thresholds(entries, standards, {v.name: str(v.type) for v in all_state_variables(contract)})
        entries = _reopened(entries, accounts)
        entries = _delegate_setters(entries, fallback)
        mapping = contract.source_mapping
        contracts.append(
            ContractFacts(
                name=contract.name,
                file=source_file(mapping),
                line=source_line(mapping),
                kinds=tuple(standards),
                entry_points=tuple(entries),
                standards=standards,
                abstract=contract.is_abstract or _internal_constructor(contract),
                disables_initializers=_disables_initializers(contract),
                values=_values(contract),
                state_variables={v.name: str(v.type) for v in all_state_variables(contract)},
                constructor_grants=_constructor_grants(contract, flow),
                nominees=nominees,
                storage=_storage(contract),
                variable_lines={v.name: (source_file(v.source_mapping), source_line(v.source_mapping)) for v in all_state_variables(contract)},
            )
        )
    return Facts(contracts=tuple(contracts))
