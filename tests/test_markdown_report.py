"""The Markdown report: its sections, the control graph as Mermaid, findings with their code
and the catalogue's advice, and untrusted names that cannot break out of any of it."""
from __future__ import annotations

import html
import json
import re
import subprocess

import pytest

import report_samples as sample
from browser import load
from conftest import EXAMPLE, SHARED_CACHE, exclusive
from inspector.rules.catalogue import load_rules
from inspector.report import markdown_report, view

RULES = load_rules()
MERMAID = "11.12.1"  # the Mermaid GitHub renders with, give or take a minor version


def block(text: str, info: str) -> list[str]:
    """The lines of the first fenced block with this info string."""
    lines = text.splitlines()
    start = lines.index(f"```{info}") + 1
    return lines[start:lines.index("```", start)]


def section(text: str, heading: str) -> str:
    """From a heading to the next heading of the same level."""
    level = heading.split(" ")[0]
    rest = text.split(heading + "\n", 1)[1]
    return re.split(rf"^{level} ", rest, maxsplit=1, flags=re.M)[0]


def unmermaid(label: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)


def test_sections_in_order_with_score_graph_findings_and_skipped():
    text = markdown_report.render(sample.result())
    assert text.splitlines()[0] == f"# inspector report: `mainnet:{sample.TOKEN}`"
    assert re.findall(r"^##+ .*", text, flags=re.M) == [
        "## Summary", "### Partial", "### Stage", "### Deductions", "### Acknowledged by the project", "### Per contract",
        "## Control graph",
        "## Findings", "### High (1)", f"#### `admin-key-single-owner` in `Token.mint(address,uint256)`",
        "### Medium (1)", f"#### `economic-pausable` in `{sample.HOSTILE}.pause()`", "## Skipped targets",
    ]
    summary = section(text, "## Summary")
    assert summary.strip().split("\n\n")[0].splitlines() == [
        "|  |  |", "| --- | --- |", "| Score | **73.9** / 100 (partial) |", "| Grade | C |", "| Stage | 0 |",
        "| Governance concentration | 100 / 100 |", "| Off-chain dependency | 100 / 100 |", "| Economic control | 49.8 / 100 |",
        "| Findings | 2 (1 high, 1 medium) |",
    ]
    hostile = r'\<script\>alert(1)\</script\>"\] --\> x\["\|\#'
    assert section(text, "### Partial").strip().splitlines() == [
        "The score is a partial answer: it did not see everything that was asked.", "",
        "- target mainnet:0x00000000000000000000000000000000000000ff was not analysed: not verified on Etherscan or Sourcify",
        f"- holders not read for 1 power(s): {hostile}.pause",
    ]
    assert section(text, "### Stage").strip() == ("- Token.mint: held by a 2-of-3 multisig, after 2 days; stage 1 needs a 7-day exit "
                                                  "window or a qualifying security council")
    high, medium = sample.FINDINGS
    assert section(text, "### Deductions").strip().splitlines() == [
        "| axis | points | power | findings | reason |", "| --- | --- | --- | --- | --- |",
        f"| Economic control | −33.6 | `Token.mint via mint(address,uint256)` | `{high.id}` | can mint (uncapped); held by a 2-of-3 "
        "multisig, after 2 days |",
        f"| Economic control | −16.6 | `{sample.HOSTILE.replace('|', chr(92) + '|')}.pause via pause()` | `{medium.id}` | can pause; held by "
        "one key, no delay (unresolved) |",
    ]
    assert section(text, "### Acknowledged by the project").strip().splitlines() == [
        "Findings the project silenced or baselined; their powers still count.", "",
        f"- {hostile}.pause: economic-pausable suppressed at contracts/Token.sol:3 (line); still counted (-16.6)", "",
        "> 1 power(s) counted as held by one key with no delay: their holders could not be read from the chain "
        "(control\\_graph.unresolved says why)",
    ]
    assert section(text, "### Per contract").split("\n## ")[0].strip().splitlines()[-1] == (
        "The system's score weighs the powers of all 2 contracts together, so it is never above its weakest contract (Token: 85).")
    assert section(text, "## Skipped targets").strip() == \
        "- `mainnet:0x00000000000000000000000000000000000000ff`: not verified on Etherscan or Sourcify"


def test_without_a_score_one_line_says_so_and_no_graph_section():
    text = markdown_report.render(sample.result(with_graph=False, with_score=False))
    assert section(text, "## Summary").strip() == \
        "No score: this report was made without the score model. Findings: 2 (1 high, 1 medium)."
    assert "### Deductions" not in text and "## Control graph" not in text and "```mermaid" not in text


def test_mermaid_has_one_node_per_account_and_one_edge_per_power():
    graph = sample.graph()
    lines = block(markdown_report.render(sample.result()), "mermaid")
    assert lines[0] == "flowchart LR"
    nodes = [re.fullmatch(r'  (n\d+)\["(.*)"\]', line) for line in lines[1:] if "-->" not in line]
    edges = [re.fullmatch(r'  (n\d+) -->\|"(.*)"\| (n\d+)', line) for line in lines[1:] if "-->" in line and not line.endswith('"]')]
    assert all(nodes) and all(edges)
    assert len(nodes) == len(graph.nodes) == 7 and len(edges) == len(graph.edges) == 6
    address_of = {}
    for match in nodes:
        parts = [unmermaid(p) for p in match.group(2).split("<br/>")]
        [account] = [a for a in graph.nodes.values() if view.node_lines(a) == parts]
        address_of[match.group(1)] = account.address
    drawn = [(address_of[m.group(1)], unmermaid(m.group(2)), address_of[m.group(3)]) for m in edges]
    assert drawn == [(e.source, view.edge_text(e), e.target) for e in graph.edges]
    assert (sample.SAFE, "propose after 2 d", sample.TIMELOCK) in drawn
    assert ["multisig: Safe", "2-of-3", "0x3000…0003"] in [view.node_lines(graph.nodes[a]) for a in address_of.values()]


def test_mermaid_labels_escape_what_would_end_or_reshape_them():
    lines = block(markdown_report.render(sample.result()), "mermaid")
    [hostile] = [line for line in lines if "0x7000…0007" in line]
    label = hostile.split('["', 1)[1].rsplit('"]', 1)[0]
    assert not set(label.replace("<br/>", "")) & set('"[]<>|`')
    assert unmermaid(label.split("<br/>")[0]) == f"contract: {sample.HOSTILE}"
    assert "#60;script#62;" in label and "#34;#93; --#62; x#91;#34;#124;#35;" in label


def test_finding_shows_location_code_excerpt_and_catalogue_advice():
    text = markdown_report.render(sample.result())
    finding = section(text, "#### `admin-key-single-owner` in `Token.mint(address,uint256)`")
    assert "- **Location:** `contracts/Token.sol:7`" in finding
    assert "- **Held by on chain:** TimelockController (2 days delay) 0x2000…0002" in finding
    assert block(finding, "solidity") == [
        "  5 |     address public owner;",
        "  6 |     function mint(address to, uint256 amount) external {",
        "> 7 |         require(msg.sender == owner); // the line the finding points at",
        "  8 |         balances[to] += amount;",
        "  9 |     }",
    ]
    rule = next(r for r in RULES if r.id == "admin-key-single-owner")
    assert f"**Remediation:** {markdown_report.text(rule.remediation)}" in finding
    assert [line[3:-1] for line in finding.splitlines() if line.startswith("- <")] == list(rule.references)


def test_untrusted_message_stays_plain_text():
    text = markdown_report.render(sample.result())
    message = sample.FINDINGS[1].message
    [line] = [line for line in text.splitlines() if "can pause" in line and "everything" in line]
    assert "<script>" not in line and "<b>" not in line and "`" not in line.replace("\\`", "")
    assert re.sub(r"\\(.)", r"\1", line) == message


def test_example_scan_writes_markdown_with_excerpts_from_the_project_and_node_modules(run_cli, tmp_path):
    out = tmp_path / "report.md"
    code, stdout, _ = run_cli(["scan", ".", "--format", "markdown", "--output", out, "--fail-on", "none"], cwd=EXAMPLE)
    assert (code, stdout) == (0, "")
    text = out.read_text()
    assert text.startswith("# inspector report: `.`\n")
    assert re.findall(r"^### .*", text, flags=re.M) == ["### Partial", "### Stage", "### Deductions", "### Per contract", "### High (2)",
                                                        "### Medium (5)", "### Low (3)"]
    assert "| Stage | 0 |" in text and "> 6 power(s) counted as held by one key" in text
    mint = section(text, "#### `admin-key-single-owner` in `LaunchToken.mint(address,uint256)`")
    assert "> 22 |     function mint(address to, uint256 amount) external onlyOwner {" in block(mint, "solidity")
    grant = section(text, "#### `admin-key-role-admin` in `RewardsVault.grantRole(bytes32,address)`")
    assert "- **Location:** `@openzeppelin/contracts/access/AccessControl.sol:122`" in grant
    assert "> 122 |     function grantRole(bytes32 role, address account) public virtual onlyRole(getRoleAdmin(role)) {" in block(grant, "solidity")


@pytest.fixture(scope="module")
def mermaid_js() -> str:
    """Mermaid itself from npm, kept with the tests' compilers."""
    folder = SHARED_CACHE / f"mermaid-{MERMAID}"
    script = folder / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    with exclusive(SHARED_CACHE / "npm-install.lock"):  # another run may be installing it
        if not script.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error", f"mermaid@{MERMAID}"],
                           cwd=folder, check=True, capture_output=True, timeout=300)
    return script.resolve().as_uri()


def test_real_mermaid_draws_the_diagram_and_the_hostile_name_as_text(mermaid_js, tmp_path):
    """Mermaid in headless chromium renders the report's diagram: every node and edge label,
    and no element made from a contract name. A broken diagram fails in the same harness."""
    diagram = "\n".join(block(markdown_report.render(sample.result()), "mermaid"))
    broken = diagram + '\n  n0["unterminated]'
    page = tmp_path / "mermaid.html"
    page.write_text(f"""<!DOCTYPE html><html><head><meta charset="utf-8"><script src="{mermaid_js}"></script></head><body><pre id="out"></pre>
<script>
mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
(async () => {{
  const out = [];
  for (const [i, source] of {json.dumps([diagram, broken])}.entries()) {{
    try {{
      const holder = document.createElement("div");
      holder.innerHTML = (await mermaid.render("d" + i, source)).svg;
      const labels = [...holder.querySelectorAll("g.node")].map(n => n.textContent);
      out.push({{nodes: labels, edges: holder.querySelectorAll("g.edgeLabel").length,
                 elements: holder.querySelectorAll("script, b").length}});
    }} catch (e) {{ out.push({{error: String(e.message || e).split("\\n")[0]}}); }}
  }}
  document.getElementById("out").textContent = JSON.stringify(out);
}})();
</script></body></html>""")
    dom, _ = load(page, tmp_path / "profile", "--allow-file-access-from-files", "--virtual-time-budget=20000")
    good, bad = json.loads(html.unescape(re.search(r'<pre id="out">(.*?)</pre>', dom, re.S).group(1)))
    assert len(good["nodes"]) == len(sample.graph().nodes) and good["edges"] == len(sample.graph().edges)
    assert good["elements"] == 0
    assert [n for n in good["nodes"] if n.endswith("0x7000…0007")] == [f"contract: {sample.HOSTILE}0x7000…0007"]
    assert bad["error"].startswith("Parse error")
