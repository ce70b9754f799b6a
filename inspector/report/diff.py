"""What changed between two reports of one system (`inspector diff OLD.json NEW.json`):
who holds each power, multisig owners and thresholds, timelock delays, the code behind
proxies, findings, the score and holder concentration. Each change has a kind and a
severity, so a scheduled job can alert on the ones that matter.

How severe a change is says how much it can weaken the system, not how bad the system
is: a power that moves to a weaker holder, a lower threshold, a shorter delay and an
upgrade rank high; what strengthens it (a removed holder, a raised threshold, a resolved
finding, a better score) ranks low or info.
"""
from __future__ import annotations

from dataclasses import dataclass

from inspector.chain.accounts import Account, short
from inspector.chain.edges import Edge
from inspector.chain.graph import ANYONE
from inspector.durations import duration
from inspector.errors import InspectorError
from inspector.findings import Severity
from inspector.report.reader import Report
from inspector.score.model import AXES
from inspector.vocabulary import HANDS_OVER, MINOR, AccountKind, EdgeKind, GuardKind

# Powers that hand over the whole contract, or everything its holder can reach: the
# capabilities that do (vocabulary.HANDS_OVER), and the edges the graph reads from a holder's
# own kind that do (an owner, a timelock's proposers or admin, a Safe's modules)
_TAKEOVER = HANDS_OVER | {EdgeKind.OWNER, EdgeKind.PROPOSE, EdgeKind.QUEUE, EdgeKind.EXECUTE_AS_MODULE}
# What to call the holders of a power the graph reads from the holder's own kind
_HOLDER_NAMES = {EdgeKind.OWNER: "owner", EdgeKind.PROPOSE: "proposers", EdgeKind.GRANT_ROLE: "admins", EdgeKind.QUEUE: "admin",
                 EdgeKind.VOTE: "voting token", EdgeKind.EXECUTE_AS_MODULE: "modules"}
# Weaker holders first: a power moving down this list is worse than one moving up
_STRENGTH = {AccountKind.ANYONE: 0, AccountKind.EOA: 1, AccountKind.CONTRACT: 2, AccountKind.TOKEN: 2, AccountKind.PROXY: 2,
             AccountKind.MULTISIG: 3, AccountKind.GOVERNOR: 4, AccountKind.TIMELOCK: 4, AccountKind.RENOUNCED: 5}
# Holder shares move with every transfer: smaller moves are noise to a monitor
SHARE_STEP = 0.01
SCORE_STEP = 0.1


@dataclass(frozen=True)
class Change:
    kind: str  # holder-added, threshold-lowered, ... (README: Monitoring a deployed system)
    subject: str  # what changed: "owner of LaunchToken 0x…", "threshold of Safe 0x…", "score"
    old: str | None  # the value before, None when the subject is new
    new: str | None  # the value after, None when the subject is gone
    severity: Severity
    message: str  # one sentence for people


class DifferentSystems(InspectorError):
    """Two reports that share no target: their differences say nothing about a change."""


def same_system(old: Report, new: Report) -> bool:
    return bool({t.lower() for t in old.targets} & {t.lower() for t in new.targets})


def compare(old: Report, new: Report, force: bool = False) -> list[Change]:
    if not force and not same_system(old, new):
        raise DifferentSystems(f"{old.name} and {new.name} share no target: they are reports of different systems",
                               "compare two scans of the same targets, or pass --force")
    changes = (_coverage(old, new) + _powers(old, new) + _nodes(old, new) + _findings(old, new) + _score(old, new)
               + _concentration(old, new))
    return sorted(changes, key=lambda c: (-c.severity, c.kind, c.subject))


def _who(address: str, *reports: Report) -> str:
    """An address as the first report that knows it describes it: "Safe 2-of-3 0x0229…117C"."""
    if address == ANYONE:
        return "anyone"
    for report in reports:
        if address in report.nodes:
            return report.nodes[address].describe()
    return short(address)


def _kind(address: str, report: Report) -> str:
    if address == ANYONE:
        return AccountKind.ANYONE
    node = report.nodes.get(address)
    if node is None:
        return AccountKind.CONTRACT
    if node.kind == AccountKind.MULTISIG and node.threshold == 1:
        return AccountKind.EOA  # one signature suffices
    return node.kind


# -- what the scans could see ----------------------------------------------------------

def _coverage(old: Report, new: Report) -> list[Change]:
    """A target that could not be scanned, or holders that could not be read, make powers
    vanish from the graph: said first, so that their removal is not taken for good news."""
    changes = []
    for target in sorted(new.skipped.keys() - old.skipped.keys()):
        changes.append(Change("target-skipped", target, None, new.skipped[target], Severity.MEDIUM,
                              f"{target} could not be scanned: {new.skipped[target]}"))
    for target in sorted(old.skipped.keys() - new.skipped.keys()):
        changes.append(Change("target-scanned", target, old.skipped[target], None, Severity.INFO,
                              f"{target} was scanned again (it was skipped: {old.skipped[target]})"))
    for contract, principal in sorted(new.unresolved.keys() - old.unresolved.keys()):
        reason = new.unresolved[(contract, principal)]
        subject = f"{principal} of {_who(contract, new, old)}"
        changes.append(Change("holder-unresolved", subject, None, reason, Severity.MEDIUM,
                              f"who holds {subject} could not be read: {reason}"))
    for contract, principal in sorted(old.unresolved.keys() - new.unresolved.keys()):
        subject = f"{principal} of {_who(contract, new, old)}"
        changes.append(Change("holder-resolved", subject, old.unresolved[(contract, principal)], None, Severity.INFO,
                              f"who holds {subject} is read again"))
    return changes


# -- who holds each power ---------------------------------------------------------------

@dataclass(frozen=True)
class _Principal:
    target: str  # the address the power is over
    name: str  # the role, the owner variable, or who the holder is to the target
    role: bool


def _principal(report: Report, edge: Edge) -> _Principal:
    target, capability, function = edge.target, edge.capability, edge.function
    node = report.nodes.get(target)
    contract = node.label.split(" via ")[0] if node else ""
    guards = report.guards.get((contract, function, capability))
    if guards is None:
        # a proxy's own functions (its admin's upgrade) are facts of the proxy contract,
        # while the node is labelled with the implementation behind it
        found = {g for (_, f, c), g in report.guards.items() if (f, c) == (function, capability)}
        guards = found.pop() if len(found) == 1 else ()
    if len(guards) == 1 and guards[0].kind == GuardKind.ROLE:
        return _Principal(target, guards[0].detail, True)
    if len(guards) == 1 and guards[0].kind == GuardKind.OWNER:
        return _Principal(target, guards[0].detail.split(".")[-1].lstrip("_") or "owner", False)
    if len(guards) == 1 and guards[0].detail:
        return _Principal(target, guards[0].detail, False)
    if not function and edge.kind in _HOLDER_NAMES:
        return _Principal(target, _HOLDER_NAMES[edge.kind], False)
    return _Principal(target, f"{capability} power", False)


def _held(report: Report) -> dict[_Principal, dict[str, dict[tuple[str, str], int]]]:
    """principal -> holder -> (capability, function) -> delay."""
    held: dict[_Principal, dict[str, dict[tuple[str, str], int]]] = {}
    for edge in report.edges:
        target = report.nodes.get(edge.target)
        if edge.kind == EdgeKind.SIGN and target is not None and target.kind == AccountKind.MULTISIG:
            continue  # a Safe's signers are compared with its owners, not edge by edge
        principal = _principal(report, edge)
        held.setdefault(principal, {}).setdefault(edge.source, {})[(edge.capability, edge.function)] = edge.delay
    return held


def _power_severity(capabilities) -> Severity:
    names = {c for c, _ in capabilities}
    if names & _TAKEOVER:
        return Severity.HIGH
    return Severity.LOW if names <= MINOR else Severity.MEDIUM


# Powers the graph reads from a holder's kind, said as verbs ("can now own ProxyAdmin")
_VERBS = {EdgeKind.OWNER: "own", EdgeKind.VOTE: "vote on", EdgeKind.EXECUTE_AS_MODULE: "execute as a module of"}


def _capabilities(capabilities) -> str:
    names = sorted({c for c, _ in capabilities}, key=lambda c: (c not in _TAKEOVER, c))
    return ", ".join(_VERBS.get(c, c) for c in names)


def _gained(severity: Severity, holder_kind: str) -> Severity:
    if holder_kind == AccountKind.ANYONE:
        return Severity.CRITICAL
    return Severity.INFO if holder_kind == AccountKind.RENOUNCED else severity


def _powers(old: Report, new: Report) -> list[Change]:
    before_all, after_all = _held(old), _held(new)
    changes: list[Change] = []
    for principal in sorted(before_all.keys() | after_all.keys(), key=lambda p: (p.target, p.name)):
        before, after = before_all.get(principal, {}), after_all.get(principal, {})
        target = _who(principal.target, new, old)
        subject = f"{principal.name} of {target}"
        added, removed = sorted(after.keys() - before.keys()), sorted(before.keys() - after.keys())
        if not principal.role and len(added) == 1 and len(removed) == 1:
            changes.append(_replaced(old, new, subject, removed[0], added[0], before[removed[0]].keys() | after[added[0]].keys()))
            added, removed = [], []
        what = "role-member" if principal.role else "holder"
        for holder in added:
            powers = after[holder].keys()
            changes.append(Change(
                f"{what}-added", subject, None, holder, _gained(_power_severity(powers), _kind(holder, new)),
                f"{_who(holder, new)} {'joined ' + subject + ': ' if principal.role else ''}can now {_capabilities(powers)} "
                f"{'' if principal.role else target}".rstrip()))
        for holder in removed:
            powers = before[holder].keys()
            changes.append(Change(
                f"{what}-removed", subject, holder, None, Severity.LOW,
                f"{_who(holder, old)} {'left ' + subject + ': ' if principal.role else ''}can no longer {_capabilities(powers)} "
                f"{'' if principal.role else target}".rstrip()))
        for holder in sorted(before.keys() & after.keys()):
            changes += _same_holder(old, new, principal, subject, holder, before[holder], after[holder])
    return changes


def _replaced(old: Report, new: Report, subject: str, was: str, now: str, powers) -> Change:
    severity = _gained(_power_severity(powers), _kind(now, new))
    if _STRENGTH.get(_kind(now, new), 2) < _STRENGTH.get(_kind(was, old), 2):
        severity = Severity(min(severity + 1, Severity.CRITICAL))
    return Change("holder-replaced", subject, was, now, severity,
                  f"{subject} ({_capabilities(powers)}) moved from {_who(was, old)} to {_who(now, new)}")


def _same_holder(old: Report, new: Report, principal: _Principal, subject: str, holder: str,
                 before: dict[tuple[str, str], int], after: dict[tuple[str, str], int]) -> list[Change]:
    """A holder that stays but gains or loses powers (new code behind a proxy), or whose
    delay on a power changed without its timelock's delay changing."""
    changes = []
    who, target = _who(holder, new, old), _who(principal.target, new, old)
    gained, lost = after.keys() - before.keys(), before.keys() - after.keys()
    if gained:
        changes.append(Change("power-added", subject, _capabilities(before), _capabilities(after),
                              _gained(_power_severity(gained), _kind(holder, new)), f"{who} can now also {_capabilities(gained)} {target}"))
    if lost:
        changes.append(Change("power-removed", subject, _capabilities(before), _capabilities(after), Severity.LOW,
                              f"{who} can no longer {_capabilities(lost)} {target}"))
    node_delay = [r.nodes[principal.target].delay if principal.target in r.nodes else None for r in (old, new)]
    for key in sorted(before.keys() & after.keys()):
        if before[key] != after[key] and node_delay[0] == node_delay[1]:
            changes.append(_delay(f"delay of {who} to {key[0]} {target}", before[key], after[key]))
    return changes


# -- what each address is ---------------------------------------------------------------

def _days(seconds: int | None) -> str:
    return "unknown" if seconds is None else duration(seconds) if seconds else "none"


def _delay(subject: str, was: int | None, now: int | None) -> Change:
    shorter = (now or 0) < (was or 0)
    return Change("delay-shortened" if shorter else "delay-lengthened", subject, str(was), str(now),
                  Severity.HIGH if shorter else Severity.LOW, f"{subject} {'shortened' if shorter else 'lengthened'} "
                  f"from {_days(was)} to {_days(now)}")


def _nodes(old: Report, new: Report) -> list[Change]:
    changes: list[Change] = []
    for address in sorted(old.nodes.keys() & new.nodes.keys()):
        was, now = old.nodes[address], new.nodes[address]
        name = f"{now.label or now.kind} {short(address)}"
        if was.kind != now.kind:
            changes.append(Change("kind-changed", f"kind of {name}", was.kind, now.kind, Severity.MEDIUM,
                                  f"{short(address)} was {was.describe()}, is now {now.describe()}"))
        if was.threshold is not None and now.threshold is not None and was.threshold != now.threshold:
            lower = now.threshold < was.threshold
            changes.append(Change(
                "threshold-lowered" if lower else "threshold-raised", f"threshold of {name}", str(was.threshold), str(now.threshold),
                (Severity.HIGH if now.threshold <= 1 else Severity.MEDIUM) if lower else Severity.LOW,
                f"{name} now needs {now.threshold} of {len(now.owners)} signatures (was {was.threshold} of {len(was.owners)})"))
        for owner in sorted(set(now.owners) - set(was.owners)):
            changes.append(Change("signer-added", f"signers of {name}", None, owner, Severity.MEDIUM,
                                  f"{_who(owner, new)} can now sign for {name}"))
        for owner in sorted(set(was.owners) - set(now.owners)):
            changes.append(Change("signer-removed", f"signers of {name}", owner, None, Severity.LOW,
                                  f"{_who(owner, old)} can no longer sign for {name}"))
        if was.delay is not None and now.delay is not None and was.delay != now.delay:
            changes.append(_delay(f"delay of {name}", was.delay, now.delay))
        changes += _implementation(was, now, name) + _settings(was, now, name)
    return changes


def _implementation(was: Account, now: Account, name: str) -> list[Change]:
    """An upgrade: the code behind a proxy changed. Reports written before the graph
    named implementations show it only as the contract name in the label."""
    before, after = was.details.get("implementations"), now.details.get("implementations")
    if before is not None and after is not None:
        if sorted(before) == sorted(after):
            return []
        old_text, new_text = ", ".join(before), ", ".join(after)
        text = f"{name} was upgraded: its code is now at {', '.join(map(short, after))} (was {', '.join(map(short, before))})"
    elif " via " in was.label + now.label and was.label != now.label:
        old_text, new_text = was.label, now.label
        text = f"{short(now.address)} was upgraded: it now runs {now.label} (was {was.label})"
    else:
        return []
    return [Change("implementation-changed", f"implementation of {name}", old_text, new_text, Severity.HIGH, text)]


# compared on their own (implementations) or as powers (a Safe's modules, a timelock's admins)
_NOT_SETTINGS = {"implementations", "modules", "admins"}


def _settings(was: Account, now: Account, name: str) -> list[Change]:
    """Anything else the chain showed about an address: a governor's quorum, a Safe's
    guard, a timelock's executors, an EOA's EIP-7702 delegate."""
    changes = []
    for key in sorted((was.details.keys() | now.details.keys()) - _NOT_SETTINGS):
        before, after = was.details.get(key), now.details.get(key)
        if before != after:
            changes.append(Change("setting-changed", f"{key} of {name}", _text(before), _text(after), Severity.MEDIUM,
                                  f"{key} of {name} changed from {_text(before) or 'none'} to {_text(after) or 'none'}"))
    return changes


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value).lower() if isinstance(value, bool) else str(value)


# -- findings, score, holders -----------------------------------------------------------

def _findings(old: Report, new: Report) -> list[Change]:
    changes = []
    for id_ in sorted(new.findings.keys() - old.findings.keys()):
        f = new.findings[id_]
        where = f"{f.contract}.{f.function}" if f.function else f.contract
        changes.append(Change("finding-new", f"{f.rule} in {where}", None, id_, f.severity,
                              f"new {f.severity} finding {f.rule} at {f.file}:{f.line} {where}: {f.message}"))
    for id_ in sorted(old.findings.keys() - new.findings.keys()):
        f = old.findings[id_]
        where = f"{f.contract}.{f.function}" if f.function else f.contract
        changes.append(Change("finding-resolved", f"{f.rule} in {where}", id_, None, Severity.INFO,
                              f"resolved {f.severity} finding {f.rule} at {f.file}:{f.line} {where}"))
    return changes


def _points(kind: str, subject: str, was: float, now: float, lowered: Severity) -> list[Change]:
    if abs(now - was) < SCORE_STEP - 1e-9:
        return []
    lower = now < was
    return [Change(f"{kind}-lowered" if lower else f"{kind}-raised", subject, f"{was:g}", f"{now:g}",
                   lowered if lower else Severity.INFO, f"{subject} {'fell' if lower else 'rose'} from {was:g} to {now:g}")]


def _score(old: Report, new: Report) -> list[Change]:
    if old.score is None or new.score is None:
        return []  # a report without a score: nothing to compare it with
    was, now = old.score, new.score
    changes = _points("score", "score", was.total, now.total, Severity.HIGH if was.total - now.total >= 10 else Severity.MEDIUM)
    if was.grade != now.grade:
        lower = now.grade > was.grade  # A is best
        changes.append(Change("grade-lowered" if lower else "grade-raised", "grade", was.grade, now.grade,
                              Severity.MEDIUM if lower else Severity.INFO, f"grade {'fell' if lower else 'rose'} from {was.grade} to {now.grade}"))
    if was.stage != now.stage:
        lower = now.stage < was.stage
        reasons = f": {'; '.join(now.stage_reasons)}" if lower and now.stage_reasons else ""
        changes.append(Change("stage-lowered" if lower else "stage-raised", "stage", str(was.stage), str(now.stage),
                              Severity.HIGH if lower else Severity.INFO, f"stage {'fell' if lower else 'rose'} from {was.stage} to {now.stage}{reasons}"))
    for axis in AXES:
        changes += _points("score", f"{axis.replace('_', ' ')} score", getattr(was.axes, axis), getattr(now.axes, axis), Severity.LOW)
    contracts = {c.contract: c.total for c in was.contracts}
    for contract in now.contracts:
        if contract.contract in contracts:
            changes += _points("score", f"score of {contract.contract}", contracts[contract.contract], contract.total, Severity.LOW)
    return changes


def _share(value: float) -> str:
    return f"{value * 100:.1f}%"


def _concentration(old: Report, new: Report) -> list[Change]:
    changes = []
    for token in sorted(old.holders.keys() & new.holders.keys()):
        was, now, name = old.holders[token], new.holders[token], _who(token, new, old)
        if abs(now.top1 - was.top1) >= SHARE_STEP - 1e-9:
            more = now.top1 > was.top1
            severity = (Severity.MEDIUM if now.top1 > 0.5 >= was.top1 else Severity.LOW) if more else Severity.INFO
            changes.append(Change("concentration-increased" if more else "concentration-decreased", f"top holder share of {name}",
                                  _share(was.top1), _share(now.top1), severity,
                                  f"the largest holder of {name} holds {_share(now.top1)} (was {_share(was.top1)})"))
        if now.nakamoto != was.nakamoto:
            more = now.nakamoto < was.nakamoto  # fewer holders make a majority
            severity = (Severity.HIGH if now.nakamoto == 1 else Severity.MEDIUM) if more else Severity.INFO
            changes.append(Change("concentration-increased" if more else "concentration-decreased", f"Nakamoto coefficient of {name}",
                                  str(was.nakamoto), str(now.nakamoto), severity,
                                  f"{now.nakamoto} holder(s) of {name} now hold a majority (was {was.nakamoto})"))
    return changes
