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

from slither.slithir.operations import Binary, BinaryType

from inspector.facts.dataflow import Effect, Summary, Tag
from inspector.facts.locations import source_file, source_line
from inspector.facts.model import Capability, Guard
from inspector.standards import UPGRADE_SLOTS

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
_FEE_VAR = re.compile(r"fee|tax|commission|royalt", re.I)
_LIMIT_VAR = re.compile(r"^_?max|limit|^_?cap$|cooldown|^_?min", re.I)
_BALANCE_VAR = re.compile(r"^_?balances?(of)?$", re.I)
_SUPPLY_VAR = re.compile(r"^_?total_?supply$", re.I)



_PER_VARIABLE = {"set_parameter", "set_fee", "set_limits", "set_oracle", "set_signer", "set_operator", "set_minter",
                 "change_owner"}


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
        key = (name, detail if name in _PER_VARIABLE else "")
        if key not in self.found:
            self.found[key] = Capability(
                name, detail, source_file(mapping), source_line(mapping), bound,
                guards=(self.guard,) if self.guard else (), paid=self.paid and name == "mint")


def _named(pattern: re.Pattern, numeric: bool = False):
    """A write rule's test: the variable's name matches (and, for amounts, its type is a number)."""
    return lambda base, var_type: bool(pattern.search(base)) and (not numeric or _numeric(var_type))


# Privileged writes, by the variable written: (test, capability, whether a bound on the new
# value is kept). The first rule that matches names the capability.
_WRITES = (
    (_named(_MINTER_VAR), "set_minter", False),
    (_named(_FORWARDER_VAR), "set_forwarder", False),
    (_named(_SIGNER_VAR), "set_signer", False),
    (_named(_ORACLE_VAR), "set_oracle", False),
    (_named(_UPGRADE_VAR), "upgrade", False),
    (_named(_DELAY_VAR), "change_delay", True),
    (_named(_THRESHOLD_VAR), "change_threshold", True),
    (lambda base, var_type: bool(_OWNER_SET_VAR.match(base) and _OWNER_SET_TYPES.match(var_type)), "change_threshold", False),
    (_named(_OPERATOR_VAR), "set_operator", False),
    (_named(_PAUSE_VAR), "pause", False),
    (_named(_FREEZE_VAR), "freeze", False),
    (_named(_FEE_VAR, numeric=True), "set_fee", True),
    (_named(_LIMIT_VAR, numeric=True), "set_limits", True),
    (lambda base, var_type: bool(_BALANCE_VAR.match(base)), "set_balance", False),
)


def _classify_write(effect: Effect, principals: set[str], privileged: bool, bounds: dict[str, str], out: _Collector) -> None:
    name = effect.target
    value = (effect.args + (None, None))[1]
    base = name.split(".")[-1]
    bound = bounds.get(value.name, "") if value is not None and value.kind == "param" else ""
    if name in principals or _OWNER_VAR.match(base):
        out.add("renounce" if _is_zero(value) else "change_owner", name, effect.node)
    elif _ROLE_VAR.search(base):
        out.add("grant_role", name, effect.node)
    elif privileged:
        for test, capability, keeps_bound in _WRITES:
            if test(base, effect.var_type):
                out.add(capability, name, effect.node, bound if keeps_bound else "")
                return
        if not _SUPPLY_VAR.match(base):
            out.add("set_parameter", name, effect.node, bound)


_CAP = re.compile(r"^_?(cap|max_?supply|supply_?cap|max_?total_?supply|hard_?cap)$", re.I)


def _supply_cap(entry) -> str:
    """The cap a mint path reads (OpenZeppelin's ERC20Capped reads `_cap` through `cap()`),
    or "" for an uncapped mint."""
    for variable in entry.all_state_variables_read():
        if _CAP.match(variable.name):
            return f"<= {variable.name}"
    for function in entry.all_internal_calls():
        callee = getattr(function, "function", function)
        if _CAP.match(getattr(callee, "name", "")):
            return f"<= {callee.name}()"
    return ""


def _raises_supply(effect: Effect, entry) -> bool:
    """`totalSupply += amount` written in the entry itself. Only there: shared helpers
    (OpenZeppelin 5's `_update`) raise the supply on one branch and plain transfers reach
    them too."""
    node = effect.node
    return _SUPPLY_VAR.match(effect.target.split(".")[-1]) is not None and node.function is entry and any(
        isinstance(ir, Binary) and ir.type == BinaryType.ADDITION for ir in node.irs)


def capabilities(entry, summary: Summary, principals: set[str], base_privileged: bool) -> tuple[Capability, ...]:
    """Capabilities of one entry point from its summary.

    `principals` are the state variables some guard of the contract compares the caller
    with: writing one changes who holds power. Plain state writes (`set_parameter` and
    its named kinds) are powers only of privileged entry points; for anyone they are use.
    """
    # a mint the same call pays for (a sale, a vault deposit) or takes back (a flash loan)
    paid = any(e.kind == "payment" or (e.kind in ("call", "external") and (_PAY_IN_CALL.match(e.target) or _BURN.match(e.target)))
               for e in summary.effects)
    out = _Collector(paid)
    if entry.name.startswith("renounce"):
        # giving up one's own role or ownership: the only power is to lose power
        for effect in summary.effects:
            if effect.kind == "call" and (_ROLE_CALL.match(effect.target) or _OWNER_CALL.match(effect.target)):
                out.add("renounce", effect.target, effect.node)
                return tuple(out.found.values())
    bounds = dict(summary.bounds)
    calls = [e for e in summary.effects if e.kind in ("call", "external")]
    spends_allowance = any(_SPEND_ALLOWANCE.match(e.target) for e in calls)
    for effect in summary.effects:
        target, args = effect.target, effect.args
        out.guard = effect.guard
        privileged = base_privileged or effect.guard is not None
        if effect.kind == "write" and _raises_supply(effect, entry):
            out.add("mint", target, effect.node, _supply_cap(entry))
        elif effect.kind == "write":
            _classify_write(effect, principals, privileged, bounds, out)
        elif effect.kind == "call":
            if _MINT.match(target):
                out.add("mint", target, effect.node, _supply_cap(entry))
            elif _BURN.match(target) and privileged and not spends_allowance and args and args[0] is not None and args[0].kind != "sender":
                out.add("burn_from", target, effect.node)
            elif _PAUSE_CALL.match(target):
                out.add("pause", target, effect.node)
            elif _FREEZE_CALL.match(target):
                out.add("freeze", target, effect.node)
            elif _UPGRADE_CALL.search(target):
                out.add("upgrade", target, effect.node)
            elif _RENOUNCE_CALL.match(target) or (_OWNER_CALL.match(target) and args and _is_zero(args[0])):
                out.add("renounce", target, effect.node)
            elif _OWNER_CALL.match(target):
                out.add("change_owner", target, effect.node)
            elif _ROLE_CALL.match(target):
                out.add("grant_role", target, effect.node)
            elif _DELAY_CALL.match(target):
                out.add("change_delay", target, effect.node)
            elif _THRESHOLD_CALL.match(target):
                out.add("change_threshold", target, effect.node)
            elif privileged and _TRANSFER_CALL.match(target):
                out.add("withdraw_funds", target, effect.node)
        elif effect.kind == "external" and _UPGRADE_CALL.search(target) and privileged:
            out.add("upgrade", target, effect.node)  # a ProxyAdmin upgrading its proxy
        elif effect.kind == "external" and _OWNER_CALL.match(target) and privileged:
            out.add("change_owner", target, effect.node)  # handing another contract to a new admin
        elif effect.kind == "external" and privileged and _TRANSFER_CALL.match(target):
            out.add("withdraw_funds", target, effect.node)
        elif effect.kind == "transfer" and privileged and not (args and args[0] is not None and args[0].kind == "self"):
            out.add("withdraw_funds", "ETH", effect.node)  # (value sent to the contract itself stays there)
        elif effect.kind == "lowlevel":
            destination = args[0] if args else None
            if target == "delegatecall" and _chosen_by_caller(destination):
                out.add("delegatecall", destination.name, effect.node)
            elif target == "call" and _chosen_by_caller(destination) and any(_chosen_by_caller(a) for a in args[1:]):
                out.add("arbitrary_call", destination.name, effect.node)
        elif effect.kind == "selfdestruct":
            out.add("selfdestruct", "selfdestruct", effect.node)
        elif effect.kind == "sstore" and args and args[0] is not None and args[0].value.lower() in UPGRADE_SLOTS:
            out.add("upgrade", args[0].name, effect.node)
    if any(name == "mint" for name, _ in out.found):
        # crediting the recipient is what minting is, not a separate power
        out.found = {k: v for k, v in out.found.items() if k[0] != "set_balance"}
    return tuple(sorted(out.found.values(), key=lambda c: (c.name, c.line, c.detail)))
