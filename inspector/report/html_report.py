"""The HTML report: one self-contained page that opens in any browser without a network or
JavaScript. Styles are inline, the control graph is an SVG laid out here, and a
Content-Security-Policy forbids every fetch, so that a name that slipped through escaping
still could not load anything. Contract names, messages and source text are untrusted:
everything goes through html.escape."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Iterable

from inspector import __version__
from inspector.chain.graph import ControlGraph, Edge
from inspector.findings import Finding
from inspector.report import view
from inspector.scan import ScanResult

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 220, 62, 130, 28, 20
BOLD = ' font-weight="bold"'
LINE_CHARS, LABEL_CHARS = 28, 26  # what fits a node and an edge at 12px monospace
KIND_COLOURS = {
    "eoa": "#f8d7da", "multisig": "#fde9c9", "timelock": "#d6e8fa", "governor": "#d4f0dc", "renounced": "#e9ecef",
    "anyone": "#f5c2c7", "token": "#ece6f8", "proxy": "#ece6f8", "proxy_admin": "#fde9c9",
}

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
.graph svg{max-width:100%;height:auto;min-width:720px}
svg text{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;fill:#1d2430}
svg .node rect{stroke:#5b6472;stroke-width:1}svg .edge path{fill:none;stroke:#5b6472;stroke-width:1.3}
svg .edge text{fill:#3a4250;stroke:#fff;stroke-width:4px;paint-order:stroke;font-size:11px}
.finding{background:#fff;border:1px solid #d8dde4;border-left:6px solid #adb5bd;border-radius:6px;padding:10px 16px;margin:12px 0}
.sev-critical{border-left-color:#8e24aa}.sev-high{border-left-color:#d93d3d}.sev-medium{border-left-color:#e0a100}.sev-low{border-left-color:#2a9fd6}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:700;text-transform:uppercase;background:#e9ecef}
.finding h4{margin:4px 0}.finding dl{display:grid;grid-template-columns:150px 1fr;margin:6px 0}.finding dd{margin:0}
pre.excerpt{background:#f3f4f6;border-radius:4px;padding:8px;overflow-x:auto}
pre.excerpt .ln{color:#8a93a0;display:inline-block;width:4em;user-select:none}pre.excerpt mark{background:#fff3b0;display:block}
"""


@dataclass(frozen=True)
class Box:
    x: int
    y: int


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _layers(graph: ControlGraph, addresses: list[str]) -> dict[str, int]:
    """How far each node is from what it ultimately controls: the scanned contracts are the
    nodes that hold no power over another (layer 0), their holders layer 1, and so on. A node
    only in a cycle (a timelock administering itself) stays with the first layer that reaches it."""
    holders: dict[str, list[str]] = {}
    for edge in graph.edges:
        holders.setdefault(edge.target, []).append(edge.source)
    controls = {edge.source for edge in graph.edges}
    layer = {a: 0 for a in addresses if a not in controls} or {a: 0 for a in addresses[:1]}
    queue = list(layer)
    while queue:
        current = queue.pop(0)
        for holder in holders.get(current, []):
            if holder not in layer:
                layer[holder] = layer[current] + 1
                queue.append(holder)
    for address in addresses:
        layer.setdefault(address, 0)
    return layer


def layout(graph: ControlGraph, addresses: list[str]) -> tuple[dict[str, Box], int, int]:
    """Columns by layer, the controlled contracts on the right and those who hold power over
    them to the left; within a column, each node near the nodes it controls."""
    layer = _layers(graph, addresses)
    depth = max(layer.values(), default=0)
    boxes: dict[str, Box] = {}
    rows = 0
    for level in range(depth + 1):
        column = [a for a in addresses if layer[a] == level]

        def controlled_row(address: str) -> float:
            placed = [boxes[e.target].y for e in graph.edges if e.source == address and e.target in boxes]
            return sum(placed) / len(placed) if placed else float("inf")

        column.sort(key=lambda a: (controlled_row(a), a))
        x = MARGIN + (depth - level) * (NODE_W + GAP_X)
        for row, address in enumerate(column):
            boxes[address] = Box(x, MARGIN + row * (NODE_H + GAP_Y))
        rows = max(rows, len(column))
    width = 2 * MARGIN + (depth + 1) * NODE_W + depth * GAP_X
    height = 2 * MARGIN + rows * NODE_H + max(rows - 1, 0) * GAP_Y
    return boxes, width, height


def _bezier(points: list[tuple[float, float]], t: float) -> tuple[float, float]:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
    return a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3


def _edge(source: Box, target: Box, edges: list[Edge]) -> str:
    start, end = (source.x + NODE_W, source.y + NODE_H / 2), (target.x, target.y + NODE_H / 2)
    # forwards: an S-curve; same column or backwards: out to the right and back in on the left
    bend = (end[0] - start[0]) / 2 if end[0] > start[0] else 80
    drop = 0 if end[0] > start[0] else 40
    points = [start, (start[0] + bend, start[1]), (end[0] - bend, end[1] + drop), end]
    path = "M{:g},{:g} C{:g},{:g} {:g},{:g} {:g},{:g}".format(*(v for point in points for v in point))
    label = _cut(", ".join(dict.fromkeys(e.capability for e in edges)), LABEL_CHARS)
    delays = {e.delay for e in edges if e.delay}
    if delays:
        label = f"{label} ({view.duration(min(delays))})"
    # near the holder's end: arrows converge on what they control, and their labels would pile up there
    lx, ly = _bezier(points, 0.3)
    texts = chr(10).join(view.edge_text(e) for e in edges)
    return (f'<g class="edge"><title>{escape(texts)}</title><path d="{path}" marker-end="url(#arrow)"/>'
            f'<text x="{lx:.0f}" y="{ly - 5:.0f}" text-anchor="middle">{escape(label)}</text></g>')


def svg(graph: ControlGraph) -> str:
    """The control graph as an SVG: one <g class="node"> per account, one <g class="edge"> per
    pair of accounts (its label lists the powers; hover shows each in full)."""
    nodes = view.graph_nodes(graph)
    boxes, width, height = layout(graph, [a.address for a in nodes])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="control graph" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
             f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6472"/></marker></defs>']
    pairs: dict[tuple[str, str], list[Edge]] = {}
    for edge in graph.edges:
        pairs.setdefault((edge.source, edge.target), []).append(edge)
    parts += [_edge(boxes[s], boxes[t], edges) for (s, t), edges in pairs.items()]
    for account in nodes:
        box, lines = boxes[account.address], view.node_lines(account)
        texts = "".join(f'<text x="{box.x + 10}" y="{box.y + 20 + 17 * i}"{BOLD if i == 0 else ""}>'
                        f'{escape(_cut(line, LINE_CHARS))}</text>' for i, line in enumerate(lines))
        parts.append(f'<g class="node" data-address="{escape(account.address)}" data-kind="{escape(account.kind)}">'
                     f'<title>{escape(" / ".join(lines[:-1] + [account.address]))}</title>'
                     f'<rect x="{box.x}" y="{box.y}" width="{NODE_W}" height="{NODE_H}" rx="6" '
                     f'fill="{KIND_COLOURS.get(account.kind, "#f1f3f5")}"/>{texts}</g>')
    return "".join(parts) + "</svg>"


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
        return ""
    where = f"Read from {escape(result.chain)}" + (f" at block {result.block}" if result.block is not None else "") + "."
    parts = [f'<section id="control-graph"><h2>Control graph</h2><p class="muted">{where} An arrow reads '
             f'“can use this power on”; hover a node or an arrow for all of it.</p><div class="graph">{svg(graph)}</div>']
    if graph.unresolved:
        parts.append("<h3>Could not be resolved</h3><ul>" + "".join(
            f"<li><code>{escape(c)}</code>: <code>{escape(p)}</code>: {escape(why)}</li>" for c, p, why in graph.unresolved) + "</ul>")
    return "".join(parts) + "</section>"


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


def _skipped(result: ScanResult) -> str:
    if not result.skipped:
        return ""
    return ('<section id="skipped"><h2>Skipped targets</h2><ul>'
            + "".join(f"<li><code>{escape(t)}</code>: {escape(why)}</li>" for t, why in result.skipped) + "</ul></section>")


def render(result: ScanResult) -> str:
    targets = ", ".join(result.targets)
    head = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>inspector report: {escape(targets)}</title><style>{STYLE}</style></head>")
    header = (f"<header><h1>inspector report</h1><p>{''.join(f'<code>{escape(t)}</code> ' for t in result.targets)}</p>"
              f'<p class="muted">inspector {escape(__version__)}; {len(result.facts.contracts)} contract(s) analysed; '
              f"compiled with {escape(view.compiled(result))}.</p></header>")
    body = header + _score(result) + _graph(result) + _findings(result) + _holders(result) + _skipped(result)
    return f"{head}<body><main>{body}</main></body></html>\n"
