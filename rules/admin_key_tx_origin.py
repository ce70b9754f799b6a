"""Authorization by tx.origin."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.findings import Severity
from inspector.vocabulary import Category, GuardKind


class AdminKeyTxOrigin(Rule):
    id = "admin-key-tx-origin"
    category = Category.ADMIN_KEY
    severity = Severity.HIGH
    weight = 10
    title = "Authorization by tx.origin"
    rationale = (
        "tx.origin is the account that signed the transaction, not the caller. Any contract the admin "
        "interacts with (a token, a phishing dApp) can call this function in the admin's name."
    )
    remediation = "Compare msg.sender (or _msgSender()) with the principal instead of tx.origin."
    references = ("https://swcregistry.io/docs/SWC-115",)

    def check(self, facts):
        for contract in facts.contracts:
            for entry in contract.entry_points:
                origin = next((g for g in entry.guards if g.kind == GuardKind.TX_ORIGIN), None)
                if origin is None:
                    continue
                yield self.finding(
                    contract,
                    f"{contract.name}.{entry.function} authorizes its caller by tx.origin == '{origin.detail}': "
                    "any contract the holder calls can act in its name",
                    entry=entry, capabilities=entry.capabilities, principal=origin.detail,
                )
