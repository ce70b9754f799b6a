"""Facts of deployed code nobody verified, from its bytecode alone (evmole): which functions
it has (selector, arguments, state mutability, the storage each writes), which of them are
known privileged functions (facts/selectors.py), and who may call them as far as the code's
getters tell. Many tokens people need checked are unverified; saying nothing about them
would read as safe.

What bytecode cannot show is said, never assumed: a privileged function is guarded by the
seat a getter of the code names (`owner()` read on chain, a role the contract names, a
proxy's EIP-1967 admin), and where the code names none its guard is unknown (UNKNOWN), which
the chain stage cannot read and the score counts as one key with no delay. The contract is
marked `bytecode_only`: its findings are of low confidence and say so."""
from __future__ import annotations

from dataclasses import dataclass

import evmole

from inspector.chain.accounts import short
from inspector.chain.probes.eip1967 import ADMIN_SLOT, IMPLEMENTATION_SLOT
from inspector.facts.model import Capability, ContractFacts, EntryPoint, Guard
from inspector.facts.selectors import HAS_ROLE, NAMES, OWNER_GETTERS, PRIVILEGED, ROLE_GETTERS, TOKEN_CORE
from inspector.vocabulary import CapabilityName, ContractKind, GuardKind

# who may call a privileged function whose code names no seat: not readable, never safe
UNKNOWN = Guard(GuardKind.CUSTOM, "unknown (bytecode only)")
# a role administering the role passed to grantRole/revokeRole (chain/graph.py reads its members)
ROLE_ADMIN = Guard(GuardKind.ROLE, "admin of the role granted")
# the admin of a proxy: admin(), else the EIP-1967 admin slot (chain/graph.py resolve_guard)
PROXY_ADMIN = Guard(GuardKind.OWNER, "admin")
_ADMIN_POWERS = (CapabilityName.UPGRADE, CapabilityName.CHANGE_OWNER)
_READ_ONLY = ("view", "pure")


@dataclass(frozen=True)
class Function:
    """A function of unverified code as evmole reads it."""

    selector: str  # 8 hex digits
    arguments: str  # "address,uint256"
    mutability: str  # pure | view | nonpayable | payable
    writes: tuple[int, ...]  # storage slots it writes
    reads: tuple[int, ...] = ()  # storage slots it reads

    @property
    def signature(self) -> str:
        """The known signature, else the selector with the argument types evmole found."""
        return NAMES.get(self.selector, f"0x{self.selector}({self.arguments})")


def unverified_name(address: str) -> str:
    """The name an unverified contract is reported under: 'Unverified@0x1234…5678'."""
    return f"Unverified@{short(address)}"


def functions_of(code: bytes) -> tuple[Function, ...]:
    """The functions the code dispatches to, with the storage slots each reads and writes."""
    info = evmole.contract_info(code, selectors=True, arguments=True, state_mutability=True, storage=True)
    writes: dict[str, set[int]] = {}
    reads: dict[str, set[int]] = {}
    for record in info.storage or ():
        for by, selectors in ((writes, record.writes), (reads, record.reads)):
            for chosen in selectors:
                by.setdefault(chosen, set()).add(int(record.slot, 16))
    return tuple(sorted((Function(f.selector, f.arguments or "", f.state_mutability or "", tuple(sorted(writes.get(f.selector, ()))),
                                  tuple(sorted(reads.get(f.selector, ())))) for f in info.functions or ()),
                        key=lambda f: f.selector))


def _guard(capability: CapabilityName, selectors: set[str], reads_admin_slot: bool) -> Guard:
    """Who may use a privileged function, as far as the code's getters say."""
    if HAS_ROLE in selectors:
        if capability == CapabilityName.GRANT_ROLE:
            return ROLE_ADMIN
        getter = ROLE_GETTERS.get(capability)
        if getter is not None and getter[0] in selectors:
            return Guard(GuardKind.ROLE, getter[1])
    owner = next((name for sel, name in OWNER_GETTERS.items() if sel in selectors), None)
    if owner is not None:
        return Guard(GuardKind.OWNER, owner)
    if capability in _ADMIN_POWERS or reads_admin_slot:
        return PROXY_ADMIN
    return UNKNOWN


def _slot_text(slot: int) -> str:
    return {IMPLEMENTATION_SLOT: "the EIP-1967 implementation slot", ADMIN_SLOT: "the EIP-1967 admin slot"}.get(slot, f"slot {slot:#x}")


_WORD = (1 << 256) - 1


def _constants(code: bytes) -> set[int]:
    """The constants the code pushes, as solc's optimizer writes them: a literal, or a
    shorter literal shifted left (`PUSH4 0x278f7943 PUSH1 0xe1 SHL` is 0x4f1ef286 << 224)."""
    ops = [op.partition(" ") for _, op in evmole.contract_info(code, disassemble=True).disassembled or ()]
    found = set()
    for at, (name, _, argument) in enumerate(ops):
        if not name.startswith("PUSH") or not argument:
            continue
        value = int(argument, 16)
        found.add(value)
        if at + 2 < len(ops) and ops[at + 1][0] == "PUSH1" and ops[at + 2][0] == "SHL":
            found.add((value << int(ops[at + 1][2], 16)) & _WORD)
    return found


def _compared(code: bytes, functions: tuple[Function, ...]) -> tuple[Function, ...]:
    """Upgrade functions a proxy's own code reaches outside its dispatcher: a transparent
    proxy compares the selector of its admin's calls in the fallback (`msg.sig ==
    upgradeToAndCall.selector`), which evmole does not list. The selector among the
    constants the code pushes is what shows it."""
    listed = {f.selector for f in functions}
    constants = _constants(code)
    return tuple(Function(key, known.signature.partition("(")[2].rstrip(")"), "nonpayable", ())
                 for key, known in sorted(PRIVILEGED.items())
                 if known.capability == CapabilityName.UPGRADE and key not in listed
                 and {int(key, 16), int(key, 16) << 224} & constants)


def contract_from_bytecode(code: bytes, address: str, name: str = "", proxy: bool = False) -> ContractFacts:
    """The facts of the code at `address` (`proxy`: discover found it is a proxy's own code).
    Only the known privileged functions carry capabilities; the others are listed with no
    guard, as nothing they can do is known."""
    functions = functions_of(code)
    if proxy:
        functions += _compared(code, functions)
    selectors = {f.selector for f in functions}
    where = address
    entries = []
    for function in functions:
        known = PRIVILEGED.get(function.selector)
        capabilities: tuple[Capability, ...] = ()
        guards: tuple[Guard, ...] = ()
        if known is not None and function.mutability not in _READ_ONLY:
            writes = ", ".join(_slot_text(s) for s in function.writes) or "no storage evmole sees"
            capabilities = (Capability(known.capability, f"{known.signature} (bytecode only; writes {writes})", where, 0),)
            guards = (_guard(known.capability, selectors, ADMIN_SLOT in function.reads),)
        entries.append(EntryPoint(function.signature, name or unverified_name(address), where, 0, guards, capabilities))
    kinds = []
    if TOKEN_CORE <= selectors:
        kinds.append(ContractKind.TOKEN)
    if proxy:
        kinds.append(ContractKind.PROXY)
    elif any(PRIVILEGED.get(s) and PRIVILEGED[s].capability == CapabilityName.UPGRADE for s in selectors):
        kinds.append(ContractKind.UPGRADEABLE)  # upgrades itself (UUPS), or another contract (a ProxyAdmin)
    return ContractFacts(name or unverified_name(address), where, 0, tuple(kinds), tuple(entries), bytecode_only=True)
