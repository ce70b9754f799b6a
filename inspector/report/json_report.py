"""The JSON report: a versioned document for programs (schema in report/schema/)."""
from __future__ import annotations

import json
from collections import Counter

from inspector import __version__
from inspector.findings import Finding, Severity
from inspector.score.model import AXES, Axes, Score
from inspector.result import ScanResult
from inspector.sources.model import target_match
from inspector.vocabulary import CapabilityName, GuardKind, MatchKind

SCHEMA_VERSION = "3.1"  # 3: targets are objects saying how each deployed code was matched; 3.1: deductions name their key


def _finding(finding: Finding) -> dict:
    return {
        "id": finding.id,
        "rule": finding.rule,
        "category": finding.category,
        "severity": str(finding.severity),
        "confidence": finding.confidence,
        "contract": finding.contract,
        "function": finding.function,
        "file": finding.file,
        "line": finding.line,
        "message": finding.message,
        "principal": finding.principal,
        "holder": finding.holder,
        "evidence": [{"file": e.file, "line": e.line, "note": e.note} for e in finding.evidence],
    }


def _guard(guard) -> dict:
    data = {"kind": guard.kind, "detail": guard.detail}
    if guard.kind == GuardKind.ROLE:
        data["admin"] = guard.admin
    if guard.contract:
        data["contract"] = guard.contract
    if guard.cosigner:
        data["cosigner"] = guard.cosigner
    return data


def _graph(result: ScanResult) -> dict | None:
    """Who holds what on chain: accounts and contracts, and edges "can use capability X on
    Y (through function F), after delay D"."""
    graph = result.graph
    if graph is None:
        return None
    return {
        "chain": result.chain,
        "block": result.block,
        "nodes": [
            {"address": a.address, "kind": a.kind, "label": a.label, "threshold": a.threshold, "owners": list(a.owners),
             "delay": a.delay, "details": {k: v for k, v in a.details.items() if v not in (None, [], {})},
             "name": a.name or None, "name_source": a.name_source or None}
            for a in sorted(graph.nodes.values(), key=lambda a: a.address)
        ],
        "edges": [{"from": e.source, "to": e.target, "capability": e.capability, "function": e.function, "delay": e.delay}
                  for e in graph.edges],
        "unresolved": [{"contract": c, "principal": p, "reason": r} for c, p, r in graph.unresolved],
        "powers": [
            {"contract": p.contract, "capability": p.capability, "function": p.function, "min_delay": p.min_delay,
             "keys": [{"address": k.address, "kind": k.kind, "label": k.label, "delay": k.delay, "threshold": k.threshold,
                       "owners": k.owners} for k in p.keys]}
            for p in result.powers
        ],
    }


def score_document(score: Score | None) -> dict | None:
    """The score with every power it weighed, how much each took and why, what it did not
    see (coverage) and what the project set aside (docs/scoring.md)."""
    if score is None:
        return None

    def axes(value: Axes) -> dict:
        return {axis: getattr(value, axis) for axis in AXES}

    coverage = score.coverage
    return {
        "total": score.total, "grade": score.grade, "grade_cap": score.grade_cap, "grade_note": score.grade_note,
        "stage": score.stage, "stage_reasons": list(score.stage_reasons),
        "complete": score.complete,
        "coverage": {"analysed": coverage.analysed, "skipped": [t for t, _ in coverage.skipped],
                     "unmatched": list(coverage.unmatched), "unresolved_powers": list(coverage.unresolved_powers)},
        "axes": axes(score.axes),
        "deductions": [
            {"power": d.power, "contract": d.contract, "capability": d.capability, "functions": list(d.functions),
             "axis": d.axis, "points": d.points, "share": d.share, "weight": d.weight, "holder_factor": d.holder_factor,
             "reason": d.reason, "key": d.key, "finding_ids": list(d.finding_ids), "unresolved": d.unresolved,
             "acknowledged": [{"rule": a.rule, "finding_id": a.finding_id, "scope": a.scope, "file": a.file, "line": a.line}
                              for a in d.acknowledged]}
            for d in score.deductions],
        "contracts": [{"contract": c.contract, "total": c.total, "axes": axes(c.axes)} for c in score.contracts],
        "unresolved_note": score.unresolved_note,
        "unreported_powers": list(score.unreported),
        "custom_settings": [{"name": name, "value": value} for name, value in score.custom_settings],
    }


def _capability(cap) -> dict:
    data = {"name": cap.name, "detail": cap.detail, "file": cap.file, "line": cap.line, "bound": cap.bound}
    if cap.guards:
        data["guards"] = [_guard(g) for g in cap.guards]
    if cap.name == CapabilityName.MINT:
        data["paid"] = cap.paid
    return data


def _targets(result: ScanResult) -> list[dict]:
    """Each target, and how the code it runs was tied to what was analysed: a local path is
    its sources; a deployed address is verified, matched to the project (full or partial)
    or read from its bytecode only; `match` is the weakest of its codes (null: not analysed)."""
    skipped = {target for target, _ in result.skipped}
    out = []
    for target in result.targets:
        codes = [m for m in result.matches if m.target == target]
        match = target_match(codes)
        if match is None and not codes and target not in skipped and not _is_address(target):
            match = MatchKind.SOURCE
        out.append({"target": target, "match": str(match) if match is not None else None,
                    "codes": [{"address": m.address, "via": m.via, "contract": m.contract, "match": str(m.match),
                               "detail": m.detail} for m in codes]})
    return out


def _is_address(target: str) -> bool:
    chain, colon, address = target.rpartition(":")
    return bool(colon) and address.lower().startswith("0x") and len(address) == 42


def _governor(state, result: ScanResult) -> dict:
    """A governor's rules, who can win its votes and what it reaches (chain/governors.py).
    Vote amounts are decimal strings: they overflow JSON's safe integers."""
    votes = state.votes
    labels = {a.address: a.describe() for a in result.graph.nodes.values()} if result.graph is not None else {}

    def amount(value: int | None) -> str | None:
        return str(value) if value is not None else None

    return {
        "governor": state.governor, "token": state.token, "timelock": state.timelock,
        "quorum": amount(state.quorum), "proposal_threshold": amount(state.proposal_threshold),
        "voting_delay": state.voting_delay, "voting_period": state.voting_period, "clock": state.clock,
        "votes_source": votes.source if votes is not None else None,
        "delegates": len(votes.delegates) if votes is not None else None,
        "delegated_votes": amount(votes.total) if votes is not None else None,
        "supply": amount(votes.supply) if votes is not None else None,
        "delegated_share": state.delegated_share,
        "holders_to_quorum": state.holders_to_quorum, "holders_to_majority": state.holders_to_majority,
        "top_delegates": [{"address": a, "votes": str(v), "share": v / votes.total, "label": labels.get(a, "")}
                          for a, v in votes.delegates[:10]] if votes is not None else [],
        "powers_reachable": len(state.powers_reachable), "powers_total": state.powers_total,
    }


def document(result: ScanResult) -> dict:
    counts = Counter(str(f.severity) for f in result.findings)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "inspector", "version": __version__},
        "targets": _targets(result),
        "compilation": [
            {"solc": u.version, "route": u.route, "files": u.files, "targets": list(u.targets)} for u in result.units
        ],
        "summary": {
            "findings": len(result.findings),
            "suppressed": len(result.suppressed),
            "baseline": len(result.baseline),
            "by_severity": {str(s): counts.get(str(s), 0) for s in sorted(Severity, reverse=True)},
        },
        "skipped": [{"target": t, "reason": r} for t, r in result.skipped],
        "score": score_document(result.score),
        "control_graph": _graph(result),
        "holders": [
            {"token": h.token, "holders": h.holders, "supply": str(h.supply), "top1": h.top1, "top10": h.top10, "hhi": h.hhi,
             "gini": h.gini, "nakamoto": h.nakamoto,
             "top": [{"address": a, "balance": str(v), "share": s, "label": l} for a, v, s, l in h.top]}
            for h in result.holders
        ],
        "governance": [_governor(g, result) for g in result.governors],
        "findings": [_finding(f) for f in result.findings],
        "suppressed": [{**_finding(s.finding), "suppression": {"file": s.file, "line": s.line, "scope": s.scope}}
                       for s in result.suppressed],
        "baseline": [_finding(f) for f in result.baseline],
        "facts": {
            "contracts": [
                {
                    "name": c.name,
                    "file": c.file,
                    "line": c.line,
                    "kinds": list(c.kinds),
                    "standards": dict(c.standards),
                    "abstract": c.abstract,
                    "disables_initializers": c.disables_initializers,
                    "constructor_grants": [{"role": r, "grantee": g} for r, g in c.constructor_grants],
                    "nominees": {name: list(by) for name, by in c.nominees.items()},
                    "entry_points": [
                        {
                            "function": e.function,
                            "declared_in": e.declared_in,
                            "file": e.file,
                            "line": e.line,
                            "guards": [_guard(g) for g in e.guards],
                            "initializer": e.initializer,
                            "verifies_signature": e.verifies_signature,
                            "feeds": list(e.feeds),
                            "inert": list(e.inert),
                            "capabilities": [
                                _capability(cap) for cap in e.capabilities
                            ],
                        }
                        for e in c.entry_points
                    ],
                }
                for c in result.facts.contracts
            ]
        },
    }


def render(result: ScanResult, colour: bool = False) -> str:  # colour: a terminal's, not this format's
    return json.dumps(document(result), indent=2) + "\n"
