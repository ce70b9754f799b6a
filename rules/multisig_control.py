"""Control by a multisig."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.findings import ITSELF, Severity
from inspector.vocabulary import Category, ContractKind


class MultisigControl(Rule):
    id = "multisig-control"
    category = Category.MULTISIG
    severity = Severity.INFO
    weight = 0
    title = "Multisig wallet"
    rationale = (
        "A multisig needs M of its N owners to act. How much that protects depends on M, N and who the "
        "owners are, which the chain tells (scan the deployed address with an RPC)."
    )
    remediation = "Publish the signers, keep the threshold at a majority, and prefer at least 7 signers."
    references = ("https://docs.safe.global/advanced/smart-account-overview",)

    applies_to = frozenset({ContractKind.MULTISIG})

    def check(self, facts):
        for contract in facts.contracts:
            threshold = next((f"{k} = {v}" for k, v in contract.values.items()
                              if k.lstrip("_").lower() in ("threshold", "required")), "")
            known = f"; threshold {threshold}" if threshold else "; M and N are read on chain"
            yield self.finding(contract, f"{contract.name} is a {contract.standards['multisig']} multisig{known}",
                               principal=contract.name, subject=ITSELF)
