"""A survey's index.html: one self-contained page made from its scorecard rows, with a
leaderboard table (worst first, sortable by a small inline script, readable without it),
the three axes as a scatter plot and the totals as a histogram, both inline SVG. The
Content-Security-Policy of the scan report, plus the hash of this page's one script:
nothing is fetched, nothing else runs. System names, keys and errors come from a CSV
and from chains: every one is made visible (inspector.printable) and escaped."""
from __future__ import annotations

import base64
import hashlib
import math
import statistics
from html import escape
from typing import Sequence
from urllib.parse import quote

from inspector.printable import visible
from inspector.report import html_report, view
from inspector.score.compute import GRADES
from inspector.score.model import AXES
from inspector.survey.model import ScorecardRow

# Sorts the table when a header is clicked (again: the other way) or the page is opened at
# #sort=KEY or #sort=KEY-desc; blank cells stay last, ties keep the page's order.
SCRIPT = """(() => {
const table = document.getElementById('leaderboard'), body = table.tBodies[0];
const heads = [...table.tHead.rows[0].cells], rows = [...body.rows];
function sort(index, descending) {
  const number = heads[index].dataset.type === 'number';
  const keyed = rows.map((row, at) => [row.cells[index].dataset.v, at, row]);
  keyed.sort((a, b) => {
    if (a[0] === '' || b[0] === '') return (a[0] === '') - (b[0] === '') || a[1] - b[1];
    const c = number ? Number(a[0]) - Number(b[0]) : (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    return (descending ? -c : c) || a[1] - b[1];
  });
  for (const [, , row] of keyed) body.append(row);
  heads.forEach((th, at) => at === index ? th.setAttribute('aria-sort', descending ? 'descending' : 'ascending')
                                         : th.removeAttribute('aria-sort'));
}
heads.forEach((th, index) => {
  const button = document.createElement('button');
  button.type = 'button';
  button.append(...th.childNodes);
  th.append(button);
  button.addEventListener('click', () => sort(index, th.getAttribute('aria-sort') === 'ascending'));
});
function fromHash() {
  const asked = /^#sort=([a-z_]+?)(-desc)?$/.exec(location.hash);
  const index = asked ? heads.findIndex(th => th.dataset.key === asked[1]) : -1;
  if (index >= 0) sort(index, Boolean(asked[2]));
}
addEventListener('hashchange', fromHash);
fromHash();
})();"""

CSP = f"{html_report.CSP}; script-src 'sha256-{base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()}'"

STYLE = html_report.STYLE + """
main{max-width:1400px}.wide{overflow-x:auto}
#leaderboard td{overflow-wrap:anywhere}#leaderboard td.name{min-width:8em;max-width:20em}#leaderboard td code{display:block;max-width:24em}
#leaderboard td.num{text-align:right}
#leaderboard th button{all:unset;cursor:pointer}#leaderboard th button:focus-visible{outline:2px solid #3d7bd9}#leaderboard th[aria-sort=ascending]::after{content:" ▲"}
#leaderboard th[aria-sort=descending]::after{content:" ▼"}
.charts{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}.charts figure{margin:0}.charts figcaption{max-width:520px}
"""

# (key, header, numeric): the table's columns, in order
COLUMNS = (("system", "system", False), ("score", "score", True), ("grade", "grade", False), ("stage", "stage", True),
           *((axis, view.AXIS_TITLES[axis], True) for axis in AXES),
           ("strongest_power", "strongest power", False), ("strongest_power_key", "held by", False),
           ("findings_high_or_above", "high or above", True), ("complete", "complete", False), ("error", "error", False))

# the scatter plot: 3 px a point, the plot's top left corner at (_LEFT, _TOP)
_SCALE, _LEFT, _TOP = 3, 56, 12
_SPREAD = 6  # px between points drawn at the same place and their place
# off-chain dependency in fifths, coloured dark (low) to light (high); none known: grey
PALETTE = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
UNKNOWN = "#adb5bd"
# the histogram: 10 bins of 10 points, 40 px wide, the highest bar 160 px, over the grades' bands
_BIN, _BAR_HEIGHT, _BASE = 40, 160, 210
BANDS = {"A": "#c8ecd3", "B": "#dff3c4", "C": "#fcefc2", "D": "#fbd9bd", "F": "#f6c6c9"}  # the scan report's grade colours


def _text(value: str) -> str:
    """Text from outside, one line, for an element or an attribute."""
    return escape(visible(value))


def _number(value: float | int | None) -> str:
    return "" if value is None else view.points(value)


def order(rows: Sequence[ScorecardRow]) -> list[ScorecardRow]:
    """Worst score first, the systems without one last, ties by name."""
    return sorted(rows, key=lambda r: (r.score is None, r.score or 0.0, r.system, r.report))


def _cell(row: ScorecardRow, key: str, numeric: bool) -> str:
    value = getattr(row, key)
    if numeric:
        return f'<td class="num" data-v="{"" if value is None else repr(float(value))}">{_number(value)}</td>'
    if key == "complete":
        shown = {None: "", True: "yes", False: "no"}[value]
        return f'<td data-v="{shown}">{shown}</td>'
    value = value or ""
    if key == "system":
        name = _text(value)
        linked = f'<a href="{escape(quote(row.report, safe="/"))}">{name}</a>' if _local(row.report) else name
        return f'<td class="name" data-v="{name}">{linked}</td>'
    if key in ("strongest_power", "strongest_power_key") and value:
        return f'<td data-v="{_text(value)}"><code>{_text(value)}</code></td>'
    return f'<td data-v="{_text(value)}">{_text(value)}</td>'


def _local(report: str) -> bool:
    """A report path the page may link to: relative, no scheme."""
    return bool(report) and ":" not in report and not report.startswith(("/", "\\"))


SORTED = ' aria-sort="ascending"'  # the page's order: by score, worst first


def table(rows: Sequence[ScorecardRow]) -> str:
    head = "".join(f'<th data-key="{key}" data-type="{"number" if numeric else "text"}"'
                   f'{SORTED if key == "score" else ""}>{escape(title)}</th>' for key, title, numeric in COLUMNS)
    body = "".join("<tr>" + "".join(_cell(row, key, numeric) for key, _, numeric in COLUMNS) + "</tr>" for row in order(rows))
    return f'<table id="leaderboard"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def summary(rows: Sequence[ScorecardRow]) -> str:
    """'6 systems: 5 analysed, 1 failed; median score 52.5; stage 0: 3, stage 1: 2.'"""
    failed = sum(1 for r in rows if r.error)
    scores = [r.score for r in rows if r.score is not None]
    median = view.points(round(statistics.median(scores), 1)) if scores else "none"
    stages = sorted({r.stage for r in rows if r.stage is not None})
    counts = ", ".join(f"stage {s}: {sum(1 for r in rows if r.stage == s)}" for s in stages) or "no stage"
    return f"{len(rows)} system{'s' * (len(rows) != 1)}: {len(rows) - failed} analysed, {failed} failed; median score {median}; {counts}."


def _colour(offchain: float | None) -> str:
    if offchain is None:
        return UNKNOWN
    return PALETTE[max(0, min(len(PALETTE) - 1, int(offchain // 20)))]


def _at(value: float) -> float:
    """A value 0..100 as px from the plot's origin."""
    return max(0.0, min(100.0, value)) * _SCALE


def _systems(count: int) -> str:
    return f"{count} system{'s' * (count != 1)}"


def scatter(rows: Sequence[ScorecardRow]) -> str:
    """Governance concentration (x) against economic control (y), a point per scored system
    coloured by its off-chain dependency; points at one place spread around it, with their count."""
    plotted = [r for r in order(rows) if r.score is not None and r.governance_concentration is not None and r.economic_control is not None]
    size = 100 * _SCALE
    parts = [f'<rect x="{_LEFT}" y="{_TOP}" width="{size}" height="{size}" fill="#fff" stroke="#adb5bd"/>']
    for tick in range(0, 101, 20):
        x, y = _LEFT + _at(tick), _TOP + size - _at(tick)
        if 0 < tick < 100:  # a grid line inside the frame
            parts.append(f'<line x1="{x:g}" y1="{_TOP}" x2="{x:g}" y2="{_TOP + size}" stroke="#e9ecef"/>'
                         f'<line x1="{_LEFT}" y1="{y:g}" x2="{_LEFT + size}" y2="{y:g}" stroke="#e9ecef"/>')
        parts.append(f'<text class="tick" x="{x:g}" y="{_TOP + size + 16}" font-size="11" text-anchor="middle">{tick}</text>'
                     f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:g}" font-size="11" text-anchor="end">{tick}</text>')
    parts.append(f'<text x="{_LEFT + size / 2:g}" y="{_TOP + size + 36}" font-size="12" text-anchor="middle">{view.AXIS_TITLES[AXES[0]]}</text>'
                 f'<text x="14" y="{_TOP + size / 2:g}" font-size="12" text-anchor="middle" transform="rotate(-90 14 {_TOP + size / 2:g})">'
                 f'{view.AXIS_TITLES[AXES[2]]}</text>')
    places: dict[tuple[float, float], list[ScorecardRow]] = {}
    for row in plotted:
        places.setdefault((round(_LEFT + _at(row.governance_concentration), 1),
                           round(_TOP + size - _at(row.economic_control), 1)), []).append(row)
    for (x, y), here in places.items():
        for index, row in enumerate(here):
            turn = 2 * math.pi * index / len(here)
            dx, dy = (round(_SPREAD * math.cos(turn), 1), round(_SPREAD * math.sin(turn), 1)) if len(here) > 1 else (0.0, 0.0)
            values = ", ".join(f"{view.AXIS_TITLES[a].lower()} {_number(getattr(row, a)) or 'unknown'}" for a in AXES)
            parts.append(f'<circle class="point" cx="{x + dx + 0:g}" cy="{y + dy + 0:g}" r="5" fill="{_colour(row.offchain_dependency)}" '
                         f'stroke="#1d2430" stroke-width="0.5" data-system="{_text(row.system)}">'
                         f'<title>{_text(row.system)}: {values}</title></circle>')
        if len(here) > 1:
            parts.append(f'<text class="count" x="{x + _SPREAD + 4:g}" y="{y - _SPREAD - 2:g}" font-size="11">×{len(here)}</text>')
    legend_x = _LEFT + size + 24
    parts.append(f'<text x="{legend_x}" y="{_TOP + 10}" font-size="12">{view.AXIS_TITLES[AXES[1]]}</text>')
    keys = [(f"{20 * i}–{20 * i + 20}", colour) for i, colour in enumerate(PALETTE)]
    if any(r.offchain_dependency is None for r in plotted):
        keys.append(("unknown", UNKNOWN))
    for index, (label, colour) in enumerate(keys):
        y = _TOP + 30 + 20 * index
        parts.append(f'<circle class="key" cx="{legend_x + 6}" cy="{y - 4}" r="5" fill="{colour}" stroke="#1d2430" stroke-width="0.5"/>'
                     f'<text x="{legend_x + 18}" y="{y}" font-size="11">{label}</text>')
    width, height = legend_x + 150, _TOP + size + 48
    left_out = len(rows) - len(plotted)
    note = f"Not plotted: {_systems(left_out)} without a score or an axis." if left_out else "Every system is plotted."
    return (f'<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="axes" id="scatter" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'
            f'<figcaption class="muted" id="scatter-note">{len(plotted)} plotted. {note}</figcaption></figure>')


def bins(rows: Sequence[ScorecardRow]) -> list[int]:
    """How many scores fall in 0–10, 10–20, … 90–100 (100 in the last)."""
    counts = [0] * 10
    for row in rows:
        if row.score is not None:
            counts[max(0, min(9, int(row.score // 10)))] += 1
    return counts


def histogram(rows: Sequence[ScorecardRow]) -> str:
    counts = bins(rows)
    highest = max(counts) or 1
    parts = []
    for (floor, letter), top in zip(GRADES, (100, *(floor for floor, _ in GRADES))):
        x = 32 + floor * _BIN // 10
        parts.append(f'<rect class="band" x="{x}" y="10" width="{(top - floor) * _BIN // 10}" height="{_BASE - 10}" '
                     f'fill="{BANDS.get(letter, "#e9ecef")}" opacity="0.6"/>'
                     f'<text class="band" x="{x + (top - floor) * _BIN // 20}" y="24" font-size="11" text-anchor="middle">{letter}</text>')
    for index, count in enumerate(counts):
        x, height = 32 + index * _BIN, round(count / highest * _BAR_HEIGHT, 1)
        parts.append(f'<rect class="bin" data-bin="{10 * index}-{10 * index + 10}" data-count="{count}" x="{x + 2}" '
                     f'y="{_BASE - height:g}" width="{_BIN - 4}" height="{height:g}" fill="#3d7bd9">'
                     f'<title>{10 * index}–{10 * index + 10}: {_systems(count)}</title></rect>')
        if count:
            parts.append(f'<text class="count" x="{x + _BIN // 2}" y="{_BASE - height - 4:g}" font-size="11" text-anchor="middle">{count}</text>')
    parts += [f'<line x1="32" y1="{_BASE}" x2="{32 + 10 * _BIN}" y2="{_BASE}" stroke="#5b6472"/>',
              *(f'<text class="tick" x="{32 + i * _BIN}" y="{_BASE + 16}" font-size="11" text-anchor="middle">{10 * i}</text>' for i in range(11)),
              f'<text x="{32 + 5 * _BIN}" y="{_BASE + 36}" font-size="12" text-anchor="middle">score</text>']
    width, height = 32 + 10 * _BIN + 24, _BASE + 48
    unscored = [r for r in rows if r.score is None]
    failed = sum(1 for r in unscored if r.error)
    note = (f"Not counted: {_systems(len(unscored))} without a score ({failed} failed)." if unscored else "Every system has a score.")
    return (f'<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="score distribution" id="histogram" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'
            f'<figcaption class="muted" id="histogram-note">{note}</figcaption></figure>')


def render(rows: Sequence[ScorecardRow], title: str = "inspector survey", generated: str = "") -> str:
    """The page, the same for the same rows."""
    head = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_text(title)}</title><style>{STYLE}</style></head>")
    made = f'<p class="muted" id="generated">{_text(generated)}</p>' if generated else ""
    body = (f'<header><h1>{_text(title)}</h1><p id="summary">{escape(summary(rows))}</p>{made}</header>'
            f'<section id="table"><h2>Leaderboard</h2><p class="muted">Worst score first; click a header to sort by it.</p>'
            f'<div class="wide">{table(rows)}</div></section>'
            f'<section id="charts"><h2>Axes and scores</h2><div class="charts">{scatter(rows)}{histogram(rows)}</div></section>')
    return visible(f"{head}<body><main>{body}</main><script>{SCRIPT}</script></body></html>", lines=True) + "\n"
