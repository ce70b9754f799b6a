"""Privileged burn of others' tokens."""
from __future__ import annotations

from inspector.catalogue import Rule
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Severity


class EconomicBurnFrom(Rule):
    id = "economic-burn-from"
    category = "economic-control"
    severity = Severity.HIGH
    weight = 20
    title = "Privileged burn of others' tokens"
    rationale = "A key can destroy tokens held by any account, without the holder's approval."
    remediation = "Remove the power, or limit burning to the holder and approved spenders."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract, entry, capability, guards in privileged_uses(facts, {"burn_from"}):
            yield self.finding(
                contract, f"{describe_all(guards)} can burn tokens held by others through {contract.name}.{entry.function}",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
            )
