"""Who may call an entry point: the checks on the caller that the dataflow walk found in
it, its modifiers and the helpers they call. Roles get their admin role attached."""
from __future__ import annotations

from dataclasses import replace

from slither.core.declarations import Contract, Function
from slither.slithir.operations import InternalCall

from inspector.facts.dataflow import Summary
from inspector.facts.model import ANYONE, Guard
from inspector.vocabulary import GuardKind

DEFAULT_ADMIN = "DEFAULT_ADMIN_ROLE"


def role_admins(contract: Contract) -> dict[str, str]:
    """`_setRoleAdmin(ROLE, ADMIN)` calls with constant arguments, anywhere in the contract."""
    admins: dict[str, str] = {}
    for function in contract.all_functions_called:
        if not isinstance(function, Function):
            continue
        for node in function.nodes:
            for ir in node.irs:
                if isinstance(ir, InternalCall) and getattr(ir.function, "name", "") == "_setRoleAdmin" and len(ir.arguments) == 2:
                    role, admin = (getattr(a, "name", None) for a in ir.arguments)
                    if role and admin:
                        admins[role] = admin
    return admins


def guards(summary: Summary, admins: dict[str, str]) -> tuple[Guard, ...]:
    found = []
    for guard in summary.checks:
        if guard.kind == GuardKind.ROLE and not guard.detail.startswith(("<", "admin of", "AccessManager")) and " in " not in guard.detail:
            guard = replace(guard, admin=admins.get(guard.detail, DEFAULT_ADMIN))
        if guard not in found:
            found.append(guard)
    if any(g.kind not in (GuardKind.SELF, GuardKind.USER, GuardKind.CALLBACK, GuardKind.FORWARDER) for g in found):
        # `msg.sender == owner || msg.sender == address(this)`: the contract calls itself only
        # as its other entry points let someone make it; beside a key, that key holds the power
        found = [g for g in found if g.kind != GuardKind.SELF]
    return tuple(found) or (ANYONE,)


