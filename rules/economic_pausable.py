"""Pausable by a privileged key."""
from __future__ import annotations

from inspector.rules import PrivilegedCapabilityRule
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category


class EconomicPausable(PrivilegedCapabilityRule):
    id = "economic-pausable"
    category = Category.ECONOMIC_CONTROL
    severity = Severity.MEDIUM
    weight = 10
    title = "Pausable by a privileged key"
    rationale = "A key can stop transfers (or the whole protocol) for everyone, for as long as it likes."
    remediation = "Give pausing to a security council with an expiry, and never let the pauser also move funds."
    references = ("https://arxiv.org/abs/2505.07828",)
    capabilities = frozenset({CapabilityName.PAUSE})
    verb = "pause the contract"
