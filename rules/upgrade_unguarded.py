"""Anyone can upgrade."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import guards_of, unrestricted
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, Principal


class UpgradeUnguarded(Rule):
    id = "upgrade-unguarded"
    category = Category.UPGRADEABILITY
    severity = Severity.CRITICAL
    weight = 50
    title = "Upgrade function without a guard"
    rationale = (
        "Anyone can replace the code: a UUPS `_authorizeUpgrade` left empty, or a public `upgradeTo`. "
        "The first caller takes every balance and permission the contract holds."
    )
    remediation = "Guard the upgrade (`_authorizeUpgrade` with onlyOwner/onlyRole, behind a timelock)."
    references = ("https://docs.openzeppelin.com/contracts/5.x/api/proxy#UUPSUpgradeable-_authorizeUpgrade-address-",)

    def check(self, facts):
        for contract in facts.contracts:
            if contract.abstract:
                continue
            for entry in contract.entry_points:
                open_upgrades = [c for c in entry.capabilities if c.name == CapabilityName.UPGRADE and unrestricted(guards_of(entry, c))]
                if open_upgrades and entry.initializer != "guarded":
                    yield self.finding(
                        contract, f"anyone can call {contract.name}.{entry.function} and replace the code",
                        entry=entry, capabilities=open_upgrades, principal=Principal.ANYONE,
                    )
