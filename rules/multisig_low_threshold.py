"""A multisig threshold, or number of owners, under the configured minimum."""
from __future__ import annotations

import re

from inspector.rules import Rule
from inspector.chain.accounts import short
from inspector.findings import ITSELF, Severity
from inspector.vocabulary import AccountKind, Category, ContractKind

_THRESHOLD = ("threshold", "required", "quorum")
_OWNERS = ("owners", "signers")
_OWNER_COUNT = ("ownercount", "owners_count", "numowners", "owner_count", "signercount")
_FIXED_ARRAY = re.compile(r"^address\[(\d+)\]$")


def _count(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def _owner_count(contract) -> tuple[str, int] | None:
    """The number of owners when the code fixes it: a fixed-size owner array, or a
    constant or literal count. Otherwise the chain tells (scan the deployed address)."""
    for name, kind in sorted(contract.state_variables.items()):
        match = _FIXED_ARRAY.match(kind.replace(" ", ""))
        if match and name.lstrip("_").lower() in _OWNERS:
            return name, int(match.group(1))
    for name, value in sorted(contract.values.items()):
        if name.lstrip("_").lower() in _OWNER_COUNT and _count(value) is not None:
            return name, _count(value)
    return None


class MultisigLowThreshold(Rule):
    id = "multisig-low-threshold"
    category = Category.MULTISIG
    severity = Severity.HIGH
    weight = 25
    title = "Multisig threshold or number of owners under the minimum"
    rationale = (
        "With a threshold of one, any single owner acts alone: the multisig is a single key with extra steps. "
        "With few owners, losing or colluding a couple of keys is enough. The minimums are "
        "thresholds.multisig_min_threshold (2) and thresholds.multisig_min_owners (3) in the configuration."
    )
    remediation = "Raise the threshold to a majority of owners, and spread the keys over enough independent owners."
    references = ("https://www.defiscan.info/framework",)

    def check(self, facts):
        least, fewest = self.thresholds.multisig_min_threshold, self.thresholds.multisig_min_owners
        reported: set[tuple[str, str]] = set()  # (address, wallet): a diamond's facets share their address
        for contract in facts.contracts:
            read = self._read_on_chain(contract)
            if read:
                # the chain read the wallet itself: its M and N, not the code's first values
                for account in read:
                    shortfall = _shortfall(account, least, fewest)
                    if shortfall:
                        yield self.finding(contract, f"{contract.name} at {short(account.address)} is {account.threshold}-of-"
                                                     f"{len(account.owners)} on chain: {shortfall}", principal=contract.name,
                                           subject=ITSELF)
                continue
            if "multisig" in contract.kinds:
                yield from self._from_code(contract, least, fewest)
            yield from self._held_by_multisig(contract, least, fewest, reported)

    def _from_code(self, contract, least, fewest):
        for name, value in sorted(contract.values.items()):
            count = _count(value) if name.lstrip("_").lower() in _THRESHOLD else None
            if count is not None and count < least:
                alone = ": one owner acts alone" if count <= 1 else ""
                yield self.finding(contract, f"{contract.name}.{name} starts at {value.strip()}, under the minimum "
                                             f"threshold of {least}{alone}", principal=name, variable=name, subject=ITSELF)
        owners = _owner_count(contract)
        if owners is not None and owners[1] < fewest:
            yield self.finding(contract, f"{contract.name} has {owners[1]} owners ({owners[0]}), under the minimum of {fewest}",
                               principal=owners[0], variable=owners[0], subject=ITSELF)

    def _read_on_chain(self, contract):
        """The multisig accounts the chain read at the contract's own addresses."""
        accounts = self.chain.accounts_of(contract.name) if self.chain is not None and ContractKind.MULTISIG in contract.kinds else None
        # a wallet with no owners is a singleton (a Safe's master copy) nobody signs for
        return [a for a in accounts or () if a.kind == AccountKind.MULTISIG and a.threshold is not None and a.owners]

    def _held_by_multisig(self, contract, least, fewest, reported):
        """A wallet under the minimums the chain shows holding the contract's powers, directly
        or as the owner of a contract that holds them (a ProxyAdmin owned by a Safe)."""
        if self.chain is None:
            return
        for deployment in self.chain.deployments_of(contract.name):
            for entry in contract.entry_points:
                for guard in {g for c in entry.capabilities for g in (c.guards or entry.guards)}:
                    for account in self._wallets(self.chain.guard_holders(deployment, guard) or ()):
                        shortfall = _shortfall(account, least, fewest)
                        if not shortfall or (deployment.address, account.address) in reported:
                            continue
                        reported.add((deployment.address, account.address))
                        yield self.finding(contract, f"'{guard.detail or guard.kind}', which {contract.name}.{entry.function} needs, "
                                                     f"is held on chain by {account.describe()}: {shortfall}",
                                           entry=entry, capabilities=entry.capabilities, principal=guard.detail or guard.kind)

    def _wallets(self, holders, depth: int = 4):
        """The multisig wallets among `holders` and the owners above them, on chain."""
        for holder in holders:
            account = self.chain.account(holder)
            if account is None:
                continue
            if account.kind == AccountKind.MULTISIG and account.threshold is not None and account.owners:
                yield account
            elif account.kind == AccountKind.CONTRACT and depth > 0:
                yield from self._wallets(self.chain.owners_of(holder), depth - 1)


def _shortfall(account, least: int, fewest: int) -> str:
    """What a wallet read on chain lacks: 'a threshold under the minimum of 2 (any one owner acts alone)'."""
    parts = []
    if account.threshold < least:
        parts.append(f"a threshold under the minimum of {least}" + (" (any one owner acts alone)" if account.threshold <= 1 else ""))
    if len(account.owners) < fewest:
        parts.append(f"{len(account.owners)} owners, under the minimum of {fewest}")
    return "; ".join(parts)
