"""Minting by a privileged key."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category


class EconomicMint(Rule):
    id = "economic-mint"
    category = Category.ECONOMIC_CONTROL
    severity = Severity.HIGH
    weight = 25
    title = "Privileged mint"
    rationale = (
        "A key can create tokens at will, diluting every holder. Without a cap there is no limit; with "
        "one, the limit is the cap."
    )
    remediation = "Fix the supply, cap it in code, or put minting behind governance and a timelock."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract, entry, capability, guards in privileged_uses(facts, {CapabilityName.MINT}, self.governance.governs):
            if capability.paid:
                continue
            cap = f"capped, supply {capability.bound}" if capability.bound else "uncapped"
            yield self.finding(
                contract, f"{describe_all(guards)} can mint {contract.name} tokens ({cap}) through {entry.function}",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
                severity=Severity.MEDIUM if capability.bound else Severity.HIGH,
            )
