"""Direct balance manipulation."""
from __future__ import annotations

from inspector.rules import PrivilegedCapabilityRule
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category


class EconomicBalanceManipulation(PrivilegedCapabilityRule):
    id = "economic-balance-manipulation"
    category = Category.ECONOMIC_CONTROL
    severity = Severity.CRITICAL
    weight = 40
    title = "Direct balance manipulation"
    rationale = "A key can write account balances directly: it can take anyone's tokens or create them out of nothing."
    remediation = "Remove any path that writes balances outside transfers, mints and burns."
    references = ("https://arxiv.org/abs/2505.07828",)
    capabilities = frozenset({CapabilityName.SET_BALANCE})
    verb = "write balances directly"
