"""A survey's index.html (inspector.survey.leaderboard) on six hand-made scorecard rows: one
failed, one analysed without a score, one with a hostile name at the same place on the
scatter plot as another. What the page says is parsed from the HTML; that it loads with no
console message, draws its SVGs and sorts (by a URL fragment and by clicks) is checked in
headless chromium."""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import replace

from browser import load
from inspector.printable import visible
from inspector.survey import leaderboard
from inspector.survey.model import ScorecardRow
from test_html_report import Elements

HOSTILE = '<script>alert(1)</script>"\'\u202eevil\x1b[2J<img src="http://127.0.0.1:9/x.png">' + "long" * 30
SHOWN = visible(HOSTILE)  # as the page shows it: \u202e and \x1b written out

ROWS = (
    ScorecardRow("alpha", 2, analysed=2, skipped=0, complete=True, score=62.5, grade="C", stage=1, governance_concentration=40.0,
                 offchain_dependency=90.0, economic_control=80.0, strongest_power="Token.mint",
                 strongest_power_key="multisig 2-of-3 0xabc", findings_high_or_above=1, report="reports/alpha.json"),
    ScorecardRow("beta", 1, analysed=1, skipped=0, complete=False, score=20.4, grade="F", stage=0, governance_concentration=10.0,
                 offchain_dependency=30.0, economic_control=50.0, strongest_power="Vault.upgradeTo", strongest_power_key="eoa 0xdef",
                 findings_high_or_above=3, report="reports/beta.json"),
    ScorecardRow(HOSTILE, 1, analysed=1, complete=True, score=47.0, grade="D", stage=0, governance_concentration=40.0,
                 offchain_dependency=10.0, economic_control=80.0, strongest_power=HOSTILE, strongest_power_key=HOSTILE,
                 findings_high_or_above=2, report="javascript:alert(1)", error=""),
    ScorecardRow("delta", 1, analysed=1, complete=True, score=100.0, grade="A", stage=2, governance_concentration=100.0,
                 offchain_dependency=100.0, economic_control=100.0, strongest_power_key="nobody", findings_high_or_above=0,
                 report="reports/delta.json"),
    ScorecardRow("epsilon", 1, error="rpc: timed out <b>after</b> 30 s"),
    ScorecardRow("zeta", 1, analysed=0, skipped=1, complete=False, findings_high_or_above=0, report="reports/zeta.json"),
)
BY_NAME = [SHOWN, "alpha", "beta", "delta", "epsilon", "zeta"]  # "<" sorts before letters


def names(elements: Elements) -> list[str]:
    return [row[0] for row in elements.rows[1:]]  # the first row is the header


def test_the_table_is_worst_first_with_the_unscored_last_and_every_cell_in_place():
    page = leaderboard.render(ROWS)
    elements = Elements(page)
    assert elements.rows[0] == ["system", "score", "grade", "stage", "Governance concentration", "Off-chain dependency",
                                "Economic control", "strongest power", "held by", "high or above", "complete", "error"]
    assert names(elements) == ["beta", SHOWN, "alpha", "delta", "epsilon", "zeta"]
    assert elements.rows[1] == ["beta", "20.4", "F", "0", "10", "30", "50", "Vault.upgradeTo", "eoa 0xdef", "3", "no", ""]
    assert elements.rows[5] == ["epsilon", "", "", "", "", "", "", "", "", "", "", "rpc: timed out <b>after</b> 30 s"]
    assert elements.rows[6] == ["zeta", "", "", "", "", "", "", "", "", "0", "no", ""]
    assert [th.get("aria-sort") for th in elements.having("th")] == [None, "ascending"] + [None] * 10
    assert [a["href"] for a in elements.having("a")] == ["reports/beta.json", "reports/alpha.json", "reports/delta.json", "reports/zeta.json"]
    assert elements.text["summary"] == "6 systems: 5 analysed, 1 failed; median score 54.8; stage 0: 2, stage 1: 1, stage 2: 1."


def test_a_hostile_name_is_text_everywhere_and_nothing_else_runs():
    page = leaderboard.render(ROWS, title=HOSTILE, generated=HOSTILE)
    elements = Elements(page)
    assert [tag for tag, _ in elements.elements if tag in ("script", "img", "b")] == ["script"]  # the page's own, last
    assert "\u202e" not in page and "\x1b" not in page
    assert html.unescape(page).count(SHOWN) == 3 + 6 + 2  # title, h1, generated; name, power, key with their data-v; point, its title
    assert elements.text["generated"] == SHOWN
    [hostile] = [row for row in elements.rows if row[0] == SHOWN]
    assert hostile[7:9] == [SHOWN, SHOWN]
    # its report path has a scheme: the name is not a link
    assert not any("javascript" in a["href"] for a in elements.having("a"))


def test_the_page_carries_the_hash_of_its_one_script_and_is_the_same_for_the_same_rows():
    page = leaderboard.render(ROWS)
    [script] = re.findall(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    [policy] = Elements(page).having("meta", **{"http-equiv": "Content-Security-Policy"})
    assert policy["content"] == f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"
    assert leaderboard.render(tuple(reversed(ROWS))) == page


def test_points_are_where_their_axes_put_them_and_two_at_one_place_are_spread():
    elements = Elements(leaderboard.scatter(ROWS))
    points = {p["data-system"]: (float(p["cx"]), float(p["cy"]), p["fill"]) for p in elements.having("circle", **{"class": "point"})}
    # x = 56 + 3 * governance concentration, y = 312 - 3 * economic control; alpha and the hostile one share (176, 72)
    assert points == {"beta": (86.0, 162.0, "#3b528b"), SHOWN: (182.0, 72.0, "#440154"), "alpha": (170.0, 72.0, "#fde725"),
                      "delta": (356.0, 12.0, "#fde725")}
    assert [(t["x"], t["y"]) for t in elements.having("text", **{"class": "count"})] == [("186", "64")]
    assert "×2" in leaderboard.scatter(ROWS)
    titles = [t for t in re.findall(r"<title>(.*?)</title>", leaderboard.scatter(ROWS))]
    assert titles[0] == "beta: governance concentration 10, off-chain dependency 30, economic control 50"
    assert [t["y"] for t in elements.having("text", **{"class": "tick"})][:2] == ["328", "316"]  # 0 on each axis
    assert elements.text["scatter-note"] == "4 plotted. Not plotted: 2 systems without a score or an axis."
    assert Elements(leaderboard.scatter(ROWS[:4])).text["scatter-note"] == "4 plotted. Every system is plotted."
    axisless = replace(ROWS[0], economic_control=None)  # a score but not every axis
    assert Elements(leaderboard.scatter((*ROWS[1:5], axisless))).text["scatter-note"] == \
        "3 plotted. Not plotted: 2 systems without a score or an axis."


def test_the_histogram_counts_scores_in_tens_and_notes_the_unscored():
    elements = Elements(leaderboard.histogram(ROWS))
    bars = elements.having("rect", **{"class": "bin"})
    assert [(b["data-bin"], int(b["data-count"])) for b in bars] == [
        (f"{10 * i}-{10 * i + 10}", count) for i, count in enumerate([0, 0, 1, 0, 1, 0, 1, 0, 0, 1])]  # 100 in the last
    assert [b["height"] for b in bars if b["data-count"] != "0"] == ["160"] * 4
    assert [t for t in elements.having("text", **{"class": "count"})] == [
        {"class": "count", "x": str(32 + 40 * i + 20), "y": "46", "font-size": "11", "text-anchor": "middle"} for i in (2, 4, 6, 9)]
    assert [(r["x"], r["width"]) for r in elements.having("rect", **{"class": "band"})] == [
        ("392", "40"), ("352", "40"), ("312", "40"), ("272", "40"), ("32", "240")]  # A 90-100, B, C, D, F 0-60
    assert re.findall(r'<text class="band"[^>]*>(.)</text>', leaderboard.histogram(ROWS)) == ["A", "B", "C", "D", "F"]
    assert elements.text["histogram-note"] == "Not counted: 2 systems without a score (1 failed)."
    assert Elements(leaderboard.histogram(ROWS[:4])).text["histogram-note"] == "Every system has a score."


def test_no_rows_is_a_page_that_says_so():
    elements = Elements(leaderboard.render([]))
    assert elements.text["summary"] == "0 systems: 0 analysed, 0 failed; median score none; no stage."
    assert names(elements) == [] and not elements.having("circle", **{"class": "point"})
    assert [b["height"] for b in elements.having("rect", **{"class": "bin"})] == ["0"] * 10


# -- in chromium ---------------------------------------------------------------------------------
# Clicks header buttons (made by the page's script): score (sorted ascending: now descending), then
# one column twice; writes the order after each click into <pre id="clicked">.
CLICK = """<script nonce="click">
const seen = [];
for (const key of ['score', 'findings_high_or_above', 'findings_high_or_above']) {
  document.querySelector(`th[data-key="${key}"] button`).click();
  seen.push({rows: [...document.querySelectorAll('#leaderboard tbody tr')].map(r => r.cells[0].dataset.v),
             sorted: [...document.querySelectorAll('th[aria-sort]')].map(th => th.dataset.key + ' ' + th.getAttribute('aria-sort'))});
}
const pre = document.createElement('pre'); pre.id = 'clicked'; pre.textContent = JSON.stringify(seen); document.body.append(pre);
</script>"""


def test_the_page_loads_cleanly_in_chromium_and_draws_both_pictures(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(leaderboard.render(ROWS, title=HOSTILE))
    dom, console = load(page, tmp_path / "profile")
    assert console == []  # no blocked script or fetch: the hash let the page's script run, nothing else ran
    elements = Elements(dom)
    assert len(elements.having("button", type="button")) == 12  # the script ran: a button in every header
    assert len(elements.having("circle", **{"class": "point"})) == 4 and len(elements.having("rect", **{"class": "bin"})) == 10
    assert len(elements.having("svg")) == 2 and not elements.having("img") and len(elements.having("script")) == 1
    assert names(elements) == ["beta", SHOWN, "alpha", "delta", "epsilon", "zeta"]  # no fragment: the page's order


def test_a_fragment_sorts_the_table_with_the_blanks_last(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(leaderboard.render(ROWS))
    dom, console = load(page, tmp_path / "profile", fragment="#sort=stage-desc")
    elements = Elements(dom)
    assert console == []
    assert names(elements) == ["delta", "alpha", "beta", SHOWN, "epsilon", "zeta"]  # ties (stage 0) in the page's order
    assert [(th["data-key"], th.get("aria-sort")) for th in elements.having("th") if th.get("aria-sort")] == [("stage", "descending")]
    dom, _ = load(page, tmp_path / "profile", fragment="#sort=system")
    assert names(Elements(dom)) == BY_NAME


def test_clicking_a_header_sorts_by_it_and_again_reverses(tmp_path):
    page = leaderboard.render(ROWS)
    policy = f'content="{leaderboard.CSP}"'
    assert page.count(policy) == 1
    clicked = tmp_path / "clicked.html"
    clicked.write_text(page.replace(policy, f'''content="{leaderboard.CSP} 'nonce-click'"''').replace("</body>", CLICK + "</body>"))
    dom, console = load(clicked, tmp_path / "profile")
    assert console == []
    seen = json.loads(Elements(dom).text["clicked"])
    assert seen == [
        {"rows": ["delta", "alpha", SHOWN, "beta", "epsilon", "zeta"], "sorted": ["score descending"]},  # blanks still last
        {"rows": ["delta", "zeta", "alpha", SHOWN, "beta", "epsilon"], "sorted": ["findings_high_or_above ascending"]},
        {"rows": ["beta", SHOWN, "alpha", "delta", "zeta", "epsilon"], "sorted": ["findings_high_or_above descending"]},
    ]
