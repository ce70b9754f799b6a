"""Is a guard governance (a timelock, a governor, the contract's own vote or quorum) or a key?
From the chain when it was read, from the code otherwise.

The code can only go by names and types: `msg.sender == timelockAdmin` looks like a
timelock. The chain says what the address is: an EOA named `timelockAdmin` is a key, and an
`owner` that is a TimelockController is governance. Where the chain cannot tell (the guard
was not read, the holder is a contract of unknown kind), the code's answer stands."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Callable

from inspector.chain.accounts import short
from inspector.facts.model import ContractFacts, Guard
from inspector.facts.queries import describe, is_governance_path, is_quorum
from inspector.vocabulary import AccountKind, GuardKind

if TYPE_CHECKING:  # the chain stage's value: the rules load without eth_utils and the graph
    from inspector.chain.facts import ChainFacts

# Accounts that are governance, or nobody: no key acts through them at once
_GOVERNANCE_KINDS = (AccountKind.TIMELOCK, AccountKind.GOVERNOR, AccountKind.RENOUNCED)
# Accounts that are keys: one holder, or a fixed set of signers, acts with no vote or delay
_KEY_KINDS = (AccountKind.EOA, AccountKind.MULTISIG, AccountKind.ANYONE)
# Guards whose meaning the code decides: no address on chain holds them
_CODE_ONLY = (GuardKind.SELF, GuardKind.CALLBACK, GuardKind.CREATOR, GuardKind.USER, GuardKind.ANYONE)


class _Holder(Enum):
    """What an account holding a guard is, for governance."""

    GOVERNANCE = "governance"
    KEY = "key"
    UNKNOWN = "unknown"


class Basis(Enum):
    CODE = "code"
    CHAIN = "chain"


@dataclass(frozen=True)
class Verdict:
    governed: bool
    basis: Basis
    # for a verdict the chain gave: what the holders are ("EOA 0x12…cdef")
    holders: tuple[str, ...] = ()


class Governance:
    """The judge the rules ask; `chain` is None for a scan of sources only."""

    def __init__(self, chain: ChainFacts | None = None) -> None:
        self.chain = chain

    def verdict(self, guard: Guard, contract: ContractFacts,
                by_code: Callable[[Guard, ContractFacts], bool] = is_governance_path) -> Verdict:
        """`by_code` is the code's answer, for where the chain gives none."""
        code = Verdict(by_code(guard, contract), Basis.CODE)
        if self.chain is None or guard.kind in _CODE_ONLY or is_quorum(guard, contract):
            return code
        deployments = self.chain.deployments_of(contract.name)
        if not deployments:
            return code
        kinds: list[_Holder] = []
        shown: list[str] = []
        for deployment in deployments:
            holders = self.chain.guard_holders(deployment, guard)
            if holders is None:
                return code  # not read on one of its addresses: the code's answer stands
            for holder in holders:
                kind = _Holder.GOVERNANCE if holder == deployment.address else self._kind(holder)
                kinds.append(kind)
                account = self.chain.account(holder)
                shown.append(account.describe() if account is not None else short(holder))
        if _Holder.KEY in kinds:
            return Verdict(False, Basis.CHAIN, tuple(dict.fromkeys(shown)))
        if _Holder.UNKNOWN in kinds:
            return code
        return Verdict(True, Basis.CHAIN, tuple(dict.fromkeys(shown)))

    def governs(self, guard: Guard, contract: ContractFacts,
                by_code: Callable[[Guard, ContractFacts], bool] = is_governance_path) -> bool:
        return self.verdict(guard, contract, by_code).governed

    def uses_timelock(self, contract: ContractFacts, by_code: Callable[[ContractFacts], bool]) -> bool:
        """The contract waits on a timelock for some changes: by the code, or because the
        chain shows a timelock holding one of its guards."""
        if by_code(contract) or self.chain is None:
            return by_code(contract)
        return any(self._is_timelock(holder) for deployment in self.chain.deployments_of(contract.name)
                   for (address, _), holders in self.chain.graph.guard_holders.items() if address == deployment.address
                   for holder in holders)

    def quorum(self, guard: Guard, contract: ContractFacts) -> bool:
        """The chain shows that every holder of the guard is a multisig that needs two
        signatures or more: not a single key."""
        if self.chain is None or not self.chain.deployments_of(contract.name):
            return False
        accounts = []
        for deployment in self.chain.deployments_of(contract.name):
            holders = self.chain.guard_holders(deployment, guard)
            if not holders:
                return False
            accounts += [self.chain.account(h) for h in holders]
        return all(a is not None and a.kind == AccountKind.MULTISIG and (a.threshold or 0) >= 2 for a in accounts)

    def _is_timelock(self, address: str) -> bool:
        account = self.chain.account(address) if self.chain is not None else None
        return account is not None and account.kind == AccountKind.TIMELOCK

    def outside(self, guards: tuple[Guard, ...], contract: ContractFacts) -> tuple[Guard, ...]:
        """The alternatives that do not go through governance: of `msg.sender == timelock ||
        msg.sender == guardian`, the guardian; of `timelockAdmin` that the chain shows is an
        EOA, that EOA."""
        return tuple(g for g in guards if not self.governs(g, contract))

    def contradicted(self, guards: tuple[Guard, ...], contract: ContractFacts) -> str:
        """What the chain shows of keys the code took for governance, for a finding's message:
        " (on chain 'timelockAdmin' is EOA 0x12…cdef, not a timelock or governor)"; "" when
        the chain agrees with the code or was not read."""
        notes = []
        for guard in guards:
            verdict = self.verdict(guard, contract)
            if verdict.basis is Basis.CHAIN and not verdict.governed and is_governance_path(guard, contract):
                notes.append(f"{describe(guard)} is {' and '.join(verdict.holders) or 'nobody'}")
        return f" (on chain {'; '.join(notes)}, not a timelock or governor)" if notes else ""

    def basis_note(self, keys: tuple[Guard, ...], contract: ContractFacts) -> str:
        """Where a finding's verdict on `keys` comes from, for its message: what the chain
        contradicts, or " in the code" where only the code was read for them."""
        contradicted = self.contradicted(keys, contract)
        if contradicted:
            return contradicted
        return " in the code" if any(self.verdict(k, contract).basis is Basis.CODE for k in keys) else ""

    def _kind(self, address: str, depth: int = 4) -> _Holder:
        """What the account is, following a contract's owner up to `depth` steps."""
        account = self.chain.account(address) if self.chain is not None else None
        if account is None:
            return _Holder.UNKNOWN
        if account.kind in _GOVERNANCE_KINDS:
            return _Holder.GOVERNANCE
        if account.kind in _KEY_KINDS:
            return _Holder.KEY
        owners = self.chain.owners_of(address)
        if owners and depth > 0:
            kinds = {self._kind(owner, depth - 1) for owner in owners}
            return _Holder.KEY if _Holder.KEY in kinds else _Holder.UNKNOWN if _Holder.UNKNOWN in kinds else _Holder.GOVERNANCE
        return _Holder.UNKNOWN


def anchor(facts, chain: ChainFacts, addresses) -> ContractFacts | None:
    """The scanned contract a finding about on-chain governance is reported at: the first of
    `addresses` (the governor, its token, the contracts it concerns) a contract of the facts
    is deployed at. None when none is scanned (the JSON governance section still says it)."""
    by_name = {c.name: c for c in facts.contracts}
    for address in addresses:
        deployment = chain.deployed_at(address) if address else None
        if deployment is not None and deployment.contract.name in by_name:
            return by_name[deployment.contract.name]
    return None


def describe_power(chain: ChainFacts, power) -> str:
    """'mint on MintableToken 0x12…cdef (mint(address,uint256))'."""
    deployment = chain.deployed_at(power.contract)
    name = deployment.contract.name if deployment is not None else "contract"
    via = f" ({power.function})" if power.function else ""
    return f"{power.capability} on {name} {short(power.contract)}{via}"
