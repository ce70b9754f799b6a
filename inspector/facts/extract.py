"""Static facts for the contracts the user asked about."""
from __future__ import annotations

import re

from slither import Slither
from slither.core.declarations import Contract, Function
from slither.slithir.operations import Delete, HighLevelCall, InternalCall, LibraryCall, SolidityCall

from inspector.facts.capabilities import capabilities
from inspector.facts.dataflow import Dataflow
from inspector.facts.guards import guards, role_admins
from inspector.facts.kinds import all_state_variables, classify
from inspector.facts.locations import source_file, source_line
from inspector.facts.model import ANYONE, MULTISIG_SIGNERS, ContractFacts, EntryPoint, Facts


_SIGNATURE_CHECK = re.compile(r"^_?check(N)?Signatures$|^_?verifySignatures?$", re.I)


def _always_reverts(function: Function) -> bool:
    """Every way out of the function reverts (Safe's simulateAndRevert): it changes nothing."""
    def reverts(node) -> bool:
        while not node.irs and len(node.fathers) == 1:  # past empty end markers (END_ASSEMBLY)
            node = node.fathers[0]
        return any(isinstance(ir, SolidityCall) and str(ir.function.name).startswith("revert") for ir in node.irs)

    exits = [n for n in function.nodes if not n.sons]
    return bool(exits) and all(reverts(n) for n in exits)


def _multisig_authorized(summary) -> bool:
    """A multisig's execution is authorized by its owners' signatures, not by msg.sender."""
    return any(e.kind == "ecrecover" or (e.kind == "call" and _SIGNATURE_CHECK.match(e.target)) for e in summary.effects)


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


def _initializer(function: Function) -> str:
    if not _INITIALIZER.match(function.name):
        return ""
    if any(m.name in _INIT_MODIFIERS for m in function.modifiers):
        return "guarded"
    flags = [v for v in function.all_state_variables_read() if _INIT_FLAG.search(v.name)]
    return "guarded" if flags else "open"


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
            grantee = {"sender": "deployer", "self": "self"}.get(account.kind, f"<{account.name}>" if account.kind == "param" else account.name)
            if (role.name, grantee) not in grants:
                grants.append((role.name, grantee))
    return tuple(grants)


_ZERO = ("0", "0x0", "0x0000000000000000000000000000000000000000")


def _clears(effect) -> bool:
    """A write that empties the variable: `pendingOwner = address(0)`, `delete _pendingOwner`."""
    value = (effect.args + (None, None))[1]
    if value is not None and value.kind == "constant" and value.value in _ZERO:
        return True
    return any(isinstance(ir, Delete) and getattr(ir.lvalue, "name", None) == effect.target.split(".")[-1]
               for ir in effect.node.irs)


def _nominees(functions: list[Function], summaries: dict, entry_guards: dict) -> dict[str, tuple[str, ...]]:
    """Pending owners of a two-step transfer: variables that an owner (or the contract's own
    governance flow) sets to an address its caller names, and that nothing else writes but
    a clear. Whoever such a variable holds can only accept what an owner offered."""
    named: dict[str, list[str]] = {}
    spoiled: set[str] = set()
    for function in functions:
        for effect in summaries[id(function)].effects:
            if effect.kind != "write" or _clears(effect):
                continue
            key, value = (effect.args + (None, None))[:2]
            guards = (effect.guard,) if effect.guard is not None else entry_guards[id(function)]
            nominators = [g.detail for g in guards if g.kind == "owner" and g.detail != effect.target]
            nominators += ["self" for g in guards if g.kind == "self"]
            address = effect.var_type in ("address", "address payable")
            if address and key is None and value is not None and value.kind == "param" and nominators:
                named.setdefault(effect.target, []).extend(nominators)
            else:
                spoiled.add(effect.target)
    return {name: tuple(dict.fromkeys(by)) for name, by in sorted(named.items()) if name not in spoiled}


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
    """Constants and literal initial values (`uint256 public constant MINIMUM_DELAY = 2 days`)."""
    values = {}
    for variable in all_state_variables(contract):
        expression = variable.expression
        if expression is not None and str(variable.type).startswith(("uint", "int", "address", "bool")):
            values[variable.name] = str(expression)
    return values


def extract_facts(slither: Slither, targets: set[str], only: set[str] | None = None) -> Facts:
    flow = Dataflow()
    contracts = []
    for contract in _scanned_contracts(slither, targets, only):
        functions = sorted(_entry_points(contract), key=lambda f: f.full_name)
        admins = role_admins(contract)
        summaries = {id(f): flow.entry(f) for f in functions}
        entry_guards = {id(f): guards(summaries[id(f)], admins) for f in functions}
        fallback = next((summaries[id(f)] for f in functions if f.is_fallback), None)
        standards = classify(contract, fallback)
        if any(f.name == "execTransaction" for f in functions) or "multisig" in standards:
            for f in functions:
                if entry_guards[id(f)] == (ANYONE,) and _multisig_authorized(summaries[id(f)]):
                    entry_guards[id(f)] = (MULTISIG_SIGNERS,)
                elif MULTISIG_SIGNERS in entry_guards[id(f)]:
                    # an owner calls, but nothing happens without enough confirmations: the quorum decides
                    entry_guards[id(f)] = (MULTISIG_SIGNERS,)
        principals = {g.detail for gs in entry_guards.values() for g in gs if g.kind == "owner"}
        entries = []
        for function in functions:
            mapping = function.source_mapping
            function_guards = entry_guards[id(function)]
            privileged = any(g.kind != "anyone" for g in function_guards)
            entries.append(
                EntryPoint(
                    function=function.full_name,
                    declared_in=function.contract_declarer.name,
                    file=source_file(mapping),
                    line=source_line(mapping),
                    guards=function_guards,
                    capabilities=() if _always_reverts(function) else capabilities(function, summaries[id(function)], principals, privileged),
                    initializer=_initializer(function),
                    verifies_signature=_verifies_signature(summaries[id(function)]),
                    feeds=_feeds(function),
                )
            )
        mapping = contract.source_mapping
        contracts.append(
            ContractFacts(
                name=contract.name,
                file=source_file(mapping),
                line=source_line(mapping),
                kinds=tuple(standards),
                entry_points=tuple(entries),
                standards=standards,
                abstract=contract.is_abstract,
                disables_initializers=_disables_initializers(contract),
                values=_values(contract),
                state_variables={v.name: str(v.type) for v in all_state_variables(contract)},
                constructor_grants=_constructor_grants(contract, flow),
                nominees=_nominees(functions, summaries, entry_guards),
                storage=_storage(contract),
                variable_lines={v.name: (source_file(v.source_mapping), source_line(v.source_mapping)) for v in all_state_variables(contract)},
            )
        )
    return Facts(contracts=tuple(contracts))
