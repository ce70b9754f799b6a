"""A power whose holder is an address written into the code."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import guards_of
from inspector.findings import Severity
from inspector.vocabulary import MONEY_OR_CODE, Category, GuardKind


class AdminKeyHardcodedAddress(Rule):
    id = "admin-key-hardcoded-address"
    category = Category.ADMIN_KEY
    severity = Severity.MEDIUM
    weight = 10
    title = "Privileged power held by a hard-coded address"
    rationale = (
        "The caller is compared with an address fixed in the code (a constant or an immutable set at "
        "deployment). Nobody can hand the power on, revoke it or put it behind a multisig or a delay "
        "without redeploying: the key behind that address holds it for the contract's life."
    )
    remediation = (
        "Store the admin in a variable that governance can change (behind a timelock), or remove the "
        "power. If the address is a multisig or timelock, document it and check it on chain."
    )
    references = ("https://swcregistry.io/docs/SWC-105",)

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                for capability in entry.capabilities:
                    fixed = [g for g in guards_of(entry, capability) if g.kind == GuardKind.ADDRESS and not g.contract]
                    if not fixed:
                        continue
                    where = (f"the hard-coded address {fixed[0].detail}" if fixed[0].detail.startswith("0x")
                             else f"the address fixed at deployment in '{fixed[0].detail}'")
                    yield self.finding(
                        contract,
                        f"{contract.name}.{entry.function} can {capability.name.replace('_', ' ')}, and the caller "
                        f"must be {where}",
                        entry=entry, capabilities=(capability,), principal=fixed[0].detail,
                        severity=Severity.HIGH if capability.name in MONEY_OR_CODE else Severity.MEDIUM,
                    )
                    break
