"""An ERC-2771 trusted forwarder."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, guards_of, principal_of
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, GuardKind


class OffchainForwarder(Rule):
    id = "offchain-forwarder"
    category = Category.OFF_CHAIN
    severity = Severity.MEDIUM
    weight = 15
    title = "Trusted forwarder can speak for every caller"
    rationale = (
        "With ERC-2771 the trusted forwarder appends the 'real' sender to its calls, and the contract "
        "believes it. Whoever controls the forwarder can act as any account, the owner included; whoever "
        "can set the forwarder chooses who that is."
    )
    remediation = "Make the forwarder immutable and audited, or drop meta-transactions for privileged functions."
    references = ("https://eips.ethereum.org/EIPS/eip-2771",)

    def check(self, facts):
        for contract in facts.contracts:
            setters = [(e, c) for e in contract.entry_points for c in e.capabilities if c.name == CapabilityName.SET_FORWARDER]
            for entry, capability in setters:
                guards = guards_of(entry, capability)
                yield self.finding(
                    contract,
                    f"{describe_all(guards)} can set the trusted forwarder '{capability.detail}' through {contract.name}.{entry.function}",
                    entry=entry, capabilities=(capability,), principal=principal_of(guards),
                )
            forwarded = [(e, g) for e in contract.entry_points for g in e.guards if g.kind == GuardKind.FORWARDER and e.capabilities]
            if forwarded and not setters:
                entry, guard = forwarded[0]
                yield self.finding(
                    contract,
                    f"the trusted forwarder '{guard.detail}' can call {contract.name}'s privileged functions as their holder "
                    f"(first: {entry.function})",
                    entry=entry, principal=guard.detail, severity=Severity.LOW,
                )
