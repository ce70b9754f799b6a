"""Static facts for the contracts the user asked about."""
from __future__ import annotations

from slither import Slither
from slither.core.declarations import Contract, Function

from inspector.facts.capabilities import capabilities
from inspector.facts.dataflow import Dataflow
from inspector.facts.guards import guards, role_admins
from inspector.facts.locations import source_file, source_line
from inspector.facts.model import ContractFacts, EntryPoint, Facts

_ERC20 = {"transfer(address,uint256)", "balanceOf(address)", "totalSupply()"}
_ERC721 = {"ownerOf(uint256)", "safeTransferFrom(address,address,uint256)"}
_ERC1155 = {"balanceOfBatch(address[],uint256[])", "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)"}


def _kinds(contract: Contract) -> tuple[str, ...]:
    signatures = {f.full_name for f in contract.functions if f.visibility in ("public", "external")}
    signatures |= {v.full_name for v in contract.state_variables if v.visibility == "public"}
    kinds = []
    if _ERC20 <= signatures:
        kinds.append("token")
    elif _ERC721 <= signatures or _ERC1155 <= signatures:
        kinds.append("token")
    return tuple(kinds)


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
                )
            )
        mapping = contract.source_mapping
        contracts.append(
            ContractFacts(
                name=contract.name,
                file=source_file(mapping),
                line=source_line(mapping),
                kinds=_kinds(contract),
                entry_points=tuple(entries),
            )
        )
    return Facts(contracts=tuple(contracts))
