"""Findings as the score weighs them: each rule's weight on its category's axis, the keys
that hold the power in the end (from the control graph, when a chain was read), and how far
an upgrade reaches."""
from __future__ import annotations

from typing import Iterable, Mapping

from inspector.catalogue import Rule
from inspector.chain.paths import Key
from inspector.facts.model import Facts
from inspector.findings import Finding
from inspector.score.model import Exposure, Holder

AXIS_OF_CATEGORY = {
    "admin-key": "governance_concentration", "upgradeability": "governance_concentration",
    "timelock": "governance_concentration", "multisig": "governance_concentration",
    "off-chain": "offchain_dependency", "economic-control": "economic_control",
}  # Slither's own detectors are about bugs, not control: not scored
# Powers over users' tokens or funds: an upgrade of a contract with any of them reaches them
ECONOMIC = frozenset({"mint", "burn_from", "set_balance", "withdraw_funds", "freeze", "pause", "set_fee", "set_limits",
                      "arbitrary_call", "delegatecall", "selfdestruct"})
NARROW_REACH = 0.5
OPEN = ("anyone", "outside")


def _reach(finding: Finding, facts: Facts) -> float:
    """An upgrade reaches everything a contract does; when the contract is known to hold no
    token, fund or economic power (and is not a proxy whose code is elsewhere), less."""
    if finding.category != "upgradeability":
        return 1.0
    for contract in facts.contracts:
        if contract.name != finding.contract:
            continue
        if "token" in contract.kinds or "proxy" in contract.kinds:
            return 1.0
        if any(c.name in ECONOMIC for e in contract.entry_points for c in e.capabilities):
            return 1.0
        return NARROW_REACH
    return 1.0


def exposures(findings: Iterable[Finding], rules: Iterable[Rule], facts: Facts,
              keys: Mapping[str, tuple[Key, ...]] | None = None) -> list[Exposure]:
    weights = {rule.id: rule.weight for rule in rules}
    out = []
    for finding in findings:
        axis = AXIS_OF_CATEGORY.get(finding.category)
        if axis is None or finding.rule not in weights:
            continue
        held = (keys or {}).get(finding.id, ())
        holders = tuple(Holder(k.address, k.kind, k.delay, k.threshold, k.owners) for k in held)
        if not holders and finding.principal in OPEN:
            holders = (Holder("", "anyone"),)
        unresolved = not holders and bool(finding.principal)
        where = f"{finding.contract}.{finding.function}" if finding.function else finding.contract
        out.append(Exposure(finding.id, finding.rule, axis, weights[finding.rule], int(finding.severity), finding.confidence,
                            finding.contract, where, holders, unresolved, _reach(finding, facts)))
    return out
