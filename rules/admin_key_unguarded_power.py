"""A power anyone can use."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import guards_of, unrestricted
from inspector.findings import Severity
from inspector.vocabulary import ADMIN_ONLY, CapabilityName, Category, Principal

# What nobody but an admin should be able to do. A mint someone pays for (a sale, a vault
# deposit, a flash loan repaid in the same call) is not in this list's sense unguarded.
# An open upgrade is upgrade-unguarded's.
POWERS = ADMIN_ONLY - {CapabilityName.UPGRADE}


class AdminKeyUnguardedPower(Rule):
    id = "admin-key-unguarded-power"
    category = Category.ADMIN_KEY
    severity = Severity.CRITICAL
    weight = 40
    title = "Privileged power with no guard at all"
    rationale = (
        "The function does what only an admin should (mint, take ownership, grant roles, upgrade, run "
        "arbitrary code) and nothing checks who calls it. An initializer that can run again is the same "
        "hole: whoever calls it first, or again, becomes the owner."
    )
    remediation = (
        "Restrict the function (onlyOwner, onlyRole, a timelock), or make the initializer run once "
        "(OpenZeppelin's `initializer` modifier) and lock implementations with `_disableInitializers()`."
    )
    references = ("https://swcregistry.io/docs/SWC-105", "https://swcregistry.io/docs/SWC-106")

    def check(self, facts):
        for contract in facts.contracts:
            if contract.abstract:
                continue  # an abstract base leaves its guard to the contract that completes it
            for entry in contract.entry_points:
                if entry.initializer == "guarded":
                    continue  # runs once, at deployment
                exposed = [c for c in entry.capabilities
                           if c.name in POWERS and unrestricted(guards_of(entry, c)) and not (c.name == CapabilityName.MINT and c.paid)]
                if not exposed:
                    continue
                names = ", ".join(sorted({c.name.replace("_", " ") for c in exposed}))
                again = " (an initializer that can run again)" if entry.initializer == "open" else ""
                yield self.finding(
                    contract,
                    f"anyone can call {contract.name}.{entry.function}{again} and {names}",
                    entry=entry, capabilities=exposed, principal=Principal.ANYONE,
                )
