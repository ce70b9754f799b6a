"""What kind of contract this is: token, proxy, timelock, governor, multisig, access
manager, upgradeable implementation. Interfaces are matched by function signatures (as
ERC detectors do); proxies by their fallback's delegatecall and by the storage slots the
standards fix, found among the constants their code reads."""
from __future__ import annotations

from slither.core.declarations import Contract, Function
from slither.core.variables.state_variable import StateVariable
from slither.slithir.operations import Binary, BinaryType, InternalCall, LibraryCall
from slither.slithir.variables import Constant

from inspector.facts.dataflow import Summary
from inspector.standards import PROXY_SLOTS
from inspector.vocabulary import ContractKind

ERC20 = {"transfer(address,uint256)", "transferFrom(address,address,uint256)", "approve(address,uint256)", "balanceOf(address)", "totalSupply()"}
ERC20_CORE = {"transfer(address,uint256)", "balanceOf(address)", "totalSupply()"}
ERC721 = {"ownerOf(uint256)", "safeTransferFrom(address,address,uint256)", "balanceOf(address)", "approve(address,uint256)"}
ERC1155 = {"balanceOfBatch(address[],uint256[])", "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)"}
VOTES = {"delegate(address)", "getVotes(address)"}
COMPOUND_VOTES = {"delegate(address)", "getCurrentVotes(address)"}

OZ_TIMELOCK = {"getMinDelay()", "schedule(address,uint256,bytes,bytes32,bytes32,uint256)", "execute(address,uint256,bytes,bytes32,bytes32)"}
COMPOUND_TIMELOCK = {"queueTransaction(address,uint256,string,bytes,uint256)", "executeTransaction(address,uint256,string,bytes,uint256)", "delay()"}
OZ_GOVERNOR = {"propose(address[],uint256[],bytes[],string)", "castVote(uint256,uint8)"}
BRAVO_GOVERNOR = {"propose(address[],uint256[],string[],bytes[],string)", "castVote(uint256,uint8)"}
ALPHA_GOVERNOR = {"propose(address[],uint256[],string[],bytes[],string)", "castVote(uint256,bool)"}
# Safe's execTransaction takes an `Enum.Operation`, whose rendering varies: match by name
SAFE_NAMES = {"execTransaction", "getThreshold", "getOwners"}
ACCESS_MANAGER = {"canCall(address,address,bytes4)", "grantRole(uint64,address,uint32)"}
UUPS = {"proxiableUUID()", "upgradeToAndCall(address,bytes)"}
BEACON = {"implementation()", "upgradeTo(address)"}



def all_state_variables(contract: Contract) -> list:
    """Every state variable, inherited private ones included (Slither's `state_variables`
    leaves those out, and OpenZeppelin keeps `_owner` private)."""
    seen: dict[str, object] = {}
    for base in [*reversed(contract.inheritance), contract]:
        for variable in base.state_variables_declared:
            seen[variable.name] = variable
    return list(seen.values())


def _signatures(contract: Contract) -> set[str]:
    names = {f.full_name for f in contract.functions if f.visibility in ("public", "external")}
    names |= {f"{v.name}()" if not str(v.type).startswith("mapping") else v.full_name for v in contract.state_variables if v.visibility == "public"}
    return names


def _constants(functions: list[Function]) -> str:
    """Every constant the functions read, directly or through the libraries and helpers
    they call, as one lower-case text to search."""
    seen: set[int] = set()
    texts: list[str] = []
    stack: list[Function] = list(functions)
    while stack:
        function = stack.pop()
        if id(function) in seen:
            continue
        seen.add(id(function))
        for node in function.nodes:
            for ir in node.irs:
                for value in ir.read:
                    if isinstance(value, Constant):
                        texts.append(str(value.value))
                    elif isinstance(value, StateVariable) and value.is_constant and value.expression is not None:
                        texts.append(str(value.expression))
                if isinstance(ir, (InternalCall, LibraryCall)) and isinstance(ir.function, Function):
                    stack.append(ir.function)
    return "\n".join(texts).lower()


def _proxy_slots(contract: Contract) -> set[str]:
    """The standard slots the code reaching from the constructor, the fallback and the
    public functions reads: OpenZeppelin 4's BeaconProxy inherits the implementation and
    admin slots with ERC1967Upgrade but only ever reads the beacon's. Where that code reads
    none (the read is in inline assembly Slither does not parse, before 0.6), the slots the
    contract's code and constants name at all."""
    reached = [f for f in contract.functions
               if f.is_constructor or f.is_fallback or f.is_receive or f.visibility in ("public", "external")]
    hits = _slot_hits(_constants(reached))
    if hits:
        return hits
    declared = [str(v.expression) for v in all_state_variables(contract) if v.is_constant and v.expression is not None]
    return _slot_hits(_constants(contract.functions) + "\n" + "\n".join(declared).lower())


def _slot_hits(constants: str) -> set[str]:
    hits = set()
    for name, (value, preimage) in PROXY_SLOTS.items():
        if value in constants or preimage.lower() in constants or str(int(value, 16)) in constants:
            hits.add(name)
    return hits


def _delegates(fallback: Summary | None) -> bool:
    return fallback is not None and any(e.kind == "lowlevel" and e.target == "delegatecall" for e in fallback.effects)


def delegate_targets(fallback: Summary | None) -> list:
    """The dataflow tags of what a fallback delegatecalls (None where unknown)."""
    return [e.args[0] for e in (fallback.effects if fallback is not None else ())
            if e.kind == "lowlevel" and e.target == "delegatecall" and e.args]


def _fixed_target(contract: Contract, fallback: Summary | None) -> bool:
    """The fallback delegates to a constant, an immutable, or a variable only a constructor
    writes, and no code of the contract writes a slot in assembly: nothing in the proxy can
    point it elsewhere (a library fixed at deployment, a module's fixed logic). Not where the
    variable's layout is shared with the delegate by design (declared in a storage-only base,
    or written by a contract of the scan that inherits its declaration)."""
    targets = delegate_targets(fallback)
    if not targets or any(t is None or t.kind not in ("constant", "stored") for t in targets):
        return False
    variables = {v.name: v for v in all_state_variables(contract)}
    for function in contract.functions:
        if function.is_constructor or function.is_constructor_variables:
            continue
        if function.contains_assembly and "sstore" in (function.source_mapping.content or ""):
            return False
        written = {v.name for v in function.state_variables_written}
        if any(t.kind == "stored" and t.name in written for t in targets):
            return False
    if not all(t.kind == "constant" or (t.name in variables and not str(variables[t.name].type).startswith("mapping"))
               for t in targets):
        return False
    # the code it delegates to shares the storage: an implementation of the scan that
    # inherits the variable's declaration and writes it (`Proxied.masterCopy` beside a master
    # copy's `updateMasterCopy`) can point it elsewhere
    declarers = {variables[t.name].contract for t in targets if t.kind == "stored"}
    if any(not any(f.is_implemented for f in d.functions_declared) for d in declarers if d is not contract):
        return False  # declared in a storage-only base (Gnosis' `Proxied`): a layout the implementation inherits too
    for other in getattr(contract.compilation_unit, "contracts", ()):
        if other is contract or not declarers & set(other.inheritance):
            continue
        for function in other.functions:
            if function.is_constructor or function.is_constructor_variables:
                continue
            if any(t.kind == "stored" and t.name in {v.name for v in function.state_variables_written} for t in targets):
                return False
    return True


def _asks_a_beacon(fallback: Summary | None) -> bool:
    """The fallback asks another contract for the implementation it delegates to."""
    return fallback is not None and any(e.kind == "external" and e.target in ("implementation", "childImplementation")
                                        for e in fallback.effects)


def _delegates_by_selector(contract: Contract) -> bool:
    """A diamond's fallback looks the facet up by `msg.sig` (a mapping keyed by it, or a
    lookup it is handed to); a transparent proxy only compares it with its admin's selectors."""
    for function in contract.functions:
        if function.is_fallback:
            for node in function.nodes:
                for ir in node.irs:
                    if isinstance(ir, Binary) and ir.type in (BinaryType.EQUAL, BinaryType.NOT_EQUAL):
                        continue
                    if any(getattr(v, "name", "") == "msg.sig" for v in ir.read):
                        return True
    return False


def classify(contract: Contract, fallback: Summary | None) -> dict[ContractKind, str]:
    """{kind: the standard it follows}, e.g. {"token": "ERC20", "proxy": "EIP-1967 transparent"}."""
    signatures = _signatures(contract)
    found: dict[ContractKind, str] = {}
    if ERC20_CORE <= signatures:
        partial = "" if ERC20 <= signatures else " (partial)"
        votes = " with votes" if VOTES <= signatures or COMPOUND_VOTES <= signatures else ""
        found[ContractKind.TOKEN] = f"ERC20{partial}{votes}"
    elif ERC721 <= signatures:
        found[ContractKind.TOKEN] = "ERC721"
    elif ERC1155 <= signatures:
        found[ContractKind.TOKEN] = "ERC1155"

    slots = _proxy_slots(contract) if (fallback is not None or UUPS <= signatures) else set()
    if _delegates(fallback) or (fallback is not None and slots & {"eip1967-implementation", "eip1967-beacon", "eip1822", "zeppelinos"}):
        if "diamondCut((address,uint8,bytes4[])[],address,bytes)" in signatures or "diamond" in slots or _delegates_by_selector(contract):
            found[ContractKind.PROXY] = "EIP-2535 diamond"
        elif ("eip1967-beacon" in slots and "eip1967-implementation" not in slots) or _asks_a_beacon(fallback):
            found[ContractKind.PROXY] = "EIP-1967 beacon proxy" if "eip1967-beacon" in slots else "beacon proxy"
        elif "eip1967-admin" in slots or "transparent" in contract.name.lower():
            found[ContractKind.PROXY] = "EIP-1967 transparent"
        elif "eip1967-implementation" in slots:
            found[ContractKind.PROXY] = "EIP-1967"
        elif "eip1822" in slots:
            found[ContractKind.PROXY] = "EIP-1822"
        elif "zeppelinos" in slots:
            found[ContractKind.PROXY] = "ZeppelinOS"
        elif _fixed_target(contract, fallback):
            found[ContractKind.PROXY] = "fixed delegatecall proxy"
        else:
            found[ContractKind.PROXY] = "custom delegatecall proxy"
    if UUPS <= signatures and ContractKind.PROXY not in found:
        found[ContractKind.UPGRADEABLE] = "UUPS implementation"
    elif BEACON <= signatures and ContractKind.PROXY not in found:
        found[ContractKind.UPGRADEABLE] = "upgradeable beacon"
    elif any(f.name in ("initialize", "_disableInitializers") for f in contract.functions) and ContractKind.PROXY not in found:
        found[ContractKind.UPGRADEABLE] = "initializable implementation"

    if OZ_TIMELOCK <= signatures:
        found[ContractKind.TIMELOCK] = "OpenZeppelin TimelockController"
    elif COMPOUND_TIMELOCK <= signatures:
        found[ContractKind.TIMELOCK] = "Compound Timelock"
    elif _custom_timelock(contract) and not (OZ_GOVERNOR <= signatures or BRAVO_GOVERNOR <= signatures):
        found[ContractKind.TIMELOCK] = "custom timelock"
    if OZ_GOVERNOR <= signatures:
        found[ContractKind.GOVERNOR] = "OpenZeppelin Governor"
    elif BRAVO_GOVERNOR <= signatures:
        found[ContractKind.GOVERNOR] = "Compound GovernorBravo"
    elif ALPHA_GOVERNOR <= signatures:
        found[ContractKind.GOVERNOR] = "Compound GovernorAlpha"
    if SAFE_NAMES <= {f.name for f in contract.functions}:
        found[ContractKind.MULTISIG] = "Safe"
    elif _custom_multisig(contract):
        found[ContractKind.MULTISIG] = "custom M-of-N"
    if ACCESS_MANAGER <= signatures:
        found[ContractKind.ACCESS_MANAGER] = "OpenZeppelin AccessManager"
    return found


def _custom_timelock(contract: Contract) -> bool:
    names = {f.name.lower() for f in contract.functions if f.visibility in ("public", "external")}
    queues = any(n.startswith(("queue", "schedule")) for n in names)
    executes = any(n.startswith("execute") for n in names)
    delay = any(v.name.lower().lstrip("_") in ("delay", "mindelay", "minimumdelay", "timelockdelay") for v in all_state_variables(contract))
    return queues and executes and delay


def is_multisig(contract: Contract) -> bool:
    """A Safe, or a wallet of owners that confirm and execute under a threshold."""
    return SAFE_NAMES <= {f.name for f in contract.functions} or _custom_multisig(contract)


def _custom_multisig(contract: Contract) -> bool:
    names = {f.name.lower() for f in contract.functions if f.visibility in ("public", "external")}
    confirms = any(n.startswith(("confirm", "approve", "sign")) for n in names) and any(n.startswith("execute") for n in names)
    threshold = any(v.name.lower().lstrip("_") in ("required", "threshold", "quorum", "signaturesrequired") for v in all_state_variables(contract))
    owners = any(v.name.lower().lstrip("_") in ("owners", "isowner", "signers", "issigner") for v in all_state_variables(contract))
    return confirms and threshold and owners
