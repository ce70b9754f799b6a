"""Values from an oracle a key sets, or from an external feed."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, guards_of, principal_of
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category


class OffchainOracle(Rule):
    id = "offchain-oracle"
    category = Category.OFF_CHAIN
    severity = Severity.MEDIUM
    weight = 15
    title = "Oracle settable by a key, or external price feed"
    rationale = (
        "Prices or data come from outside the chain. Whoever sets the oracle, or runs the feed, decides "
        "what the contract believes: liquidations, mints and payouts follow."
    )
    remediation = "Use a decentralized feed with staleness checks, and put oracle changes behind a timelock."
    references = ("https://docs.chain.link/data-feeds",)

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                for capability in entry.capabilities:
                    if capability.name == CapabilityName.SET_ORACLE:
                        guards = guards_of(entry, capability)
                        yield self.finding(
                            contract,
                            f"{describe_all(guards)} can replace the oracle '{capability.detail}' through {contract.name}.{entry.function}",
                            entry=entry, capabilities=(capability,), principal=principal_of(guards),
                        )
                if entry.feeds:
                    yield self.finding(
                        contract,
                        f"{contract.name}.{entry.function} acts on an external feed ({', '.join(entry.feeds)})",
                        entry=entry, capabilities=entry.capabilities, principal="feed", severity=Severity.LOW,
                    )
