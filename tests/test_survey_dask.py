"""inspector survey for real: systems deployed on anvil (examples/deployed-system), scanned on
a local Dask cluster of 2 worker processes, then on a `dask scheduler` + `dask worker`
started here. Every scorecard row must be what `inspector scan` says of that system alone;
a system that fails is a row with its error; a second run scans nothing."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspector.survey.model import COLUMNS
from inspector.survey.scorecard import csv_text, row_from_report
from inspector.survey.systems import parse_systems

REPO = Path(__file__).resolve().parent.parent
DEPLOYED = REPO / "examples" / "deployed-system"
sys.path.insert(0, str(DEPLOYED))
from devnet import EVM_VERSION, Devnet, deploy  # noqa: E402

SYSTEMS = {  # system -> labels of deploy()
    "eoa-mint": ("mintable_token",),
    "safe-proxied": ("proxied_token", "proxy_admin", "safe"),
    "dao": ("dao_token", "timelock", "governor"),
    "renounced": ("renounced_token",),
}
NO_CODE = "0x000000000000000000000000000000000000dEaD"


@pytest.fixture(scope="module")
def chain():
    with Devnet() as devnet:
        yield devnet.url, deploy(devnet.url)


def systems_csv(tmp_path: Path, addresses: dict) -> Path:
    rows = [(name, f"anvil:{addresses[label]}") for name, labels in SYSTEMS.items() for label in labels]
    rows.insert(2, ("nothing-there", f"anvil:{NO_CODE}"))  # fails: no contract at that address
    path = tmp_path / "SYSTEMS.csv"
    path.write_text("system,target\n" + "".join(f"{s},{t}\n" for s, t in rows))
    return path


def scan_options(url: str) -> list[str]:
    return ["--rpc", url, "--project", str(DEPLOYED), "--optimize", "--evm-version", EVM_VERSION]


def inspector(*args, timeout=900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "inspector", *map(str, args)], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def read_scorecard(out: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((out / "scorecard.csv").read_text())))


def test_a_survey_on_two_local_workers_says_what_each_scan_says_alone(chain, tmp_path):
    url, addresses = chain
    systems_file = systems_csv(tmp_path, addresses)
    out = tmp_path / "survey"
    done = inspector("survey", systems_file, "--out", out, "--workers", 2, *scan_options(url))
    assert done.returncode == 1, done.stderr  # one system failed
    assert "survey: 5 systems, 0 already in" in done.stderr and "on a local Dask cluster of 2 workers" in done.stderr
    assert done.stdout.splitlines()[0] == "5 systems: 5 scanned now, 0 from earlier runs, 1 failed"
    rows = read_scorecard(out)
    assert [r["system"] for r in rows] == ["eoa-mint", "safe-proxied", "nothing-there", "dao", "renounced"]
    assert list(rows[0]) == list(COLUMNS)

    failed = rows[2]
    assert re.fullmatch(rf"no code at {NO_CODE} on anvil \(block \d+\) \(check the address and chain\)", failed["error"])
    assert failed["score"] == failed["report"] == failed["analysed"] == ""
    assert json.loads((out / "errors" / "nothing-there.json").read_text())["error"] == failed["error"]

    systems = {s.name: s for s in parse_systems(systems_file.read_text(), "SYSTEMS.csv", REPO)}
    for name, labels in SYSTEMS.items():
        alone = inspector("scan", *[f"anvil:{addresses[label]}" for label in labels], *scan_options(url), "--format", "json",
                          "--fail-on", "none")
        assert alone.returncode == 0, alone.stderr
        report = json.loads(alone.stdout)
        surveyed = json.loads((out / "reports" / f"{name}.json").read_text())
        assert surveyed["score"] == report["score"] and surveyed["findings"] == report["findings"], name
        assert surveyed["control_graph"] == report["control_graph"], name
        expected = next(csv.DictReader(io.StringIO(csv_text([row_from_report(systems[name], report)]))))
        assert rows[[r["system"] for r in rows].index(name)] == expected, name

    by_name = {r["system"]: r for r in rows}
    assert by_name["eoa-mint"]["strongest_power"] == "MintableToken.mint"
    assert by_name["eoa-mint"]["strongest_power_key"] == f"eoa {addresses['holder']}"
    assert by_name["eoa-mint"]["chain"] == "anvil" and by_name["eoa-mint"]["complete"] == "true"
    assert (by_name["safe-proxied"]["strongest_power"], by_name["safe-proxied"]["strongest_power_key"]) == (
        "ProxiedToken.mint", f"eoa {addresses['deployer']}")  # the deployer kept the token's mint; the Safe upgrades
    keys = {d["power"]: d["key"] for d in json.loads((out / "reports" / "safe-proxied.json").read_text())["score"]["deductions"]}
    assert keys["ProxyAdmin.upgrade"] == f"multisig 2-of-3 {addresses['safe']}"
    assert by_name["renounced"]["strongest_power"] == ""  # nobody holds its powers
    assert float(by_name["renounced"]["score"]) > float(by_name["eoa-mint"]["score"])

    import pyarrow.parquet as pq

    table = pq.read_table(out / "scorecard.parquet").to_pylist()
    assert [t["system"] for t in table] == [r["system"] for r in rows]
    assert table[0]["score"] == float(rows[0]["score"]) and table[2]["score"] is None
    page = (out / "index.html").read_text()
    assert page.count('href="reports/') == 4 and "nothing-there" in page

    # the same command again: nothing is scanned, the scorecard is the same
    before = {p.name: p.stat().st_mtime_ns for p in (out / "reports").iterdir()}
    again = inspector("survey", systems_file, "--out", out, "--workers", 2, *scan_options(url))
    assert again.returncode == 1
    assert again.stderr.splitlines()[0] == f"survey: all 5 systems already in {out} (--refresh scans them again)"
    assert again.stdout.splitlines()[0] == "5 systems: 0 scanned now, 5 from earlier runs, 1 failed"
    assert {p.name: p.stat().st_mtime_ns for p in (out / "reports").iterdir()} == before
    assert read_scorecard(out) == rows

    # on an existing cluster: a scheduler and a worker started here, by their PIDs
    started = []
    port = _free_port()
    try:
        started.append(subprocess.Popen([str(Path(sys.executable).parent / "dask"), "scheduler", "--host", "127.0.0.1", "--port",
                                         str(port), "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        address = f"tcp://127.0.0.1:{port}"
        _wait_for_port(port)
        started.append(subprocess.Popen([str(Path(sys.executable).parent / "dask"), "worker", address, "--nthreads", "1",
                                         "--nworkers", "2", "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env={**os.environ}))
        elsewhere = tmp_path / "on-scheduler"
        remote = inspector("survey", systems_file, "--out", elsewhere, "--scheduler", address, *scan_options(url))
        assert remote.returncode == 1, remote.stderr
        assert f"5 to scan on the Dask scheduler at {address}" in remote.stderr
        assert read_scorecard(elsewhere) == rows
    finally:
        for process in reversed(started):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_scheduler_with_no_workers_is_one_line_not_a_hang(tmp_path, monkeypatch):
    from inspector.errors import ConfigError
    from inspector.survey import engine

    port = _free_port()
    scheduler = subprocess.Popen([str(Path(sys.executable).parent / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port)
        monkeypatch.setattr(engine, "WORKERS_WAIT", 1.0)
        with pytest.raises(ConfigError) as refused:
            with engine.DaskEngine(scheduler=f"tcp://127.0.0.1:{port}"):
                pass
        assert refused.value.cause == f"no worker joined the Dask scheduler at tcp://127.0.0.1:{port} within 1 s"
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=20)


def test_no_scheduler_there_is_one_line(tmp_path):
    port = _free_port()
    (tmp_path / "s.csv").write_text(f"system,target\na,anvil:{NO_CODE}\n")
    done = inspector("survey", tmp_path / "s.csv", "--out", tmp_path / "out", "--scheduler", f"tcp://127.0.0.1:{port}", timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: ")
    assert len(done.stderr.splitlines()) == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port} after 60 s")
