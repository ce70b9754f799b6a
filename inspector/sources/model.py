"""Typed values the sources stage hands to the build stage."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from inspector.sources.pragma import Version
from inspector.vocabulary import MatchKind


@dataclass(frozen=True)
class Remapping:
    """A solc import remapping `[context:]prefix=target`; target is a path relative to the base path, or absolute."""

    prefix: str
    target: str
    context: str = ""

    @classmethod
    def parse(cls, text: str) -> "Remapping":
        from inspector.errors import ConfigError

        head, sep, target = text.strip().partition("=")
        if not sep or not head or not target:
            raise ConfigError(f"bad remapping '{text}'", "write it as solc does: PREFIX=PATH or CONTEXT:PREFIX=PATH")
        context, colon, prefix = head.rpartition(":")
        if not colon:
            context, prefix = "", head
        return cls(prefix=prefix, target=target, context=context)

    def __str__(self) -> str:
        return f"{self.context + ':' if self.context else ''}{self.prefix}={self.target}"


@dataclass(frozen=True)
class CompilerSettings:
    """The solc settings that change what compiles; they are part of the build's cache key."""

    optimize: bool = False
    optimize_runs: int = 200
    evm_version: str | None = None
    via_ir: bool = False


@dataclass(frozen=True)
class SourceFile:
    """One source unit: the name solc knows it by, where it lives, and its text."""

    unit_name: str
    path: Path
    content: str
    pragmas: tuple[tuple[str, int], ...] = ()
    imports: tuple[str, ...] = ()  # unit names this file imports, resolved


@dataclass(frozen=True)
class SourceBundle:
    """One compilation unit: every source it needs, the compiler version and settings.

    `targets` are the unit names the user asked about; the rest are their imports.
    """

    root: Path
    files: tuple[SourceFile, ...]
    targets: tuple[str, ...]
    version: Version
    settings: CompilerSettings = field(default_factory=CompilerSettings)
    remappings: tuple[Remapping, ...] = ()
    contracts: tuple[str, ...] = ()  # the contracts to report (a verified address names one); empty: all
    # By default only the AST and ABI: Slither reads the AST, and asking for bytecode makes
    # solc run code generation, which is most of its time. Deploying and matching deployed
    # code ask for more.
    outputs: tuple[str, ...] = ("abi", "evm.methodIdentifiers")
    # the (unit, contract) pairs `outputs` are asked for, and no AST; empty: every contract, with
    # every file's AST. solc generates code for every contract a selection names, and a file's
    # AST ("" in its selection) names all of its contracts: so only without ASTs does one
    # contract's immutables cost one contract's code generation.
    output_contracts: tuple[tuple[str, str], ...] = ()

    def standard_json(self) -> dict:
        """The solc standard-JSON input for this unit."""
        settings: dict = {
            "remappings": sorted(str(r) for r in self.remappings),
            "outputSelection": self._selection(),
        }
        if self.settings.optimize:
            settings["optimizer"] = {"enabled": True, "runs": self.settings.optimize_runs}
        if self.settings.evm_version:
            settings["evmVersion"] = self.settings.evm_version
        if self.settings.via_ir:
            settings["viaIR"] = True
        return {
            "language": "Solidity",
            "sources": {f.unit_name: {"content": f.content} for f in sorted(self.files, key=lambda f: f.unit_name)},
            "settings": settings,
        }

    def _selection(self) -> dict:
        if not self.output_contracts:
            return {"*": {"*": list(self.outputs), "": ["ast"]}}
        selection: dict = {}
        for unit, contract in self.output_contracts:
            selection.setdefault(unit, {})[contract] = list(self.outputs)
        return selection

    def key(self) -> str:
        """What identifies the unit: its standard-JSON input and compiler version, hashed (the
        build cache keys builds by it; units with one key are one unit)."""
        payload = json.dumps({"input": self.standard_json(), "solc": str(self.version)}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class CodeMatch:
    """How the code at one address a chain target runs was tied to the contract analysed for
    it: verified on an explorer, matched to a local project fully or partially, or read from
    the bytecode alone. `detail` says from what (the build-info file, the compiler version)."""

    target: str  # the chain target, as the command line named it
    address: str  # where the code is
    via: str  # "" for the target's own code, else how the target reaches it ("EIP-1967 proxy")
    contract: str  # the contract it was matched to ("" when none)
    match: MatchKind
    detail: str = ""


@dataclass(frozen=True)
class Bytecode:
    """Deployed code no explorer verified: analysed from its bytecode alone (facts/bytecode.py)
    instead of compiled sources. `proxy`: the code of a proxy's own address, which adds
    nothing to a report when it shows no power (a minimal proxy, a clone)."""

    address: str
    code: bytes = field(repr=False)
    name: str  # the contract it is reported as
    proxy: bool = False


# weakest first: a target's match is the weakest of the codes it runs
MATCH_STRENGTH = (MatchKind.BYTECODE_ONLY, MatchKind.PARTIAL, MatchKind.FULL, MatchKind.VERIFIED, MatchKind.SOURCE)


def target_match(codes: "list[CodeMatch] | tuple[CodeMatch, ...]") -> MatchKind | None:
    """The weakest match of a target's codes (None when none was matched)."""
    kinds = {c.match for c in codes}
    return next((kind for kind in MATCH_STRENGTH if kind in kinds), None)
