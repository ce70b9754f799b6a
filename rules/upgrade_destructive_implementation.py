"""Selfdestruct or caller-chosen delegatecall in upgradeable code."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, guards_of, principal_of
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, ContractKind


class UpgradeDestructiveImplementation(Rule):
    id = "upgrade-destructive-implementation"
    category = Category.UPGRADEABILITY
    severity = Severity.HIGH
    weight = 20
    title = "Selfdestruct or arbitrary delegatecall in an upgradeable implementation"
    rationale = (
        "Code that runs behind proxies can destroy itself or run code the caller picks in its own "
        "context. Whoever reaches it can brick every proxy that points here, or rewrite their storage."
    )
    remediation = "Remove selfdestruct and caller-chosen delegatecall from implementation contracts."
    references = ("https://docs.openzeppelin.com/upgrades-plugins/faq#delegatecall-selfdestruct",)

    applies_to = frozenset({ContractKind.UPGRADEABLE, ContractKind.PROXY})

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                if any(c.name == CapabilityName.UPGRADE for c in entry.capabilities):
                    continue  # upgradeToAndCall's delegatecall into the new code is the upgrade itself
                for capability in entry.capabilities:
                    if capability.name in (CapabilityName.SELFDESTRUCT, CapabilityName.DELEGATECALL):
                        holders = describe_all(guards_of(entry, capability))
                        yield self.finding(
                            contract,
                            f"{contract.name}.{entry.function} can {capability.name} in upgradeable code; "
                            f"{holders} may call it",
                            entry=entry, capabilities=(capability,), principal=principal_of(guards_of(entry, capability)),
                        )
