"""A privileged account that may use every user's own function in their place."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category


class AdminKeyActsForUsers(Rule):
    id = "admin-key-acts-for-users"
    category = Category.ADMIN_KEY
    severity = Severity.HIGH
    weight = 20
    title = "A privileged account can act for any user"
    rationale = (
        "The function is each user's own (the caller must be the owner of the item or the account "
        "concerned), but a privileged account may call it too, for every user: "
        "`require(msg.sender == ownerOf[id] || isCOO(msg.sender))`. Whatever a user can do with their "
        "own tokens, items or positions there, that account can do with everyone's, without their approval."
    )
    remediation = (
        "Drop the privileged alternative, or limit it to what users opt into (an approval they give and "
        "can revoke); otherwise put the account behind a multisig and a timelock and say so to users."
    )
    references = ("https://swcregistry.io/docs/SWC-105",)

    def check(self, facts):
        for contract, entry, capability, guards in privileged_uses(facts, {CapabilityName.ACT_FOR_USERS}, self.governance.governs):
            yield self.finding(
                contract,
                f"{describe_all(guards)} can act for any user through {contract.name}.{entry.function}, "
                f"where each user acts only for their own ('{capability.detail}')",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
            )
