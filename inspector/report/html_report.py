"""The HTML report: one self-contained page that opens in any browser without a network or
JavaScript. Styles are inline, the control graph is an SVG laid out by Graphviz, and a
Content-Security-Policy forbids every fetch, so that a name that slipped through escaping
still could not load anything. Contract names, messages and source text are untrusted:
everything goes through html.escape."""
from __future__ import annotations

from html import escape
from typing import Iterable

from inspector import __version__
from inspector.chain.graph import ControlGraph
from inspector.findings import Finding
from inspector.report import graph_layout, view, vote_chart
from inspector.result import ScanResult
from inspector.printable import visible

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;background:#f6f7f9;margin:0}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}h2{border-bottom:2px solid #d8dde4;padding-bottom:4px;margin-top:36px}
code,pre,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:13px}
.muted{color:#5b6472}
.card{display:flex;gap:24px;align-items:center;flex-wrap:wrap;background:#fff;border:1px solid #d8dde4;border-radius:8px;padding:16px 20px}
.total{font-size:44px;font-weight:700}.total small{font-size:18px;color:#5b6472}
.grade{font-size:32px;font-weight:700;border-radius:8px;padding:2px 14px;background:#e9ecef}
.grade-A{background:#c8ecd3}.grade-B{background:#dff3c4}.grade-C{background:#fcefc2}.grade-D{background:#fbd9bd}.grade-E,.grade-F{background:#f6c6c9}
.stage{font-size:20px}
.axes{flex:1;min-width:280px}.axis{display:grid;grid-template-columns:200px 1fr 48px;gap:8px;align-items:center;margin:4px 0}
.bar{background:#e9ecef;border-radius:4px;height:12px;overflow:hidden}.fill{background:#3d7bd9;height:100%}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}th,td{border:1px solid #d8dde4;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}
.graph{background:#fff;border:1px solid #d8dde4;border-radius:8px;overflow-x:auto;padding:8px}
.graph svg{display:block}
.finding{background:#fff;border:1px solid #d8dde4;border-left:6px solid #adb5bd;border-radius:6px;padding:10px 16px;margin:12px 0}
.sev-critical{border-left-color:#8e24aa}.sev-high{border-left-color:#d93d3d}.sev-medium{border-left-color:#e0a100}.sev-low{border-left-color:#2a9fd6}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:700;text-transform:uppercase;background:#e9ecef}
.finding h4{margin:4px 0}.finding dl{display:grid;grid-template-columns:150px 1fr;margin:6px 0}.finding dd{margin:0}
pre.excerpt{background:#f3f4f6;border-radius:4px;padding:8px;overflow-x:auto}
pre.excerpt .ln{color:#8a93a0;display:inline-block;width:4em;user-select:none}pre.excerpt mark{background:#fff3b0;display:block}
"""


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """Cells arrive escaped (they may hold markup of ours, such as links)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _score(result: ScanResult) -> str:
    score = result.score
    if score is None:
        return (f'<section id="score"><h2>Summary</h2><p id="no-score">No score: this report was made without the score model. '
                f'Findings: {escape(view.tally(result.findings))}.</p></section>')
    axes = "".join(
        f'<div class="axis"><span>{escape(title)}</span><div class="bar"><div class="fill" style="width:{max(0.0, min(100.0, value)):g}%">'
        f'</div></div><span class="mono">{view.points(value)}</span></div>'
        for title, value in ((title, getattr(score.axes, name)) for name, title in view.AXIS_TITLES.items()))
    grade = escape(score.grade)
    partial = "" if score.complete else '<small id="partial"> partial</small>'
    parts = ['<section id="score"><h2>Summary</h2><div class="card">',
             f'<div class="total" id="score-total">{view.points(score.total)}<small> / 100</small>{partial}</div>',
             f'<div class="grade grade-{grade}" id="grade">{grade}</div><div class="stage" id="stage">Stage {score.stage}</div>',
             f'<div class="axes">{axes}</div></div>',
             f'<p id="grade-note">{escape(score.grade_note)}</p>' if score.grade_note else "",
             f'<p>Findings: {escape(view.tally(result.findings))}.</p>']
    if not score.complete:
        parts.append('<h3>Partial</h3><p>The score is a partial answer: it did not see everything that was asked.</p>'
                     '<ul id="coverage">' + "".join(f"<li>{escape(line)}</li>" for line in view.coverage_lines(score)) + "</ul>")
    parts += ["<h3>Stage</h3><ul>",
              "".join(f"<li>{escape(reason)}</li>" for reason in score.stage_reasons) or "<li>no reason given</li>", "</ul>",
              "<h3>Deductions</h3>"]
    if score.deductions:
        parts.append(_table(["axis", "points", "power", "findings", "reason"], (
            (escape(view.AXIS_TITLES.get(d.axis, d.axis)), f"−{view.points(d.points)}", f"<code>{escape(view.deduction_power(d))}</code>",
             ", ".join(f'<a href="#f-{escape(i)}"><code>{escape(i)}</code></a>' for i in d.finding_ids), escape(d.reason))
            for d in score.deductions)))
    else:
        parts.append("<p>No points were taken away.</p>")
    acknowledged = view.acknowledged_lines(score)
    if acknowledged:
        parts.append('<h3>Acknowledged by the project</h3><p>Findings the project silenced or baselined; their powers still count.</p>'
                     '<ul id="acknowledged">' + "".join(f"<li>{escape(line)}</li>" for line in acknowledged) + "</ul>")
    for note in (view.unreported_line(score), view.settings_line(score), score.unresolved_note):
        if note:
            parts.append(f'<p class="muted">{escape(note)}</p>')
    if score.contracts:
        parts.append("<h3>Per contract</h3>" + _table(["contract", "score", *view.AXIS_TITLES.values()], (
            (f"<code>{escape(c.contract)}</code>", view.points(c.total), *(view.points(getattr(c.axes, n)) for n in view.AXIS_TITLES))
            for c in score.contracts)))
        if view.system_line(score):
            parts.append(f"<p>{escape(view.system_line(score))}</p>")
    return "".join(parts) + "</section>"


def _graph(result: ScanResult) -> str:
    graph = result.graph
    if graph is None:
        return ('<section id="control-graph"><h2>Control graph</h2><p id="no-graph">No control graph: no chain was read. '
                "Scan deployed addresses (<code>CHAIN:0xADDRESS</code>) with <code>--rpc</code> to draw who holds each power.</p></section>")
    where = f"Read from {escape(result.chain)}" + (f" at block {result.block}" if result.block is not None else "") + "."
    parts = ['<section id="control-graph"><h2>Control graph</h2>']
    if not graph.edges and not graph.nodes:
        parts.append(f'<p id="no-graph">{where} No power found in the code has a holder on chain.</p>')
    else:
        try:
            parts.append(f'<p class="muted">{where} An arrow reads “can use this power on”; hover a node or an arrow for all of it.</p>'
                         f'<div class="graph">{graph_layout.svg(graph)}</div>')
        except graph_layout.LayoutError as exc:
            parts.append(f'<p class="muted">{where}</p><p id="graph-missing">The graph is not drawn: {escape(str(exc))}; '
                         "its edges are listed below.</p>" + _edge_table(graph))
    if graph.unresolved:
        parts.append("<h3>Could not be resolved</h3><ul>" + "".join(
            f"<li><code>{escape(c)}</code>: <code>{escape(p)}</code>: {escape(why)}</li>" for c, p, why in graph.unresolved) + "</ul>")
    return "".join(parts) + "</section>"


def _edge_table(graph: ControlGraph) -> str:
    """Every edge as a row, for a page on which the graph could not be drawn."""
    nodes = {a.address: a for a in view.graph_nodes(graph)}

    def account(address: str) -> str:
        return escape(view.node_lines(nodes[address])[0]) + f" <code>{escape(address)}</code>"

    return _table(["holder", "power", "on"], ((account(e.source), escape(view.edge_text(e)), account(e.target)) for e in graph.edges))


def _excerpt(result: ScanResult, finding: Finding) -> str:
    shown = view.excerpt(result, finding.file, finding.line)
    if not shown:
        return ""
    lines = []
    for number, line in shown:
        row = f'<span class="ln">{number}</span>{escape(line)}'
        lines.append(f"<mark>{row}</mark>" if number == finding.line else row + "\n")
    return f'<pre class="excerpt"><code>{"".join(lines)}</code></pre>'


def _finding(result: ScanResult, finding: Finding, advice: view.Advice | None) -> str:
    where = f"{finding.contract}.{finding.function}" if finding.function else finding.contract
    facts = [("Location", f"<code>{escape(finding.file)}:{finding.line}</code>"), ("Confidence", escape(finding.confidence)),
             ("Id", f"<code>{escape(finding.id)}</code>")]
    if finding.principal:
        facts.append(("Guarded by", f"<code>{escape(finding.principal)}</code>"))
    if finding.holder:
        facts.append(("Held by on chain", escape(finding.holder)))
    parts = [f'<article class="finding sev-{finding.severity}" id="f-{escape(finding.id)}">',
             f'<h4><span class="badge">{finding.severity}</span> <code>{escape(finding.rule)}</code> in <code>{escape(where)}</code></h4>',
             "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>",
             f'<p class="message">{escape(finding.message)}</p>', _excerpt(result, finding)]
    if finding.evidence:
        parts.append("<ul>" + "".join(f"<li>at <code>{escape(e.file)}:{e.line}</code>: {escape(e.note)}</li>" for e in finding.evidence) + "</ul>")
    if advice is not None:
        parts.append(f"<p><strong>Remediation:</strong> {escape(advice.remediation)}</p>")
        links = [f'<a href="{escape(r)}" rel="noreferrer noopener">{escape(r)}</a>' if view.is_link(r) else escape(r) for r in advice.references]
        if links:
            parts.append("<p><strong>References:</strong></p><ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>")
    return "".join(parts) + "</article>"


def _findings(result: ScanResult) -> str:
    if not result.findings:
        return '<section id="findings"><h2>Findings</h2><p>No findings.</p></section>'
    advice = view.advice_by_rule(result.rules)
    parts = ['<section id="findings"><h2>Findings</h2>']
    for severity, findings in view.by_severity(result.findings):
        parts.append(f"<h3>{str(severity).capitalize()} ({len(findings)})</h3>")
        parts += [_finding(result, f, advice.get(f.rule)) for f in findings]
    return "".join(parts) + "</section>"


def _holders(result: ScanResult) -> str:
    if not result.holders:
        return ""
    return '<section id="holders"><h2>Token holders</h2>' + _table(
        ["token", "holders", "top-1", "top-10", "HHI", "Gini", "Nakamoto coefficient"],
        ((f"<code>{escape(h.token)}</code>", str(h.holders), f"{h.top1:.1%}", f"{h.top10:.1%}", f"{h.hhi:.3f}", f"{h.gini:.3f}", str(h.nakamoto))
         for h in result.holders)) + "</section>"


def _governance(result: ScanResult) -> str:
    """Each on-chain governor: its rules, who can win its votes, and the votes' spread."""
    if not result.governors:
        return ""
    parts = ['<section id="governance"><h2>Governance</h2>']
    for state in result.governors:
        parts.append(_table(["", ""], ((escape(name), escape(value)) for name, value in view.governance_rows(state))))
        slices = view.vote_slices(state)
        if slices:
            parts.append(f'<div class="graph">{vote_chart.svg(slices)}</div>')
    return "".join(parts) + "</section>"


def _matches(result: ScanResult) -> str:
    if not result.matches:
        return ""
    return ('<section id="matches"><h2>Deployed code analysed</h2><ul>'
            + "".join(f"<li>{escape(line)}</li>" for line in view.match_lines(result)) + "</ul></section>")


def _skipped(result: ScanResult) -> str:
    if not result.skipped:
        return ""
    return ('<section id="skipped"><h2>Skipped targets</h2><ul>'
            + "".join(f"<li><code>{escape(t)}</code>: {escape(why)}</li>" for t, why in result.skipped) + "</ul></section>")


def render(result: ScanResult, colour: bool = False) -> str:  # colour: a terminal's, not this format's
    targets = ", ".join(result.targets)
    head = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>inspector report: {escape(targets)}</title><style>{STYLE}</style></head>")
    header = (f"<header><h1>inspector report</h1><p>{''.join(f'<code>{escape(t)}</code> ' for t in result.targets)}</p>"
              f'<p class="muted">inspector {escape(__version__)}; {len(result.facts.contracts)} contract(s) analysed; '
              f"compiled with {escape(view.compiled(result))}.</p></header>")
    body = header + _score(result) + _matches(result) + _governance(result) + _graph(result) + _findings(result) + _holders(result) + _skipped(result)
    return visible(f"{head}<body><main>{body}</main></body></html>", lines=True) + "\n"  # no raw control or bidi character
