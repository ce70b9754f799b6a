"""Benchmark: a scan of all of OpenZeppelin Contracts 5 cold, warm from the build cache only,
and warm from the facts cache.

    .venv/bin/python bench/warm_scan.py [--repeat N]

Each scan is `inspector scan node_modules/@openzeppelin/contracts` in fixtures/real/oz5-system,
in a child process, so interpreter start-up and imports count:
  cold        - a cache folder holding only the compilers (shared with the tests by a link):
                solc compiles, Slither parses, facts are extracted
  build cache - the builds are in the store, the facts are not (their rows are deleted
                before each run): no compilation, but Slither loads the ASTs again
  facts cache - unchanged sources scanned again: the facts come from the store, and Slither
                is neither loaded nor imported
Wall time and CPU time (user + system of the child) are shown; on a shared machine the CPU
time is the steadier figure. The three reports must be equal but for the route each build
came by; nothing else is asserted: the figures go in notes, not in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT = REPO / "fixtures" / "real" / "oz5-system"
TARGET = "node_modules/@openzeppelin/contracts"
COMPILERS = Path(os.environ.get("INSPECTOR_TEST_CACHE", REPO / ".cache" / "test")) / "solcjs"


def compilers_only(cache: Path) -> dict:
    """The environment of a scan whose cache folder (made here) holds only the compilers, linked
    from the tests' shared cache: cold but for provisioning solc; offline, the chain on 127.0.0.1."""
    cache.mkdir()
    (cache / "solcjs").symlink_to(COMPILERS)
    return {**os.environ, "INSPECTOR_CACHE_DIR": str(cache), "INSPECTOR_OFFLINE": "1", "NO_PROXY": "127.0.0.1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, dict]:
    """Wall seconds, CPU seconds of the child, and its JSON report."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(done.stdout)


def forget_facts(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM facts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each warm scan (the median is shown)")
    args = parser.parse_args()
    version = json.loads((PROJECT / TARGET / "package.json").read_text())["version"]
    if not version.startswith("5."):
        sys.exit(f"{PROJECT / TARGET} is OpenZeppelin Contracts {version}, not 5.x")
    COMPILERS.mkdir(parents=True, exist_ok=True)
    inspector = [sys.executable, "-m", "inspector", "scan", TARGET, "--format", "json", "--fail-on", "none"]

    with tempfile.TemporaryDirectory(prefix="inspector-warm-") as tmp:
        cache = Path(tmp) / "cache"
        env = compilers_only(cache)
        cold = timed(inspector, PROJECT, env)
        build_runs = []
        for _ in range(args.repeat):
            forget_facts(cache / "inspector.db")
            build_runs.append(timed(inspector, PROJECT, env))
        facts_runs = [timed(inspector, PROJECT, env) for _ in range(args.repeat)]

    reports = [run[2] for run in [cold, *build_runs, *facts_runs]]
    for report in reports:
        report.pop("compilation")  # the route each build came by: a compiler, then the cache
    rows = [("cold", cold[0], cold[1]),
            ("warm, build cache", statistics.median(r[0] for r in build_runs), statistics.median(r[1] for r in build_runs)),
            ("warm, facts cache", statistics.median(r[0] for r in facts_runs), statistics.median(r[1] for r in facts_runs))]
    contracts = len(reports[0]["facts"]["contracts"])
    print(f"inspector scan {TARGET} (OpenZeppelin Contracts {version}, {contracts} contracts reported)")
    print(f"{'scan':<20} {'wall':>8} {'cpu':>8} {'wall/cold':>10} {'cpu/cold':>9}")
    for label, wall, cpu in rows:
        print(f"{label:<20} {wall:>7.2f}s {cpu:>7.2f}s {wall / cold[0]:>9.3f}x {cpu / cold[1]:>8.3f}x")
    print(f"reports equal (but for the build routes): {'yes' if all(r == reports[0] for r in reports) else 'NO'}")
    print(f"warm re-scan from the facts cache: {rows[2][1]:.2f} s wall, {rows[2][2]:.2f} s CPU "
          f"({rows[2][2] / cold[1]:.3f}x the cold scan's CPU time); median of {args.repeat}")


if __name__ == "__main__":
    main()
