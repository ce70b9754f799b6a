"""Shared test set-up.

Every test runs offline (INSPECTOR_OFFLINE=1: no py-solc-x download attempt; network
only to 127.0.0.1). Compilers installed from npm are shared by the whole session in one
folder; each test that cares about the build cache gets a fresh store beside them.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures" / "contracts"
EXAMPLE = REPO / "examples" / "token-launch"
REAL = REPO / "fixtures" / "real"
DEPLOYED = REPO / "examples" / "deployed-system"
CORPUS = REPO / "fixtures" / "corpus"
NPM_PROJECTS = (EXAMPLE, DEPLOYED, FIXTURES / "hardhat-oz4", REAL / "oz5-system", REAL / "oz3", CORPUS)
# Compilers survive between runs here, so a second local run installs nothing.
SHARED_CACHE = Path(os.environ.get("INSPECTOR_TEST_CACHE", REPO / ".cache" / "test"))


def _npm_install(project: Path) -> None:
    import json

    wanted = json.loads((project / "package.json").read_text())["devDependencies"]
    if all((project / "node_modules" / name / "package.json").is_file() for name in wanted):
        return
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--legacy-peer-deps", "--ignore-scripts", "--loglevel=error"],
        cwd=project, check=True, capture_output=True, timeout=300,
    )


@pytest.fixture(scope="session", autouse=True)
def _environment():
    SHARED_CACHE.mkdir(parents=True, exist_ok=True)
    os.environ["INSPECTOR_OFFLINE"] = "1"
    os.environ["INSPECTOR_CACHE_DIR"] = str(SHARED_CACHE)
    for project in NPM_PROJECTS:
        _npm_install(project)
    yield


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch) -> Path:
    """A cache folder with an empty build store, sharing the session's compilers."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (SHARED_CACHE / "solcjs").mkdir(exist_ok=True)
    (cache / "solcjs").symlink_to(SHARED_CACHE / "solcjs")
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def run_cli(monkeypatch):
    """Run the CLI in-process from a working directory; returns (exit code, stdout, stderr)."""
    from inspector.cli import cli

    def run(args: list[str], cwd: Path = REPO) -> tuple[int, str, str]:
        monkeypatch.chdir(cwd)
        result = CliRunner(mix_stderr=False).invoke(cli, [str(a) for a in args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return run


@pytest.fixture
def run_process():
    """Run the installed CLI as a user would, in a child process."""

    def run(args: list[str], cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "inspector", *[str(a) for a in args]],
            cwd=cwd, capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})},
        )

    return run


def which_node_dirs() -> set[str]:
    """PATH folders that hold node or npm, to take them away in a test."""
    return {str(Path(p).parent) for p in (shutil.which("node"), shutil.which("npm")) if p}
