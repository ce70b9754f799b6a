"""The timelock's delay can be changed without waiting it out."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, guards_of, principal_of
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, ContractKind


class TimelockDelayChange(Rule):
    id = "timelock-delay-change"
    category = Category.TIMELOCK
    severity = Severity.HIGH
    weight = 25
    title = "Timelock delay changeable without waiting the delay"
    rationale = (
        "Whoever can change the delay directly can set it to zero and then act at once: the timelock "
        "holds only as long as that principal wants it to."
    )
    remediation = "Let only the timelock itself change its delay (`require(msg.sender == address(this))`)."
    references = ("https://docs.openzeppelin.com/contracts/5.x/api/governance#TimelockController-updateDelay-uint256-",)

    applies_to = frozenset({ContractKind.TIMELOCK})

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                for capability in entry.capabilities:
                    if capability.name != CapabilityName.CHANGE_DELAY:
                        continue
                    keys = self.governance.outside(guards_of(entry, capability), contract)
                    if not keys:
                        continue
                    yield self.finding(
                        contract,
                        f"{describe_all(keys)} can change {contract.name}'s delay through {entry.function} at once",
                        entry=entry, capabilities=(capability,), principal=principal_of(keys),
                    )
