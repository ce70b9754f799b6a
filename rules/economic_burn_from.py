"""Privileged burn of others' tokens."""
from __future__ import annotations

from inspector.rules import PrivilegedCapabilityRule
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category


class EconomicBurnFrom(PrivilegedCapabilityRule):
    id = "economic-burn-from"
    category = Category.ECONOMIC_CONTROL
    severity = Severity.HIGH
    weight = 20
    title = "Privileged burn of others' tokens"
    rationale = "A key can destroy tokens held by any account, without the holder's approval."
    remediation = "Remove the power, or limit burning to the holder and approved spenders."
    references = ("https://arxiv.org/abs/2505.07828",)
    capabilities = frozenset({CapabilityName.BURN_FROM})
    verb = "burn tokens held by others"
