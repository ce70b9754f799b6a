"""The package's import structure: no module imports one that imports it back, and what
needs no analysis (reports, `inspector diff`, `inspector rules`, refusing a bad path) loads
neither Slither, crytic-compile nor web3. Each check that reads `sys.modules` runs in a
fresh interpreter: the test process itself has long since imported everything."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from report_samples import result

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "inspector"
HEAVY = ("slither", "crytic_compile", "web3")
LIGHT_MODULES = (
    "inspector.result",
    "inspector.options",
    "inspector.rules.catalogue",
    "inspector.cli",
    "inspector.report.diff",
    "inspector.report.diff_report",
    "inspector.report.reader",
    "inspector.report.json_report",
    "inspector.report.text_report",
    "inspector.report.markdown_report",
    "inspector.report.html_report",
    "inspector.report.sarif_report",
    "inspector.report.graph_layout",
    "inspector.report.view",
)


def _modules() -> dict[str, Path]:
    """Module name -> file, for every module of the package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `name` imports when it is imported: statements at module
    level, including those under `if` and `try` (so `if TYPE_CHECKING:` counts too); imports
    inside functions are lazy and left out."""
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                    package = package[:len(package) - node.level + 1]
                    base = ".".join(package + ([node.module] if node.module else []))
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)  # `from inspector import scan`
            elif isinstance(node, (ast.If, ast.Try, ast.With)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                visit(getattr(node, "finalbody", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)

    visit(ast.parse(path.read_text(), str(path)).body)
    return {m for m in found if m in modules and m != name}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_package_has_no_import_cycle():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert "inspector.discover.proxies" in graph["inspector.scan"], "the graph misses the imports it should see"
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


# The stages in the order docs/architecture.md draws: a module of a stage imports only from
# its stage, the stages before it, and what every stage shares.
STAGES = ("targets", "discover", "sources", "compile", "facts", "chain", "rules", "findings", "score", "report")
# Shared by the stages: the findings model (a value the facts stage's Slither detectors and the
# rules make) and the chain's access layer (a reader, its probes, the edge type), which the
# discover stage reads addresses with before the chain-facts stage builds the graph.
SHARED = {"inspector.findings", "inspector.chain.rpc", "inspector.chain.provider", "inspector.chain.probes",
          "inspector.chain.edges", "inspector.chain.accounts"}


def _stage(module: str) -> str | None:
    if any(module == s or module.startswith(s + ".") for s in SHARED):
        return None
    parts = module.split(".")
    if parts[1:2] == ["result"]:
        return "report"  # what a scan produces, for the reports
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_no_stage_imports_a_later_stage():
    modules = _modules()
    later = []
    for name, path in modules.items():
        here = _stage(name)
        for imported in _imports(name, path, modules) if here else ():
            there = _stage(imported)
            if there and STAGES.index(there) > STAGES.index(here):
                later.append(f"{name} imports {imported}")
    assert later == []
    assert _stage("inspector.chain.graph") == "chain" and _stage("inspector.chain.probes.safe") is None


def test_the_cycle_finder_finds_cycles():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _run(code: str, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    return subprocess.run([sys.executable, *args, "-c", code] if code else [sys.executable, *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=env)


@pytest.mark.parametrize("module", LIGHT_MODULES)
def test_reports_and_values_import_no_analysis_stack(module):
    done = _run(f"import sys, json, {module}; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [], f"importing {module} loads {done.stdout.strip()}"


def _command(args: list[str], cwd: Path) -> tuple[int, str, set[str]]:
    """Run `inspector ARGS` as the console script does (python -m inspector) with
    `-X importtime`: its exit code, its stderr without the import lines, and the top-level
    packages it imported."""
    done = _run("", "-X", "importtime", "-m", "inspector", *args, cwd=cwd)
    imported, errors = set(), []
    for line in done.stderr.splitlines():
        if line.startswith("import time:"):
            imported.add(line.rsplit("|", 1)[1].strip().split(".")[0])
        else:
            errors.append(line)
    assert imported, "-X importtime printed nothing"
    return done.returncode, "\n".join(errors), imported


def test_a_missing_path_is_refused_before_the_analysis_stack_is_imported(tmp_path):
    code, err, imported = _command(["scan", str(tmp_path / "no-such-path")], tmp_path)
    assert code == 2
    assert err == f"error: {tmp_path / 'no-such-path'}: no such file or folder (check the path)"
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))
    # nor the chain's code (eth_utils and its pydantic cost more than Slither's import): the
    # rules the command line loads to check --rule ids read the chain's facts by type only
    assert "eth_utils" not in imported


def test_a_file_that_is_not_solidity_is_refused_before_the_analysis_stack_is_imported(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    code, err, imported = _command(["scan", "notes.txt", "--format", "json"], tmp_path)
    assert code == 2 and "notes.txt: not a Solidity file" in err
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))


def test_diff_and_rules_import_no_analysis_stack(tmp_path):
    from inspector.report import json_report

    (tmp_path / "old.json").write_text(json_report.render(result()))
    (tmp_path / "new.json").write_text(json_report.render(result(with_graph=False)))
    for args in (["diff", "old.json", "new.json"], ["rules"], ["rules", "--explain", "admin-key-single-owner"]):
        code, err, imported = _command(args, tmp_path)
        assert code == 0, err
        assert not imported & set(HEAVY), (args, sorted(imported & set(HEAVY)))


def test_a_scan_of_a_deployed_contract_reads_the_chain_without_web3(tmp_path, monkeypatch, fresh_cache):
    from hostile_stub import HostileStub
    from test_explorer import ADDRESS

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with HostileStub() as stub:  # a tiny chain whose contract no explorer verifies: analysed from its bytecode
        monkeypatch.setenv("INSPECTOR_SOURCIFY_URL", f"{stub.url}/server")
        code, err, imported = _command(["scan", f"anvil:{ADDRESS}", "--rpc", f"{stub.url}/rpc/ok/KEY", "--explorer", "sourcify",
                                        "--format", "json", "--fail-on", "none"], tmp_path)
        reads = stub.requests.count("/rpc/ok/KEY")
    assert code == 0, err
    assert reads > 10, reads  # the chain id, head and block, then the probes' reads
    assert not imported & {"web3", "eth_account", "py_ecc"}, sorted(imported & {"web3", "eth_account", "py_ecc"})
    # every call answered nothing: nothing to decode, so no eth_abi (nor its eth_utils and pydantic)
    assert not imported & {"eth_abi", "eth_utils", "pydantic"}, sorted(imported & {"eth_abi", "eth_utils", "pydantic"})
