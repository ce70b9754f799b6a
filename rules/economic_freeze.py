"""Blacklist or freeze of accounts."""
from __future__ import annotations

from inspector.catalogue import Rule
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Severity


class EconomicFreeze(Rule):
    id = "economic-freeze"
    category = "economic-control"
    severity = Severity.HIGH
    weight = 20
    title = "Blacklist or freeze of accounts"
    rationale = "A key can stop chosen accounts from moving their tokens: holders' funds are only as free as that key allows."
    remediation = "Remove the blacklist, or put it behind governance with a public process."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract, entry, capability, guards in privileged_uses(facts, {"freeze"}):
            yield self.finding(
                contract, f"{describe_all(guards)} can freeze or blacklist accounts through {contract.name}.{entry.function}",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
            )
