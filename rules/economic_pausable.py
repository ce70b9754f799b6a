"""Pausable by a privileged key."""
from __future__ import annotations

from inspector.catalogue import Rule
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Severity


class EconomicPausable(Rule):
    id = "economic-pausable"
    category = "economic-control"
    severity = Severity.MEDIUM
    weight = 10
    title = "Pausable by a privileged key"
    rationale = "A key can stop transfers (or the whole protocol) for everyone, for as long as it likes."
    remediation = "Give pausing to a security council with an expiry, and never let the pauser also move funds."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract, entry, capability, guards in privileged_uses(facts, {"pause"}):
            yield self.finding(
                contract, f"{describe_all(guards)} can pause the contract through {contract.name}.{entry.function}",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
            )
