"""Parse what the user typed into typed targets, once."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PathTarget:
    """A .sol file, a folder, or a Foundry/Hardhat project root."""

    path: Path

    def __str__(self) -> str:
        return str(self.path)


def parse_target(text: str) -> PathTarget:
    return PathTarget(Path(text))
