"""The HTML report in a real browser: Debian's chromium, headless. The page must load with
no console message at all (its Content-Security-Policy blocks every fetch and chromium
logs each blocked one), show the score, and draw one SVG node per control-graph node.
The graph is laid out by Graphviz; its geometry is measured in the browser: every label
inside its box and the picture, no arrow through a box it does not join.
A missing chromium or Graphviz fails these tests: CI installs them (scripts/setup)."""
from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

import report_samples as sample
from browser import load
from conftest import EXAMPLE
from inspector.chain.accounts import Account
from inspector.chain.graph import ControlGraph, Edge
from inspector.report import graph_layout, html_report


class Elements(HTMLParser):
    """Every element of a page as (tag, attributes), and the text inside the element with an id."""

    def __init__(self, page: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: dict[str, str] = {}
        self.open: list[str] = []
        self.rows: list[list[str]] = []  # the cells of every table row, as text
        self.cell = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if "id" in attributes:
            self.text[attributes["id"]] = ""
        self.open.append(attributes.get("id", ""))
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self.rows[-1].append("")
            self.cell = True

    def handle_endtag(self, tag):
        if self.open:
            self.open.pop()
        if tag in ("td", "th"):
            self.cell = False

    def handle_data(self, data):
        for element in filter(None, self.open):
            self.text[element] += data
        if self.cell:
            self.rows[-1][-1] += data

    def having(self, tag: str, **attributes) -> list[dict]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attributes.items())]


def test_the_console_check_catches_a_blocked_fetch(tmp_path):
    """The policy the report carries blocks a fetch, and the harness sees it: an empty console
    in the other tests means something."""
    page = tmp_path / "fetches.html"
    page.write_text(html_report.render(sample.result()).replace("<main>", '<main><img src="http://127.0.0.1:9/x.png">'))
    _, console = load(page, tmp_path / "profile")
    assert len(console) == 1 and "Content Security Policy" in console[0] and "http://127.0.0.1:9/x.png" in console[0]


def test_report_with_a_control_graph_loads_cleanly_and_draws_every_node(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(html_report.render(sample.result()))
    dom, console = load(page, tmp_path / "profile")
    assert console == []
    elements = Elements(dom)
    assert elements.text["score-total"] == "73.9 / 100 partial"  # a target was skipped, a holder not read
    assert (elements.text["grade"], elements.text["stage"]) == ("C", "Stage 0")
    [policy] = elements.having("meta", **{"http-equiv": "Content-Security-Policy"})
    assert policy["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    graph = sample.graph()
    [_] = elements.having("svg", **{"aria-label": "control graph"})
    nodes = elements.having("g", **{"class": "node"})
    assert sorted(n["data-address"] for n in nodes) == sorted(graph.nodes)
    assert {n["data-address"]: n["data-kind"] for n in nodes}[sample.SAFE] == "multisig"
    assert len(elements.having("g", **{"class": "edge"})) == len({(e.source, e.target) for e in graph.edges}) == 6
    # the hostile contract name arrived as text: no element came out of it
    assert not elements.having("script") and not elements.having("b")
    assert sample.HOSTILE in html.unescape(dom)
    articles = elements.having("article")
    assert [a["id"] for a in articles] == [f"f-{f.id}" for f in sample.FINDINGS]
    assert [a["class"] for a in articles] == ["finding sev-high", "finding sev-medium"]
    assert elements.having("mark") and "require(msg.sender == owner);" in dom.split("<mark>")[1].split("</mark>")[0]


def test_example_report_loads_cleanly_with_every_finding(run_cli, tmp_path):
    page = tmp_path / "example.html"
    code, stdout, _ = run_cli(["scan", ".", "--format", "html", "--output", page, "--fail-on", "none"], cwd=EXAMPLE)
    assert (code, stdout) == (0, "")
    dom, console = load(page, tmp_path / "profile")
    assert console == []
    elements = Elements(dom)
    assert elements.having("section", id="score")
    assert ("score-total" in elements.text) != ("no-score" in elements.text)  # a score, or the line that says there is none
    articles = elements.having("article")
    assert len(articles) == 10
    assert [a["class"].split()[1] for a in articles] == ["sev-high"] * 2 + ["sev-medium"] * 5 + ["sev-low"] * 3
    assert "contracts/LaunchToken.sol:22" in elements.text[articles[0]["id"]]
    assert "function mint(address to, uint256 amount) external onlyOwner {" in dom.split("<mark>")[1].split("</mark>")[0]


# -- the control graph, laid out by Graphviz ----------------------------------------------------
# Run in a copy of the page whose policy lets this one script (and no other) run: it writes
# what the browser drew into <pre id="measured">, in client coordinates.
MEASURE = """<script nonce="measure">
const rect = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const svg = document.querySelector('svg[aria-label="control graph"]');
const texts = g => [...g.querySelectorAll('text')].map(t => ({text: t.textContent, box: rect(t)}));
const out = {view: rect(svg), scripts: document.scripts.length, nodes: [], edges: []};
for (const g of svg.querySelectorAll('g.node')) {
  out.nodes.push({address: g.dataset.address, title: g.querySelector('title').textContent,
                  shape: rect(g.querySelector('path, polygon')), texts: texts(g)});
}
for (const g of svg.querySelectorAll('g.edge')) {
  const path = g.querySelector('path'), ctm = path.getScreenCTM(), length = path.getTotalLength(), points = [];
  for (let i = 0; i <= 400; i++) {
    const p = new DOMPoint(path.getPointAtLength(length * i / 400).x, path.getPointAtLength(length * i / 400).y).matrixTransform(ctm);
    points.push([p.x, p.y]);
  }
  out.edges.push({source: g.dataset.source, target: g.dataset.target, title: g.querySelector('title').textContent,
                  points: points, texts: texts(g)});
}
const pre = document.createElement('pre'); pre.id = 'measured'; pre.textContent = JSON.stringify(out); document.body.append(pre);
</script>"""


def measure(page: str, tmp_path) -> dict:
    policy = f'content="{html_report.CSP}"'
    assert page.count(policy) == 1
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace(policy, f'''content="{html_report.CSP}; script-src 'nonce-measure'"''')
                        .replace("</main>", "</main>" + MEASURE))
    dom, console = load(measured, tmp_path / "profile-measure")
    assert console == []
    return json.loads(Elements(dom).text["measured"])


def inside(inner: list[float], outer: list[float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def geometry_faults(drawn: dict) -> list[str]:
    """Every label that sticks out of its box or the picture, every arrow through a box it does not join."""
    faults = []
    for node in drawn["nodes"]:
        faults += [f"{t['text']!r} out of its box" for t in node["texts"] if not inside(t["box"], node["shape"])]
    for item in drawn["nodes"] + drawn["edges"]:
        faults += [f"{t['text']!r} out of the picture" for t in item["texts"] if not inside(t["box"], drawn["view"])]
    for edge in drawn["edges"]:
        for node in drawn["nodes"]:
            if node["address"] in (edge["source"], edge["target"]):
                continue
            left, top, right, bottom = node["shape"]
            crossing = [p for p in edge["points"] if left < p[0] < right and top < p[1] < bottom]
            if crossing:
                faults.append(f"{edge['source']} -> {edge['target']} crosses {node['address']} at {crossing[0]}")
    return faults


NASTY = 'a\nb "q" \\" {x} "]; n0 -> n1 [label="x"]; </svg><script>alert(1)</script><img src="http://127.0.0.1:9/x.png">'
LONG = "VeryLongImplementationNameThatGoesOnAndOn_" * 3
BREAKOUT = '"];}{\\"'
TOKEN2 = "0x8000000000000000000000000000000000000008"


def hostile_graph() -> ControlGraph:
    """The sample with hostile and long names everywhere, a self-loop, a second token, and
    arrows that must go around boxes to reach theirs."""
    graph = sample.graph()
    graph.nodes[sample.TOKEN] = Account(sample.TOKEN, "token", NASTY)
    graph.nodes[TOKEN2] = Account(TOKEN2, "proxy", LONG)
    graph.nodes[sample.TIMELOCK].label = BREAKOUT
    graph.edges += [
        Edge(sample.TIMELOCK, sample.TIMELOCK, "change delay", "updateDelay(uint256)"),
        Edge(sample.PAUSER, sample.TOKEN, BREAKOUT, NASTY),
        Edge(sample.OWNERS[0], sample.TOKEN, "freeze", "freeze(address)"),
        Edge(sample.OWNERS[2], TOKEN2, "upgrade", "upgradeTo(address)"),
        Edge(sample.SAFE, TOKEN2, "pause", "pause()"),
        *(Edge(sample.TIMELOCK, TOKEN2, f"power{i}", f"setParameter{i}(uint256)", 2 * 86400) for i in range(8)),
    ]
    return graph


def test_the_geometry_check_catches_labels_out_of_place_and_an_arrow_through_a_box(tmp_path):
    """A drawing spoiled on purpose: the pauser's box stretched over the whole picture, the
    Safe's box moved away from its text, an arrow's label moved out of the picture."""
    page = html_report.render(sample.result())
    spoil = [(sample.PAUSER, "d", "M-9999,-9999 H9999 V9999 H-9999 Z"), (sample.SAFE, "d", "M-500,500 h1 v1 h-1 z")]
    for address, attribute, value in spoil:
        page = re.sub(rf'(data-address="{address}".*?<path [^>]*?{attribute}=")[^"]*', rf"\g<1>{value}", page, count=1, flags=re.S)
    page = re.sub(rf'(data-source="{sample.SAFE}" data-target="{sample.TIMELOCK}".*?<text [^>]*?x=")[^"]*', r"\g<1>-5000", page,
                  count=1, flags=re.S)
    faults = [fault.split(" at ")[0] for fault in geometry_faults(measure(page, tmp_path))]
    assert faults == [
        "'multisig: Safe' out of its box", "'2-of-3' out of its box", "'0x3000…0003' out of its box",
        "'propose after 2 d' out of the picture",
        *(f"{e.source} -> {e.target} crosses {sample.PAUSER}" for e in sample.graph().edges if e.source != sample.PAUSER),
    ]


def test_graphviz_draws_every_label_inside_its_box_and_no_arrow_through_another_box(tmp_path):
    drawn = measure(html_report.render(sample.result()), tmp_path)
    assert drawn["scripts"] == 1  # the measuring one
    assert geometry_faults(drawn) == []
    nodes = {n["address"]: n for n in drawn["nodes"]}
    assert [t["text"] for t in nodes[sample.SAFE]["texts"]] == ["multisig: Safe", "2-of-3", "0x3000…0003"]
    assert [t["text"] for t in nodes[sample.PAUSER]["texts"]] == ["contract: " + sample.HOSTILE, "0x7000…0007"]
    # holders on the left of what they control
    x = {address: node["shape"][0] for address, node in nodes.items()}
    assert max(x[o] for o in sample.OWNERS) < x[sample.SAFE] < x[sample.TIMELOCK] < x[sample.TOKEN]
    assert x[sample.PAUSER] < x[sample.TOKEN]
    edges = {(e["source"], e["target"]): e for e in drawn["edges"]}
    assert [t["text"] for t in edges[sample.SAFE, sample.TIMELOCK]["texts"]] == ["propose after 2 d"]
    assert [t["text"] for t in edges[sample.TIMELOCK, sample.TOKEN]["texts"]] == ["mint via mint(address,uint256)"]


def test_hostile_and_long_names_are_text_in_the_graph_and_nothing_runs_or_loads(tmp_path):
    page = html_report.render(replace(sample.result(), graph=hostile_graph()))
    (tmp_path / "hostile.html").write_text(page)
    dom, console = load(tmp_path / "hostile.html", tmp_path / "profile")
    assert console == []  # no blocked script, no blocked fetch
    elements = Elements(dom)
    assert not elements.having("script") and not elements.having("img")
    # the picture is made of shapes and text only, with no attribute that could link or load anything
    picture = Elements(dom[dom.index("<svg"):dom.index("</svg>")])
    assert {tag for tag, _ in picture.elements} == {"svg", "g", "title", "path", "polygon", "text"}
    assert {name for _, attributes in picture.elements for name in attributes if not name.startswith("data-")} <= \
        {a.lower() for a in graph_layout.ATTRIBUTES} | {"xmlns", "role", "aria-label"}  # the parser lowercases them
    assert dom.count("<svg") == 1 and "href" not in dom[dom.index("<svg"):dom.index("</svg>")]
    drawn = measure(page, tmp_path)
    assert drawn["scripts"] == 1
    assert geometry_faults(drawn) == []
    nodes = {n["address"]: n for n in drawn["nodes"]}
    shown = ("token: " + NASTY.replace("\n", " "))[:47] + "…"
    assert [t["text"] for t in nodes[sample.TOKEN]["texts"]] == [shown, "0x1000…0001"]
    assert nodes[sample.TOKEN]["title"] == f"token: {NASTY} / {sample.TOKEN}"  # hover: in full
    assert [t["text"] for t in nodes[sample.TIMELOCK]["texts"]] == ["timelock: " + BREAKOUT, "delay 2 d", "0x2000…0002"]
    assert [t["text"] for t in nodes[TOKEN2]["texts"]] == [("proxy: " + LONG)[:47] + "…", "0x8000…0008"]
    edges = {(e["source"], e["target"]): e for e in drawn["edges"]}
    assert [t["text"] for t in edges[sample.PAUSER, sample.TOKEN]["texts"]] == [
        "pause via pause()", (f"{BREAKOUT} via {NASTY}".replace("\n", " "))[:47] + "…"]
    assert edges[sample.PAUSER, sample.TOKEN]["title"] == f"pause via pause()\n{BREAKOUT} via {NASTY}"
    assert [t["text"] for t in edges[sample.TIMELOCK, TOKEN2]["texts"]] == [
        f"power{i} via setParameter{i}(uint256) after 2 d" for i in range(6)] + ["+2 more"]
    assert [t["text"] for t in edges[sample.TIMELOCK, sample.TIMELOCK]["texts"]] == ["change delay via updateDelay(uint256)"]


def test_without_graphviz_the_page_says_so_and_lists_every_edge(tmp_path, monkeypatch):
    with monkeypatch.context() as without:
        without.setenv("PATH", str(tmp_path))  # a folder with no dot in it
        page = html_report.render(sample.result())
    (tmp_path / "no-dot.html").write_text(page)
    dom, console = load(tmp_path / "no-dot.html", tmp_path / "profile")
    assert console == []
    elements = Elements(dom)
    assert elements.text["graph-missing"] == ("The graph is not drawn: Graphviz is missing (no dot on PATH; install Debian's "
                                              "package graphviz); its edges are listed below.")
    assert not elements.having("svg")
    section = Elements(dom[dom.index('<section id="control-graph">'):dom.index("</section>", dom.index('id="control-graph"'))])

    def name(address: str, caption: str) -> str:
        return f"{caption} {address}"

    timelock, safe = name(sample.TIMELOCK, "timelock: TimelockController"), name(sample.SAFE, "multisig: Safe")
    assert section.rows == [
        ["holder", "power", "on"],
        [timelock, "mint via mint(address,uint256)", name(sample.TOKEN, "token: Token")],
        [safe, "propose after 2 d", timelock],
        *([name(owner, "eoa: EOA"), "sign (2-of-3)", safe] for owner in sample.OWNERS),
        [name(sample.PAUSER, "contract: " + sample.HOSTILE), "pause via pause()", name(sample.TOKEN, "token: Token")],
    ]


@pytest.mark.parametrize("script, why", [
    ("echo 'Error: <stdin>: syntax error in line 1' >&2; exit 1", "Graphviz's dot failed (Error: <stdin>: syntax error in line 1)"),
    ("exit 3", "Graphviz's dot failed (exit code 3)"),
    ("echo '<svg' ", "Graphviz's dot wrote an SVG that could not be read (unclosed token: line 1, column 0)"),
    ("echo '<html/>'", "Graphviz's dot wrote no SVG"),
    ("exec /bin/sleep 5", "Graphviz's dot took more than 0.5 s"),
])
def test_a_dot_that_fails_is_one_clause_on_the_page_never_a_crash(tmp_path, monkeypatch, script, why):
    (tmp_path / "dot").write_text(f"#!/bin/sh\n/bin/cat >/dev/null\n{script}\n")
    (tmp_path / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(graph_layout, "TIMEOUT", 0.5)
    elements = Elements(html_report.render(sample.result()))
    assert elements.text["graph-missing"] == f"The graph is not drawn: {why}; its edges are listed below."
    assert len(elements.rows) - elements.rows.index(["holder", "power", "on"]) - 1 == len(sample.graph().edges)


def test_without_a_chain_the_page_says_why_there_is_no_graph():
    elements = Elements(html_report.render(sample.result(with_graph=False)))
    assert elements.text["no-graph"] == ("No control graph: no chain was read. Scan deployed addresses (CHAIN:0xADDRESS) "
                                         "with --rpc to draw who holds each power.")
    assert not elements.having("svg")


def test_a_chain_read_with_no_holder_says_so():
    elements = Elements(html_report.render(replace(sample.result(), graph=ControlGraph())))
    assert elements.text["no-graph"] == "Read from mainnet at block 19000000. No power found in the code has a holder on chain."
    assert not elements.having("svg")
