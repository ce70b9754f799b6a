"""Benchmark: `inspector survey` of the example's systems (examples/survey/survey.py), with one
worker and with two, and how a system's cost grows with its number of targets.

    .venv/bin/python bench/survey.py [--copies N]

anvil is started and the example deployed N times (2 unless told; each copy at new addresses,
its systems named `<system>-<copy>`); deploying is not timed. Every survey is a child process
(`inspector survey SYSTEMS.csv --out DIR --rpc URL --holders --project examples/survey ...`)
with a cache folder of its own holding only the compilers (linked, as bench/devnet_scan.py
does), so no survey is answered by another's store:
  workers    - every system of every copy, with --workers 1 and --workers 2: systems per
               minute each, and the speed-up (the target is 1.7x or more on 2 cores)
  warm       - the same without the first system, after an untimed survey of it stored the
               project every system shares (its build and facts): every system's chain state is
               still read. The example's systems share one project, so a cold survey compiles and
               analyses it once before any system can go on, a serial head no worker count
               shortens (Amdahl); systems of distinct projects have none
  targets    - the governed systems of every copy with 4 targets (governor, votes, timelock,
               token), cut to their first 1, 2 and 4 targets, with --workers 1: seconds per system
A survey that exits 2, or a scorecard row with an error, is reported; nothing is asserted.
Wall and CPU time (the survey's and its Dask workers') are shown, and the load average before
each survey: the speed-up means something only on cores nobody else is using.
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "examples" / "survey"))
from survey import ACCOUNTS, GOVERNED, Devnet, deploy, survey_command, write_systems  # noqa: E402
from warm_scan import COMPILERS, compilers_only  # noqa: E402 (bench/ is the script's folder: on the path)


def run_survey(systems: dict[str, tuple[str, ...]], url: str, folder: Path, workers: int,
               warm_up: dict[str, tuple[str, ...]] | None = None) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds of the survey and its workers, exit code, scorecard rows with
    an error) of one survey of `systems` on a cache holding only the compilers, or, with
    `warm_up`, also what an untimed survey of those systems stored first (the shared project's
    build and facts)."""
    folder.mkdir()
    env = compilers_only(folder / "cache")
    if warm_up:
        write_systems(folder / "WARM-UP.csv", warm_up)
        subprocess.run(survey_command(folder / "WARM-UP.csv", folder / "warm-up", url, 1), cwd=REPO, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    write_systems(folder / "SYSTEMS.csv", systems)
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(survey_command(folder / "SYSTEMS.csv", folder / "out", url, workers), cwd=REPO, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if done.returncode == 2:
        print(f"survey refused its input: {done.stderr.strip()[-500:]}", file=sys.stderr)
        return wall, cpu, 2, len(systems)
    with (folder / "out" / "scorecard.csv").open(newline="") as rows:
        failed = sum(1 for row in csv.DictReader(rows) if row["error"])
    return wall, cpu, done.returncode, failed


def _process_cpu(pid: int) -> float:
    """CPU seconds a running process (anvil) has used so far, from /proc (0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2, help="times the example is deployed (default 2)")
    args = parser.parse_args()
    COMPILERS.mkdir(parents=True, exist_ok=True)
    with Devnet(accounts=ACCOUNTS) as devnet, tempfile.TemporaryDirectory(prefix="inspector-survey-") as tmp:
        copies = [deploy(devnet.url) for _ in range(args.copies)]
        systems = {f"{name}-{k}": targets for k, copy in enumerate(copies, 1) for name, targets in copy.items()}
        runs = iter(range(1_000))

        def survey(chosen: dict[str, tuple[str, ...]], workers: int, warm_up=None) -> tuple[float, float, int, int]:
            load, chain = os.getloadavg()[0], _process_cpu(devnet.process.pid)
            wall, cpu, code, failed = run_survey(chosen, devnet.url, Path(tmp) / f"run{next(runs)}", workers, warm_up)
            chain = _process_cpu(devnet.process.pid) - chain
            print(f"({len(chosen)} systems, --workers {workers}: {wall:.1f} s wall, {cpu:.1f} s CPU, anvil {chain:.1f} s CPU on the "
                  f"same cores, exit {code}, {failed} failed; load average {load:.1f} on {os.cpu_count()} cores before it)",
                  file=sys.stderr, flush=True)
            return wall, cpu, code, failed

        by_workers = {workers: survey(systems, workers) for workers in (1, 2)}
        first, *rest = systems
        others = {name: systems[name] for name in rest}
        warmed = {workers: survey(others, workers, {first: systems[first]}) for workers in (1, 2)}
        governed = {name: targets for name, targets in systems.items() if len(targets) == 4
                    and name.rsplit("-", 1)[0] in GOVERNED}
        by_targets = {count: survey({name: targets[:count] for name, targets in governed.items()}, 1) for count in (1, 2, 4)}

    targets = sum(map(len, systems.values()))
    print(f"survey of {len(systems)} systems ({targets} targets, {args.copies} copies of examples/survey), cold caches")
    print(f"{'workers':<8} {'wall':>8} {'cpu':>8} {'systems/min':>12} {'failed':>7}")
    for workers, (wall, cpu, _, failed) in by_workers.items():
        print(f"{workers:<8} {wall:>7.1f}s {cpu:>7.1f}s {len(systems) * 60 / wall:>12.2f} {failed:>7}")
    print(f"speed-up with 2 workers: {by_workers[1][0] / by_workers[2][0]:.2f}x (target: 1.7x)")
    print(f"\nthe other {len(others)} systems, after an untimed survey of {first} stored the shared project's build and facts")
    print(f"{'workers':<8} {'wall':>8} {'cpu':>8} {'systems/min':>12} {'failed':>7}")
    for workers, (wall, cpu, _, failed) in warmed.items():
        print(f"{workers:<8} {wall:>7.1f}s {cpu:>7.1f}s {len(others) * 60 / wall:>12.2f} {failed:>7}")
    print(f"speed-up with 2 workers: {warmed[1][0] / warmed[2][0]:.2f}x (target: 1.7x)")
    print(f"\n{len(governed)} governed systems cut to their first N targets, --workers 1")
    print(f"{'targets':<8} {'wall':>8} {'cpu':>8} {'s/system':>9} {'failed':>7}")
    for count, (wall, cpu, _, failed) in by_targets.items():
        print(f"{count:<8} {wall:>7.1f}s {cpu:>7.1f}s {wall / len(governed):>9.2f} {failed:>7}")


if __name__ == "__main__":
    main()
