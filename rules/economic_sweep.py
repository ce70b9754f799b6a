"""Privileged withdrawal of funds the contract holds."""
from __future__ import annotations

from inspector.rules import PrivilegedCapabilityRule
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category


class EconomicSweep(PrivilegedCapabilityRule):
    id = "economic-sweep"
    category = Category.ECONOMIC_CONTROL
    severity = Severity.HIGH
    weight = 25
    title = "Privileged withdrawal of funds the contract holds"
    rationale = "A key can move ETH or tokens out of the contract, including users' deposits where the contract holds them."
    remediation = "Restrict withdrawals to what belongs to the protocol (fees), never users' balances; put the rest behind a timelock."
    references = ("https://arxiv.org/abs/2505.07828",)
    capabilities = frozenset({CapabilityName.WITHDRAW_FUNDS})
    verb = "move funds out"

    def spared(self, capability):
        # a withdrawal bounded by a pot (`<= withdrawableTokens`: what the contract earned or
        # set aside, drawn down by what it pays out) is what the remediation asks for
        return bool(capability.bound)
