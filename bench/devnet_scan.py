"""Benchmark: the demo's scan (`examples/deployed-system/devnet.py --scan`) of every system it
deploys, cold and warm, with where the cold scan's time goes.

    .venv/bin/python bench/devnet_scan.py [--repeat N] [--stages]

anvil is started and the system deployed once (not timed with the scans). Each scan is the
demo's `inspector scan anvil:0x... (all of SYSTEM_TARGETS) --project examples/deployed-system
--optimize --evm-version cancun --holders`, in a child process, so interpreter start-up and
imports count:
  cold  - a cache folder holding only the compilers (shared with the tests by a link): solc
          compiles the project for matching, Slither loads it, facts are extracted, the
          chain is read
  warm  - the same scan again on the same chain: builds, facts and chain reads (keyed by
          the block's hash) come from the store
With --stages, one more cold scan runs in-process with a timer around each stage (compiling,
loading into Slither, reading the chain, importing the chain reader) to say where the time goes.
Wall time and CPU time (user + system of the child) are shown; on a shared machine the CPU
time is the steadier figure. The report must name every target (each scanned address a node
of the control graph with the contract analysed there) and match each to the project, and
the warm report must equal the cold one but for the route each build came by; nothing else
is asserted: the figures go in notes, not in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "deployed-system"
sys.path.insert(0, str(DEMO))
from devnet import EVM_VERSION, SYSTEM_TARGETS, Devnet, deploy  # noqa: E402
from warm_scan import COMPILERS, compilers_only, timed  # noqa: E402 (bench/ is the script's folder: on the path)


def check_names(report: dict, addresses: dict[str, str]) -> list[str]:
    """What the report leaves out: a target not matched to the project, or not a named node."""
    missing = []
    matched = {t["target"] for t in report["targets"] if isinstance(t, dict) and t.get("codes")}
    nodes = {n["address"]: n for n in report["control_graph"]["nodes"]}
    for label in SYSTEM_TARGETS:
        address = addresses[label]
        node = nodes.get(address)
        if f"anvil:{address}" not in matched:
            missing.append(f"{label}: not matched to the project")
        if node is None or node["label"] in ("", node["kind"], "contract"):
            missing.append(f"{label}: no node naming it in the control graph")
    return missing


STAGE_SCRIPT = r"""
import sys, time, json
timings = {}
def timer(name, module, attribute):
    original = getattr(module, attribute)
    def wrapped(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - start
    setattr(module, attribute, wrapped)
start = time.perf_counter()
import inspector.chain.rpc as rpc  # the chain reader: JSON-RPC over requests, no web3
timings["importing the chain reader"] = time.perf_counter() - start
import inspector.compile.solc as solc, inspector.facts.slither_load as load, inspector.facts.extract as extract
import inspector.scan as scan, inspector.chain.names as names
timer("solc (compiling)", solc, "run_solc")
timer("Slither (loading the builds)", load, "load_slither")
timer("extracting facts from Slither", extract, "extract_facts")
timer("RPC requests (chain reads not in the store)", rpc.ChainReader, "_cached")
timer("naming reached contracts", names, "name_nodes")
from inspector.cli import cli
start = time.perf_counter()
try:
    cli.main(args=sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
finally:
    timings["whole scan (after the chain reader's import)"] = time.perf_counter() - start
    print(json.dumps(timings), file=sys.stderr, flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of the warm scan (the median is shown)")
    parser.add_argument("--stages", action="store_true", help="one more cold scan, in-process, timing each stage")
    args = parser.parse_args()
    COMPILERS.mkdir(parents=True, exist_ok=True)
    with Devnet() as devnet, tempfile.TemporaryDirectory(prefix="inspector-devnet-") as tmp:
        start = time.perf_counter()
        addresses = deploy(devnet.url)
        deployed = time.perf_counter() - start
        scan = ["scan", *(f"anvil:{addresses[label]}" for label in SYSTEM_TARGETS), "--rpc", devnet.url, "--project", str(DEMO),
                "--optimize", "--evm-version", EVM_VERSION, "--holders", "--format", "json", "--fail-on", "none"]
        caches = []

        def environment() -> dict:
            cache = Path(tmp) / f"cache{len(caches)}"
            caches.append(cache)
            return compilers_only(cache)

        env = environment()
        cold = timed([sys.executable, "-m", "inspector", *scan], REPO, env)
        print(f"(cold: {cold[0]:.2f} s wall, {cold[1]:.2f} s CPU)", file=sys.stderr, flush=True)
        warm_runs = []
        for _ in range(args.repeat):
            warm_runs.append(timed([sys.executable, "-m", "inspector", *scan], REPO, env))
            print(f"(warm: {warm_runs[-1][0]:.2f} s wall, {warm_runs[-1][1]:.2f} s CPU)", file=sys.stderr, flush=True)
        stages = None
        if args.stages:
            done = subprocess.run([sys.executable, "-c", STAGE_SCRIPT, *scan, "--output", os.devnull], cwd=REPO, env=environment(),
                                  capture_output=True, text=True)
            last = (done.stderr.strip().splitlines() or [""])[-1]
            stages = json.loads(last) if last.startswith("{") else None

    reports = [run[2] for run in [cold, *warm_runs]]
    for report in reports:
        report.pop("compilation")  # the route each build came by: a compiler, then the cache
    missing = check_names(reports[0], addresses)
    warm = (statistics.median(r[0] for r in warm_runs), statistics.median(r[1] for r in warm_runs))
    print(f"devnet.py --scan: {len(SYSTEM_TARGETS)} targets, {len(reports[0]['facts']['contracts'])} contracts analysed "
          f"(deploying took {deployed:.1f} s, not counted)")
    print(f"{'scan':<8} {'wall':>8} {'cpu':>8} {'wall/cold':>10} {'cpu/cold':>9}")
    for label, wall, cpu in (("cold", cold[0], cold[1]), ("warm", *warm)):
        print(f"{label:<8} {wall:>7.2f}s {cpu:>7.2f}s {wall / cold[0]:>9.3f}x {cpu / cold[1]:>8.3f}x")
    print(f"every target matched and named in the report: {'yes' if not missing else 'NO: ' + '; '.join(missing)}")
    print(f"warm reports equal the cold one (but for the build routes): {'yes' if all(r == reports[0] for r in reports) else 'NO'}")
    if stages is not None:
        print("where a cold scan's time goes (in-process, seconds; stages overlap the whole):")
        for name, seconds in sorted(stages.items(), key=lambda item: -item[1]):
            print(f"  {seconds:>7.2f}  {name}")
    elif args.stages:
        print("the timed cold scan failed")


if __name__ == "__main__":
    main()
