"""Ownership can be renounced while powers still need an owner."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import guards_of
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, GuardKind


def _held_alone(entry, holders: set[str]) -> bool:
    """Some power of the entry only the renouncing owner holds: `whitelist[msg.sender] ||
    msg.sender == owner` stays with the whitelisted keys after a renounce."""
    return any(guards_of(entry, c) and all(g.kind == GuardKind.OWNER and g.detail in holders for g in guards_of(entry, c))
               for c in entry.capabilities)


class AdminKeyRenounceNeeded(Rule):
    id = "admin-key-renounce-needed"
    category = Category.ADMIN_KEY
    severity = Severity.LOW
    weight = 2
    title = "Ownership renounce possible on a contract that still needs an admin"
    rationale = (
        "The owner can renounce, leaving no owner, while other functions still need one (to unpause, "
        "to set fees, to upgrade). A renounce by mistake, or as a show of decentralization, freezes those "
        "levers where they stand: a paused token stays paused."
    )
    remediation = "Remove renounce where the contract needs an admin, or retire the admin-only functions first."
    references = ("https://docs.openzeppelin.com/contracts/5.x/api/access#Ownable-renounceOwnership--",)

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                if not any(c.name == CapabilityName.RENOUNCE for c in entry.capabilities) or entry.function.startswith("renounceRole"):
                    continue
                holders = {g.detail for g in entry.guards if g.kind == GuardKind.OWNER}
                needing = sorted({e.function for e in contract.entry_points
                                  if e is not entry and not e.function.startswith(("transferOwnership", "renounce"))
                                  and _held_alone(e, holders)})
                if holders and needing:
                    yield self.finding(
                        contract,
                        f"{contract.name}.{entry.function} can leave the contract without an owner while "
                        f"{', '.join(needing)} still need one",
                        entry=entry, capabilities=entry.capabilities, principal=sorted(holders)[0],
                    )
