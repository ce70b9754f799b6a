"""A second stored address that can take ownership back."""
from __future__ import annotations

import re

from inspector.rules import Rule
from inspector.facts.queries import guards_of
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, GuardKind, Principal


# the variable that holds ownership
_OWNER = re.compile(r"^_?(owner|admin|governance|governor|gov)$", re.I)


def _is_owner(name: str) -> bool:
    """`owner`, `_owner`, and a namespaced `OwnableStorage._owner`."""
    return "[" not in name and bool(_OWNER.match(name.split(".")[-1]))


def _offered(holder: str, owner: str, nominees: dict[str, tuple[str, ...]]) -> bool:
    """The holder is the pending owner of a two-step transfer: only the owner (or the
    contract's own governance flow) ever names it, so accepting takes nothing the owner
    did not offer."""
    return any(by in (Principal.SELF, owner) or _is_owner(by) for by in nominees.get(holder, ()))


def _hands_on_its_seat(contract, owner: str) -> bool:
    """The owner itself can pass its seat on or give it up: only then is there an ownership
    that can be transferred or renounced, and taken back. A seat only another key ever
    fills (`setadmin` by a fixed root key) is an appointment under that key, not a way back."""
    def the_owners(guard) -> bool:  # the owner, or a pending owner only the owner names
        return guard.detail == owner or owner in contract.nominees.get(guard.detail, ())

    return any(c.name in (CapabilityName.CHANGE_OWNER, CapabilityName.RENOUNCE) and c.detail == owner and any(the_owners(g) for g in guards_of(e, c))
               for e in contract.entry_points for c in e.capabilities)


class AdminKeyReclaimableOwnership(Rule):
    id = "admin-key-reclaimable-ownership"
    category = Category.ADMIN_KEY
    severity = Severity.HIGH
    weight = 20
    title = "Hidden or reclaimable ownership"
    rationale = (
        "An address other than the owner (a 'previous owner', a hidden admin) can write the owner "
        "variable. A renounced or transferred contract is then not what it looks like: that key can take "
        "ownership back, with every owner power. A pending owner that only the owner names (a two-step "
        "transfer) is not such a path."
    )
    remediation = "Remove the second path to ownership; a pending owner accepting a transfer is the only safe one."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                for capability in entry.capabilities:
                    owner = capability.detail
                    if capability.name != CapabilityName.CHANGE_OWNER or not _is_owner(owner) or not _hands_on_its_seat(contract, owner):
                        continue
                    holder = next((g for g in guards_of(entry, capability) if g.kind in (GuardKind.OWNER, GuardKind.ADDRESS, GuardKind.CUSTOM)
                                   and not _is_owner(g.detail)
                                   and not _offered(g.detail, owner, contract.nominees)), None)
                    if holder is None:
                        continue
                    yield self.finding(
                        contract,
                        f"'{holder.detail}', not the owner, can set '{owner}' through "
                        f"{contract.name}.{entry.function}",
                        entry=entry, capabilities=(capability,), principal=holder.detail,
                    )
                    break
