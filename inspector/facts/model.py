"""Facts about contracts, read from Slither's IR: who may call each entry point (guards),
what it can change (capabilities), and what kind of contract it is. Rules read only these."""
from __future__ import annotations

from dataclasses import dataclass, field

from inspector.vocabulary import CapabilityName, ContractKind, GuardKind


@dataclass(frozen=True)
class Guard:
    """One principal that may call an entry point.

    kind: a GuardKind (a kind it does not name is refused)
    detail: the state variable, role, address or expression that names the principal.
    """

    kind: GuardKind
    detail: str = ""
    admin: str = ""  # for a role: the role that grants and revokes it
    contract: str = ""  # for an owner or address typed as a contract (a timelock, a token): its type
    cosigner: str = ""  # a second key whose request the call needs (facts/requests.py): both keys act

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", GuardKind(self.kind))


ANYONE = Guard(GuardKind.ANYONE)
# a multisig acting on what enough of its owners signed or confirmed: its threshold decides
MULTISIG_SIGNERS = Guard(GuardKind.CUSTOM, "M-of-N owner signatures")


@dataclass(frozen=True)
class Capability:
    """Something an entry point can do, with the line that does it."""

    name: CapabilityName  # a name it does not know is refused
    detail: str  # the state variable written or the function called
    file: str
    line: int
    bound: str = ""  # a hard bound in the code on the new value: "<= MAX_FEE" or ">= MIN_AMOUNT"
    guards: tuple[Guard, ...] = ()  # when only a branch of the function does it: who reaches that branch
    paid: bool = False  # for mint: the same call takes payment or deposits (a sale, a vault)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", CapabilityName(self.name))


@dataclass(frozen=True)
class EntryPoint:
    function: str  # full signature, e.g. mint(address,uint256)
    declared_in: str  # the contract whose code defines it (differs when inherited)
    file: str
    line: int
    guards: tuple[Guard, ...]
    capabilities: tuple[Capability, ...]
    initializer: str = ""  # for an initialize function: "guarded" (runs once) or "open" (runs again)
    verifies_signature: bool = False  # recovers a signer (ecrecover, ECDSA.recover, ERC-1271)
    feeds: tuple[str, ...] = ()  # external price/data feed reads (latestRoundData, ...)
    # state it writes that nothing in the contract acts on, only shows (facts/inert.py): the
    # capabilities those writes would have given are not in `capabilities`
    inert: tuple[str, ...] = ()

    @property
    def privileged(self) -> bool:
        return any(g.kind != GuardKind.ANYONE for g in self.guards)


@dataclass(frozen=True, eq=False)
class ContractFacts:
    name: str
    file: str
    line: int
    kinds: tuple[ContractKind, ...]
    entry_points: tuple[EntryPoint, ...]
    standards: dict[str, str] = field(default_factory=dict)  # kind -> the standard it follows
    abstract: bool = False
    disables_initializers: bool = False  # the constructor locks the implementation
    values: dict[str, str] = field(default_factory=dict)  # constants and literal initial values, by name
    state_variables: dict[str, str] = field(default_factory=dict)  # name -> type, inherited ones included
    variable_lines: dict[str, tuple[str, int]] = field(default_factory=dict)  # state variable -> (file, line)
    storage: dict[str, tuple[int, int]] = field(default_factory=dict)  # address-typed variable -> (slot, byte offset)
    constructor_grants: tuple[tuple[str, str], ...] = ()  # (role, grantee) the constructor grants: deployer, self, <param>
    # a pending owner of a two-step transfer: variable -> the principals that name it (an
    # owner, or "self"), when nothing else ever writes it but a clear
    nominees: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # read from deployed bytecode alone (facts/bytecode.py), no source: guards are what the
    # code's getters name or unknown, and what it finds is of low confidence
    bytecode_only: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", tuple(ContractKind(k) for k in self.kinds))

    def entry(self, signature: str) -> EntryPoint | None:
        return next((e for e in self.entry_points if e.function == signature), None)


@dataclass(frozen=True)
class Facts:
    contracts: tuple[ContractFacts, ...] = field(default_factory=tuple)
