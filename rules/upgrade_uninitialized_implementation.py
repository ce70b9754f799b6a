"""An implementation anyone can initialize."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.findings import Severity
from inspector.vocabulary import Category, ContractKind, Principal


class UpgradeUninitializedImplementation(Rule):
    id = "upgrade-uninitialized-implementation"
    category = Category.UPGRADEABILITY
    severity = Severity.MEDIUM
    weight = 10
    title = "Implementation that anyone can initialize"
    rationale = (
        "The implementation behind proxies is set up by an initializer, and its constructor does not lock "
        "it. Anyone can initialize the implementation contract itself and become its owner; with a "
        "delegatecall or selfdestruct reachable from there, that has destroyed proxies before."
    )
    remediation = "Call `_disableInitializers()` in the implementation's constructor."
    references = ("https://docs.openzeppelin.com/contracts/5.x/api/proxy#Initializable-_disableInitializers--",)

    def check(self, facts):
        for contract in facts.contracts:
            if contract.abstract or contract.disables_initializers or ContractKind.PROXY in contract.kinds:
                continue
            for entry in contract.entry_points:
                if not entry.initializer or entry.initializer == "open":
                    continue  # an initializer that runs again is admin-key-unguarded-power
                yield self.finding(
                    contract,
                    f"{contract.name}.{entry.function} can be called by anyone on the implementation itself: "
                    "the constructor does not call _disableInitializers()",
                    entry=entry, capabilities=entry.capabilities, principal=Principal.ANYONE,
                )
