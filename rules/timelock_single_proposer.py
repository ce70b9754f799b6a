"""One key proposes and cancels everything."""
from __future__ import annotations

import re

from inspector.rules import Rule
from inspector.findings import Severity
from inspector.vocabulary import Category, ContractKind, GuardKind

_PROPOSE = re.compile(r"^(schedule|queue|propose|cancel)", re.I)


class TimelockSingleProposer(Rule):
    id = "timelock-single-proposer"
    category = Category.TIMELOCK
    severity = Severity.MEDIUM
    weight = 10
    title = "A single key can propose or cancel every timelocked action"
    rationale = (
        "One key queues every change (and can cancel any other), so the timelock gives users time to "
        "react but nobody else a say: the delay is the only check on that key."
    )
    remediation = "Make a multisig or a governor the proposer and canceller."
    references = ("https://compound.finance/docs/governance#timelock",)

    applies_to = frozenset({ContractKind.TIMELOCK})

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                keys = [g for g in entry.guards if g.kind == GuardKind.OWNER and not g.contract]
                if _PROPOSE.match(entry.function) and keys and len(entry.guards) == 1:
                    yield self.finding(
                        contract,
                        f"only the single key in '{keys[0].detail}' can call {contract.name}.{entry.function}",
                        entry=entry, capabilities=entry.capabilities, principal=keys[0].detail,
                    )
