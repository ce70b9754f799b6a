"""Shared test set-up.

Every test runs offline (INSPECTOR_OFFLINE=1: no py-solc-x download attempt; network
only to 127.0.0.1). Compilers installed from npm and the build store are shared by the whole
session in one folder; each test that cares about the build cache (or the explorer answers
the store keeps) gets a fresh store beside the shared compilers.

The suite runs on every core (setup.cfg: pytest-xdist, `-n auto --dist loadgroup`; `-n 0`
runs it in one process). Workers share that folder: the store is SQLite in WAL mode, and
compilers are installed by renaming a finished folder into place. Tests that share a
module-scoped fixture (a local chain, a corpus scan) run on one worker, so it is made once.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures" / "contracts"
EXAMPLE = REPO / "examples" / "token-launch"
REAL = REPO / "fixtures" / "real"
DEPLOYED = REPO / "examples" / "deployed-system"
CORPUS = REPO / "fixtures" / "corpus"
NPM_PROJECTS = (EXAMPLE, DEPLOYED, REPO / "examples" / "survey", FIXTURES / "hardhat-oz4", REAL / "oz5-system", REAL / "oz3", CORPUS)
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


@contextmanager
def exclusive(lock: Path):
    """Held by one process at a time (xdist workers, two runs): for set-up a second process must not redo half-way."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session", autouse=True)
def _environment():
    SHARED_CACHE.mkdir(parents=True, exist_ok=True)
    os.environ["INSPECTOR_OFFLINE"] = "1"
    os.environ["INSPECTOR_CACHE_DIR"] = str(SHARED_CACHE)
    with exclusive(SHARED_CACHE / "npm-install.lock"):  # one worker installs, the others find it done
        for project in NPM_PROJECTS:
            _npm_install(project)
    yield


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks
def pytest_collection_modifyitems(items):
    """Tests that share a module-scoped fixture (one per parameter) form one xdist group: under
    `--dist loadgroup` they run on one worker, which makes the fixture once."""
    for item in items:
        for name in shared_fixtures(item):
            item.add_marker(pytest.mark.xdist_group(name))


def shared_fixtures(item) -> list[str]:
    """`module.fixture` (`(parameter)` when parametrized) for each module- or class-scoped fixture
    the test uses. No `]` in a group name: xdist reads a node id ending in `]` as having no group."""
    params = getattr(item, "callspec", None)
    params = params.params if params else {}
    shared = []
    for name, definitions in item._fixtureinfo.name2fixturedefs.items():
        if definitions[-1].scope in ("module", "class", "package"):
            parameter = f"({str(params[name]).translate(str.maketrans('[]', '()'))})" if name in params else ""
            shared.append(f"{item.module.__name__}.{name}{parameter}")
    return sorted(shared)


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
