"""A governance token whose supply an admin can inflate."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, ContractKind


class EconomicGovernanceCapture(Rule):
    id = "economic-governance-capture"
    category = Category.ECONOMIC_CONTROL
    severity = Severity.HIGH
    weight = 30
    title = "Governance token an admin can inflate"
    rationale = (
        "The token carries votes, and a key can mint it. Whoever holds that key can mint themselves a "
        "majority and pass any proposal: on-chain governance is then a formality."
    )
    remediation = "Remove privileged minting from voting tokens, or let only governance mint, capped and timelocked."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract, entry, capability, guards in privileged_uses(facts, {CapabilityName.MINT}, self.governance.governs):
            if "with votes" not in contract.standards.get(ContractKind.TOKEN, "") or capability.paid:
                continue
            yield self.finding(
                contract,
                f"{contract.name} carries votes and {describe_all(guards)} can mint it through {entry.function}",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
            )
