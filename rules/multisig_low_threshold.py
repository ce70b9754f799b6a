"""A multisig threshold of one."""
from __future__ import annotations

from inspector.catalogue import Rule
from inspector.findings import Severity


class MultisigLowThreshold(Rule):
    id = "multisig-low-threshold"
    category = "multisig"
    severity = Severity.HIGH
    weight = 25
    title = "Multisig threshold of one, or under half of the owners"
    rationale = "With a threshold of one, any single owner acts alone: the multisig is a single key with extra steps."
    remediation = "Raise the threshold to a majority of owners."
    references = ("https://www.defiscan.info/framework",)

    def check(self, facts):
        for contract in facts.contracts:
            if "multisig" not in contract.kinds:
                continue
            for name, value in sorted(contract.values.items()):
                if name.lstrip("_").lower() in ("threshold", "required", "quorum") and value.strip() == "1":
                    yield self.finding(contract, f"{contract.name}.{name} starts at 1: one owner acts alone", principal=name, variable=name)
