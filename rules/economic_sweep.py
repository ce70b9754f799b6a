"""Privileged withdrawal of funds the contract holds."""
from __future__ import annotations

from inspector.catalogue import Rule
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Severity


class EconomicSweep(Rule):
    id = "economic-sweep"
    category = "economic-control"
    severity = Severity.HIGH
    weight = 25
    title = "Privileged withdrawal of funds the contract holds"
    rationale = "A key can move ETH or tokens out of the contract, including users' deposits where the contract holds them."
    remediation = "Restrict withdrawals to what belongs to the protocol (fees), never users' balances; put the rest behind a timelock."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract, entry, capability, guards in privileged_uses(facts, {"withdraw_funds"}):
            yield self.finding(
                contract, f"{describe_all(guards)} can move funds out through {contract.name}.{entry.function}",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
            )
