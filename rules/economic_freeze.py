"""Blacklist or freeze of accounts."""
from __future__ import annotations

from inspector.rules import PrivilegedCapabilityRule
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category


class EconomicFreeze(PrivilegedCapabilityRule):
    id = "economic-freeze"
    category = Category.ECONOMIC_CONTROL
    severity = Severity.HIGH
    weight = 20
    title = "Blacklist or freeze of accounts"
    rationale = "A key can stop chosen accounts from moving their tokens: holders' funds are only as free as that key allows."
    remediation = "Remove the blacklist, or put it behind governance with a public process."
    references = ("https://arxiv.org/abs/2505.07828",)
    capabilities = frozenset({CapabilityName.FREEZE})
    verb = "freeze or blacklist accounts"
