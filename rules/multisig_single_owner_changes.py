"""One owner of a custom multisig changes the owners or the threshold."""
from __future__ import annotations

from inspector.catalogue import Rule
from inspector.facts.queries import describe_all, guards_of, principal_of
from inspector.findings import Severity


class MultisigSingleOwnerChanges(Rule):
    id = "multisig-single-owner-changes"
    category = "multisig"
    severity = Severity.HIGH
    weight = 30
    title = "One multisig owner alone can change the owners or the threshold"
    rationale = (
        "The owner set and threshold should change only through the multisig's own M-of-N flow. If one "
        "owner can change them directly, that owner can add itself or lower the threshold to one."
    )
    remediation = "Only let the wallet itself (`msg.sender == address(this)`, after M confirmations) change owners or threshold."
    references = ("https://github.com/safe-global/safe-smart-account/blob/main/contracts/base/OwnerManager.sol",)

    def check(self, facts):
        for contract in facts.contracts:
            if "multisig" not in contract.kinds:
                continue
            for entry in contract.entry_points:
                for capability in entry.capabilities:
                    guards = guards_of(entry, capability)
                    if capability.name == "change_threshold" and not any(g.kind == "self" for g in guards):
                        yield self.finding(
                            contract,
                            f"{describe_all(guards)} can change {contract.name}'s {capability.detail} through "
                            f"{entry.function} without the other owners",
                            entry=entry, capabilities=(capability,), principal=principal_of(guards),
                        )
                        break
