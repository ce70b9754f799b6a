"""Upgrade power not behind a timelock."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, guards_of, principal_of, unrestricted
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category


class UpgradeNoTimelock(Rule):
    id = "upgrade-no-timelock"
    category = Category.UPGRADEABILITY
    severity = Severity.HIGH
    weight = 25
    title = "Upgrade power not behind a timelock"
    rationale = (
        "The holder of the upgrade power can replace the code at once. Users get no window to see the "
        "new code and leave before it runs; L2BEAT and DeFiScan require at least 7 days for stage 1."
    )
    remediation = (
        "Give the upgrade power to a timelock (OpenZeppelin TimelockController) with a delay of 7 days or "
        "more. If the holder is already a timelock on chain, scan the deployed system with an RPC."
    )
    references = ("https://medium.com/l2beat/introducing-stages-a-framework-to-evaluate-rollups-maturity-d290bb22befe",)

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                for capability in entry.capabilities:
                    if capability.name != CapabilityName.UPGRADE:
                        continue
                    guards = guards_of(entry, capability)
                    keys = self.governance.outside(guards, contract)  # a guardian beside the timelock
                    if unrestricted(guards) or not keys:
                        continue
                    yield self.finding(
                        contract,
                        f"{describe_all(keys)} can upgrade {contract.name} through {entry.function} with no delay"
                        f"{self.governance.basis_note(keys, contract)}",
                        entry=entry, capabilities=(capability,), principal=principal_of(keys),
                    )
                    break
