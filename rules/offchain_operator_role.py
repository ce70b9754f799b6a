"""Keeper, relayer, operator or bridge-minter roles."""
from __future__ import annotations

import re

from inspector.rules import Rule
from inspector.facts.queries import describe, principal_of
from inspector.findings import Severity
from inspector.vocabulary import Category, GuardKind

_OPERATOR = re.compile(r"keeper|relayer|operator|bridge|\bbot|_bot|oracle|signer|gateway", re.I)


class OffchainOperatorRole(Rule):
    id = "offchain-operator-role"
    category = Category.OFF_CHAIN
    severity = Severity.MEDIUM
    weight = 10
    title = "Off-chain operator role holds a power"
    rationale = (
        "A role named for an off-chain service (keeper, relayer, operator, bridge minter) holds a power. "
        "It is usually a hot key on a server: the power is as safe as that server."
    )
    remediation = "Limit what operator roles can do (rate limits, caps), and let governance revoke them."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                operators = [g for g in entry.guards if g.kind in (GuardKind.ROLE, GuardKind.OWNER, GuardKind.CUSTOM, GuardKind.EXTERNAL) and _OPERATOR.search(g.detail)]
                if operators and entry.capabilities:
                    powers = ", ".join(sorted({c.name.replace("_", " ") for c in entry.capabilities}))
                    yield self.finding(
                        contract,
                        f"{describe(operators[0])} can {powers} through {contract.name}.{entry.function}",
                        entry=entry, capabilities=entry.capabilities, principal=principal_of(tuple(operators)),
                    )
