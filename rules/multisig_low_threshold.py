"""A multisig threshold, or number of owners, under the configured minimum."""
from __future__ import annotations

import re

from inspector.rules import Rule
from inspector.findings import ITSELF, Severity
from inspector.vocabulary import Category, ContractKind

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
        for contract in facts.contracts:
            if ContractKind.MULTISIG not in contract.kinds:
                continue
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
