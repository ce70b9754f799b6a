"""What the command line asks of a scan, as one typed value: compiler settings for the
compile stage, where deployed sources and chain state come from, how far holders are
followed, and the project's configuration. Made by the command line before anything of the
analysis stack is imported; read by the pipeline (scan.py), each stage its own part."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from inspector.config import Config
from inspector.sources.model import CompilerSettings
from inspector.sources.pragma import Version


@dataclass(frozen=True)
class SourceOptions:
    """Where sources come from and how they compile (the sources and compile stages)."""

    settings: CompilerSettings = field(default_factory=CompilerSettings)
    remaps: tuple[str, ...] = ()
    solc_version: Version | None = None
    explorer: str = "auto"  # auto | etherscan | sourcify
    etherscan_url: str | None = None
    sourcify_url: str | None = None
    project: Path | None = None  # match deployed code to this local project instead of asking explorers
    # Which of `settings` the command line gave (optimize, optimize_runs, evm_version, via_ir):
    # they win over foundry.toml when --project code is compiled; None: all of them.
    settings_given: frozenset[str] | None = None


@dataclass(frozen=True)
class ChainOptions:
    """Where chain state comes from and how far it is read (the discover and chain-facts stages)."""

    rpc: str | None = None  # JSON-RPC URL for chain targets (else INSPECTOR_RPC_<CHAIN>)
    block: int | None = None  # pin every chain read to this block
    depth: int = 5  # how far holders are followed
    holders: bool = False  # measure holder concentration of token targets
    from_block: int | None = None  # where Transfer logs are replayed from (default: the token's deployment block)


@dataclass(frozen=True)
class ScanOptions:
    """Every stage's options: each stage reads its own part."""

    sources: SourceOptions = field(default_factory=SourceOptions)
    chain: ChainOptions = field(default_factory=ChainOptions)
    slither_detectors: bool = False  # the facts stage runs Slither's own detectors too
    config: Config = field(default_factory=Config)  # the rules': the project's configuration file, merged with the command line
    baseline: frozenset[str] | None = None  # the findings stage's: ids of accepted findings (--baseline)
    refresh: bool = False  # ask explorers and the chain again, and analyse again, even when the store has the answer
