"""Which contract of a local project (`--project`) deployed code is: the project compiled
with runtime bytecode, each contract known by the CBOR metadata solc appends to it (a hash
of the sources and settings that immutables never touch)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from inspector.compile.solc import compile_bundle
from inspector.options import SourceOptions
from inspector.sources.collect import plan_bundles
from inspector.sources.model import SourceBundle
from inspector.sources.pragma import known_releases
from inspector.sources.project import load_project
from inspector.store import Store

_BYTECODE = ("abi", "evm.deployedBytecode.object")


def metadata_suffix(code: bytes) -> bytes:
    """The CBOR metadata solc appends to runtime code (its last two bytes give its length)."""
    if len(code) < 2:
        return b""
    length = int.from_bytes(code[-2:], "big")
    return code[-(length + 2):] if 0 < length < len(code) else b""


class ProjectIndex:
    """The local project's contracts by the metadata suffix of their runtime code, compiled
    once, when first asked."""

    def __init__(self, options: SourceOptions, store: Store, cwd: Path) -> None:
        self.options, self.store, self.cwd = options, store, cwd
        self._index: dict[bytes, SourceBundle] | None = None

    def match(self, code: bytes) -> SourceBundle | None:
        """The unit (narrowed to the one contract) whose runtime code is `code`."""
        if self._index is None:
            self._index = {}
            options = self.options
            project = load_project(options.project, self.cwd, options.remaps)
            for bundle in plan_bundles(project, known_releases(), options.settings, options.solc_version):
                bundle = replace(bundle, outputs=_BYTECODE)
                build = compile_bundle(bundle, self.store)
                for unit, contracts in build.output.get("contracts", {}).items():
                    for name, info in contracts.items():
                        suffix = metadata_suffix(bytes.fromhex(info.get("evm", {}).get("deployedBytecode", {}).get("object", "")))
                        if suffix:
                            self._index[suffix] = replace(bundle, targets=(unit,), contracts=(name,))
        return self._index.get(metadata_suffix(code))
