"""The HTML report in a real browser: Debian's chromium, headless. The page must load with
no console message at all (its Content-Security-Policy blocks every fetch and chromium
logs each blocked one), show the score, and draw one SVG node per control-graph node.
A missing chromium fails these tests: CI installs it (scripts/setup)."""
from __future__ import annotations

import html
from html.parser import HTMLParser

import report_samples as sample
from browser import load
from conftest import EXAMPLE
from inspector.chain.graph import ControlGraph
from inspector.report import html_report
from inspector.report.html_report import NODE_H, NODE_W



class Elements(HTMLParser):
    """Every element of a page as (tag, attributes), and the text inside the element with an id."""

    def __init__(self, page: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: dict[str, str] = {}
        self.open: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if "id" in attributes:
            self.text[attributes["id"]] = ""
        self.open.append(attributes.get("id", ""))

    def handle_endtag(self, tag):
        if self.open:
            self.open.pop()

    def handle_data(self, data):
        for element in filter(None, self.open):
            self.text[element] += data

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


def test_layout_puts_holders_left_of_what_they_control_without_overlap():
    graph = sample.graph()
    boxes, width, height = html_report.layout(graph, sorted(graph.nodes))
    column = {address: box.x for address, box in boxes.items()}
    assert column[sample.TOKEN] > column[sample.TIMELOCK] > column[sample.SAFE] > column[sample.OWNERS[0]]
    assert column[sample.PAUSER] == column[sample.TIMELOCK]  # both hold a power over the token directly
    assert {column[o] for o in sample.OWNERS} == {column[sample.OWNERS[0]]}
    placed = list(boxes.values())
    for i, a in enumerate(placed):
        assert 0 <= a.x and a.x + NODE_W <= width and 0 <= a.y and a.y + NODE_H <= height
        for b in placed[i + 1:]:
            assert abs(a.x - b.x) >= NODE_W or abs(a.y - b.y) >= NODE_H


def test_an_empty_control_graph_is_an_empty_picture():
    assert html_report.layout(ControlGraph(), []) == ({}, 2 * html_report.MARGIN + NODE_W, 2 * html_report.MARGIN)
    assert Elements(html_report.svg(ControlGraph())).having("g") == []
