"""Where a contract's immutables sit in its runtime code: a guard that names an immutable
without a getter is read from the deployed code there."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Callable

from inspector.compile.solc import compile_bundle
from inspector.sources.model import SourceBundle
from inspector.store import Store
from inspector.userfile import loads_json

_OUTPUTS = ("evm.deployedBytecode.immutableReferences",)


def immutables_of(bundles: tuple[SourceBundle, ...], name: str, store: Store) -> Callable[[], dict]:
    """Contract `name`'s immutables by variable name -> [(start, length)]. Asked only when a
    guard needs one: it costs a compile with code generation for that one contract (not the
    whole unit: a large project's codegen is most of a cold scan), cached like any build; the
    offsets found are kept in the store too, so a warm scan reads neither the build nor its ASTs."""
    found: dict = {}

    def offsets() -> dict[str, list[tuple[int, int]]]:
        if "value" not in found:
            found["value"] = {}
            for bundle in bundles:
                narrowed = replace(bundle, outputs=_OUTPUTS, output_contracts=tuple((unit, name) for unit in bundle.targets))
                found["value"].update(_offsets(narrowed, bundle, name, store))
        return found["value"]

    return offsets


def _offsets(bundle: SourceBundle, unnarrowed: SourceBundle, name: str, store: Store) -> dict[str, list[tuple[int, int]]]:
    key = "immutables:" + hashlib.sha256(f"{bundle.key()}\0{name}".encode()).hexdigest()
    kept = _read(store.get_facts(key))
    if kept is not None:
        return kept
    build = compile_bundle(bundle, store)
    # AST ids are the same in every compile of the same sources: the names come from the
    # analysed build (in the store already), which has every file's AST
    names = _immutable_names(compile_bundle(unnarrowed, store).output)
    value: dict[str, list[tuple[int, int]]] = {}
    for contracts in build.output.get("contracts", {}).values():
        refs = contracts.get(name, {}).get("evm", {}).get("deployedBytecode", {}).get("immutableReferences", {})
        for ast_id, places in refs.items():
            if int(ast_id) in names:
                value[names[int(ast_id)]] = [(p["start"], p["length"]) for p in places]
    store.put_facts(key, json.dumps(value))
    return value


def _read(text: str | None) -> dict[str, list[tuple[int, int]]] | None:
    """Stored offsets, or None for an entry inspector did not write (made again)."""
    if text is None:
        return None
    try:
        data = loads_json(text)
        return {str(k): [(int(s), int(n)) for s, n in v] for k, v in data.items()}
    except (ValueError, TypeError, AttributeError):
        return None


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
