"""The pipeline, in the one direction DESIGN.md draws:
targets -> sources -> build -> facts -> rules -> findings (-> score -> report)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from inspector.build.compile import build_key, compile_bundle
from inspector.chain.accounts import detect_proxy
from inspector.chain.graph import ControlGraph, Deployment, Edge, build_graph
from inspector.chain.holders import Holders, balances, concentration
from inspector.chain.resolve import resolve_findings
from inspector.chain.rpc import ChainError, ChainReader
from inspector.chains import rpc_from_environment
from inspector.build.slither_load import load_slither
from inspector.catalogue import Rule, run_rules
from inspector.errors import InspectorError, SourceError
from inspector.facts.extract import extract_facts
from inspector.facts.model import Facts
from inspector.findings import Finding
from inspector.slither_detectors import run_detectors
from inspector.sources.collect import plan_bundles
from inspector.sources.explorer import NotVerified, fetch_source
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
    rpc: str | None = None  # JSON-RPC URL for chain targets (else INSPECTOR_RPC_<CHAIN>)
    block: int | None = None  # pin every chain read to this block
    depth: int = 5  # how far holders are followed
    holders: bool = False  # measure holder concentration of token targets
    project: Path | None = None  # match deployed code to this local project instead of asking explorers
    from_block: int = 0  # where Transfer logs are replayed from


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
    graph: ControlGraph | None = None  # when chain targets were resolved over RPC
    chain: str = ""  # the chain the graph was read from
    block: int | None = None
    holders: tuple[Holders, ...] = ()


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


@dataclass
class Group:
    """Compilation units analysed together, and, for a deployed contract, where each
    contract's state lives on chain: (contract name, state address, code address, via)."""

    bundles: list[SourceBundle]
    bindings: list[tuple[str, str, str, str]] = field(default_factory=list)
    links: list[Edge] = field(default_factory=list)  # control edges the chain shows directly


def _reader(target: ChainTarget, options: ScanOptions, store: Store, readers: dict) -> ChainReader | None:
    url = options.rpc or rpc_from_environment(target.chain)
    if url is None:
        return None
    if target.chain.chain_id not in readers:
        readers[target.chain.chain_id] = ChainReader(url, target.chain, store, options.block, options.refresh)
    return readers[target.chain.chain_id]


_BYTECODE = ("abi", "evm.deployedBytecode.object")


def _metadata_suffix(code: bytes) -> bytes:
    """The CBOR metadata solc appends to runtime code (its last two bytes give its length):
    it hashes the sources and settings, and immutables never touch it."""
    if len(code) < 2:
        return b""
    length = int.from_bytes(code[-2:], "big")
    return code[-(length + 2):] if 0 < length < len(code) else b""


def _project_index(options: ScanOptions, store: Store, cwd: Path, cache: dict) -> dict[bytes, SourceBundle]:
    """The local project's contracts by the metadata suffix of their runtime code."""
    if "index" not in cache:
        index: dict[bytes, SourceBundle] = {}
        for project in _projects([PathTarget(options.project)], options, cwd):
            for bundle in plan_bundles(project, known_releases(), options.settings, options.solc_version):
                bundle = replace(bundle, outputs=_BYTECODE)
                build = compile_bundle(bundle, store)
                for unit, contracts in build.output.get("contracts", {}).items():
                    for name, info in contracts.items():
                        code = bytes.fromhex(info.get("evm", {}).get("deployedBytecode", {}).get("object", ""))
                        suffix = _metadata_suffix(code)
                        if suffix:
                            index[suffix] = replace(bundle, targets=(unit,), contracts=(name,))
        cache["index"] = index
    return cache["index"]


def _fetch(target: ChainTarget, address: str, options: ScanOptions, store: Store, reader: ChainReader | None = None,
           cwd: Path = Path("."), cache: dict | None = None) -> SourceBundle:
    if options.project is not None:
        if reader is None:
            raise ChainError("--project matches deployed code, which needs an RPC", "pass --rpc (or set INSPECTOR_RPC_<CHAIN>)")
        match = _project_index(options, store, cwd, cache if cache is not None else {}).get(_metadata_suffix(reader.code(address)))
        if match is None:
            raise SourceError(f"no contract of {options.project} matches the code at {address}",
                              "compile with the settings it was deployed with (--optimize, --optimize-runs, --evm-version, --via-ir)")
        return match
    source = fetch_source(target.chain, address, store, options.explorer, options.etherscan_url, options.sourcify_url, options.refresh)
    return bundle_from_verified(source)


def _chain_groups(target: ChainTarget, options: ScanOptions, store: Store, readers: dict, cwd: Path = Path("."),
                  cache: dict | None = None) -> list[Group]:
    """A deployed contract: its verified source, and with an RPC, the implementation(s)
    behind it, detected from chain state, each analysed with the proxy's state."""
    reader = _reader(target, options, store, readers)
    if reader is not None and not reader.code(target.address):
        raise ChainError(f"no code at {target.address} on {target.chain} (block {reader.block})", "check the address and chain")
    cache = cache if cache is not None else {}
    proxy = detect_proxy(reader, target.address) if reader is not None else None
    try:
        bundle = _fetch(target, target.address, options, store, reader, cwd, cache)
        groups = [Group([bundle], [(name, target.address, target.address, "") for name in bundle.contracts])]
    except (NotVerified, SourceError):
        if proxy is None:
            raise
        groups = []  # an unverified proxy (an EIP-1167 clone is never verified): its implementation still is
    if proxy is not None:
        via = f"{proxy.kind} proxy"
        for implementation in proxy.implementations:
            implementation_bundle = _fetch(target, implementation, options, store, reader, cwd, cache)
            groups.append(Group([implementation_bundle], [(name, target.address, implementation, via) for name in implementation_bundle.contracts]))
        if proxy.beacon:
            # the beacon holds the upgrade power over every proxy that follows it
            beacon_bundle = _fetch(target, proxy.beacon, options, store, reader, cwd, cache)
            groups.append(Group([beacon_bundle], [(name, proxy.beacon, proxy.beacon, "") for name in beacon_bundle.contracts],
                                [Edge(proxy.beacon, target.address, "upgrade", "implementation() of the beacon")]))
    return groups


def _merge(groups: list[Group]) -> list[Group]:
    """Groups of one unit with the same standard-JSON input (several addresses verified from
    one project, or matched to one --project) are analysed once: one Slither load for all."""
    merged: dict[str, Group] = {}
    out: list[Group] = []
    for group in groups:
        if len(group.bundles) != 1:
            out.append(group)
            continue
        key = build_key(group.bundles[0])
        if key not in merged:
            merged[key] = Group(list(group.bundles), list(group.bindings), list(group.links))
            out.append(merged[key])
            continue
        into = merged[key]
        first = into.bundles[0]
        into.bundles[0] = replace(first, targets=tuple(dict.fromkeys(first.targets + group.bundles[0].targets)),
                                  contracts=tuple(dict.fromkeys(first.contracts + group.bundles[0].contracts)))
        into.bindings.extend(b for b in group.bindings if b not in into.bindings)
        into.links.extend(group.links)
    return out


def _groups(targets: list, options: ScanOptions, store: Store, cwd: Path, skipped: list, readers: dict) -> list[Group]:
    """Compilation units to analyse together: one group per local project, one per address.
    In a multi-target scan, a target that fails is skipped and named; alone, it fails the scan."""
    releases = known_releases()
    path_targets = [t for t in targets if isinstance(t, PathTarget)]
    groups = [Group(plan_bundles(project, releases, options.settings, options.solc_version))
              for project in _projects(path_targets, options, cwd)]
    cache: dict = {}
    for target in targets:
        if not isinstance(target, ChainTarget):
            continue
        try:
            groups.extend(_chain_groups(target, options, store, readers, cwd, cache))
        except InspectorError as exc:
            if len(targets) == 1:
                raise
            skipped.append((str(target), str(exc)))
    return _merge(groups)


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
    readers: dict[int, ChainReader] = {}
    deployments: list[Deployment] = []
    links: list[Edge] = []
    for group in _groups(targets, options, store, cwd, skipped, readers):
        links.extend(group.links)
        bundles = group.bundles
        builds = []
        for bundle in bundles:
            build = compile_bundle(bundle, store, on_compile=lambda b: progress(_compiling(b)))
            builds.append(build)
            units.append(UnitSummary(str(bundle.version), build.route, len(bundle.files), bundle.targets))
        progress(f"analysing {sum(len(b.targets) for b in bundles)} file(s) with Slither")
        slither = load_slither(builds)
        target_names = {name for bundle in bundles for name in bundle.targets}
        only = {name for bundle in bundles for name in bundle.contracts} or None
        facts = extract_facts(slither, target_names, only).contracts
        contracts.extend(facts)
        for name, address, code_address, via in group.bindings:
            deployments.extend(Deployment(c, address, code_address, via, _immutables_of(bundles, name, store))
                               for c in facts if c.name == name)
        if options.slither_detectors:
            progress("running Slither's detectors")
            by_unit = {f.unit_name: f.path for bundle in bundles for f in bundle.files}
            extra.extend(run_detectors(slither, target_names, lambda name: _display(name, by_unit, cwd)))
    facts = Facts(contracts=tuple(contracts))
    findings = sorted(set(run_rules(rules, facts)) | set(extra), key=Finding.sort_key)
    graph, chain, block, measured = None, "", None, ()
    if readers and deployments:
        [reader] = readers.values() if len(readers) == 1 else (next(iter(readers.values())),)
        progress("reading who holds each power from the chain")
        graph = build_graph(reader, deployments, options.depth, links)
        findings = resolve_findings(findings, deployments, graph)
        chain, block = str(reader.chain), reader.block
        if options.holders:
            progress("replaying Transfer logs")
            labels = {a.address: a.describe() for a in graph.nodes.values() if a.kind in ("multisig", "timelock", "governor", "contract")}
            tokens = dict.fromkeys(d.address for d in deployments if "token" in d.contract.kinds)
            measured = tuple(concentration(t, balances(reader, t, options.from_block), labels) for t in tokens)
    return ScanResult(
        targets=tuple(str(t) for t in targets),
        units=tuple(units),
        facts=facts,
        findings=tuple(findings),
        skipped=tuple(skipped),
        graph=graph,
        chain=chain,
        block=block,
        holders=measured,
    )


def _immutables_of(bundles: list[SourceBundle], name: str, store: Store) -> Callable[[], dict]:
    """Where contract `name`'s immutables sit in its runtime code, by variable name. Asked
    only when a guard names an immutable without a getter: it costs a compile with code
    generation (cached like any build)."""
    found: dict = {}

    def offsets() -> dict[str, list[tuple[int, int]]]:
        if "value" not in found:
            found["value"] = {}
            for bundle in bundles:
                build = compile_bundle(replace(bundle, outputs=("evm.deployedBytecode.immutableReferences",)), store)
                names = _immutable_names(build.output)
                for contracts in build.output.get("contracts", {}).values():
                    refs = contracts.get(name, {}).get("evm", {}).get("deployedBytecode", {}).get("immutableReferences", {})
                    for ast_id, places in refs.items():
                        if int(ast_id) in names:
                            found["value"][names[int(ast_id)]] = [(p["start"], p["length"]) for p in places]
        return found["value"]

    return offsets


def _immutable_names(output: dict) -> dict[int, str]:
    """AST id -> name of every immutable state variable in a build."""
    names: dict[int, str] = {}
    stack = [source.get("ast") for source in output.get("sources", {}).values()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("nodeType") == "VariableDeclaration" and node.get("mutability") == "immutable":
                names[node["id"]] = node["name"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return names


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
