"""A privileged state change that one owner-like key alone can make."""
from __future__ import annotations

from inspector.rules import Rule
from inspector.facts.model import Facts
from inspector.facts.queries import empowered_seats, is_governance_contract, seat_of
from inspector.findings import Severity
from inspector.vocabulary import MONEY_OR_CODE, CapabilityName, Category, Confidence, GuardKind


_SEAT = (CapabilityName.CHANGE_OWNER, CapabilityName.RENOUNCE)


class AdminKeySingleOwner(Rule):
    id = "admin-key-single-owner"
    category = Category.ADMIN_KEY
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    weight = 15
    title = "Privileged state change behind a single owner-like key"
    rationale = (
        "The function changes state that matters (supply, ownership, parameters) and the only check "
        "on its caller is a comparison with one stored address. Whoever holds that key can make the "
        "change alone and at once: a lost, stolen or coerced key is enough."
    )
    remediation = (
        "Put the power behind a multisig (M-of-N) and a timelock whose delay gives users time to exit, "
        "or remove it if the system does not need it. If the owner is already a multisig or timelock on "
        "chain, scan the deployed address with an RPC to show it."
    )
    references = (
        "https://docs.openzeppelin.com/contracts/5.x/access-control",
        "https://arxiv.org/abs/2505.07828",
    )

    def check(self, facts: Facts):
        for contract in facts.contracts:
            empowered = empowered_seats(contract)
            for entry in contract.entry_points:
                owners = [g for g in entry.guards if g.kind == GuardKind.OWNER]
                if len(entry.guards) != 1 or len(owners) != 1 or not entry.capabilities:
                    continue
                key = owners[0]
                if key.cosigner:
                    continue  # the key acts only on another key's request: two keys, not one
                if self.governance.governs(key, contract, lambda g, c: is_governance_contract(g)):
                    continue  # a timelock, a governor or an authority holds it, not a key
                if self.governance.quorum(key, contract):
                    continue  # the chain shows a multisig of two signatures or more: not a single key
                if key.detail in contract.nominees and all(c.name in _SEAT for c in entry.capabilities):
                    continue  # a pending owner accepting what the owner offered: the owner's power, not its own
                if seat_of(key.detail) not in empowered:
                    continue  # the key (and every seat it fills) holds no power in the contract
                powers = sorted({c.name for c in entry.capabilities})
                yield self.finding(
                    contract,
                    f"{contract.name}.{entry.function} can {', '.join(p.replace('_', ' ') for p in powers)}, "
                    f"and only the single key in '{key.detail}' may call it",
                    entry=entry,
                    capabilities=entry.capabilities,
                    principal=key.detail,
                    severity=Severity.HIGH if MONEY_OR_CODE & set(powers) else Severity.MEDIUM,
                )
