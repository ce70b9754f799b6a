"""Static facts for the contracts the user asked about."""
from __future__ import annotations

import re

from slither import Slither
from slither.core.declarations import Contract, Function
from slither.slithir.operations import InternalCall

from inspector.facts.capabilities import capabilities
from inspector.facts.dataflow import Dataflow
from inspector.facts.guards import guards, role_admins
from inspector.facts.kinds import classify
from inspector.facts.locations import source_file, source_line
from inspector.facts.model import ContractFacts, EntryPoint, Facts


def _entry_points(contract: Contract) -> list[Function]:
    """Externally reachable functions that can change state. View and pure functions are
    left out: they cannot change anything, so they hold no power."""
    return [
        f
        for f in contract.functions_entry_points
        if not f.is_constructor and not f.view and not f.pure and not f.is_constructor_variables
    ]


def _scanned_contracts(slither: Slither, targets: set[str]) -> list[Contract]:
    """Deployable-shape contracts declared in target files; a contract that another one
    in the targets inherits is reported through its heir, not twice."""
    chosen: dict[tuple[str, str], Contract] = {}
    for contract in slither.contracts:
        if contract.is_interface or contract.is_library:
            continue
        if contract.source_mapping.filename.used not in targets:
            continue
        chosen.setdefault((contract.source_mapping.filename.used, contract.name), contract)
    inherited = {base.name for c in chosen.values() for base in c.inheritance}
    return [c for _, c in sorted(chosen.items()) if c.name not in inherited]


_INITIALIZER = re.compile(r"^(initiali[sz]e|init|reinitiali[sz]e)\w*$|^__\w+_init\w*$", re.I)
_INIT_FLAG = re.compile(r"initiali[sz](ed|ing)|^_?inited$", re.I)
_INIT_MODIFIERS = {"initializer", "reinitializer", "onlyInitializing"}


def _initializer(function: Function) -> str:
    if not _INITIALIZER.match(function.name):
        return ""
    if any(m.name in _INIT_MODIFIERS for m in function.modifiers):
        return "guarded"
    flags = [v for v in function.all_state_variables_read() if _INIT_FLAG.search(v.name)]
    return "guarded" if flags else "open"


def _disables_initializers(contract: Contract) -> bool:
    constructor = contract.constructor
    return constructor is not None and any(
        isinstance(ir, InternalCall) and getattr(ir.function, "name", "") == "_disableInitializers"
        for node in constructor.nodes for ir in node.irs)


def _values(contract: Contract) -> dict[str, str]:
    """Constants and literal initial values (`uint256 public constant MINIMUM_DELAY = 2 days`)."""
    values = {}
    for variable in contract.state_variables:
        expression = variable.expression
        if expression is not None and str(variable.type).startswith(("uint", "int", "address", "bool")):
            values[variable.name] = str(expression)
    return values


def extract_facts(slither: Slither, targets: set[str]) -> Facts:
    flow = Dataflow()
    contracts = []
    for contract in _scanned_contracts(slither, targets):
        functions = sorted(_entry_points(contract), key=lambda f: f.full_name)
        admins = role_admins(contract)
        summaries = {id(f): flow.entry(f) for f in functions}
        entry_guards = {id(f): guards(summaries[id(f)], admins) for f in functions}
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
                    capabilities=capabilities(function, summaries[id(function)], principals, privileged),
                    initializer=_initializer(function),
                )
            )
        fallback = next((summaries[id(f)] for f in functions if f.is_fallback), None)
        standards = classify(contract, fallback)
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
                state_variables={v.name: str(v.type) for v in contract.state_variables},
            )
        )
    return Facts(contracts=tuple(contracts))
