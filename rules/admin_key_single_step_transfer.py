"""Ownership handed over in one step."""
from __future__ import annotations

import re

from inspector.rules import Rule
from inspector.facts.queries import is_governance_contract, is_governance_path
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, GuardKind

_ACCEPT = re.compile(r"^_?accept\w*(owner|admin|ownership|governance)", re.I)
# helpers that hand on the contract's own owner or admin seat
_OWN_SEAT = re.compile(r"^_?(transfer|set|change)(ownership|owner|admin)$", re.I)


class AdminKeySingleStepTransfer(Rule):
    id = "admin-key-single-step-transfer"
    category = Category.ADMIN_KEY
    severity = Severity.LOW
    weight = 3
    title = "Ownership transfer in a single step"
    rationale = (
        "The owner names the next owner and the change takes effect at once. A typo or a wrong address "
        "hands every owner power to a key nobody holds, or to the wrong party, with no way back."
    )
    remediation = "Use a two-step transfer (OpenZeppelin's Ownable2Step): the new owner must accept."
    references = ("https://docs.openzeppelin.com/contracts/5.x/api/access#Ownable2Step",)

    def check(self, facts):
        for contract in facts.contracts:
            if any(_ACCEPT.match(e.function) for e in contract.entry_points):
                continue
            for entry in contract.entry_points:
                if any(self.governance.governs(g, contract, lambda g, c: is_governance_path(g, c) or is_governance_contract(g)) for g in entry.guards):
                    continue  # a governance contract re-pointing itself (a governor's updateTimelock)
                if any(g.detail in contract.nominees for g in entry.guards):
                    continue  # the pending owner accepting (or claiming): the second step
                owners = {g.detail for g in entry.guards if g.kind in (GuardKind.OWNER, GuardKind.ROLE)}
                # the caller's own seat handed on (`owner = newOwner` under onlyOwner, or an
                # ownership helper), or a contract it owns handed to an address it names
                # (`token.transferOwnership(newOwner)`); the owner appointing another key
                # (`backend = b`, a game contract, a backup arbitrator) is no transfer of
                # ownership, and a recipient fixed in the code (`transferOwnership(owner)`) no
                # address to mistype
                moves = [c for c in entry.capabilities if c.name == CapabilityName.CHANGE_OWNER and "pending" not in c.detail.lower()
                         and c.detail not in contract.nominees and not c.bound
                         and (c.detail in owners or _OWN_SEAT.match(c.detail.rsplit(".", 1)[-1]))]
                if owners and moves and not entry.function.startswith("renounce"):
                    yield self.finding(
                        contract,
                        f"{contract.name}.{entry.function} hands ownership over at once, without the new owner accepting",
                        entry=entry, capabilities=moves, principal=sorted(owners)[0],
                    )
