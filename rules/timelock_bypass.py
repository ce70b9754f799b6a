"""A privileged path around the timelock."""
from __future__ import annotations

import re

from inspector.rules import Rule
from inspector.facts.queries import contract_uses_timelock, describe_all, guards_of, principal_of, unrestricted
from inspector.findings import Severity
from inspector.vocabulary import MONEY_OR_CODE, POWER_OVER_POWER, Category, ContractKind

_FLOW = re.compile(r"^(schedule|queue|execute|cancel|propose|hashOperation|grantRole|revokeRole|renounceRole)", re.I)


class TimelockBypass(Rule):
    id = "timelock-bypass"
    category = Category.TIMELOCK
    severity = Severity.HIGH
    weight = 30
    title = "Timelock bypass"
    rationale = (
        "The system waits on a timelock for some changes, but another principal (a guardian, an "
        "emergency admin, the owner) can make privileged changes directly. The delay protects users only "
        "from the paths that go through it; this one does not."
    )
    remediation = (
        "Route every privileged change through the timelock. Keep emergency powers to pausing, give them "
        "to a security council (≥ 7 signers, ≥ 51% threshold) and make them expire."
    )
    references = ("https://docs.openzeppelin.com/contracts/5.x/api/governance#TimelockController",
                  "https://www.defiscan.info/framework")

    def check(self, facts):
        for contract in facts.contracts:
            if not self.governance.uses_timelock(contract, contract_uses_timelock):
                continue
            is_timelock = ContractKind.TIMELOCK in contract.kinds
            for entry in contract.entry_points:
                if is_timelock and _FLOW.match(entry.function):
                    continue
                for capability in entry.capabilities:
                    if capability.name not in MONEY_OR_CODE | POWER_OVER_POWER:
                        continue
                    guards = guards_of(entry, capability)
                    keys = self.governance.outside(guards, contract)  # a guardian beside the timelock
                    if unrestricted(guards) or not keys:
                        continue
                    yield self.finding(
                        contract,
                        f"{describe_all(keys)} can {capability.name.replace('_', ' ')} through "
                        f"{contract.name}.{entry.function} without waiting on the timelock{self.governance.contradicted(keys, contract)}",
                        entry=entry, capabilities=(capability,), principal=principal_of(keys),
                    )
                    break
