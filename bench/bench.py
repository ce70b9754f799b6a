"""Benchmark: inspector cold and warm against a bare Slither load of the same sources.

    .venv/bin/python bench/bench.py [--repeat N]

For each bundled project it times, in child processes so that interpreter start-up and
imports count on both sides:
  cold  - `inspector scan` with an empty cache (no compilers, no builds): includes npm installs
  warm  - the same scan again: the build cache answers, nothing is compiled
  slither - `Slither(SolcStandardJson(...), solc=<launcher>)` on the same standard-JSON input
            with the same compiler: compile + parse, which is what a bare Slither load costs
and prints the ratios. Nothing is asserted: the figures go in notes, not in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECTS = [
    ("example (OZ 5, Hardhat)", REPO / "examples" / "token-launch", "."),
    ("hardhat-oz4", REPO / "fixtures" / "contracts" / "hardhat-oz4", "."),
    ("foundry-project", REPO / "fixtures" / "contracts" / "foundry-project", "."),
    ("solc-versions (5 units)", REPO / "fixtures" / "contracts" / "solc-versions", "."),
    ("real OZ 5 DAO + proxies", REPO / "fixtures" / "real" / "oz5-system", "."),
]

BARE_SLITHER = r"""
import json, sys
from pathlib import Path
from crytic_compile import CryticCompile
from crytic_compile.platform.solc_standard_json import SolcStandardJson
from slither import Slither
import os
for item in json.loads(sys.argv[1]):
    platform = SolcStandardJson(json.loads(Path(item["input"]).read_text()))
    Slither(CryticCompile(platform, solc=item["solc"], solc_working_dir=item["root"]))
sys.stdout.flush()
os._exit(0)
"""


def timed(cmd: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{done.stderr}")
    return elapsed


def bare_inputs(folder: Path, target: str, work: Path) -> list[dict]:
    """The standard-JSON inputs inspector compiles for this project, and their compilers."""
    from inspector.compile.compilers import find_compiler
    from inspector.sources.collect import plan_bundles
    from inspector.sources.model import CompilerSettings
    from inspector.sources.pragma import known_releases
    from inspector.sources.project import load_project

    items = []
    project = load_project(Path(target), folder)
    for index, bundle in enumerate(plan_bundles(project, known_releases(), CompilerSettings())):
        path = work / f"{folder.name}-{index}.json"
        data = bundle.standard_json()
        data["settings"].pop("outputSelection")  # let crytic-compile ask for what it always asks
        path.write_text(json.dumps(data))
        items.append({"input": str(path), "solc": str(find_compiler(bundle.version).path), "root": str(bundle.root)})
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm and Slither runs per project (median is shown)")
    args = parser.parse_args()
    inspector = [sys.executable, "-m", "inspector", "scan", "--format", "json", "--fail-on", "none"]

    with tempfile.TemporaryDirectory(prefix="inspector-bench-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "INSPECTOR_CACHE_DIR": str(work / "cache"), "INSPECTOR_OFFLINE": "1"}
        os.environ.update(env)
        rows = []
        for label, folder, target in PROJECTS:
            shutil.rmtree(work / "cache", ignore_errors=True)  # cold: no compilers, no builds
            cold = timed([*inspector, target], folder, env)
            (work / "cache" / "inspector.db").unlink()  # cold build cache, compilers kept
            build_cold = timed([*inspector, target], folder, env)
            warm = statistics.median(timed([*inspector, target], folder, env) for _ in range(args.repeat))
            items = json.dumps(bare_inputs(folder, target, work))
            bare = statistics.median(
                timed([sys.executable, "-c", BARE_SLITHER, items], folder, env) for _ in range(args.repeat))
            rows.append((label, cold, build_cold, warm, bare))

    print(f"{'project':<26} {'cold':>7} {'no-build':>9} {'warm':>7} {'slither':>8} {'warm/slither':>13} {'no-build/slither':>17}")
    for label, cold, build_cold, warm, bare in rows:
        print(f"{label:<26} {cold:>6.2f}s {build_cold:>8.2f}s {warm:>6.2f}s {bare:>7.2f}s {warm / bare:>12.2f}x {build_cold / bare:>16.2f}x")
    print("cold: empty compiler and build caches (npm installs included); no-build: compilers present, "
          "build cache empty; warm: unchanged sources, served from the build cache (no compilation).")


if __name__ == "__main__":
    main()
