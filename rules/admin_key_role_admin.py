"""One role administers every role."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category, GuardKind


class AdminKeyRoleAdmin(Rule):
    id = "admin-key-role-admin"
    category = Category.ADMIN_KEY
    severity = Severity.MEDIUM
    weight = 10
    title = "A role admin can grant every power"
    rationale = (
        "Every role that guards a power is administered by one role (usually DEFAULT_ADMIN_ROLE). "
        "Whoever holds it can grant themselves any of those roles at any time, so the separation of "
        "roles is only as strong as that one role."
    )
    remediation = (
        "Give the admin role to a timelock or governance contract only, renounce it from deployers, and "
        "consider separate admins per role (`_setRoleAdmin`)."
    )
    references = ("https://docs.openzeppelin.com/contracts/5.x/access-control#granting-and-revoking",)

    def check(self, facts):
        for contract in facts.contracts:
            grant = next((e for e in contract.entry_points if e.function == "grantRole(bytes32,address)"
                          and any(c.name == CapabilityName.GRANT_ROLE for c in e.capabilities)), None)
            if grant is None:
                continue
            admins: dict[str, set[str]] = {}
            for entry in contract.entry_points:
                if not entry.capabilities:
                    continue
                for guard in entry.guards:
                    if guard.kind == GuardKind.ROLE and guard.admin:
                        admins.setdefault(guard.admin, set()).add(guard.detail)
            for admin, roles in sorted(admins.items()):
                yield self.finding(
                    contract,
                    f"{admin} administers {', '.join(sorted(roles))} in {contract.name}: its holder can grant "
                    "itself every power those roles guard",
                    entry=grant, principal=admin,
                )
