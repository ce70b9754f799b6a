"""What an address is, read from the chain: an EOA (EIP-7702 delegated or not), a Safe or
other multisig (M of N), a timelock (its delay), a governor, a proxy, an unknown contract,
or nobody (renounced to the zero or dead address). Each handler reads one kind of fact,
as L2BEAT's discovery handlers do."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eth_utils import keccak, to_checksum_address

from inspector.durations import duration
from inspector.standards import slot_number

if TYPE_CHECKING:  # the reader (and web3) is the caller's: reports use Account without it
    from inspector.chain.rpc import ChainReader

ZERO = "0x0000000000000000000000000000000000000000"
DEAD = {ZERO, "0x000000000000000000000000000000000000dEaD", "0xdEAD000000000000000042069420694206942069"}
SENTINEL = "0x0000000000000000000000000000000000000001"

SLOTS = {
    "implementation": slot_number("eip1967-implementation"),
    "admin": slot_number("eip1967-admin"),
    "beacon": slot_number("eip1967-beacon"),
    "eip1822": slot_number("eip1822"),
    "zeppelinos": slot_number("zeppelinos"),
}
SAFE_GUARD_SLOT = int(keccak(text="guard_manager.guard.address").hex(), 16)


def short(address: str) -> str:
    """An address as reports show it, '0x1234…abcd'; anything else as it is."""
    return f"{address[:6]}…{address[-4:]}" if address.startswith("0x") and len(address) == 42 else address


@dataclass
class Account:
    address: str
    kind: str  # an AccountKind
    label: str = ""
    threshold: int | None = None
    owners: list[str] = field(default_factory=list)
    delay: int | None = None  # seconds, for a timelock
    details: dict = field(default_factory=dict)

    def describe(self) -> str:
        shown = short(self.address)
        if self.kind == "multisig":
            return f"{self.label or 'multisig'} {self.threshold}-of-{len(self.owners)} {shown}"
        if self.kind == "timelock":
            delay = "delay unknown" if self.delay is None else f"{duration(self.delay)} delay"
            return f"{self.label or 'timelock'} ({delay}) {shown}"
        if self.kind == "renounced":
            return f"nobody (renounced to {shown})"
        if self.kind == "anyone":
            return "anyone"
        return f"{self.label or self.kind} {shown}"


def _address(raw: bytes) -> str | None:
    value = raw[-20:]
    return to_checksum_address(value) if any(value) else None


@dataclass
class Proxy:
    kind: str  # EIP-1967, EIP-1967 beacon, EIP-1822, ZeppelinOS, EIP-1167, EIP-897, Safe, EIP-2535 diamond
    implementations: list[str]
    admin: str | None = None
    beacon: str | None = None


_MINIMAL_PREFIX = bytes.fromhex("363d3d373d3d3d363d73")
_MINIMAL_SUFFIX = bytes.fromhex("5af43d82803e903d91602b57fd5bf3")


def detect_proxy(reader: ChainReader, address: str) -> Proxy | None:
    """A proxy, from chain state only (never from an explorer's flag)."""
    code = reader.code(address)
    if code.startswith(_MINIMAL_PREFIX) and code[30:].startswith(_MINIMAL_SUFFIX):
        return Proxy("EIP-1167", [to_checksum_address(code[10:30])])
    implementation = _address(reader.storage(address, SLOTS["implementation"]))
    admin = _address(reader.storage(address, SLOTS["admin"]))
    if implementation:
        return Proxy("EIP-1967", [implementation], admin=admin)
    beacon = _address(reader.storage(address, SLOTS["beacon"]))
    if beacon:
        target = reader.address_call(beacon, "implementation()")
        return Proxy("EIP-1967 beacon", [target] if target else [], beacon=beacon)
    for kind in ("eip1822", "zeppelinos"):
        found = _address(reader.storage(address, SLOTS[kind]))
        if found:
            return Proxy("EIP-1822" if kind == "eip1822" else "ZeppelinOS", [found])
    singleton = reader.address_call(address, "masterCopy()")
    if singleton and _address(reader.storage(address, 0)) == singleton:
        return Proxy("Safe", [singleton])
    facets = reader.call(address, "facetAddresses()", ["address[]"])
    if facets:
        return Proxy("EIP-2535 diamond", [to_checksum_address(f) for f in facets])
    if reader.call(address, "proxyType()", ["uint256"]) is not None:
        target = reader.address_call(address, "implementation()")
        if target:
            return Proxy("EIP-897", [target])
    return None


def classify(reader: ChainReader, address: str) -> Account:
    if address in DEAD or address.lower() in {d.lower() for d in DEAD}:
        return Account(address, "renounced", "nobody")
    code = reader.code(address)
    if not code:
        return Account(address, "eoa", "EOA")
    if code.startswith(bytes.fromhex("ef0100")):  # EIP-7702: an EOA delegating to code
        return Account(address, "eoa", "EOA (EIP-7702)", details={"delegate": to_checksum_address(code[3:23])})
    threshold = reader.call(address, "getThreshold()", ["uint256"])
    owners = reader.call(address, "getOwners()", ["address[]"])
    if threshold is not None and owners is not None:
        modules = reader.call(address, "getModulesPaginated(address,uint256)", ["address[]", "address"], (SENTINEL, 50), ["address", "uint256"])
        guard = _address(reader.storage(address, SAFE_GUARD_SLOT))
        return Account(address, "multisig", "Safe", threshold=threshold, owners=[to_checksum_address(o) for o in owners],
                       details={"modules": [to_checksum_address(m) for m in (modules[0] if modules else [])], "guard": guard})
    delay = reader.call(address, "getMinDelay()", ["uint256"])
    if delay is not None:
        return Account(address, "timelock", "TimelockController", delay=delay)
    compound_delay = reader.call(address, "delay()", ["uint256"])
    compound_admin = reader.address_call(address, "admin()")
    if compound_delay is not None and compound_admin is not None and reader.call(address, "GRACE_PERIOD()", ["uint256"]) is not None:
        return Account(address, "timelock", "Timelock", delay=compound_delay,
                       details={"admin": compound_admin, "pendingAdmin": reader.address_call(address, "pendingAdmin()")})
    voting_delay = reader.call(address, "votingDelay()", ["uint256"])
    voting_period = reader.call(address, "votingPeriod()", ["uint256"])
    if voting_delay is not None and voting_period is not None:
        past = max(reader.block - 1, 0)  # quorum is defined for a past timepoint
        return Account(address, "governor", "Governor", details={
            "token": reader.address_call(address, "token()"), "timelock": reader.address_call(address, "timelock()"),
            "votingDelay": voting_delay, "votingPeriod": voting_period,
            "quorum": str(reader.call(address, "quorum(uint256)", ["uint256"], (past,), ["uint256"])),
            "proposalThreshold": reader.call(address, "proposalThreshold()", ["uint256"])})
    owner = reader.address_call(address, "owner()")
    return Account(address, "contract", "contract", details={"owner": owner} if owner else {})
