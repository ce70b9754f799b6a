"""One owner of a custom multisig changes the owners or the threshold."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, guards_of, principal_of
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, ContractKind


class MultisigSingleOwnerChanges(Rule):
    id = "multisig-single-owner-changes"
    category = Category.MULTISIG
    severity = Severity.HIGH
    weight = 30
    title = "One multisig owner alone can change the owners or the threshold"
    rationale = (
        "The owner set and threshold should change only through the multisig's own M-of-N flow. If one "
        "owner can change them directly, that owner can add itself or lower the threshold to one. An owner "
        "submitting or confirming a change that runs only once enough owners confirmed is that flow."
    )
    remediation = "Only let the wallet itself (`msg.sender == address(this)`, after M confirmations) change owners or threshold."
    references = ("https://github.com/safe-global/safe-smart-account/blob/main/contracts/base/OwnerManager.sol",)

    applies_to = frozenset({ContractKind.MULTISIG})

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                if entry.initializer == "guarded":
                    continue  # the owners and threshold set up once, at deployment
                for capability in entry.capabilities:
                    if capability.name != CapabilityName.CHANGE_THRESHOLD:
                        continue
                    # the wallet's own call (onlyWallet) or a quorum of confirmations decides;
                    # an owner who may do it alone beside them is the hole
                    keys = self.governance.outside(guards_of(entry, capability), contract)
                    if not keys:
                        continue
                    yield self.finding(
                        contract,
                        f"{describe_all(keys)} can change {contract.name}'s {capability.detail} through "
                        f"{entry.function} without the other owners",
                        entry=entry, capabilities=(capability,), principal=principal_of(keys),
                    )
                    break
