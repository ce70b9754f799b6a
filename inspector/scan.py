"""The pipeline of `inspector scan`, in the one direction DESIGN.md draws (docs/architecture.md):
targets -> discover -> sources -> compile -> facts -> chain facts -> rules -> findings -> score
(-> report, which the command line renders from the ScanResult)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from inspector.findings.baseline import split as split_baseline
from inspector.compile.solc import compile_bundle
from inspector.facts.analyse import analyse, read_bytecode
from inspector.facts.bytecode import unverified_name
from inspector.rules.catalogue import Rule, run_rules
from inspector.chain.facts import ChainFacts, read_chain
from inspector.chain.graph import Deployment, Edge
from inspector.findings.holders import resolve_findings
from inspector.compile.immutables import immutables_of
from inspector.compile.match import ProjectIndex
from inspector.discover.proxies import Discovered, discover, open_reader
from inspector.sources.deployed import Explorer, Group, merge_groups
from inspector.sources.explorer import NotVerified
from inspector.errors import ChainError, InspectorError, SourceError, TargetError
from inspector.facts.model import Facts
from inspector.findings import Finding
from inspector.options import ScanOptions
from inspector.score.model import Acknowledged, Coverage, Score
from inspector.sources.collect import plan_bundles
from inspector.sources.model import Bytecode, CodeMatch, SourceBundle
from inspector.sources.pragma import known_releases
from inspector.sources.project import Project, load_project
from inspector.score.compute import compute as compute_score
from inspector.score.powers import HolderReader, collect as collect_powers
from inspector.result import ScanResult, UnitSummary
from inspector.store import Store
from inspector.findings.suppressions import Suppressed, suppress
from inspector.targets import ChainTarget, PathTarget
from inspector.vocabulary import MatchKind

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader  # imported when a chain is read (discover/proxies.py: open_reader)


@dataclass(frozen=True)
class _Plan:
    """What is analysed: the groups, a reader per chain the chain targets are on (by chain
    id, in the order the targets name them), and the targets passed over on the way."""

    groups: tuple[Group, ...]
    readers: Mapping[int, ChainReader]
    skipped: tuple[tuple[str, str], ...]
    project_index: ProjectIndex | None = None  # --project's contracts: names what the control graph reaches


def _projects(targets: list[PathTarget], options: ScanOptions, cwd: Path) -> list[Project]:
    """One project per root: several targets inside one project compile together."""
    by_root: dict[tuple[Path, tuple], Project] = {}
    for target in targets:
        project = load_project(target.path, cwd, options.sources.remaps)
        key = (project.root, project.remappings)
        if key in by_root:
            merged = tuple(dict.fromkeys(by_root[key].targets + project.targets))
            project = replace(by_root[key], targets=merged)
        by_root[key] = project
    return list(by_root.values())


def _plan(targets: list, options: ScanOptions, store: Store, cwd: Path, progress: Callable[[str], None]) -> _Plan:
    """Compilation units to analyse together: one group per local project, one per address.
    In a multi-target scan, a target that fails is skipped and named; alone, it fails the scan."""
    releases = known_releases()
    path_targets = [t for t in targets if isinstance(t, PathTarget)]
    projects = _projects(path_targets, options, cwd)
    skipped = [(_relative(path, cwd), why) for project in projects for path, why in project.passed_over]
    readers: dict[int, ChainReader] = {}
    groups = [Group(tuple(plan_bundles(project, releases, options.sources.settings, options.sources.solc_version))) for project in projects]
    explorer = Explorer(options, store)
    project_index = ProjectIndex(options.sources, store, cwd) if options.sources.project is not None else None
    for target in targets:
        if not isinstance(target, ChainTarget):
            continue
        progress(f"fetching the sources of {target}")
        try:
            reader = readers.get(target.chain.chain_id)
            if reader is None:
                reader = open_reader(target, options, store)  # None without an RPC
                if reader is not None:
                    readers[target.chain.chain_id] = reader
            discovered = discover(target, reader)
            groups.extend(_deployed_groups(discovered, explorer, project_index, reader))
        except InspectorError as exc:
            if len(targets) == 1:
                raise
            skipped.append((str(target), str(exc)))
    if project_index is not None:  # build-info files that could not be read
        skipped.extend((_relative(path, cwd), why) for path, why in project_index.passed_over)
    return _Plan(tuple(merge_groups(groups)), readers, tuple(skipped), project_index)


def _deployed_groups(discovered: Discovered, explorer: Explorer, project_index: ProjectIndex | None,
                     reader: ChainReader | None) -> list[Group]:
    """The sources of each code a deployed target runs: verified on an explorer, or the
    contract of the local project (--project) whose bytecode it is; each analysed on the
    state it runs on. Code no explorer verified is read from its bytecode (with an RPC:
    without one there is no code to read)."""
    target = discovered.target
    groups = []
    for code in discovered.codes:
        try:
            bundle, match, detail = _bundle(target, code.address, explorer, project_index, reader)
        except NotVerified:
            if reader is None:
                if code.optional:
                    continue
                raise
            name = unverified_name(code.address)
            groups.append(Group((), ((name, code.state, code.address, code.via),), target.chain.chain_id, code.links, (str(target),),
                                (CodeMatch(str(target), code.address, code.via, name, MatchKind.BYTECODE_ONLY, "no verified source"),),
                                (Bytecode(code.address, reader.code(code.address), name, code.optional),)))
            continue
        except SourceError:
            if code.optional:
                continue
            raise
        matches = tuple(CodeMatch(str(target), code.address, code.via, name, match, detail) for name in bundle.contracts)
        groups.append(Group((bundle,), tuple((name, code.state, code.address, code.via) for name in bundle.contracts),
                            target.chain.chain_id, code.links, (str(target),), matches))
    return groups


def _bundle(target: ChainTarget, address: str, explorer: Explorer, project_index: ProjectIndex | None,
            reader: ChainReader | None) -> tuple[SourceBundle, MatchKind, str]:
    """The sources of the code at `address`, how they were tied to it, and from what."""
    if project_index is None:
        bundle, by = explorer.bundle(target, address)
        return bundle, MatchKind.VERIFIED, by
    if reader is None:
        raise ChainError("--project matches deployed code, which needs an RPC", "pass --rpc (or set INSPECTOR_RPC_<CHAIN>)")
    found = project_index.match(reader.code(address), address)
    return found.bundle, found.match, found.detail


def scan(
    targets: list,
    options: ScanOptions,
    store: Store,
    rules: list[Rule],
    cwd: Path,
    progress: Callable[[str], None] = lambda message: None,
) -> ScanResult:
    """The stages in order: targets -> discover -> sources (_plan) -> compile -> facts
    (_analyse) -> chain facts (read_chain) -> rules -> findings (_judge) -> score."""
    plan = _plan(targets, options, store, cwd, progress)
    analysed = _analyse(plan, len(targets), options, store, cwd, progress)
    chain = read_chain(plan.readers, list(analysed.deployments), list(analysed.links), options.chain.depth,
                       options.chain.holders, options.chain.from_block, progress, _project_names(plan.project_index))
    found = sorted(set(run_rules(rules, analysed.facts, options.config, chain)) | set(analysed.detector_findings),
                   key=Finding.sort_key)
    judged = _judge(found, chain, analysed, options)
    score = _score(analysed, chain, judged, options, chain_read=bool(plan.readers))
    return ScanResult(
        targets=tuple(str(t) for t in targets),
        units=analysed.units,
        facts=analysed.facts,
        findings=judged.findings,
        skipped=analysed.skipped,
        graph=chain.graph if chain is not None else None,
        chain=chain.chain if chain is not None else "",
        block=chain.block if chain is not None else None,
        holders=chain.holders if chain is not None else (),
        rules=tuple(rules),
        suppressed=judged.suppressed,
        baseline=judged.baseline,
        sources=_cited(analysed.sources, [*judged.findings, *judged.baseline]),
        score=score,
        powers=chain.powers if chain is not None else (),
        matches=analysed.matches,
        governors=chain.governors if chain is not None else (),
    )


def _project_names(index: ProjectIndex | None) -> Callable[[bytes], str | None] | None:
    """Runtime code -> the name of the contract of --project it is (None: no contract is)."""
    if index is None:
        return None

    def name(code: bytes) -> str | None:
        match = index.known(code)
        return match.bundle.contracts[0] if match is not None and match.bundle.contracts else None

    return name


@dataclass(frozen=True)
class _Analysed:
    """What the compile and facts stages made of the plan: the facts of every group that
    built, where each deployed contract lives, the sources findings may cite."""

    units: tuple[UnitSummary, ...]
    facts: Facts
    deployments: tuple[Deployment, ...]
    links: tuple[Edge, ...]  # control edges the chain showed while discovering (a beacon's)
    sources: Mapping[str, str]  # file name as findings show it -> text: suppression comments, excerpts
    detector_findings: tuple[Finding, ...]  # Slither's own detectors, when asked for
    skipped: tuple[tuple[str, str], ...]  # the plan's, and groups that did not build
    matches: tuple[CodeMatch, ...]  # how each deployed code that was analysed was tied to its contract


def _analyse(plan: _Plan, target_count: int, options: ScanOptions, store: Store, cwd: Path,
             progress: Callable[[str], None]) -> _Analysed:
    """Compile each group and read its facts (from the facts cache when unchanged), or read
    them from the bytecode of unverified code, which is not compiled. In a
    multi-target scan, a deployed target whose verified source does not build is skipped,
    not the scan."""
    units: list[UnitSummary] = []
    contracts = []
    detector_findings: list[Finding] = []
    skipped = list(plan.skipped)
    deployments: list[Deployment] = []
    links: list[Edge] = []
    matches: list[CodeMatch] = []
    sources: dict[str, str] = {}
    for group in plan.groups:
        if group.bytecode:
            progress(f"reading the bytecode of {', '.join(b.address for b in group.bytecode)} (not verified)")
            found = [read_bytecode(b, store, options.refresh) for b in group.bytecode]
            if all(b.proxy for b in group.bytecode) and not any(e.capabilities for c in found for e in c.entry_points):
                continue  # a proxy's own unverified code that shows no power: the code behind it is what runs
            contracts.extend(found)
            links.extend(group.links)
            matches.extend(group.matches)
            deployments.extend(Deployment(c, address, code_address, via, None, group.chain_id)
                               for name, address, code_address, via in group.bindings for c in found if c.name == name)
            continue
        bundles = group.bundles
        try:
            builds = [compile_bundle(bundle, store, on_compile=lambda b: progress(_compiling(b))) for bundle in bundles]
            by_unit = {f.unit_name: f.path for bundle in bundles for f in bundle.files}
            target_names = {name for bundle in bundles for name in bundle.targets}
            only = {name for bundle in bundles for name in bundle.contracts} or None
            analysis = analyse(builds, target_names, only, options.slither_detectors, lambda name: _display(name, by_unit, cwd),
                               store, options.refresh, progress)
        except InspectorError as exc:
            if not group.targets or target_count == 1:
                raise
            skipped.extend((target, str(exc)) for target in group.targets if target not in dict(skipped))
            continue
        links.extend(group.links)
        matches.extend(group.matches)
        units.extend(UnitSummary(str(b.version), build.route, len(b.files), b.targets) for b, build in zip(bundles, builds))
        sources.update((_display(f.unit_name, by_unit, cwd), f.content) for bundle in bundles for f in bundle.files)
        contracts.extend(analysis.contracts)
        for name, address, code_address, via in group.bindings:
            deployments.extend(Deployment(c, address, code_address, via, immutables_of(bundles, name, store), group.chain_id)
                               for c in analysis.contracts if c.name == name)
        detector_findings.extend(analysis.detector_findings)
    if not contracts:
        raise TargetError(_nothing_analysed(skipped), "no score is given for nothing; check the targets")
    return _Analysed(tuple(units), Facts(contracts=tuple(contracts)), tuple(deployments), tuple(links), sources,
                     tuple(detector_findings), tuple(skipped), tuple(matches))


@dataclass(frozen=True)
class _Judged:
    """The findings stage's answer: what is reported, and what the project set aside."""

    findings: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...]  # silenced by comments in the sources
    baseline: tuple[Finding, ...]  # accepted in the --baseline file


def _judge(found: list[Finding], chain: ChainFacts | None, analysed: _Analysed, options: ScanOptions) -> _Judged:
    """Each finding names who holds its power on chain; then comments and the baseline set
    some aside."""
    if chain is not None:
        found = resolve_findings(found, list(chain.deployments), chain.graph)
    findings, suppressed = suppress(found, analysed.facts.contracts, analysed.sources)
    findings, known = split_baseline(findings, options.baseline) if options.baseline is not None else (findings, [])
    return _Judged(tuple(findings), tuple(suppressed), tuple(known))


def _score(analysed: _Analysed, chain: ChainFacts | None, judged: _Judged, options: ScanOptions, chain_read: bool) -> Score:
    """The score weighs the powers in the facts: what the project silenced or baselined, and
    which rules ran, change the findings and the gate, never the score."""
    set_aside = {s.finding: Acknowledged(s.finding.rule, s.finding.id, s.scope, s.file, s.line) for s in judged.suppressed}
    set_aside.update({f: Acknowledged(f.rule, f.id, "baseline") for f in judged.baseline})
    graph, found_powers, governors = (chain.graph, chain.powers, chain.governors) if chain is not None else (None, (), ())
    scored = collect_powers(analysed.facts, HolderReader(list(analysed.deployments), graph, found_powers, governors), list(judged.findings),
                            set_aside)
    skipped = analysed.skipped
    coverage = Coverage(len(analysed.facts.contracts), skipped, tuple(t for t, why in skipped if why.startswith("no contract of ")),
                        tuple(p.name for p in scored if p.unresolved))
    measured = chain.holders if chain is not None else ()
    return compute_score(scored, options.config, coverage, [(h.token, h.top1, h.nakamoto) for h in measured],
                         chain_read=chain_read, contracts=[c.name for c in analysed.facts.contracts if not c.abstract])


def _nothing_analysed(skipped: list[tuple[str, str]]) -> str:
    if not skipped:
        return "no contract was analysed: the targets declare only interfaces, libraries or abstract contracts"
    first, why = skipped[0]
    more = f" (and {len(skipped) - 1} more)" if len(skipped) > 1 else ""
    return f"no contract was analysed: every target was skipped; {first}: {why}{more}"


def _cited(texts: dict[str, str], findings: list[Finding]) -> dict[str, str]:
    """Only the files a finding points at: a project's dependencies are most of its text."""
    files = {f.file for f in findings} | {e.file for f in findings for e in f.evidence}
    return {name: text for name, text in texts.items() if name in files}


def _display(unit_name: str, paths: dict[str, Path], cwd: Path) -> str:
    """The path a report shows for a source unit, as facts do (locations.source_file)."""
    path = paths.get(unit_name)
    if path is None or "node_modules" in path.parts:
        return unit_name
    return _relative(path.resolve(), cwd, unit_name)


def _relative(path: Path, cwd: Path, otherwise: str = "") -> str:
    """`path` from `cwd`, through links to folders but not through the file's own link (a
    dangling or looping *.sol is named as it was found)."""
    try:
        return (path.parent.resolve() / path.name).relative_to(cwd.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # elsewhere; a link loop (RuntimeError before 3.13)
        return otherwise or path.as_posix()


def _compiling(bundle: SourceBundle) -> str:
    return f"compiling {len(bundle.files)} file(s) with solc {bundle.version}"
