"""Direct balance manipulation."""
from __future__ import annotations

from inspector.catalogue import Rule
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Severity


class EconomicBalanceManipulation(Rule):
    id = "economic-balance-manipulation"
    category = "economic-control"
    severity = Severity.CRITICAL
    weight = 40
    title = "Direct balance manipulation"
    rationale = "A key can write account balances directly: it can take anyone's tokens or create them out of nothing."
    remediation = "Remove any path that writes balances outside transfers, mints and burns."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract, entry, capability, guards in privileged_uses(facts, {"set_balance"}):
            yield self.finding(
                contract, f"{describe_all(guards)} can write balances directly through {contract.name}.{entry.function}",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
            )
