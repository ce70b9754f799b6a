"""Fees, taxes or limits a key can set."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category


class EconomicFeeSettable(Rule):
    id = "economic-fee-settable"
    category = Category.ECONOMIC_CONTROL
    severity = Severity.MEDIUM
    weight = 10
    title = "Fee, tax or limit settable by a key"
    rationale = (
        "A key can change what users pay or how much they may move. Without a hard upper bound in the "
        "code, a fee can be set to 100% (a honeypot); with one, the bound is the worst case."
    )
    remediation = "Bound every fee and limit with a constant in the code, and put changes behind a timelock."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract, entry, capability, guards in privileged_uses(facts, {CapabilityName.SET_FEE, CapabilityName.SET_LIMITS}, self.governance.governs):
            # a fee needs a ceiling; a limit needs a floor (a max-transaction of zero traps holders)
            protective = capability.bound.startswith("<=" if capability.name == CapabilityName.SET_FEE else (">=", "<="))
            bound = f"bounded {capability.bound}" if protective else "with no hard bound in the code"
            yield self.finding(
                contract,
                f"{describe_all(guards)} can set {capability.detail} ({bound}) through {contract.name}.{entry.function}",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
                severity=Severity.LOW if protective else Severity.MEDIUM,
            )
