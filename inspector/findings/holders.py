"""Name the real holder of each finding's power, from the control graph."""
from __future__ import annotations

from dataclasses import replace

from inspector.chain.accounts import ZERO, short
from inspector.chain.graph import ControlGraph, Deployment, holder_text
from inspector.findings import ADMIN_ROLE, ITSELF, UPGRADE, Finding, Severity
from inspector.vocabulary import REPLACES_CODE, AccountKind, Confidence, Principal


def _sources(graph: ControlGraph, address: str, uses) -> list[str]:
    return list(dict.fromkeys(e.source for e in graph.edges if e.target == address and uses(e)))


def _held(graph: ControlGraph, deployment: Deployment, finding: Finding) -> tuple[list[str], str]:
    """Who holds what the finding is about on one deployment, or why nobody could be named.
    A finding about a function: the holders of that function. A finding about the whole
    contract: the holders of its subject, never the edges that control the contract in
    general (a timelock's proposers, a Safe's signers), unless the subject is the contract."""
    address = deployment.address
    if finding.function:
        return _sources(graph, address, lambda e: e.function == finding.function), ""
    if finding.subject == UPGRADE:
        found = _sources(graph, address, lambda e: e.function and e.kind in REPLACES_CODE)
        return found, "" if found else f"no power to replace the code at {short(address)} was found"
    if finding.subject == ADMIN_ROLE:
        account = graph.nodes.get(address)
        admins = account.details.get("admins") if account is not None else None
        if admins is None:
            return [], f"the admin role of {short(address)} was not read (the chain is read for OpenZeppelin's TimelockController)"
        return [a for a in admins if a not in (address, ZERO)], ""
    if finding.subject == ITSELF:
        account = graph.nodes.get(address)
        unread = account is None or (account.kind == AccountKind.MULTISIG and account.threshold is None) or (
            account.kind == AccountKind.TIMELOCK and account.delay is None)
        return ([], f"the chain did not show what {short(address)} is") if unread else ([address], "")
    return [], "the finding is about the whole contract, not one power"


def resolve_findings(findings: list[Finding], deployments: list[Deployment], graph: ControlGraph) -> list[Finding]:
    """Each finding on a deployed contract gains `holder`: who holds the power on chain
    ('Safe 2-of-3 0x0229…117C'), or why it could not be read. A timelock whose admin role
    the chain shows renounced on every deployment turns the finding about it into an info
    note: the chain disproves the risk the source could not rule out."""
    by_name: dict[str, list[Deployment]] = {}
    for deployment in deployments:
        by_name.setdefault(deployment.contract.name, []).append(deployment)
    resolved = []
    for finding in findings:
        if finding.holder:  # the rule read it from the chain (a governance rule): already named
            resolved.append(finding)
            continue
        deployed = by_name.get(finding.contract, [])
        holders: list[str] = []
        renounced: list[str] = []  # addresses where only the timelock itself holds its admin role
        why = ""
        for deployment in deployed:
            found, reason = _held(graph, deployment, finding)
            holders += found
            why = why or reason
            if finding.subject == ADMIN_ROLE and not found and not reason:
                renounced.append(deployment.address)
        if finding.subject == ADMIN_ROLE and (holders or renounced):
            finding = replace(finding, confidence=Confidence.HIGH)  # read on chain, no longer a guess about the argument
        if holders:
            texts = [holder_text(graph, h) for h in dict.fromkeys(holders)]
            texts += [f"nobody at {short(a)} (admin role renounced)" for a in renounced]
            text = "; ".join(texts)
            said = "on chain:" if finding.subject == ITSELF else "held by"
            finding = replace(finding, holder=text, message=f"{finding.message} [{said} {text}]")
        elif renounced and len(renounced) == len(deployed):
            finding = replace(finding, severity=Severity.INFO, holder="nobody: the admin role is renounced",
                              message=f"{finding.message} [on chain the admin role is renounced: only the timelock "
                                      "itself holds it]")
        elif deployed and (finding.subject or finding.principal not in ("", Principal.ANYONE, Principal.OUTSIDE)):
            if finding.function:
                reasons = [reason for address, guard, reason in graph.unresolved
                           if guard == finding.principal and address in {d.address for d in deployed}]
                why = reasons[0] if reasons else ""
            finding = replace(finding, holder="unresolved" + (f": {why}" if why else ""))
        resolved.append(finding)
    return resolved

