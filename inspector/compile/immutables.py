"""Where a contract's immutables sit in its runtime code: a guard that names an immutable
without a getter is read from the deployed code there."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from inspector.compile.solc import compile_bundle
from inspector.sources.model import SourceBundle
from inspector.store import Store


def immutables_of(bundles: tuple[SourceBundle, ...], name: str, store: Store) -> Callable[[], dict]:
    """Contract `name`'s immutables by variable name -> [(start, length)]. Asked only when a
    guard needs one: it costs a compile with code generation (cached like any build)."""
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
