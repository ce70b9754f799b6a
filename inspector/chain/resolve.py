"""Name the real holder of each finding's power, from the control graph."""
from __future__ import annotations

from dataclasses import replace

from inspector.chain.graph import ControlGraph, Deployment, holder_text
from inspector.chain.paths import Key, Power
from inspector.findings import Finding


def _holders(graph: ControlGraph, deployment: Deployment, function: str) -> list[str]:
    return list(dict.fromkeys(e.source for e in graph.edges if e.target == deployment.address and e.function == function))


def resolve_findings(findings: list[Finding], deployments: list[Deployment], graph: ControlGraph) -> list[Finding]:
    """Each finding on a deployed contract gains `holder`: who holds the power on chain
    ('Safe 2-of-3 0x0229…117C'), or why it could not be read."""
    by_name: dict[str, list[Deployment]] = {}
    for deployment in deployments:
        by_name.setdefault(deployment.contract.name, []).append(deployment)
    resolved = []
    for finding in findings:
        holders: list[str] = []
        for deployment in by_name.get(finding.contract, []):
            holders += _holders(graph, deployment, finding.function)
        if holders:
            text = "; ".join(holder_text(graph, h) for h in holders)
            finding = replace(finding, holder=text, message=f"{finding.message} [held by {text}]")
        elif finding.principal not in ("", "anyone", "outside") and by_name.get(finding.contract):
            reasons = [why for address, guard, why in graph.unresolved
                       if guard == finding.principal and address in {d.address for d in by_name[finding.contract]}]
            finding = replace(finding, holder="unresolved" + (f": {reasons[0]}" if reasons else ""))
        resolved.append(finding)
    return resolved


def finding_keys(findings: list[Finding], deployments: list[Deployment], found_powers: tuple[Power, ...]) -> dict[str, tuple[Key, ...]]:
    """The keys at the end of each finding's power (finding id -> keys): the powers of its
    function on every address its contract is deployed at; for a finding about the whole
    contract, on an upgradeable one, whoever can upgrade it."""
    by_power: dict[tuple[str, str], dict[str, Key]] = {}
    upgrades: dict[str, dict[str, Key]] = {}
    for found in found_powers:
        for key in found.keys:
            by_power.setdefault((found.contract, found.function), {})[key.address] = key
            if found.capability == "upgrade":
                upgrades.setdefault(found.contract, {})[key.address] = key
    out: dict[str, tuple[Key, ...]] = {}
    for finding in findings:
        keys: dict[str, Key] = {}
        for deployment in deployments:
            if deployment.contract.name != finding.contract:
                continue
            if finding.function:
                keys.update(by_power.get((deployment.address, finding.function), {}))
            elif finding.category == "upgradeability":
                keys.update(upgrades.get(deployment.address, {}))
        if keys:
            out[finding.id] = tuple(sorted(keys.values(), key=lambda k: (k.delay, k.address)))
    return out
