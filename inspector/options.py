"""What the command line asks of a scan, as one typed value: compiler settings for the
compile stage, where deployed sources and chain state come from, how far holders are
followed, and the project's configuration. Made by the command line before anything of the
analysis stack is imported; read by the pipeline (scan.py) and by deployed.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from inspector.config import Config
from inspector.sources.model import CompilerSettings
from inspector.sources.pragma import Version


@dataclass(frozen=True)
class ScanOptions:
    settings: CompilerSettings = field(default_factory=CompilerSettings)
    remaps: tuple[str, ...] = ()
    solc_version: Version | None = None
    slither_detectors: bool = False
    explorer: str = "auto"  # auto | etherscan | sourcify
    etherscan_url: str | None = None
    sourcify_url: str | None = None
    refresh: bool = False  # ask explorers and the chain again, and analyse again, even when the store has the answer
    rpc: str | None = None  # JSON-RPC URL for chain targets (else INSPECTOR_RPC_<CHAIN>)
    block: int | None = None  # pin every chain read to this block
    depth: int = 5  # how far holders are followed
    holders: bool = False  # measure holder concentration of token targets
    project: Path | None = None  # match deployed code to this local project instead of asking explorers
    from_block: int | None = None  # where Transfer logs are replayed from (default: the token's deployment block)
    config: Config = field(default_factory=Config)  # the project's configuration file, merged with the command line
    baseline: frozenset[str] | None = None  # ids of accepted findings (--baseline)
