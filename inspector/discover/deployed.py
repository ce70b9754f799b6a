"""Deployed targets: which sources an address needs (its verified source or the local
project's matching contract, the implementation behind a proxy, a beacon), and where each
contract's state lives on chain. The orchestration between sources, build and chain that
a `CHAIN:0xADDRESS` target needs, kept out of the scan pipeline itself."""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from inspector import net
from inspector.compile.solc import build_key, compile_bundle
from inspector.chain.edges import Edge
from inspector.chain.probes import beacon, detect_proxy
from inspector.chains import rpc_from_environment
from inspector.errors import ChainError, SourceError
from inspector.options import ScanOptions
from inspector.sources.collect import plan_bundles
from inspector.sources.explorer import NotVerified, fetch_source
from inspector.sources.model import SourceBundle
from inspector.sources.pragma import known_releases
from inspector.sources.project import load_project
from inspector.sources.verified import bundle_from_verified
from inspector.store import Store
from inspector.targets import ChainTarget

if TYPE_CHECKING:  # web3, which the reader runs on, is imported only when a chain is read
    from inspector.chain.rpc import ChainReader


@dataclass(frozen=True)
class Group:
    """Compilation units analysed together, and, for a deployed contract, where each
    contract's state lives on chain: (contract name, state address, code address, via)."""

    bundles: tuple[SourceBundle, ...]
    bindings: tuple[tuple[str, str, str, str], ...] = ()
    chain_id: int | None = None
    links: tuple[Edge, ...] = ()  # control edges the chain shows directly
    targets: tuple[str, ...] = ()  # the chain targets it was made for: skipped when it fails to build


def open_reader(target: ChainTarget, options: ScanOptions, store: Store) -> ChainReader | None:
    """A reader of the target's chain, from --rpc or INSPECTOR_RPC_<CHAIN>; None without one."""
    url = options.rpc or rpc_from_environment(target.chain)
    if url is None:
        return None
    from inspector.chain.rpc import ChainReader

    return ChainReader(url, target.chain, store, options.block, options.refresh)


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
        project = load_project(options.project, cwd, options.remaps)
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
    # one deadline for every explorer read of the scan, however many targets it has
    scan = cache if cache is not None else {}
    deadline = scan.setdefault("explorer_deadline", time.monotonic() + net.setting("INSPECTOR_EXPLORER_DEADLINE", 900.0))
    source = fetch_source(target.chain, address, store, options.explorer, options.etherscan_url, options.sourcify_url, options.refresh,
                          deadline=deadline)
    return bundle_from_verified(source)


def chain_groups(target: ChainTarget, options: ScanOptions, store: Store, reader: ChainReader | None, cwd: Path = Path("."),
                  cache: dict | None = None) -> list[Group]:
    """A deployed contract: its verified source, and with a reader of its chain (None
    without an RPC), the implementation(s) behind it, detected from chain state, each
    analysed with the proxy's state."""
    if reader is not None and not reader.code(target.address):
        raise ChainError(f"no code at {target.address} on {target.chain} (block {reader.block})", "check the address and chain")
    cache = cache if cache is not None else {}
    proxy = detect_proxy(reader, target.address) if reader is not None else None
    try:
        bundle = _fetch(target, target.address, options, store, reader, cwd, cache)
        groups = [Group((bundle,), tuple((name, target.address, target.address, "") for name in bundle.contracts), target.chain.chain_id)]
    except (NotVerified, SourceError):
        if proxy is None:
            raise
        groups = []  # an unverified proxy (an EIP-1167 clone is never verified): its implementation still is
    if proxy is not None:
        via = f"{proxy.kind} proxy"
        for implementation in proxy.implementations:
            implementation_bundle = _fetch(target, implementation, options, store, reader, cwd, cache)
            groups.append(Group((implementation_bundle,), tuple((name, target.address, implementation, via)
                                                                for name in implementation_bundle.contracts), target.chain.chain_id))
        if proxy.beacon:
            # the beacon holds the upgrade power over every proxy that follows it
            beacon_bundle = _fetch(target, proxy.beacon, options, store, reader, cwd, cache)
            groups.append(Group((beacon_bundle,), tuple((name, proxy.beacon, proxy.beacon, "") for name in beacon_bundle.contracts),
                                target.chain.chain_id, (beacon.link(proxy, target.address, target.chain.chain_id),)))
    return groups


def merge_groups(groups: list[Group]) -> list[Group]:
    """Groups of one unit with the same standard-JSON input (several addresses verified from
    one project, or matched to one --project) are analysed once: one Slither load for all."""
    at: dict[str, int] = {}  # key -> where in `out` the group the others join is
    out: list[Group] = []
    for group in groups:
        if len(group.bundles) != 1:
            out.append(group)
            continue
        # per chain: a binding's state is read on its group's chain
        key = f"{group.chain_id}:{build_key(group.bundles[0])}"
        if key not in at:
            at[key] = len(out)
            out.append(group)
            continue
        into, (first,), (other,) = out[at[key]], out[at[key]].bundles, group.bundles
        bundle = replace(first, targets=tuple(dict.fromkeys(first.targets + other.targets)),
                         contracts=tuple(dict.fromkeys(first.contracts + other.contracts)))
        bindings = list(into.bindings)
        for binding in group.bindings:
            if binding not in bindings:
                bindings.append(binding)
        out[at[key]] = replace(into, bundles=(bundle,), bindings=tuple(bindings), links=into.links + group.links,
                               targets=tuple(dict.fromkeys(into.targets + group.targets)))
    return out


def immutables_of(bundles: tuple[SourceBundle, ...], name: str, store: Store) -> Callable[[], dict]:
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


