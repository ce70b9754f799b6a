"""An upgradeable proxy, and who holds the power to change its code."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, guards_of, principal_of
from inspector.findings import UPGRADE, Severity
from inspector.vocabulary import CapabilityName, Category, ContractKind, Principal


class UpgradeProxyPresent(Rule):
    id = "upgrade-proxy-present"
    category = Category.UPGRADEABILITY
    severity = Severity.MEDIUM
    weight = 10
    title = "Upgradeable proxy: the code can be replaced"
    rationale = (
        "Users interact with code that whoever holds the upgrade power can replace, with every balance "
        "and permission kept. Whatever the current code promises holds only as long as that holder "
        "agrees; its reach is everything the contract holds or may do."
    )
    remediation = (
        "Put the upgrade power behind a timelock long enough for users to exit (7 days or more) and a "
        "multisig or governance, or make the contract immutable once it has settled."
    )
    references = ("https://eips.ethereum.org/EIPS/eip-1967", "https://docs.openzeppelin.com/contracts/5.x/api/proxy")

    def check(self, facts):
        for contract in facts.contracts:
            standard = contract.standards.get(ContractKind.PROXY) or (
                contract.standards.get(ContractKind.UPGRADEABLE) if contract.standards.get(ContractKind.UPGRADEABLE) in
                ("UUPS implementation", "upgradeable beacon") else None)
            if standard is None or contract.abstract or standard == "fixed delegatecall proxy":
                continue  # (a delegate nothing in the proxy can change: its code is what it is)
            upgrades = [(e, c) for e in contract.entry_points for c in e.capabilities if c.name == CapabilityName.UPGRADE]
            if upgrades:
                entry, capability = upgrades[0]
                holders = describe_all(guards_of(entry, capability))
                yield self.finding(
                    contract,
                    f"{contract.name} is upgradeable ({standard}); the upgrade power is held by {holders} "
                    f"through {entry.function}",
                    entry=entry, capabilities=(capability,), principal=principal_of(guards_of(entry, capability)),
                )
            else:
                yield self.finding(
                    contract,
                    f"{contract.name} is upgradeable ({standard}); the upgrade power lies outside this "
                    "contract (a beacon, an admin contract or the implementation)",
                    principal=Principal.OUTSIDE, subject=UPGRADE,
                )
