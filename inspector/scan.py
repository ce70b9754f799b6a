"""The pipeline, in the one direction DESIGN.md draws:
targets -> sources -> build -> facts -> rules -> findings (-> score -> report)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from inspector.build.compile import compile_bundle
from inspector.build.slither_load import load_slither
from inspector.catalogue import Rule, run_rules
from inspector.errors import InspectorError
from inspector.facts.extract import extract_facts
from inspector.facts.model import Facts
from inspector.findings import Finding
from inspector.slither_detectors import run_detectors
from inspector.sources.collect import plan_bundles
from inspector.sources.explorer import fetch_source
from inspector.sources.model import CompilerSettings, SourceBundle
from inspector.sources.pragma import Version, known_releases
from inspector.sources.project import Project, load_project
from inspector.sources.verified import bundle_from_verified
from inspector.store import Store
from inspector.targets import ChainTarget, PathTarget


@dataclass(frozen=True)
class ScanOptions:
    settings: CompilerSettings = field(default_factory=CompilerSettings)
    remaps: tuple[str, ...] = ()
    solc_version: Version | None = None
    slither_detectors: bool = False
    explorer: str = "auto"  # auto | etherscan | sourcify
    etherscan_url: str | None = None
    sourcify_url: str | None = None
    refresh: bool = False  # ask explorers again even when the store has their answer


@dataclass(frozen=True)
class UnitSummary:
    """What was compiled, for the report: the version, how the compiler came, the files."""

    version: str
    route: str
    files: int
    targets: tuple[str, ...]


@dataclass(frozen=True)
class ScanResult:
    targets: tuple[str, ...]
    units: tuple[UnitSummary, ...]
    facts: Facts
    findings: tuple[Finding, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (target, why) in a multi-target scan


def _projects(targets: list[PathTarget], options: ScanOptions, cwd: Path) -> list[Project]:
    """One project per root: several targets inside one project compile together."""
    by_root: dict[tuple[Path, tuple], Project] = {}
    for target in targets:
        project = load_project(target.path, cwd, options.remaps)
        key = (project.root, project.remappings)
        if key in by_root:
            merged = tuple(dict.fromkeys(by_root[key].targets + project.targets))
            project = replace(by_root[key], targets=merged)
        by_root[key] = project
    return list(by_root.values())


def _groups(targets: list, options: ScanOptions, store: Store, cwd: Path, skipped: list) -> list[list[SourceBundle]]:
    """Compilation units to analyse together: one group per local project, one per address.
    In a multi-target scan, a target that fails is skipped and named; alone, it fails the scan."""
    releases = known_releases()
    path_targets = [t for t in targets if isinstance(t, PathTarget)]
    groups = [plan_bundles(project, releases, options.settings, options.solc_version)
              for project in _projects(path_targets, options, cwd)]
    for target in targets:
        if not isinstance(target, ChainTarget):
            continue
        try:
            source = fetch_source(target.chain, target.address, store, options.explorer, options.etherscan_url,
                                  options.sourcify_url, options.refresh)
            groups.append([bundle_from_verified(source)])
        except InspectorError as exc:
            if len(targets) == 1:
                raise
            skipped.append((str(target), str(exc)))
    return groups


def scan(
    targets: list,
    options: ScanOptions,
    store: Store,
    rules: list[Rule],
    cwd: Path,
    progress: Callable[[str], None] = lambda message: None,
) -> ScanResult:
    units: list[UnitSummary] = []
    contracts = []
    extra: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    for bundles in _groups(targets, options, store, cwd, skipped):
        builds = []
        for bundle in bundles:
            build = compile_bundle(bundle, store, on_compile=lambda b: progress(_compiling(b)))
            builds.append(build)
            units.append(UnitSummary(str(bundle.version), build.route, len(bundle.files), bundle.targets))
        progress(f"analysing {sum(len(b.targets) for b in bundles)} file(s) with Slither")
        slither = load_slither(builds)
        target_names = {name for bundle in bundles for name in bundle.targets}
        only = {name for bundle in bundles for name in bundle.contracts} or None
        contracts.extend(extract_facts(slither, target_names, only).contracts)
        if options.slither_detectors:
            progress("running Slither's detectors")
            by_unit = {f.unit_name: f.path for bundle in bundles for f in bundle.files}
            extra.extend(run_detectors(slither, target_names, lambda name: _display(name, by_unit, cwd)))
    facts = Facts(contracts=tuple(contracts))
    return ScanResult(
        targets=tuple(str(t) for t in targets),
        units=tuple(units),
        facts=facts,
        findings=tuple(sorted(set(run_rules(rules, facts)) | set(extra), key=Finding.sort_key)),
        skipped=tuple(skipped),
    )


def _display(unit_name: str, paths: dict[str, Path], cwd: Path) -> str:
    """The path a report shows for a source unit, as facts do (locations.source_file)."""
    path = paths.get(unit_name)
    if path is None or "node_modules" in path.parts:
        return unit_name
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return unit_name


def _compiling(bundle: SourceBundle) -> str:
    return f"compiling {len(bundle.files)} file(s) with solc {bundle.version}"
