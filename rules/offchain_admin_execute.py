"""Admin-only arbitrary execution."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, ContractKind


class OffchainAdminExecute(Rule):
    id = "offchain-admin-execute"
    category = Category.OFF_CHAIN
    severity = Severity.HIGH
    weight = 30
    title = "Admin-only arbitrary execution"
    rationale = (
        "A key can make the contract call any target with any data (`execute(target, data)`): it can do "
        "anything the contract is allowed to do, including moving what it holds."
    )
    remediation = "Remove generic execution, or give it only to a timelock or governor."
    references = ("https://arxiv.org/abs/2505.07828",)

    def check(self, facts):
        for contract, entry, capability, guards in privileged_uses(facts, {CapabilityName.ARBITRARY_CALL}, self.governance.governs):
            if {ContractKind.TIMELOCK, ContractKind.GOVERNOR, ContractKind.MULTISIG, ContractKind.ACCESS_MANAGER} & set(contract.kinds):
                continue  # executing what was voted, delayed or co-signed is their purpose
            yield self.finding(
                contract,
                f"{describe_all(guards)} can make {contract.name} call any target with any data through {entry.function}",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
            )
