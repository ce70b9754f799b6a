"""A second stored address that can take ownership back."""
from __future__ import annotations

import re

from inspector.catalogue import Rule
from inspector.findings import Severity


# the variable that holds ownership (a pending owner is a step of a transfer, not an owner)
_OWNER = re.compile(r"^_?(owner|admin|governance|governor|gov)$", re.I)


class AdminKeyReclaimableOwnership(Rule):
    id = "admin-key-reclaimable-ownership"
    category = "admin-key"
    severity = Severity.HIGH
    weight = 20
    title = "Hidden or reclaimable ownership"
    rationale = (
        "An address other than the owner (a 'previous owner', a hidden admin) can write the owner "
        "variable. A renounced or transferred contract is then not what it looks like: that key can take "
        "ownership back, with every owner power."
    )
    remediation = "Remove the second path to ownership; a pending owner accepting a transfer is the only safe one."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                for capability in entry.capabilities:
                    if capability.name != "change_owner" or not _OWNER.match(capability.detail):
                        continue
                    holder = next((g for g in entry.guards if g.kind in ("owner", "address", "custom")
                                   and not _OWNER.match(g.detail) and "pending" not in g.detail.lower()), None)
                    if holder is None:
                        continue
                    yield self.finding(
                        contract,
                        f"'{holder.detail}', not the owner, can set '{capability.detail}' through "
                        f"{contract.name}.{entry.function}",
                        entry=entry, capabilities=(capability,), principal=holder.detail,
                    )
                    break
