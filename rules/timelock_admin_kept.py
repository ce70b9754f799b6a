"""The timelock's admin role given to someone other than the timelock."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.chain.accounts import ZERO
from inspector.findings import ADMIN_ROLE, Severity
from inspector.vocabulary import Category, Confidence, ContractKind, Principal


class TimelockAdminKept(Rule):
    id = "timelock-admin-kept"
    category = Category.TIMELOCK
    severity = Severity.HIGH
    weight = 25
    title = "Timelock admin role kept by a deployer or another non-timelock principal"
    rationale = (
        "The admin of a timelock's roles can grant itself the proposer and executor roles and change "
        "who controls the timelock, with no delay. While anyone but the timelock holds it, the timelock "
        "can be routed around."
    )
    remediation = (
        "Deploy with the admin argument set to the zero address, or renounce the admin role right after "
        "setting up the roles; verify on chain that only the timelock holds it."
    )
    references = ("https://docs.openzeppelin.com/contracts/5.x/api/governance#TimelockController-constructor",)

    applies_to = frozenset({ContractKind.TIMELOCK})

    def check(self, facts):
        for contract in facts.contracts:
            if self._renounced_on_chain(contract):
                continue  # the chain disproves what the constructor's code could not rule out
            for role, grantee in contract.constructor_grants:
                if "ADMIN" not in role.upper() or grantee == Principal.SELF:
                    continue
                if grantee == Principal.DEPLOYER:
                    message = f"{contract.name}'s constructor gives {role} to the deployer"
                    severity, confidence = Severity.HIGH, Confidence.HIGH
                else:
                    message = (f"{contract.name}'s constructor gives {role} to the {grantee} argument: unless it "
                               "was the zero address or renounced since, that key reconfigures the timelock at once")
                    severity, confidence = Severity.MEDIUM, Confidence.MEDIUM
                yield self.finding(contract, message, principal=grantee, severity=severity, confidence=confidence,
                                   subject=ADMIN_ROLE)

    def _renounced_on_chain(self, contract) -> bool:
        """On every address the contract is deployed at, the chain shows that nobody but the
        timelock itself holds its admin role."""
        accounts = self.chain.accounts_of(contract.name) if self.chain is not None else None
        return accounts is not None and all(
            "admins" in a.details and all(admin in (a.address, ZERO) for admin in a.details["admins"]) for a in accounts)
