"""What an entry point can do, read from the effects the dataflow walk recorded: state
it writes, functions it calls, value it moves, code it runs. Each capability keeps the
line that does it.

Names decide many of these: Solidity has no type for "the fee" or "the oracle", and
real code names them plainly (OpenZeppelin's `_mint`, `_pause`, `_grantRole`,
`upgradeToAndCall` are the de facto vocabulary). Where a name cannot be trusted the
effect decides instead: a low-level call whose target and data the caller chose is an
arbitrary call whatever it is called.
"""
from __future__ import annotations

import re

from slither.core.declarations import Function
from slither.slithir.operations import InternalCall, LibraryCall, Member
from slither.visitors.expression.constants_folding import ConstantFolding, NotConstant

from inspector.facts.bounds import returns_type_width, type_width
from inspector.facts.dataflow import Effect, Summary, Tag, replayed
from inspector.facts.ledger import EMPTY, TRANSFERS, Ledger, change, lowers, unconditional
from inspector.facts.locations import source_file, source_line
from inspector.facts.model import Capability, Guard
from inspector.facts.pots import credited_from, draws, paid_from
from inspector.standards import UPGRADE_SLOTS
from inspector.vocabulary import PER_VARIABLE, CapabilityName

_MINT = re.compile(r"^_?(safe)?mint(batch|to)?$", re.I)
_BURN = re.compile(r"^_?burn(from|batch)?$", re.I)
_SPEND_ALLOWANCE = re.compile(r"^_?(spendallowance|approve|decreaseallowance)$", re.I)
_PAUSE_CALL = re.compile(r"^_?(un)?pause$", re.I)
_FREEZE_CALL = re.compile(r"^_?(un)?(freeze|blacklist|blocklist|denylist|ban|block)(account|address|user|wallet)?$", re.I)
_UPGRADE_CALL = re.compile(r"upgradeto|upgradebeacon|_upgrade|setimplementation|setbeacon|diamondcut|changeimplementation", re.I)
_OWNER_CALL = re.compile(r"^_?(transferownership|setowner|changeowner|changeadmin|setadmin|setpendingadmin|acceptadmin|acceptownership|transferadmin|setgovernance|setgovernor|setauthority|updateauthority)$", re.I)
_ROLE_CALL = re.compile(r"^_?(grantrole|revokerole|setuprole|setroleadmin)$", re.I)
_RENOUNCE_CALL = re.compile(r"^_?renounce", re.I)
_DELAY_CALL = re.compile(r"^_?(update|set|change)(min)?delay$", re.I)
_THRESHOLD_CALL = re.compile(r"^_?(changethreshold|setthreshold|addowner|addownerwiththreshold|removeowner|swapowner|changerequirement|addsigner|removesigner)$", re.I)
_TRANSFER_CALL = re.compile(r"^(safetransfer|transfer|safetransfereth|safetransferall|sendvalue)$", re.I)

_OWNER_VAR = re.compile(r"^_?(pending_?)?(owner|admin|governance|governor|gov)$", re.I)
_ROLE_VAR = re.compile(r"role", re.I)
_MINTER_VAR = re.compile(r"minter|bridge|gateway", re.I)
_FORWARDER_VAR = re.compile(r"forwarder", re.I)
_SIGNER_VAR = re.compile(r"signer|validator|verifier|attest", re.I)
_ORACLE_VAR = re.compile(r"oracle|feed|aggregator|pricesource", re.I)
_OPERATOR_VAR = re.compile(r"operator|keeper|relayer|executor|bot\b|guardian|manager|controller|authority", re.I)
_UPGRADE_VAR = re.compile(r"implementation|beacon|facet", re.I)
_DELAY_VAR = re.compile(r"delay|timelock", re.I)
_THRESHOLD_VAR = re.compile(r"threshold|quorum|required", re.I)
_OWNER_SET_VAR = re.compile(r"^_?(owners|isowner|signers|issigner)$", re.I)
# a multisig's owner set: a list of addresses or a mapping from an address (ERC-721's
# `_owners` maps token ids to holders and is not one)
_OWNER_SET_TYPES = re.compile(r"^address\[\]$|^mapping\(address => (bool|address|uint256)\)$")
_PAY_IN_CALL = re.compile(r"^_?(safe)?transferfrom$", re.I)
_PAUSE_VAR = re.compile(r"paused?$", re.I)
_FREEZE_VAR = re.compile(r"blacklist|blocklist|blocked|deny|frozen|freez|banned|sanction", re.I)
_FEE_VAR = re.compile(r"fee|tax|commission|royalt|premium", re.I)
_LIMIT_VAR = re.compile(r"^_?max|limit|^_?cap$|cooldown|^_?min", re.I)
_BALANCE_VAR = re.compile(r"^_?balances?(of)?$", re.I)
_SUPPLY_VAR = re.compile(r"^_?total_?supply_?$", re.I)


def _numeric(var_type: str) -> bool:
    """A fee or limit is a number (or a mapping to one); `feeRecipient` is not a fee."""
    value = var_type.rsplit("=>", 1)[-1].strip(" )")
    return value.startswith(("uint", "int"))


def _is_zero(tag: Tag | None) -> bool:
    return tag is not None and tag.kind == "constant" and tag.value in ("0", "0x0", "address(0)")


def _chosen_by_caller(tag: Tag | None) -> bool:
    return tag is not None and tag.kind == "param"


class _Collector:
    def __init__(self, paid: bool) -> None:
        self.found: dict[tuple[str, str], Capability] = {}
        self.paid = paid
        self.guard: Guard | None = None  # the branch check of the effect being classified

    def add(self, name: str, detail: str, node, bound: str = "") -> None:
        """One capability of a kind, first evidence wins; the parameter-like kinds keep
        one per variable, since each variable is a separate lever."""
        mapping = node.source_mapping
        key = (name, detail if name in PER_VARIABLE else "")
        if key not in self.found:
            self.found[key] = Capability(
                name, detail, source_file(mapping), source_line(mapping), bound,
                guards=(self.guard,) if self.guard else (), paid=self.paid and name == CapabilityName.MINT)


_WORD_START = re.compile(r"(?:^|(?<=_)|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]))[A-Za-z]")
# elementary types that hold no account: a principal (a minter, an oracle, an implementation)
# is an address or a contract, or a set of them
_NO_ACCOUNT = re.compile(r"^(u?int\d*|bool|string|bytes\d*)(\[\d*\])*$")


_UPGRADE_TAIL = re.compile(r"^($|_|To|And|With|UUPS|Unsafe|Internal|Call|Implementation|Proxy|Beacon|[a-z0-9])")


def _upgrade_call(name: str) -> bool:
    """A call that upgrades: `upgradeTo`, `_upgradeToAndCallUUPS`, `setBeacon`, but not a
    setter of something else that starts alike (`_setBeaconPeriodSeconds`)."""
    return any(_UPGRADE_TAIL.match(name[m.end():]) for m in _UPGRADE_CALL.finditer(name))


def _word_match(pattern: re.Pattern, name: str) -> bool:
    """The pattern matches from the start of a word of the name (`premiumInterval` holds no
    "minter") and ends where a word ends, inside the word it started in (`minters`), or well
    into the next one."""
    starts = {m.start() for m in _WORD_START.finditer(name)}

    def whole(m) -> bool:
        if not (m.start() in starts or name[:m.start()].strip("_") == ""):
            return False
        inner = [s for s in starts if m.start() < s < m.end()]
        # a match running into a later word takes enough of it (`secondsTimeLocked`), not a
        # letter (`feeDiscountRatio` is no "feed")
        return not inner or m.end() == len(name) or m.end() in starts or name[m.end()] == "_" or m.end() - max(inner) >= 3

    return any(whole(m) for m in pattern.finditer(name))


def value_type(var_type: str) -> str:
    """What a variable holds in the end: itself, or a mapping's innermost value
    (`mapping(address => mapping(address => uint256))` holds uint256)."""
    return var_type.rsplit("=>", 1)[-1].strip(" )")


def _holds_account(var_type: str) -> bool:
    """The value type can name an account: not a number, flag or text (`uint32 beaconPeriodSeconds`
    is no beacon)."""
    if var_type.startswith("mapping(address"):
        return True  # a set of accounts (`isMinter[a]`)
    return not _NO_ACCOUNT.match(value_type(var_type))


def _named(pattern: re.Pattern, numeric: bool = False, account: bool = False):
    """A write rule's test: a word of the variable's name matches; for amounts, its type is a
    number; for principals, its type can name an account."""
    return lambda base, var_type: _word_match(pattern, base) and (not numeric or _numeric(var_type)) \
        and (not account or not var_type or _holds_account(var_type))


# Privileged writes, by the variable written: (test, capability, whether a bound on the new
# value is kept). The first rule that matches names the capability.
_WRITES = (
    (_named(_MINTER_VAR, account=True), CapabilityName.SET_MINTER, False),
    (_named(_FORWARDER_VAR, account=True), CapabilityName.SET_FORWARDER, False),
    (_named(_SIGNER_VAR, account=True), CapabilityName.SET_SIGNER, False),
    (_named(_ORACLE_VAR, account=True), CapabilityName.SET_ORACLE, False),
    (_named(_UPGRADE_VAR, account=True), CapabilityName.UPGRADE, False),
    (_named(_DELAY_VAR), CapabilityName.CHANGE_DELAY, True),
    (_named(_THRESHOLD_VAR), CapabilityName.CHANGE_THRESHOLD, True),
    (lambda base, var_type: bool(_OWNER_SET_VAR.match(base) and _OWNER_SET_TYPES.match(var_type)), CapabilityName.CHANGE_THRESHOLD, False),
    (_named(_OPERATOR_VAR), CapabilityName.SET_OPERATOR, False),
    (_named(_PAUSE_VAR), CapabilityName.PAUSE, False),
    (_named(_FREEZE_VAR), CapabilityName.FREEZE, False),
    (_named(_FEE_VAR, numeric=True), CapabilityName.SET_FEE, True),
    (_named(_LIMIT_VAR, numeric=True), CapabilityName.SET_LIMITS, True),
)


def _own(tag: Tag | None, principals: set[str]) -> bool:
    """The caller's own account: msg.sender, or the stored owner the guards compare it with."""
    return tag is not None and (tag.kind == "sender" or (tag.kind == "stored" and tag.name in principals))


def _freezes(effect: Effect, ledger: Ledger, privileged: bool, on_path: bool, credits: set) -> bool:
    """A write that can stop someone else's transfers, found from what the transfer path
    checks rather than from names: setting an entry of a deny-list (`frozen[a]`,
    `lockedUntil[a]`, `lockedAmount[a]`) or clearing one of an allow-list, for another
    account than the caller's. Lowering or clearing a deny-list entry releases; tokens handed
    over locked (`locked[to] += v` beside `balances[to] += v`) are a vesting transfer. Anyone
    may do it when the account is theirs to choose; a list the transfer path keeps itself (a
    cooldown) is a power only of a privileged function other than the transfer."""
    base = effect.target.split(".")[-1]
    key, value = (effect.args + (None, None))[:2]
    if key is None or key.kind == "sender":
        return False
    if base in ledger.stops:
        if _is_zero(value) or _is_false(value) or change(effect.node, effect.target) == "sub" or (key, value) in credits:
            return False
    elif base in ledger.passes:
        if value is not None and value.kind == "constant" and not (_is_zero(value) or _is_false(value)):
            return False  # admitting an account stops no one
    else:
        return False
    if base in ledger.kept:
        return privileged and not on_path
    return privileged or key.kind == "param"


def _admits(effect: Effect, members: frozenset[str], privileged: bool) -> bool:
    """A write of an account set some guard of the contract lets in (`isAdmin[a] = true`,
    `_minters.bearer[a]`): a grant, when a privileged function makes it or anyone may name
    the account; someone leaving (`isKeeper[msg.sender] = false`) grants nothing."""
    if effect.target.split(".")[0] not in members or _OWNER_SET_VAR.match(effect.target.split(".")[-1]):
        return False
    key, value = (effect.args + (None, None))[:2]
    return privileged or (_chosen_by_caller(key) and not (_is_zero(value) or _is_false(value)))


# words a permission's name carries besides what it permits (`BLACKLISTED_SIG`, `FROZEN_ROLE`)
_PERMISSION_NOISE = frozenset({"sig", "role", "permission", "perm", "id", "flag", "status", "selector", "hash", "key"})


def _words(name: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Z]+(?=[A-Z][a-z]|\b|_|\d)|[A-Z]?[a-z]+|\d+", name)]


def _permission_capability(permission: str) -> str:
    """What granting or revoking an account's permission is: a permission that is a status
    stopping the account (`BLACKLISTED_SIG`: the account is blacklisted) freezes it; one to
    mint names a minter; any other (`APPROVE_BLACKLISTED_ADDRESS_SPENDER_SIG`, a power over
    blacklisted accounts) is a role granted to the account."""
    words = [w for w in _words(permission) if w not in _PERMISSION_NOISE]
    if words and all(_FREEZE_VAR.search(w) for w in words):
        return CapabilityName.FREEZE
    if any(w in ("mint", "minter", "minting") for w in words):
        return CapabilityName.SET_MINTER
    return CapabilityName.GRANT_ROLE


def _classify_permission(effect: Effect, privileged: bool, out: _Collector) -> None:
    """A write of one account's permission (`userPermissions[who][SIG] = true`): by a
    privileged function, or by anyone for an account of their choosing, a grant (or the
    blacklisting) of that account; clearing one's own grants nothing."""
    key, value = (effect.args + (None, None))[:2]
    if privileged or (_chosen_by_caller(key) and not (_is_zero(value) or _is_false(value))):
        out.add(_permission_capability(effect.permission), f"{effect.target}[{effect.permission}]", effect.node)


def _settings(effect: Effect) -> set[str]:
    """The contract's state variables that can change (not constants or immutables): a
    bound held by one of them moves with it, so it is no hard bound."""
    contract = getattr(getattr(effect.node, "function", None), "contract", None)
    return {v.name for v in getattr(contract, "state_variables", ()) if not v.is_constant and not v.is_immutable}


def _classify_write(effect: Effect, principals: set[str], privileged: bool, bounds: dict[str, str], out: _Collector,
                    ledger: Ledger, freezes: bool, members: frozenset[str] = frozenset(),
                    oracles: frozenset[str] = frozenset()) -> None:
    if effect.permission:
        _classify_permission(effect, privileged, out)
        return
    name = effect.target
    value = (effect.args + (None, None))[1]
    base = name.split(".")[-1]
    key = effect.args[0] if effect.args else None
    if key is not None and key.kind == "constant" and key.name and not key.value.isdigit() and not key.name.isdigit():
        # a registry entry named by a constant (`_addresses[PRICE_ORACLE] = oracle`): the
        # constant says what is set
        base = key.name
    bound = bounds.get(value.name, "") if value is not None and value.kind == "param" else ""
    ratchet = bound == f"<= {name}"  # `if (fee > feeMake) revert();` before `feeMake = fee`: only lowered
    if bound and bound.split(" ", 1)[1] in _settings(effect):
        bound = ""  # held by another setting, or by the value itself: no constant bounds it
    if name in principals or _OWNER_VAR.match(base):
        out.add(CapabilityName.RENOUNCE if _is_zero(value) else CapabilityName.CHANGE_OWNER, name, effect.node)
    elif name.split(".")[0] in members and key is not None and key.kind == "sender" and (_is_zero(value) or _is_false(value)):
        out.add(CapabilityName.RENOUNCE, name, effect.node)  # leaving a role or allow-list oneself
    elif _ROLE_VAR.search(base) or _admits(effect, members, privileged):
        out.add(CapabilityName.GRANT_ROLE, name, effect.node)
    elif privileged and _sets_oracle(effect, oracles):
        out.add(CapabilityName.SET_ORACLE, name, effect.node)
    elif privileged and _halts(effect, ledger):
        out.add(CapabilityName.PAUSE, name, effect.node)
    elif privileged:
        for test, capability, keeps_bound in _WRITES:
            if test(base, effect.var_type):
                if capability == CapabilityName.SET_FEE and (lowers(effect) or ratchet):
                    capability = CapabilityName.SET_PARAMETER  # a fee removed or cut: it can never be raised through here
                out.add(capability, name, effect.node, bound if keeps_bound else "")
                return
        if freezes:
            out.add(CapabilityName.FREEZE, name, effect.node)
        elif not _is_supply(name, ledger):
            out.add(CapabilityName.SET_PARAMETER, name, effect.node, bound)
    elif freezes:
        out.add(CapabilityName.FREEZE, name, effect.node)


def _sets_oracle(effect: Effect, oracles: frozenset[str]) -> bool:
    """The write names an oracle: the variable asked for prices, the field of a record that
    is (`_configs[token].priceFeed`), or the whole record holding it (`_configs[token] =
    Config(...)`); another field of the record (`_configs[token].collateralRatio`) is not."""
    name = effect.target
    if name in oracles or name.split(".")[0] in oracles:
        return True
    fields = {str(ir.variable_right) for ir in getattr(effect.node, "irs", ()) if isinstance(ir, Member)}
    return any(o.startswith(name + ".") and (not fields or o[len(name) + 1:] in fields) for o in oracles)


def _halts(effect: Effect, ledger: Ledger) -> bool:
    """A write that can stop every transfer, found from what the transfer path checks rather
    than from names: setting a switch it halts on (`stopped = true`) or clearing one it needs
    (`transfersEnabled = false`), or writing either with a value the caller chooses. Only
    ever opening the switch (`tradingOpen = true`, once) stops no one."""
    base = effect.target.split(".")[0]
    if effect.args and effect.args[0] is not None and effect.var_type.startswith("mapping(address"):
        return False  # an account's entry, not a switch
    value = (effect.args + (None, None))[1]
    if base in ledger.halts:
        return not _is_false(value)
    if base in ledger.gates:
        return not (value is not None and value.kind == "constant" and value.value == "True")
    return False


def _named_as(tag: Tag) -> str:
    """How a fixed value reads in a bound: the variable or constant, or what the caller is."""
    return tag.name or {"sender": "msg.sender", "self": "address(this)", "origin": "tx.origin"}.get(tag.kind, tag.kind)


def _names_a_record(effect: Effect) -> bool:
    """`_setOwner(node, owner)`: the owner of the entry a caller's id picks (an ENS name, a
    token), not of the contract; the contract's `_transferOwnership(newOwner)` names no entry."""
    first = effect.args[0] if effect.args else None
    # an id the call computes (`keccak256(node, label)`) is as much the caller's choice
    return len(effect.args) > 1 and (first is None or first.kind in ("param", "record"))


def _is_supply(name: str, ledger: Ledger) -> bool:
    base = name.split(".")[-1]
    return base in ledger.supply or _SUPPLY_VAR.match(base) is not None


def _is_balance(effect: Effect, ledger: Ledger) -> bool:
    """A write of the token's balances: a mapping the transfer path debits and credits or
    balanceOf returns, or, where the code has neither, an account mapping named as balances
    (a crowdsale's `mapping(uint8 => uint256) balances` of buckets is no holder's)."""
    base = effect.target.split(".")[-1]
    return effect.kind == "write" and (base in ledger.balances or (
        _BALANCE_VAR.match(base) is not None and "address =>" in effect.var_type))


def _library_call(effect: Effect) -> bool:
    """A call into a library (SafeERC20's `safeTransfer`, Address's `sendValue`), not the
    contract's own `transfer`, whose writes are read as what they are."""
    return not any(isinstance(ir, InternalCall) and getattr(ir.function, "name", "") == effect.target
                   for ir in getattr(effect.node, "irs", ()))


def _spends(effect: Effect) -> bool:
    """`allowed[from][msg.sender] -= v`: the caller's allowance from a holder, spent (an
    amount per holder and spender; a multisig's `confirmations[id][msg.sender]` is not one)."""
    return effect.kind == "write" and effect.var_type.startswith("mapping(address => mapping(address => uint") \
        and bool(effect.args) and effect.args[0] is not None and effect.args[0].kind == "sender"


def _payment(effect: Effect) -> tuple:
    """(whom, how much) a payment effect pays, tags or None: `to.transfer(v)`,
    `token.transfer(to, v)`, `token.transferFrom(from, to, v)`, a library's
    `safeTransfer(token, to, v)` or `sendValue(to, v)` (the account is any argument but the last)."""
    args = effect.args
    if effect.kind == "transfer" and args:
        return ((args[0],), args[1] if len(args) > 1 else None)
    if effect.kind == "external" and _TRANSFER_CALL.match(effect.target) and len(args) > 2:
        return ((args[1],), args[2])
    if effect.kind == "external" and _PAY_IN_CALL.match(effect.target) and len(args) > 3:
        return ((args[2],), args[3])
    if effect.kind == "call" and _TRANSFER_CALL.match(effect.target) and len(args) > 1:
        return (args[:-1], args[-1])
    return ((), None)


def _pays_owed(effect: Effect, owed: set) -> bool:
    """Pays an account what the call just cleared or lowered for it (`payment = deposits[p];
    deposits[p] = 0; p.transfer(payment)`): delivering what it is owed. An amount the caller
    chooses (`refund(p, amount)`) is whatever the caller wants, whomever it goes to."""
    whom, amount = _payment(effect)
    return bool(owed & set(whom)) and not _chosen_by_caller(amount)


def _payees(summary: Summary, owed: set) -> set:
    """Accounts the call pays what they are owed."""
    return {who for e in summary.effects if _pays_owed(e, owed) for who in _payment(e)[0]}


def _names_an_account(effect: Effect) -> bool:
    """Whether a call's first argument is an account: `_burn(from, v)` burns `from`'s
    tokens, `burn(v)` (ERC20Burnable's, through `super.burn`) the caller's own."""
    for ir in getattr(effect.node, "irs", ()):
        callee = getattr(ir, "function", None)
        if isinstance(ir, (InternalCall, LibraryCall)) and getattr(callee, "name", "") == effect.target:
            parameters = callee.parameters
            return bool(parameters) and str(parameters[0].type) in ("address", "address payable")
    return True  # not found in the node: keep the name's reading


def _data_chosen_by_caller(data: tuple) -> bool:
    """The caller chooses what a low-level call does: its calldata (`target.call(data)`); in
    the pre-0.5 form `call(bytes4 selector, args...)` the selector says what, and a fixed one
    (ERC-20's approveAndCall calling `receiveApproval`) is no arbitrary call."""
    if len(data) > 1:
        return _chosen_by_caller(data[0])
    return any(_chosen_by_caller(a) for a in data)


def _stops_someone(summary: Summary, ledger: Ledger) -> bool:
    """Whether an open function's `freeze(...)` helper writes what the transfer path checks.
    A token whose transfer path was read and checks nothing it writes (MyWish's `freezeTo`,
    which sends the caller's own tokens locked in a separate ledger) freezes no one's
    tokens; without a transfer path to read, the name is all there is."""
    lists = ledger.stops | ledger.passes
    if not (ledger.balances or lists):
        return True
    return any(e.kind == "write" and e.target.split(".")[-1] in lists for e in summary.effects)


def _is_false(tag: Tag | None) -> bool:
    return tag is not None and tag.kind == "constant" and tag.value in ("False", "false")


_CAP = re.compile(r"^_?(cap|max_?supply|supply_?cap|max_?total_?supply|hard_?cap)$", re.I)


def _reached(function) -> list:
    """The function and every function it calls, through internal calls (InternalCall IRs,
    whose callee may be a Solidity builtin)."""
    callees = (getattr(call, "function", call) for call in function.all_internal_calls())
    return [function, *(f for f in callees if isinstance(f, Function))]


def _mint_path(entry) -> list:
    """The functions a mint reaches, with every override of them along the contract's
    inheritance: Slither binds `super._update(...)` to the declaring contract's own base,
    so ERC20Votes' `super` never reaches ERC20Capped's `_update` in a token inheriting both."""
    path = _reached(entry)
    names = {f.full_name for f in path}
    for base in [entry.contract, *entry.contract.inheritance]:
        for function in base.functions_declared:
            if function.full_name in names and function not in path:
                path.extend(f for f in _reached(function) if f not in path)
    return path


def _supply_cap(entry) -> str:
    """The cap a mint path reads (OpenZeppelin's ERC20Capped reads `_cap` through `cap()`),
    or "" for an uncapped mint. The largest value of a storage type (ERC20Votes'
    `_maxSupply()`, `type(uint208).max`) is the width of a checkpoint, not a cap."""
    path = _mint_path(entry)
    for function in path:
        for variable in function.state_variables_read:
            if _CAP.match(variable.name) and not (variable.is_constant and type_width(_literal_value(variable))):
                return f"<= {variable.name}"
    for function in path:
        if _CAP.match(function.name) and not returns_type_width(function):
            return f"<= {function.name}()"
    return ""


def _literal_value(variable) -> str:
    """A constant's value, folded (`type(uint224).max`, `2**96 - 1`), or ""."""
    try:
        return str(ConstantFolding(variable.expression, variable.type).result().value)
    except (NotConstant, AttributeError, TypeError, ValueError):  # nothing Slither can fold: no number to judge
        return ""


def _supply_change(effect: Effect, entry, ledger: Ledger) -> str:
    """How the entry changes the supply at this write: "add" (a mint), "sub" (a burn), or "".
    Counted where the entry writes it, or where a helper writes it on every run: shared
    helpers (OpenZeppelin 5's `_update`) raise the supply on one branch only, and plain
    transfers reach them too."""
    if effect.kind != "write" or not _is_supply(effect.target, ledger):
        return ""
    node = effect.node
    if node.function is not entry and not unconditional(node):
        return ""
    return change(node, effect.target)


def _balance_powers(writes: list[tuple[Effect, bool]], principals: set[str], burning: bool, allowance: bool, cap: str,
                    payees: set, out: _Collector) -> None:
    """What an entry's privileged writes of balances amount to (a mint's credits are the mint's,
    and the caller leaves them out). A debit of the caller's own account is no power over
    others (paying out, burning one's own); nor is a spender's, with an allowance spent, nor
    a holder's whose tokens the same call pays out to them (a crowdsale delivering what was
    bought). Otherwise a holder's account debited and another credited is the power to take
    anyone's tokens; debited with nothing credited (or in a burn) is burn_from. Debiting the
    contract's own balance, or a reserve account the code names (`balances[seller]`), moves
    the funds it holds; moving an amount between an account's own fields (`unlocked` to
    `locked`) freezes it. Crediting with nothing debited creates tokens: a mint, whether or
    not the code counts them in the supply; setting a balance outright writes balances."""
    debits, credits = [], []
    for effect, counts in writes:
        how = change(effect.node, effect.target)
        value = (effect.args + (None, None))[1]
        (debits if how == "sub" or (how == "" and _is_zero(value)) else credits).append((effect, how, counts))
    # accounts credited, where the key names one (a record's or a role's key may stand for several)
    credited = {effect.args[0] for effect, _, _ in credits if effect.args and effect.args[0] is not None
                and effect.args[0].kind in ("param", "sender", "stored", "self", "constant")}
    if not debits and not burning:
        for effect, how, counts in credits:
            if not counts:
                continue
            out.guard = effect.guard
            if how == "add":
                out.add(CapabilityName.MINT, effect.target, effect.node, cap)  # tokens out of nothing
            else:
                out.add(CapabilityName.SET_BALANCE, effect.target, effect.node)  # a balance set outright
    for effect, _, counts in debits:
        if not counts:
            continue
        key = effect.args[0] if effect.args else None
        out.guard = effect.guard
        if _own(key, principals) or allowance or (key is not None and key in payees):
            continue
        if key.kind in ("self", "stored", "constant") if key is not None else False:
            out.add(CapabilityName.WITHDRAW_FUNDS, effect.target, effect.node)
        elif key is not None and key in credited:
            out.add(CapabilityName.FREEZE, effect.target, effect.node)
        else:
            out.add(CapabilityName.BURN_FROM if burning or not credits else CapabilityName.SET_BALANCE, effect.target, effect.node)


def capabilities(entry, summary: Summary, principals: set[str], base_privileged: bool,
                 ledger: Ledger = EMPTY, members: frozenset[str] = frozenset(),
                 oracles: frozenset[str] = frozenset(), committed_by_others: bool = False,
                 pots: frozenset[str] = frozenset()) -> tuple[Capability, ...]:
    """Capabilities of one entry point from its summary.

    `principals` are the state variables some guard of the contract compares the caller
    with: writing one changes who holds power. Plain state writes (`set_parameter` and
    its named kinds) are powers only of privileged entry points; for anyone they are use.
    `ledger` is what the contract's transfer path says its balances, supply and freeze
    lists are. `members` are the account sets (allow-lists, roles) some guard of the
    contract lets in: writing one grants. `oracles` are the variables the contract asks for
    prices or data: writing one sets an oracle. `committed_by_others`: the commitments the
    entry's inputs must match are written by other principals than its own (an oracle's
    requesters, not the node answering; a timelock's admin queues what it executes itself).
    `pots` are the numbers that count what the contract set aside or earned (facts/pots.py):
    what a call pays or credits out of one it draws down is bounded by it.
    """
    # an open call that only replays what was committed (a message a trusted remote sent and
    # the contract stored) neither chooses its inputs nor mints unpaid: what it delivers was
    # paid for on the other side
    replay = bool(summary.committed) and not base_privileged
    if replay or committed_by_others:
        # the inputs a stored commitment pins (an oracle request's callback address and
        # selector) were chosen when they were committed, by someone else than this caller
        summary = replayed(summary)
    # a mint the same call pays for (a sale, a vault deposit) or takes back (a flash loan);
    # an open one may also be paid by what it measures it received: its own token balance
    # over its reserves (a Uniswap pair minting liquidity)
    paid = any(e.kind == "payment" or (e.kind in ("call", "external") and (_PAY_IN_CALL.match(e.target) or _BURN.match(e.target)))
               for e in summary.effects) or (not base_privileged and any(
                   e.kind == "external" and e.target == "balanceOf" and any(a is not None and a.kind == "self" for a in e.args[1:])
                   for e in summary.effects)) or replay
    out = _Collector(paid)
    if entry.name.startswith("renounce"):
        # giving up one's own role or ownership: the only power is to lose power
        for effect in summary.effects:
            if effect.kind == "call" and (_ROLE_CALL.match(effect.target) or _OWNER_CALL.match(effect.target)):
                out.add(CapabilityName.RENOUNCE, effect.target, effect.node)
                return tuple(out.found.values())
    bounds = dict(summary.bounds)
    calls = [e for e in summary.effects if e.kind in ("call", "external")]
    # a spender's allowance spent: by OpenZeppelin's helpers, or `allowed[from][msg.sender] -= v`
    spends_allowance = any(_SPEND_ALLOWANCE.match(e.target) for e in calls) or any(_spends(e) for e in summary.effects)
    on_path = entry.full_name in TRANSFERS
    burning = any(e.kind == "call" and _BURN.match(e.target) for e in calls)
    balance_writes = []
    # accounts whose recorded amount the call clears or lowers: paying them is delivering
    # what they are owed (a sale's tokens, an escrowed deposit), not a sweep
    owed = {e.args[0] for e in summary.effects if e.kind == "write" and e.var_type.startswith("mapping(address => uint")
            and e.args and e.args[0] is not None and e.args[0].kind != "self"
            and (change(e.node, e.target) == "sub" or _is_zero((e.args + (None, None))[1]))}
    delivered = _payees(summary, owed) - {None}
    credits = {(e.args[0], e.args[1]) for e in summary.effects
               if _is_balance(e, ledger) and len(e.args) > 1 and change(e.node, e.target) == "add"}
    # the amount the call moves in balances or the supply: a counter moved by the same amount
    # (`totalDistributed = totalDistributed.sub(_value)` beside the supply) is their bookkeeping
    moved = {e.args[1] for e in summary.effects if e.kind == "write" and len(e.args) > 1 and e.args[1] is not None
             and e.args[1].kind == "param" and (_is_balance(e, ledger) or _is_supply(e.target, ledger))}
    drawn = draws(summary, pots)
    sources = {id(e): paid_from(e, drawn) if e.kind in ("call", "external", "transfer") else credited_from(e, drawn, summary)
               for e in summary.effects if drawn and (e.kind in ("call", "external", "transfer") or _is_balance(e, ledger))}
    emptied = {pot for pot in sources.values() if pot}
    for effect in summary.effects:
        target, args = effect.target, effect.args
        out.guard = effect.guard
        pot = sources.get(id(effect), "")
        if effect.kind == "write" and effect.target in emptied and any(d.pot == effect.target for d in drawn):
            continue  # the pot drawn down by what the call pays out of it: its bookkeeping
        if pot and effect.kind == "write" and change(effect.node, target) == "add":
            if base_privileged or effect.guard is not None:
                out.add(CapabilityName.WITHDRAW_FUNDS, target, effect.node, f"<= {pot}")  # credited out of a reserve, not minted
            continue
        if effect.kind == "write" and len(args) > 1 and args[1] in moved and _numeric(effect.var_type) \
                and not (_is_balance(effect, ledger) or _is_supply(target, ledger)) and change(effect.node, target) in ("add", "sub"):
            continue
        privileged = base_privileged or effect.guard is not None
        supply = _supply_change(effect, entry, ledger)
        if supply == "add":
            out.add(CapabilityName.MINT, target, effect.node, _supply_cap(entry))
        elif supply == "sub":
            burning = True
        elif _is_balance(effect, ledger):
            # a branch only a principal reaches in an open function (`if (msg.sender ==
            # owner) balances[victim] = 0`) writes balances when it picks the account; every
            # write still says whether the call debits or credits at all
            balance_writes.append((effect, base_privileged or (
                privileged and bool(args) and args[0] is not None and args[0].kind == "param")))
        elif _spends(effect):
            continue  # a spender using its allowance: the holder's grant, not a power
        elif effect.kind == "write" and effect.args and effect.args[0] in delivered and effect.var_type.startswith("mapping(address => uint"):
            continue  # the record of what an account is owed, cleared as the call pays it
        elif effect.kind == "write":
            _classify_write(effect, principals, privileged, bounds, out, ledger,
                            _freezes(effect, ledger, privileged, on_path, credits), members, oracles)
        elif effect.kind == "call":
            if _MINT.match(target):
                out.add(CapabilityName.MINT, target, effect.node, _supply_cap(entry))
            elif _BURN.match(target) and privileged and not spends_allowance and args and args[0] is not None \
                    and not _own(args[0], principals) and _names_an_account(effect):
                out.add(CapabilityName.BURN_FROM, target, effect.node)
            elif _PAUSE_CALL.match(target):
                out.add(CapabilityName.PAUSE, target, effect.node)
            elif _FREEZE_CALL.match(target) and (privileged or _stops_someone(summary, ledger)):
                out.add(CapabilityName.FREEZE, target, effect.node)
            elif _upgrade_call(target):
                out.add(CapabilityName.UPGRADE, target, effect.node)
            elif _RENOUNCE_CALL.match(target) or (_OWNER_CALL.match(target) and args and _is_zero(args[0])):
                out.add(CapabilityName.RENOUNCE, target, effect.node)
            elif _OWNER_CALL.match(target) and not _names_a_record(effect):
                out.add(CapabilityName.CHANGE_OWNER, target, effect.node)
            elif _ROLE_CALL.match(target):
                out.add(CapabilityName.GRANT_ROLE, target, effect.node)
            elif _DELAY_CALL.match(target):
                out.add(CapabilityName.CHANGE_DELAY, target, effect.node)
            elif _THRESHOLD_CALL.match(target):
                out.add(CapabilityName.CHANGE_THRESHOLD, target, effect.node)
            elif privileged and _TRANSFER_CALL.match(target) and _library_call(effect) and not _pays_owed(effect, owed):
                out.add(CapabilityName.WITHDRAW_FUNDS, target, effect.node, f"<= {pot}" if pot else "")
        elif effect.kind == "external" and _upgrade_call(target) and privileged:
            out.add(CapabilityName.UPGRADE, target, effect.node)  # a ProxyAdmin upgrading its proxy
        elif effect.kind == "external" and _OWNER_CALL.match(target) and privileged:
            # handing another contract to a new admin: named by the contract called, since it
            # is that contract's seat that moves, not this one's; bound to the recipient when
            # the caller does not choose it (HasNoContracts' `transferOwnership(owner)`)
            destination, recipient = (args + (None, None))[:2]
            out.add(CapabilityName.CHANGE_OWNER, f"{destination.name}.{target}" if destination is not None and destination.name else target,
                    effect.node, "" if recipient is None or _chosen_by_caller(recipient) else f"== {_named_as(recipient)}")
        elif effect.kind == "external" and privileged and _TRANSFER_CALL.match(target) and not _pays_owed(effect, owed):
            out.add(CapabilityName.WITHDRAW_FUNDS, target, effect.node, f"<= {pot}" if pot else "")
        elif effect.kind == "transfer" and privileged and not (args and args[0] is not None and args[0].kind == "self") \
                and not _pays_owed(effect, owed):
            out.add(CapabilityName.WITHDRAW_FUNDS, "ETH", effect.node, f"<= {pot}" if pot else "")  # (value sent to the contract itself stays there; to a payee, is what it is owed)
        elif effect.kind == "lowlevel":
            destination = args[0] if args else None
            if target == "delegatecall" and _chosen_by_caller(destination):
                out.add(CapabilityName.DELEGATECALL, destination.name, effect.node)
            elif target == "call" and _chosen_by_caller(destination) and _data_chosen_by_caller(args[1:]):
                out.add(CapabilityName.ARBITRARY_CALL, destination.name, effect.node)
        elif effect.kind == "selfdestruct":
            out.add(CapabilityName.SELFDESTRUCT, "selfdestruct", effect.node)
        elif effect.kind == "sstore" and args and args[0] is not None and args[0].value.lower() in UPGRADE_SLOTS:
            out.add(CapabilityName.UPGRADE, args[0].name, effect.node)
    if not any(name == CapabilityName.MINT for name, _ in out.found) and any(counts for _, counts in balance_writes):
        # a mint credits its recipient: that is what minting is, not a separate power
        _balance_powers(balance_writes, principals, burning, spends_allowance, _supply_cap(entry) if balance_writes else "",
                        delivered, out)
    return tuple(sorted(out.found.values(), key=lambda c: (c.name, c.line, c.detail)))
