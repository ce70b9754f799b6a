"""The facts cache (inspector/facts/analyse.py): an unchanged project scanned again is served
from the store, equal in every field to what Slither gave, without importing Slither; an
entry that cannot be read is analysed again and written over; `--refresh` and a change to
the code that extracts facts are misses."""
from __future__ import annotations

import ast
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zlib
from dataclasses import fields, is_dataclass, replace
from pathlib import Path

import pytest

from conftest import EXAMPLE, FIXTURES, REAL, REPO

OWNED = FIXTURES / "admin-key-single-owner" / "positive"


def _builds(folder: Path, target: str, store):
    from inspector.compile.solc import compile_bundle
    from inspector.sources.collect import plan_bundles
    from inspector.sources.model import CompilerSettings
    from inspector.sources.pragma import known_releases
    from inspector.sources.project import load_project

    project = load_project(Path(target), folder)
    return [compile_bundle(b, store) for b in plan_bundles(project, known_releases(), CompilerSettings())]


class Run:
    """analyse() on a project as scan.py calls it, recording what it said it did."""

    def __init__(self, folder: Path, target: str, store, monkeypatch, detectors: bool = False, only: set[str] | None = None):
        monkeypatch.chdir(folder)
        self.builds = _builds(folder, target, store)
        self.store, self.detectors, self.only = store, detectors, only
        self.targets = {name for b in self.builds for name in b.bundle.targets}

    def __call__(self, refresh: bool = False, display=lambda name: name):
        from inspector.facts.analyse import analyse

        self.said: list[str] = []
        return analyse(self.builds, self.targets, self.only, self.detectors, display, self.store, refresh, self.said.append)

    @property
    def key(self) -> str:
        from inspector.facts.analyse import facts_key

        return facts_key(self.builds, self.targets, self.only, self.detectors)

    @property
    def analysed(self) -> bool:
        assert len(self.said) in (1, 2), self.said
        if self.said[0].startswith("reading the facts of"):
            return False
        assert self.said[0].startswith("analysing ") and self.said[0].endswith(" file(s) with Slither"), self.said
        return True


@pytest.fixture
def store(tmp_path):
    from inspector.store import Store

    notes: list[str] = []
    opened = Store(tmp_path / "inspector.db", note=notes.append)
    opened.notes = notes
    yield opened
    opened.close()


def differences(a, b, where: str = "") -> list[str]:
    """Where two values differ, field by field down to the leaves, types included (a StrEnum
    is not its text here). ContractFacts compare by identity (eq=False), so `==` cannot say."""
    if type(a) is not type(b):
        return [f"{where}: {type(a).__name__} vs {type(b).__name__}"]
    if is_dataclass(a):
        return [d for f in fields(a) for d in differences(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")]
    if isinstance(a, (tuple, list)):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items vs {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{where}[{i}]")]
    if isinstance(a, dict):
        if list(a) != list(b):  # the order too: reports print dicts in it
            return [f"{where}: keys {list(a)} vs {list(b)}"]
        return [d for k in a for d in differences(a[k], b[k], f"{where}[{k!r}]")]
    return [] if a == b else [f"{where}: {a!r} vs {b!r}"]


PROJECTS = [
    (EXAMPLE, "."),
    (REAL / "oz5-system", "."),
    (FIXTURES / "facts-patterns", "."),
    (FIXTURES / "real-patterns", "."),
    (FIXTURES / "multisig-control", "."),
    (FIXTURES / "solc-versions", "."),
    (FIXTURES / "hardhat-oz4", "."),
]


@pytest.mark.parametrize("folder,target", PROJECTS, ids=[f"{p.parent.name}/{p.name}" for p, _ in PROJECTS])
def test_a_warm_analysis_equals_the_cold_one_in_every_field(folder, target, store, monkeypatch):
    from inspector.facts import analyse as analyse_module
    from inspector.facts.codec import encode

    run = Run(folder, target, store, monkeypatch)
    cold = run()
    assert run.analysed and cold.contracts
    monkeypatch.setattr(analyse_module, "_analysed", lambda *a: pytest.fail("a warm analysis ran Slither"))
    run.builds = _builds(folder, target, store)  # as a second scan has them: from the build cache
    warm = run()
    assert not run.analysed
    assert differences(cold, warm) == []
    assert encode(cold) == encode(warm)
    assert all(b.cached and "output" not in vars(b) for b in run.builds)  # nor was the compiler's output parsed


def test_the_comparison_sees_a_difference_deep_in_the_facts(store, monkeypatch):
    run = Run(OWNED, "OwnedToken.sol", store, monkeypatch)
    cold = run()
    warm = run()
    [contract] = [c for c in warm.contracts if c.entry_points]
    entry = contract.entry_points[0]
    changed = replace(contract, entry_points=(replace(entry, line=entry.line + 1),) + contract.entry_points[1:])
    other = replace(warm, contracts=tuple(changed if c is contract else c for c in warm.contracts))
    assert differences(cold, other) == [f".contracts[{warm.contracts.index(contract)}].entry_points[0].line: {entry.line} vs {entry.line + 1}"]
    values = replace(contract, values={**contract.values, "extra": "1"})
    assert differences(contract, values) != []
    assert cold != warm  # what the field-by-field comparison is for: ContractFacts compare by identity


def test_detector_findings_are_cached_with_unit_names_and_shown_through_display(store, monkeypatch):
    run = Run(EXAMPLE, ".", store, monkeypatch, detectors=True)
    shown = lambda name: f"shown/{name}"  # noqa: E731
    cold = run(display=shown)
    assert run.analysed and run.said[1] == "running Slither's detectors"
    assert cold.detector_findings and all(f.rule.startswith("slither:") for f in cold.detector_findings)
    assert all(f.file.startswith("shown/") and all(e.file.startswith("shown/") for e in f.evidence) for f in cold.detector_findings)
    warm = run(display=shown)
    assert not run.analysed and differences(cold, warm) == []
    plain = run()  # the same entry, shown otherwise
    assert not run.analysed
    assert [f.file for f in plain.detector_findings] == [f.file.removeprefix("shown/") for f in cold.detector_findings]
    stored = json.loads(store.get_facts(run.key))
    assert all(not f["file"].startswith("shown/") for f in stored["detector_findings"])


def _set_entry(store, key: str, body: bytes) -> None:
    db = sqlite3.connect(store.path)
    db.execute("UPDATE facts SET body = ? WHERE key = ?", (body, key))
    assert db.total_changes == 1
    db.commit()
    db.close()


def _reshaped(entry: dict, how: str) -> dict:
    contract = next(c for c in entry["contracts"] if c["entry_points"])
    if how == "missing field":
        del contract["kinds"]
    elif how == "extra field":
        contract["added"] = 1
    elif how == "int as text":
        contract["line"] = str(contract["line"])
    elif how == "bool as int":
        contract["abstract"] = 0
    elif how == "int as bool":
        contract["line"] = True
    elif how == "tuple of the wrong length":
        contract["variable_lines"] = {"x": ["a.sol", 1, 2]}
    elif how == "guard as text":
        contract["entry_points"][0]["guards"] = ["owner"]
    elif how == "unknown severity":
        entry["detector_findings"] = [{"rule": "slither:x", "category": "", "severity": 9, "confidence": "", "contract": "",
                                       "function": "", "file": "", "line": 1, "message": "", "evidence": [],
                                       "principal": "", "holder": "", "subject": ""}]
    elif how == "contracts not a list":
        entry["contracts"] = {"0": contract}
    return entry


SHAPES = ["missing field", "extra field", "int as text", "bool as int", "int as bool", "tuple of the wrong length",
          "guard as text", "unknown severity", "contracts not a list"]
TEXTS = {
    "not JSON": b"{not json",
    "truncated": None,  # the stored JSON cut in half
    "a list": b"[]",
    "null": b"null",
    "NaN": b'{"contracts": NaN}',
    "nested too deep": b"[" * 100000 + b"]" * 100000,
    "not UTF-8": b"\xff\xfe{}",
}


@pytest.mark.parametrize("how", SHAPES + list(TEXTS))
def test_an_entry_that_cannot_be_read_is_a_miss_analysed_again_and_written_over(how, store, monkeypatch):
    run = Run(OWNED, "OwnedToken.sol", store, monkeypatch)
    cold = run()
    good = store.get_facts(run.key)
    if how in SHAPES:
        body = json.dumps(_reshaped(json.loads(good), how)).encode()
    else:
        body = TEXTS[how] if TEXTS[how] is not None else good.encode()[: len(good) // 2]
    _set_entry(store, run.key, zlib.compress(body))
    again = run()
    assert run.analysed, how
    assert differences(cold, again) == []
    assert store.get_facts(run.key) == good  # written over
    run()
    assert not run.analysed
    assert store.notes == ([f"the cache at {store.path} holds an entry that is not what inspector wrote (invalid start byte): it is made again"]
                           if how == "not UTF-8" else [])


def test_a_blob_that_is_not_zlib_is_a_miss_with_one_note(store, monkeypatch):
    run = Run(OWNED, "OwnedToken.sol", store, monkeypatch)
    cold = run()
    _set_entry(store, run.key, b"\x00\xff")
    assert differences(cold, run()) == [] and run.analysed
    assert len(store.notes) == 1 and "holds an entry that is not what inspector wrote" in store.notes[0]


def test_refresh_analyses_again_and_stores_the_new_result(store, monkeypatch):
    run = Run(OWNED, "OwnedToken.sol", store, monkeypatch)
    cold = run()
    _set_entry(store, run.key, zlib.compress(json.dumps({"contracts": [], "detector_findings": []}).encode()))
    assert run().contracts == () and not run.analysed  # a readable entry is believed...
    fresh = run(refresh=True)
    assert run.analysed and differences(cold, fresh) == []  # ...until --refresh
    assert differences(cold, run()) == [] and not run.analysed


def test_the_key_holds_what_the_facts_depend_on(store, monkeypatch, tmp_path):
    from inspector.facts import analyse as analyse_module
    from inspector.facts.analyse import facts_key

    run = Run(EXAMPLE, ".", store, monkeypatch)
    builds, targets = run.builds, run.targets
    key = facts_key(builds, targets, None, False)
    assert facts_key(builds, set(targets), None, False) == key
    one = sorted(targets)[:1]
    others = [
        facts_key(builds, set(one), None, False),
        facts_key(builds, targets, {"LaunchToken"}, False),
        facts_key(builds, targets, None, True),
        facts_key([replace(b, key="0" * 64) for b in builds], targets, None, False),
    ]
    for name, value in (("code_digest", lambda: "other code"), ("_versions", lambda: {"inspector": "0.0.0"})):
        with monkeypatch.context() as patch:
            patch.setattr(analyse_module, name, value)
            others.append(facts_key(builds, targets, None, False))
    assert facts_key(builds, targets, None, False) == key
    monkeypatch.chdir(tmp_path)  # facts name files by their path from the working directory
    others.append(facts_key(builds, targets, None, False))
    assert len({key, *others}) == len(others) + 1


def test_changed_facts_code_is_a_miss(store, monkeypatch):
    from inspector.facts import analyse as analyse_module

    run = Run(OWNED, "OwnedToken.sol", store, monkeypatch)
    run()
    run()
    assert not run.analysed
    monkeypatch.setattr(analyse_module, "code_digest", lambda: "edited")
    run()
    assert run.analysed


def test_the_code_digest_follows_every_module_the_facts_import(tmp_path, monkeypatch):
    """Its closure is the one Python's own parser finds (imports inside functions too), and
    editing any module in it, however deep, changes the digest."""
    from inspector.facts import analyse as analyse_module

    package = REPO / "inspector"
    modules = {".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__"): p for p in package.rglob("*.py")}

    def imported(path: Path) -> set[str]:
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
        return {m for m in found if m in modules}

    closure, todo = set(), [m for m in modules if m.startswith("inspector.facts")]
    while todo:
        name = todo.pop()
        if name not in closure:
            closure.add(name)
            todo.extend(imported(modules[name]))
    assert {"inspector.facts.extract", "inspector.compile.solc", "inspector.findings", "inspector.userfile"} <= closure
    assert analyse_module.code_files() == sorted(modules[m] for m in closure)

    copy = tmp_path / "inspector"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(analyse_module, "PACKAGE", copy)
    analyse_module.code_digest.cache_clear()
    try:
        before = analyse_module.code_digest()
        deep = copy / "sources" / "lexer.py"  # facts -> compile.solc -> sources.lexer
        deep.write_text(deep.read_text() + "\n# edited\n")
        analyse_module.code_digest.cache_clear()
        after = analyse_module.code_digest()
        (copy / "report" / "text_report.py").write_text("# not a facts module\n")
        analyse_module.code_digest.cache_clear()
        assert before != after == analyse_module.code_digest()
    finally:
        monkeypatch.undo()
        analyse_module.code_digest.cache_clear()


def test_the_stored_entry_is_json(store, monkeypatch):
    run = Run(OWNED, "OwnedToken.sol", store, monkeypatch)
    cold = run()
    db = sqlite3.connect(store.path)
    [(body,)] = db.execute("SELECT body FROM facts").fetchall()
    db.close()
    entry = json.loads(zlib.decompress(body))
    assert sorted(entry) == ["contracts", "detector_findings"]
    assert [c["name"] for c in entry["contracts"]] == [c.name for c in cold.contracts]


def test_scan_refresh_and_no_cache_analyse_again(run_cli, fresh_cache, monkeypatch):
    from inspector.facts import analyse as analyse_module

    real, calls = analyse_module._analysed, []
    monkeypatch.setattr(analyse_module, "_analysed", lambda *a: calls.append(1) or real(*a))
    outputs = []
    for args in ([], [], ["--refresh"], ["--no-cache"], []):
        code, out, err = run_cli(["scan", "OwnedToken.sol", "--format", "json", "--fail-on", "none", *args], cwd=OWNED)
        assert code == 0, err
        outputs.append(json.loads(out))
    assert len(calls) == 3  # the first scan, --refresh and --no-cache; the second and the last are served
    for report in outputs:
        report["compilation"] = None  # the route a build came by differs
    assert all(report == outputs[0] for report in outputs)


def _imported_by_scan(cwd: Path, cache: Path) -> set[str]:
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}, "INSPECTOR_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "inspector", "scan", "OwnedToken.sol", "--format", "json",
                           "--fail-on", "none"], capture_output=True, text=True, timeout=600, cwd=cwd, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["facts"]["contracts"]
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in done.stderr.splitlines() if line.startswith("import time:")}


def test_a_warm_scan_imports_neither_slither_nor_web3(fresh_cache):
    cold = _imported_by_scan(OWNED, fresh_cache)
    assert {"slither", "crytic_compile"} <= cold  # so that the check below can fail
    warm = _imported_by_scan(OWNED, fresh_cache)
    assert not warm & {"slither", "crytic_compile", "web3"}, sorted(warm & {"slither", "crytic_compile", "web3"})
