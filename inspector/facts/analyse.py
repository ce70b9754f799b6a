"""The facts stage: what a group of builds holds (the facts of the contracts asked about,
and Slither's detector findings when asked), served from the store when the same inputs
were analysed by the same code before.

Slither is imported only on a miss: a warm scan neither loads the sources into Slither nor
imports it. The key is everything the facts depend on: each build's compiler input
(`build_key`), where each source lies and the working directory (facts name files by their
path from there), the targets and contracts asked about, whether the detectors ran, the
versions of inspector, Slither and crytic-compile, and a digest of the source of every
inspector module the facts modules import (so facts extracted by other code are never
served; docs/decisions.md). The entry is JSON (facts/codec.py); one that cannot be read
is a miss, made again and written over. The facts of unverified code, read from its
bytecode (`read_bytecode`), are kept the same way.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Callable

import inspector
from inspector.compile.solc import Build
from inspector.facts.codec import decode, encode
from inspector.facts.model import ContractFacts
from inspector.findings import Finding
from inspector.sources.model import Bytecode
from inspector.store import Store
from inspector.userfile import loads_json

PACKAGE = Path(inspector.__file__).parent
# `from inspector.x import a, b` (or `(a,\n b)`: a and b may be modules), `import inspector.x`
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(inspector(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)|import[ \t]+(inspector(?:\.\w+)*))", re.M)


@dataclass(frozen=True)
class Analysis:
    contracts: tuple[ContractFacts, ...]
    # Slither's own findings (`--slither-detectors`), files named as reports show them
    detector_findings: tuple[Finding, ...] = ()


def analyse(builds: list[Build], target_names: set[str], only: set[str] | None, detectors: bool,
            display: Callable[[str], str], store: Store, refresh: bool = False,
            progress: Callable[[str], None] = lambda message: None) -> Analysis:
    """The facts of the contracts in `target_names` (the source units asked about), only
    those named in `only` when it is given; with `detectors`, Slither's findings in those
    files too. `display` maps a source unit name to the path reports show. `refresh`
    analyses again whatever the store holds (and stores the new result)."""
    files = sum(len(b.bundle.targets) for b in builds)
    key = facts_key(builds, target_names, only, detectors)
    found = None if refresh else _read(store.get_facts(key))
    if found is not None:
        progress(f"reading the facts of {files} file(s) from the cache")
    else:
        progress(f"analysing {files} file(s) with Slither")
        found = _analysed(builds, target_names, only, detectors, progress)
        _write(store, key, found)
    return replace(found, detector_findings=tuple(_displayed(f, display) for f in found.detector_findings))


def _analysed(builds: list[Build], target_names: set[str], only: set[str] | None, detectors: bool,
              progress: Callable[[str], None]) -> Analysis:
    """Load the builds into Slither and read them; detector findings name source units."""
    from inspector.facts.extract import extract_facts
    from inspector.facts.slither_load import load_slither

    slither = load_slither(builds)
    contracts = extract_facts(slither, target_names, only).contracts
    if not detectors:
        return Analysis(contracts)
    from inspector.facts.slither_detectors import run_detectors

    progress("running Slither's detectors")
    return Analysis(contracts, tuple(run_detectors(slither, target_names, lambda name: name)))


def _displayed(finding: Finding, display: Callable[[str], str]) -> Finding:
    return replace(finding, file=display(finding.file),
                   evidence=tuple(replace(e, file=display(e.file)) for e in finding.evidence))


def facts_key(builds: list[Build], target_names: set[str], only: set[str] | None, detectors: bool) -> str:
    payload = {
        "code": code_digest(),
        "versions": _versions(),
        "cwd": os.getcwd(),
        "builds": [{"input": b.key, "root": str(b.bundle.root.resolve()),
                    "paths": sorted((f.unit_name, str(f.path.resolve())) for f in b.bundle.files)} for b in builds],
        "targets": sorted(target_names),
        "only": sorted(only) if only is not None else None,
        "detectors": detectors,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@cache
def _versions() -> dict[str, str]:
    found = {"inspector": inspector.__version__}
    for name in ("slither-analyzer", "crytic-compile"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


@cache
def code_digest() -> str:
    digest = hashlib.sha256()
    for path in code_files():
        text = path.read_bytes()
        digest.update(f"{path.relative_to(PACKAGE).as_posix()}\0{len(text)}\0".encode() + text)
    return digest.hexdigest()


def code_files() -> list[Path]:
    """The facts modules and every inspector module they import, at module level or inside
    a function, directly or not: the code whose change makes stored facts stale."""
    seen: set[Path] = set()
    todo = sorted((PACKAGE / "facts").glob("*.py"))
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(_imported(path.read_text()))
    return sorted(seen)


def _imported(text: str) -> list[Path]:
    """The package's module files `text` imports."""
    found = []
    for module, names, plain in _IMPORT.findall(text):
        words = re.split(r"[\s,()]+", re.sub(r"#[^\n]*", "", names))
        for candidate in [plain] if plain else [module] + [f"{module}.{word}" for word in words if word]:
            parts = candidate.split(".")[1:]
            for path in (PACKAGE.joinpath(*parts, "__init__.py"), PACKAGE.joinpath(*parts).with_suffix(".py") if parts else None):
                if path is not None and path.is_file():
                    found.append(path)
    return found


def read_bytecode(unverified: Bytecode, store: Store, refresh: bool = False) -> ContractFacts:
    """The facts of unverified code (facts/bytecode.py), from the store when the same code
    was read by the same inspector and evmole before: evmole's storage analysis takes a
    second or more on a large contract, which a warm scan should not pay again."""
    from inspector.facts.bytecode import contract_from_bytecode

    payload = {"code": code_digest(), "versions": {**_versions(), "evmole": metadata.version("evmole")},
               "bytecode": hashlib.sha256(unverified.code).hexdigest(), "address": unverified.address,
               "name": unverified.name, "proxy": unverified.proxy}
    key = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    found = None if refresh else _read(store.get_facts(key))
    if found is None or len(found.contracts) != 1:
        found = Analysis((contract_from_bytecode(unverified.code, unverified.address, unverified.name, unverified.proxy),))
        _write(store, key, found)
    return found.contracts[0]


def _read(text: str | None) -> Analysis | None:
    if text is None:
        return None
    try:
        return decode(Analysis, loads_json(text))
    except ValueError:  # Unreadable, a JSONDecodeError, nested too deep: not what inspector wrote
        return None


def _write(store: Store, key: str, analysis: Analysis) -> None:
    try:
        text = json.dumps(encode(analysis), separators=(",", ":"))
    except (TypeError, ValueError):  # a value with no JSON form is analysed again next time
        return
    store.put_facts(key, text)
