"""Where inspector keeps what it downloads and caches, per user."""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """INSPECTOR_CACHE_DIR, else $XDG_CACHE_HOME/inspector, else ~/.cache/inspector."""
    explicit = os.environ.get("INSPECTOR_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "inspector"


def offline() -> bool:
    """INSPECTOR_OFFLINE=1 skips every route that would reach beyond the package registries."""
    return os.environ.get("INSPECTOR_OFFLINE", "").lower() in {"1", "true", "yes"}
