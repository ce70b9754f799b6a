"""Scanning a deployed address from its verified sources, through an explorer stub on
127.0.0.1 that answers in Etherscan v2's and Sourcify v2's formats, errors included."""
from __future__ import annotations

import json
import sqlite3
import time

import pytest

from conftest import FIXTURES
from explorer_stub import Contract, ExplorerStub

ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
OTHER = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
KEY = "stub-secret-key-0123456789"
COMPILER = "0.8.24+commit.e11b9ed9"
EXECUTOR = (FIXTURES / "offchain-admin-execute" / "positive" / "Executor.sol").read_text()
SWEEPER = (FIXTURES / "economic-sweep" / "positive" / "Sweeper.sol").read_text()


@pytest.fixture
def stub(monkeypatch, fresh_cache):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # a proxy in the environment must not see the stub's traffic
    with ExplorerStub(api_key=KEY) as explorer:
        monkeypatch.setenv("INSPECTOR_ETHERSCAN_URL", f"{explorer.url}/v2/api")
        monkeypatch.setenv("INSPECTOR_SOURCIFY_URL", f"{explorer.url}/server")
        monkeypatch.setenv("ETHERSCAN_API_KEY", KEY)
        monkeypatch.setattr("inspector.sources.explorer.BACKOFF", 0.01)
        yield explorer


def scan(run_cli, *args):
    code, out, err = run_cli(["scan", *args, "--format", "json", "--fail-on", "none"])
    return code, (json.loads(out) if out else None), err


def found(report):
    return sorted((f["rule"], f["contract"], f["function"], f["file"], f["line"], f["principal"]) for f in report["findings"])


@pytest.mark.parametrize("form", ["standard-json", "multi-file", "single-file"])
def test_every_etherscan_source_form_scans(run_cli, stub, form):
    unit = "Executor.sol" if form == "single-file" else "contracts/Executor.sol"
    stub.etherscan[(31337, ADDRESS.lower())] = Contract("Executor", COMPILER, {unit: EXECUTOR}, form=form)
    code, report, err = scan(run_cli, f"anvil:{ADDRESS}", "--rule", "offchain-admin-execute")
    assert code == 0, err
    assert report["targets"] == [{"target": f"anvil:{ADDRESS}", "match": "verified", "codes": [
        {"address": ADDRESS, "via": "", "contract": "Executor", "match": "verified", "detail": "etherscan"}]}]
    assert report["compilation"][0]["solc"] == "0.8.24"
    assert found(report) == [("offchain-admin-execute", "Executor", "execute(address,uint256,bytes)", unit, 8, "owner")]


def test_only_the_verified_contract_is_reported_from_a_multi_contract_file(run_cli, stub):
    sources = {"src/Mixed.sol": EXECUTOR + "\ncontract Bystander {\n    address public owner = msg.sender;\n"
               "    uint256 public x;\n    function set(uint256 v) external { require(msg.sender == owner); x = v; }\n}\n"}
    stub.etherscan[(31337, ADDRESS.lower())] = Contract("Executor", COMPILER, sources)
    _, report, _ = scan(run_cli, f"31337:{ADDRESS}")
    assert [c["name"] for c in report["facts"]["contracts"]] == ["Executor"]


def test_sourcify_without_a_key(run_cli, stub, monkeypatch):
    monkeypatch.delenv("ETHERSCAN_API_KEY")
    stub.sourcify[(31337, ADDRESS.lower())] = Contract("Sweeper", COMPILER, {"contracts/Sweeper.sol": SWEEPER}, target="contracts/Sweeper.sol")
    code, report, err = scan(run_cli, f"anvil:{ADDRESS}", "--rule", "economic-sweep")
    assert code == 0, err
    assert found(report) == [("economic-sweep", "Sweeper", "sweep(address)", "contracts/Sweeper.sol", 19, "owner")]
    assert stub.requests == [f"/server/v2/contract/31337/{ADDRESS}"]


def test_auto_falls_back_to_sourcify_when_etherscan_has_no_source(run_cli, stub):
    stub.sourcify[(31337, ADDRESS.lower())] = Contract("Sweeper", COMPILER, {"contracts/Sweeper.sol": SWEEPER}, target="contracts/Sweeper.sol")
    code, report, _ = scan(run_cli, f"anvil:{ADDRESS}", "--rule", "economic-sweep")
    assert code == 0 and len(report["findings"]) == 1
    assert stub.requests == ["/v2/api", f"/server/v2/contract/31337/{ADDRESS}"]


def test_second_scan_asks_no_explorer_and_compiles_nothing(run_cli, stub):
    stub.etherscan[(31337, ADDRESS.lower())] = Contract("Executor", COMPILER, {"contracts/Executor.sol": EXECUTOR})
    scan(run_cli, f"anvil:{ADDRESS}")
    asked = len(stub.requests)
    _, report, _ = scan(run_cli, f"anvil:{ADDRESS}")
    assert len(stub.requests) == asked == 1
    assert report["compilation"][0]["route"] == "cache"
    scan(run_cli, f"anvil:{ADDRESS}", "--refresh")
    assert len(stub.requests) == 2


def test_rate_limit_is_waited_out(run_cli, stub):
    stub.etherscan[(31337, ADDRESS.lower())] = Contract("Executor", COMPILER, {"contracts/Executor.sol": EXECUTOR})
    stub.rate_limited = 2
    code, report, err = scan(run_cli, f"anvil:{ADDRESS}")
    assert code == 0, err
    assert len(stub.requests) == 3


def test_html_error_pages_are_retried(run_cli, stub):
    stub.etherscan[(31337, ADDRESS.lower())] = Contract("Executor", COMPILER, {"contracts/Executor.sol": EXECUTOR})
    stub.broken = 1
    code, _, err = scan(run_cli, f"anvil:{ADDRESS}", "--explorer", "etherscan")
    assert code == 0, err


@pytest.mark.parametrize("setup, args, message", [
    (lambda s, m: None, ["--explorer", "etherscan"], f"{ADDRESS} is not verified on Etherscan (chain 31337)"),
    (lambda s, m: None, [], f"{ADDRESS} is not verified on Etherscan or Sourcify (chain 31337)"),
    (lambda s, m: m.setenv("ETHERSCAN_API_KEY", "wrong-key"), ["--explorer", "etherscan"], "Etherscan rejected the API key (Invalid API Key)"),
    (lambda s, m: m.delenv("ETHERSCAN_API_KEY"), ["--explorer", "etherscan"], "ETHERSCAN_API_KEY is not set"),
    (lambda s, m: setattr(s, "rate_limited", 99), ["--explorer", "etherscan"], "Etherscan rate limit reached and did not clear after retries"),
    (lambda s, m: setattr(s, "chains", (1,)), ["--explorer", "etherscan"], "Etherscan does not support chain 31337"),
    (lambda s, m: setattr(s, "chains", (1,)), ["--explorer", "sourcify"], "Sourcify does not support chain 31337"),
])
def test_explorer_errors_are_one_line_and_exit_2(run_cli, stub, monkeypatch, setup, args, message):
    setup(stub, monkeypatch)
    code, report, err = scan(run_cli, f"anvil:{ADDRESS}", *args)
    assert (code, report) == (2, None)
    assert err.count("\n") == 1 and message in err
    assert KEY not in err


def test_explorer_down_fails_fast(run_cli, fresh_cache, monkeypatch):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("INSPECTOR_SOURCIFY_URL", f"http://127.0.0.1:{port}/server")
    monkeypatch.delenv("ETHERSCAN_API_KEY", raising=False)
    monkeypatch.setattr("inspector.sources.explorer.BACKOFF", 0.01)
    start = time.monotonic()
    code, _, err = scan(run_cli, f"anvil:{ADDRESS}")
    assert code == 2 and f"Sourcify at http://127.0.0.1:{port}/*** did not answer (ConnectionError)" in err
    assert time.monotonic() - start < 10


def test_unknown_chain_and_bad_address_are_named(run_cli):
    code, _, err = scan(run_cli, f"atlantis:{ADDRESS}")
    assert code == 2 and "unknown chain 'atlantis'" in err
    code, _, err = scan(run_cli, "mainnet:0x1234")
    assert code == 2 and "'0x1234' is not an address" in err


def test_a_failing_target_in_a_multi_target_scan_is_skipped_and_named(run_cli, stub):
    stub.etherscan[(31337, ADDRESS.lower())] = Contract("Executor", COMPILER, {"contracts/Executor.sol": EXECUTOR})
    code, report, err = scan(run_cli, f"anvil:{ADDRESS}", f"anvil:{OTHER}", "--rule", "offchain-admin-execute")
    assert code == 0, err
    assert report["skipped"] == [{"target": f"anvil:{OTHER}", "reason": f"{OTHER} is not verified on Etherscan or Sourcify "
                                  "(chain 31337) (scan local sources with --project)"}]
    assert len(report["findings"]) == 1


def test_targets_file(run_cli, stub, tmp_path):
    stub.etherscan[(31337, ADDRESS.lower())] = Contract("Executor", COMPILER, {"contracts/Executor.sol": EXECUTOR})
    listing = tmp_path / "targets.txt"
    listing.write_text(f"# deployed system\nanvil:{ADDRESS}  # the executor\n\n")
    code, report, _ = scan(run_cli, "--targets", listing, "--rule", "offchain-admin-execute")
    assert code == 0 and [t["target"] for t in report["targets"]] == [f"anvil:{ADDRESS}"]


def test_explorer_file_names_never_escape_their_folder(run_cli, stub, fresh_cache):
    sources = {"/abs/contracts/Executor.sol": EXECUTOR, "../../../escaped/Lib.sol": "pragma solidity ^0.8.0;\nlibrary L {}\n"}
    stub.etherscan[(31337, ADDRESS.lower())] = Contract("Executor", COMPILER, sources)
    code, report, err = scan(run_cli, f"anvil:{ADDRESS}", "--rule", "offchain-admin-execute")
    assert code == 0, err
    folder = fresh_cache / "sources" / "31337" / ADDRESS.lower()
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.sol"))
    assert written == ["__up__/__up__/__up__/escaped/Lib.sol", "abs/contracts/Executor.sol"]
    assert not (fresh_cache.parent / "escaped").exists() and not (fresh_cache / "escaped").exists()


def test_the_api_key_never_reaches_the_store_or_the_report(run_cli, stub, fresh_cache, tmp_path):
    stub.etherscan[(31337, ADDRESS.lower())] = Contract("Executor", COMPILER, {"contracts/Executor.sol": EXECUTOR})
    report_file = tmp_path / "report.json"
    code, _, err = run_cli(["scan", f"anvil:{ADDRESS}", "--format", "json", "--output", report_file, "--fail-on", "none"])
    assert code == 0, err
    assert stub.seen_keys == [KEY]  # it was sent to the explorer...
    db = sqlite3.connect(fresh_cache / "inspector.db")
    stored = b"".join(bytes(str(row), "utf-8") for table in ("builds", "responses") for row in db.execute(f"SELECT key FROM {table}"))
    db.close()
    for blob in (stored, (fresh_cache / "inspector.db").read_bytes(), report_file.read_bytes(), err.encode()):
        assert KEY.encode() not in blob  # ...and nowhere else
