"""The control graph drawn by Graphviz: `dot` places the nodes (holders on the left, what
they control on the right) and routes the edges around them, and its SVG is cleaned into
markup a self-contained page can inline.

Names come from contracts and are untrusted. In the DOT source they only ever appear
inside HTML-like labels, escaped as XML text; node and edge ids are ours (`cg-node-3`).
dot's SVG is then parsed, and only known elements and attributes are kept (no links, no
styles, nothing that can fetch), so what reaches the page is what this module allows."""
from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import escape

from inspector.chain.graph import ControlGraph, Edge
from inspector.report import view
from inspector.vocabulary import AccountKind

TIMEOUT = 60  # seconds dot may take
LINE_CHARS = 48  # a label line longer than this is shortened; its <title> has it in full
EDGE_LINES = 6  # powers an arrow's label lists before "+N more"
FONT = "monospace"  # the browser's own monospace: dot measures with the same font family
KIND_COLOURS = {
    AccountKind.EOA: "#f8d7da", AccountKind.MULTISIG: "#fde9c9", AccountKind.TIMELOCK: "#d6e8fa",
    AccountKind.GOVERNOR: "#d4f0dc", AccountKind.RENOUNCED: "#e9ecef", AccountKind.ANYONE: "#f5c2c7",
    AccountKind.TOKEN: "#ece6f8", AccountKind.PROXY: "#ece6f8",
}
HEADER = f"""digraph "control graph" {{
graph [rankdir=LR, nodesep=0.35, ranksep=0.8, pad=0.15, bgcolor="transparent"];
node [shape=box, style="rounded,filled", fontname="{FONT}", fontsize=12, margin="0.15,0.08", color="#5b6472", fillcolor="#f1f3f5"];
edge [fontname="{FONT}", fontsize=11, fontcolor="#3a4250", color="#5b6472", arrowsize=0.7];
"""
SVG = "{http://www.w3.org/2000/svg}"
ELEMENTS = {"svg", "g", "title", "path", "polygon", "polyline", "ellipse", "text"}
ATTRIBUTES = {"width", "height", "viewBox", "id", "class", "transform", "d", "points", "cx", "cy", "rx", "ry", "x", "y",
              "fill", "stroke", "stroke-width", "stroke-dasharray", "text-anchor", "font-family", "font-size", "font-weight",
              "font-style"}


class LayoutError(Exception):
    """Why the graph could not be drawn, as a clause a page can show."""


@dataclass(frozen=True)
class Drawn:
    """What the page knows about one node or arrow dot drew: its hover text in full, and the
    data-* attributes its <g> gets."""

    title: str
    data: dict[str, str]


def _printable(text: str, keep_newlines: bool = False) -> str:
    """Control characters (a newline in a contract's name) become spaces."""
    return "".join(c if c.isprintable() or (keep_newlines and c == "\n") else " " for c in text)


def _line(text: str) -> str:
    """One line of a label as DOT HTML-like label text: shortened, then escaped."""
    text = _printable(text)
    return escape(text if len(text) <= LINE_CHARS else text[: LINE_CHARS - 1] + "…")


def _pairs(graph: ControlGraph) -> dict[tuple[str, str], list[Edge]]:
    """Edges grouped by (holder, what it controls): one arrow each."""
    grouped: dict[tuple[str, str], list[Edge]] = {}
    for edge in graph.edges:
        grouped.setdefault((edge.source, edge.target), []).append(edge)
    return grouped


def dot_source(graph: ControlGraph) -> tuple[str, dict[str, Drawn]]:
    """The DOT text, and what each id in it stands for."""
    lines, drawn, ids = [HEADER], {}, {}
    for index, account in enumerate(view.graph_nodes(graph)):
        ids[account.address] = node = f"n{index}"
        caption = view.node_lines(account)
        label = "<BR/>".join(f"<B>{_line(text)}</B>" if i == 0 else _line(text) for i, text in enumerate(caption))
        colour = KIND_COLOURS.get(account.kind, "#f1f3f5")
        lines.append(f'{node} [id="cg-node-{index}", fillcolor="{colour}", label=<{label}>];\n')
        drawn[f"cg-node-{index}"] = Drawn(" / ".join(caption[:-1] + [account.address]),
                                          {"address": account.address, "kind": account.kind})
    for index, ((source, target), edges) in enumerate(_pairs(graph).items()):
        texts = list(dict.fromkeys(view.edge_text(e) for e in edges))
        shown = [_line(text) for text in texts[:EDGE_LINES]]
        if len(texts) > EDGE_LINES:
            shown.append(f"+{len(texts) - EDGE_LINES} more")
        lines.append(f'{ids[source]} -> {ids[target]} [id="cg-edge-{index}", label=<{"<BR/>".join(shown)}>];\n')
        drawn[f"cg-edge-{index}"] = Drawn("\n".join(texts), {"source": source, "target": target})
    return "".join(lines) + "}\n", drawn


def run_dot(source: str) -> bytes:
    """dot's SVG for a DOT text: no shell, the text on stdin, a time limit."""
    dot = shutil.which("dot")
    if dot is None:
        raise LayoutError("Graphviz is missing (no dot on PATH; install Debian's package graphviz)")
    try:
        done = subprocess.run([dot, "-Tsvg"], input=source.encode("utf-8", "replace"), capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise LayoutError(f"Graphviz's dot took more than {TIMEOUT} s") from None
    except OSError as exc:
        raise LayoutError(f"Graphviz's dot could not be started ({exc.strerror})") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise LayoutError(f"Graphviz's dot failed ({why[0] if why else f'exit code {done.returncode}'})")
    return done.stdout


def _clean(element: ET.Element, drawn: dict[str, Drawn]) -> None:
    """Keep the allowed elements and attributes, without namespaces; give each node and
    arrow its title and data-* attributes."""
    for child in list(element):
        if not isinstance(child.tag, str) or child.tag.removeprefix(SVG) not in ELEMENTS:
            element.remove(child)
    element.tag = element.tag.removeprefix(SVG)
    for name in list(element.attrib):
        if name not in ATTRIBUTES:
            del element.attrib[name]
    known = drawn.get(element.get("id", ""))
    if known is not None:
        for name, value in known.data.items():
            element.set(f"data-{name}", value)
        title = element.find(f"{SVG}title")
        if title is not None:
            title.text = _printable(known.title, keep_newlines=True)
    for child in element:
        _clean(child, drawn)


def svg(graph: ControlGraph) -> str:
    """The graph as inline SVG markup, or LayoutError with the reason it cannot be drawn."""
    source, drawn = dot_source(graph)
    try:
        root = ET.fromstring(run_dot(source))
    except ET.ParseError as exc:
        raise LayoutError(f"Graphviz's dot wrote an SVG that could not be read ({exc})") from None
    if root.tag != f"{SVG}svg":
        raise LayoutError("Graphviz's dot wrote no SVG")
    _clean(root, drawn)
    # one unit of dot's (a point) is drawn as one pixel: text at its 12px, the page scrolls sideways if need be
    width, height = root.get("viewBox", "0 0 0 0").split()[2:]
    root.set("width", f"{float(width):g}")
    root.set("height", f"{float(height):g}")
    root.set("xmlns", SVG.strip("{}"))
    root.set("role", "img")
    root.set("aria-label", "control graph")
    return ET.tostring(root, encoding="unicode")
