"""Project configuration: what `setup.cfg [inspector]` or `inspector.toml` may set, with the
defaults a scan uses when neither exists. Command-line options win over the file."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Council:
    """What the chain cannot say about a multisig that claims to be a security council:
    how many of its signers are outsiders (not the team) and whether the signers are public.
    Without this input the stricter answer is given (not a qualifying council)."""

    address: str
    outsiders: int = 0
    public: bool = False


@dataclass(frozen=True)
class ScoreSettings:
    """Thresholds of the score model (docs/scoring.md gives their sources)."""

    stage1_exit_window_days: float = 7.0  # L2BEAT / DeFiScan stage 1
    stage2_exit_window_days: float = 30.0  # L2BEAT / DeFiScan stage 2 (with on-chain governance)
    council_min_members: int = 8  # L2BEAT: >= 8 members (DeFiScan: >= 7)
    council_min_threshold: float = 0.75  # L2BEAT: >= 75% (DeFiScan: >= 51%)
    council_min_outsiders: float = 0.5  # DeFiScan: >= 50% non-insiders
    councils: tuple[Council, ...] = ()


@dataclass(frozen=True)
class Thresholds:
    """Thresholds rules compare against."""

    timelock_min_delay_hours: float = 48.0
    multisig_min_threshold: int = 2
    multisig_min_owners: int = 3


@dataclass(frozen=True)
class Config:
    enabled_rules: tuple[str, ...] = ()  # empty: every rule
    disabled_rules: tuple[str, ...] = ()
    severity_overrides: dict[str, str] = field(default_factory=dict)  # rule id -> severity name
    thresholds: Thresholds = field(default_factory=Thresholds)
    score: ScoreSettings = field(default_factory=ScoreSettings)
    source: str = ""  # the file it was read from, for messages
