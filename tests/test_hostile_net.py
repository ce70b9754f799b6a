"""Every answer from outside is untrusted: explorers, RPC nodes and the JSON files inspector
reads back. A hostile server on 127.0.0.1 (hostile_stub) answers with malformed types,
non-JSON, deep nesting, bodies that trickle or never end, colliding and impossible file
names; each must end as one clear line and exit 2, or a named skip in a multi-target scan,
within seconds, writing nothing it did not check, showing no secret."""
from __future__ import annotations

import json
import os
import sqlite3
import time

import pytest

from hostile_stub import (CALL_ERRORS, HostileStub, answer, deep, endless, etherscan_item, etherscan_ok, etherscan_standard_json, lie, raw,
                          sourcify_ok, trickle)

from test_explorer import ADDRESS, EXECUTOR, OTHER, SWEEPER

DEEP = "[" * 200_000 + "]" * 200_000
THIRD = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
KEY = "hostile-secret-key-0123"


def one_error_line(err: str, message: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert message in err, err


# -- deep JSON: the C parser overflows the stack once web3 has raised the recursion limit ------
def test_deep_baseline_is_refused_in_one_line(run_process, tmp_path):
    (tmp_path / "baseline.json").write_text(DEEP)
    done = run_process(["scan", "missing.sol", "--baseline", "baseline.json"], cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-500:]
    one_error_line(done.stderr, "baseline baseline.json: JSON nested 200000 levels deep, more than the 200 inspector accepts")


def test_deep_report_given_to_diff_is_refused_in_one_line(run_process, tmp_path):
    (tmp_path / "old.json").write_text(DEEP)
    (tmp_path / "new.json").write_text("{}")
    done = run_process(["diff", "old.json", "new.json"], cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-500:]
    one_error_line(done.stderr, "old.json: JSON nested 200000 levels deep")


def test_nesting_is_measured_outside_strings_only():
    from inspector.safe_json import depth, loads

    assert depth('{"a": "[[[[{{{{", "b": [[1]], "c": "\\"]]]"}') == 3
    assert loads('["' + "[" * 10_000 + '"]') == ["[" * 10_000]
    with pytest.raises(ValueError, match="the key 'x' appears twice"):
        loads('{"x": 1, "x": 2}', unique_keys=True)


# -- the hostile server, and how tests run against it -----------------------------------------
@pytest.fixture
def hostile(monkeypatch, fresh_cache):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with HostileStub() as stub:
        monkeypatch.setenv("INSPECTOR_ETHERSCAN_URL", f"{stub.url}/v2/api")
        monkeypatch.setenv("INSPECTOR_SOURCIFY_URL", f"{stub.url}/server")
        monkeypatch.setenv("ETHERSCAN_API_KEY", KEY)
        monkeypatch.setenv("INSPECTOR_BACKOFF", "0.01")
        monkeypatch.setattr("inspector.sources.explorer.BACKOFF", 0.01)
        yield stub


def stored_answers(cache) -> list[str]:
    db = cache / "inspector.db"
    if not db.exists():
        return []
    with sqlite3.connect(db) as connection:
        return [key for (key,) in connection.execute("SELECT key FROM responses")]


def scan_json(run_cli, *args):
    code, out, err = run_cli(["scan", *args, "--format", "json", "--fail-on", "none"])
    return code, (json.loads(out) if out else None), err


def bounded(run_process, args, seconds: float = 40, **env):
    """The CLI in a child process (a crash or a hang must not take pytest with it), with its
    memory capped so that an endless body on old code fails rather than fills the machine."""
    import resource
    import subprocess
    import sys

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2 ** 30, 3 * 2 ** 30))

    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "inspector", *map(str, args)], capture_output=True, text=True, timeout=seconds,
                          env={**os.environ, "INSPECTOR_BACKOFF": "0.01", **env}, preexec_fn=cap)
    return done, time.monotonic() - start


SINGLE = "pragma solidity ^0.8.0;\ncontract C {}\n"


def standard_json_code(sources: dict, settings=None) -> str:
    return "{" + json.dumps({"language": "Solidity", "sources": sources, "settings": settings or {}}) + "}"


# -- explorer answers of the wrong shape: one line, exit 2, nothing cached ---------------------
@pytest.mark.parametrize("reply, why", [
    (etherscan_ok(SourceCode="{{not json at all}}"), "malformed: SourceCode is not JSON (Expecting property name enclosed in double quotes at line 1 column 2)"),
    (etherscan_ok(SourceCode=standard_json_code({"A.sol": "contract A {}"})), "at sources.A.sol is not object"),
    (answer({"status": "1", "message": "OK", "result": ["a", "b"]}), "is not object"),
    (answer({"status": "1", "message": "OK", "result": {"SourceCode": SINGLE}}), "at result is not array"),
    (answer({"status": "1", "message": "OK", "result": []}), "at result is empty"),
    (answer(["not", "an", "envelope"]), "its envelope as a whole is not object"),
    (answer({"status": ["1"], "result": []}), "its envelope at status is not string or integer"),
    (etherscan_ok(SourceCode=SINGLE, Runs="two hundred", OptimizationUsed="1"), "at result[0].Runs is not"),
    (etherscan_ok(SourceCode=SINGLE, OptimizationUsed="yes"), "at result[0].OptimizationUsed"),
    (etherscan_ok(SourceCode=SINGLE, Runs=[200]), "at result[0].Runs"),
    (etherscan_ok(SourceCode=standard_json_code({"A.sol": {"content": SINGLE}}, {"optimizer": {"enabled": True, "runs": "200"}})),
     "SourceCode at settings.optimizer.runs is not integer"),
    (etherscan_ok(SourceCode=standard_json_code({"A.sol": {"content": SINGLE}}, {"remappings": ["no-equals-sign"]})),
     "SourceCode at settings.remappings[0] is not in the accepted form"),
    (etherscan_ok(SourceCode=json.dumps({"A.sol": {"content": 5}})), "SourceCode"),
    (etherscan_ok(SourceCode='{{"sources": {"A.sol": {"content": "a"}, "A.sol": {"content": "b"}}}}'),
     "the key 'A.sol' appears twice in one object"),
    (etherscan_ok(SourceCode=SINGLE, ContractName="Evil\n\x1b[31mName"), "at result[0].ContractName is not in the accepted form"),
    (etherscan_ok(SourceCode=SINGLE, CompilerVersion=5), "at result[0].CompilerVersion is not string"),
])
def test_malformed_etherscan_answers_are_one_line_and_not_cached(run_cli, hostile, fresh_cache, reply, why):
    hostile.etherscan[ADDRESS.lower()] = reply
    code, report, err = scan_json(run_cli, f"anvil:{ADDRESS}", "--explorer", "etherscan")
    assert (code, report) == (2, None)
    one_error_line(err, f"Etherscan's answer for {ADDRESS} is malformed")
    assert why in err
    assert "\x1b" not in err
    assert stored_answers(fresh_cache) == []
    assert not (fresh_cache / "sources").exists()


@pytest.mark.parametrize("reply, why", [
    (answer(["exact_match"]), "as a whole is not object"),
    (lambda: sourcify_ok(ADDRESS, {"A.sol": SINGLE}, "C", "A.sol", sources={"A.sol": "text"}, stdJsonInput=None),
     "at stdJsonInput is not object"),
    (lambda: sourcify_ok(ADDRESS, {"A.sol": SINGLE}, "C", "A.sol", compilation="solc 0.8.24"), "at compilation is not object"),
    (lambda: sourcify_ok(ADDRESS, {"A.sol": SINGLE}, "C", "A.sol",
                         proxyResolution={"isProxy": True, "implementations": ["0x" + "11" * 20]}),
     "at proxyResolution.implementations[0] is not object"),
    (lambda: sourcify_ok(ADDRESS, {"A.sol": SINGLE}, "C", "A.sol", match=1), "at match is not string or null"),
])
def test_malformed_sourcify_answers_are_one_line_and_not_cached(run_cli, hostile, fresh_cache, reply, why):
    hostile.sourcify[ADDRESS.lower()] = reply() if callable(reply) else reply
    code, report, err = scan_json(run_cli, f"anvil:{ADDRESS}", "--explorer", "sourcify")
    assert (code, report) == (2, None)
    one_error_line(err, f"Sourcify's answer for {ADDRESS} is malformed: the answer {why}")
    assert stored_answers(fresh_cache) == []


def test_a_sourcify_error_that_is_not_an_object_is_still_one_line(run_cli, hostile):
    hostile.sourcify[ADDRESS.lower()] = answer(["unsupported_chain"], 400)
    code, _, err = scan_json(run_cli, f"anvil:{ADDRESS}", "--explorer", "sourcify")
    assert code == 2
    one_error_line(err, "Sourcify answered: HTTP 400")


def test_an_answer_is_cached_only_once_it_has_parsed(run_cli, hostile, fresh_cache):
    hostile.etherscan[ADDRESS.lower()] = etherscan_standard_json({"contracts/Executor.sol": EXECUTOR}, "Executor")
    code, report, err = scan_json(run_cli, f"anvil:{ADDRESS}", "--explorer", "etherscan", "--rule", "offchain-admin-execute")
    assert code == 0 and len(report["findings"]) == 1, err
    assert stored_answers(fresh_cache) == [f"etherscan|31337|{ADDRESS.lower()}|getsourcecode"]


# -- file names from explorers --------------------------------------------------------------
LIBRARY = "pragma solidity ^0.8.0;\nlibrary L {}\n"


@pytest.mark.parametrize("sources, why", [
    ({"contracts/Executor.sol": EXECUTOR, "evil\x00.sol": LIBRARY}, "the file name 'evil\\x00.sol' holds a NUL byte"),
    ({"contracts/Executor.sol": EXECUTOR, "x" * 256 + ".sol": LIBRARY}, "has a part longer than 255 bytes"),
    ({"contracts/Executor.sol": EXECUTOR, "/".join(["d" * 200] * 21) + ".sol": LIBRARY}, "is longer than 4000 bytes"),
    ({"contracts/Executor.sol": EXECUTOR, "contracts/Executor.sol/B.sol": LIBRARY},
     "'contracts/Executor.sol' is a file and also a folder of 'contracts/Executor.sol/B.sol'"),
    ({"contracts/Executor.sol": EXECUTOR, "contracts/./Executor.sol": LIBRARY},
     "the file names 'contracts/Executor.sol' and 'contracts/./Executor.sol' would be one file"),
    ({"contracts/Executor.sol": EXECUTOR, "/contracts/Executor.sol": LIBRARY}, "two files are named 'contracts/Executor.sol'"),
])
def test_file_names_that_cannot_all_be_written_are_refused(run_cli, hostile, fresh_cache, sources, why):
    hostile.etherscan[ADDRESS.lower()] = etherscan_standard_json(sources, "Executor")
    code, report, err = scan_json(run_cli, f"anvil:{ADDRESS}", "--explorer", "etherscan")
    assert (code, report) == (2, None)
    one_error_line(err, f"Etherscan's answer for {ADDRESS} is malformed: ")
    assert why in err
    assert stored_answers(fresh_cache) == [] and not (fresh_cache / "sources").exists()


def test_names_that_sanitised_alike_stay_two_files_and_no_contract_disappears(run_cli, hostile, fresh_cache):
    sources = {"src/a:b.sol": EXECUTOR, "src/a_b.sol": LIBRARY}
    hostile.etherscan[ADDRESS.lower()] = etherscan_standard_json(sources, "Executor")
    code, report, err = scan_json(run_cli, f"anvil:{ADDRESS}", "--explorer", "etherscan", "--rule", "offchain-admin-execute")
    assert code == 0, err
    assert [(f["contract"], f["function"]) for f in report["findings"]] == [("Executor", "execute(address,uint256,bytes)")]
    folder = fresh_cache / "sources" / "31337" / ADDRESS.lower()
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.sol")) == ["src/a%3Ab.sol", "src/a_b.sol"]
    assert (folder / "src" / "a%3Ab.sol").read_text() == EXECUTOR


def test_the_disk_mapping_is_injective():
    from inspector.sources.unit_names import disk_paths

    names = ["a/../b.sol", "a/__up__/b.sol", "a/%2E%2E/b.sol", "a\\b.sol", "a/b.sol", "é.sol", "%C3%A9.sol", "x:y.sol", "x_y.sol"]
    paths = disk_paths(names)
    assert len(set(paths.values())) == len(names)
    assert all(".." not in p.parts and not p.is_absolute() for p in paths.values())


# -- transport: every read has a deadline and a size cap --------------------------------------
def test_a_trickling_explorer_ends_at_the_deadline(run_process, hostile, fresh_cache):
    hostile.etherscan[ADDRESS.lower()] = trickle(every=1.0)
    done, took = bounded(run_process, ["scan", f"anvil:{ADDRESS}", "--explorer", "etherscan"], INSPECTOR_HTTP_TIMEOUT="1")
    assert done.returncode == 2 and took < 15
    one_error_line(done.stderr, f"Etherscan at {hostile.url}/*** gave no complete answer within 1 s")
    assert stored_answers(fresh_cache) == []


def test_all_explorer_reads_of_a_scan_share_one_deadline(run_process, hostile, fresh_cache):
    # three targets that each trickle for the whole per-request time (4 s) would take 12 s and
    # more; the scan's explorer deadline (2 s) ends them all
    for address in (ADDRESS, OTHER, THIRD):
        hostile.etherscan[address.lower()] = trickle(every=0.5)
    done, took = bounded(run_process, ["scan", *(f"anvil:{a}" for a in (ADDRESS, OTHER, THIRD)), "--explorer", "etherscan"],
                         INSPECTOR_HTTP_TIMEOUT="4", INSPECTOR_EXPLORER_DEADLINE="2")
    assert done.returncode == 2 and took < 9, took
    assert "Traceback" not in done.stderr
    assert stored_answers(fresh_cache) == []


def test_an_endless_explorer_body_stops_at_the_cap(run_process, hostile):
    hostile.sourcify[ADDRESS.lower()] = endless()
    done, took = bounded(run_process, ["scan", f"anvil:{ADDRESS}", "--explorer", "sourcify"], INSPECTOR_EXPLORER_MAX_BYTES="1048576")
    assert done.returncode == 2 and took < 15
    one_error_line(done.stderr, f"Sourcify at {hostile.url}/*** sent more than the 1048576 bytes inspector accepts")


def test_a_content_length_over_the_cap_is_refused_before_reading(run_process, hostile):
    hostile.etherscan[ADDRESS.lower()] = lie()
    done, took = bounded(run_process, ["scan", f"anvil:{ADDRESS}", "--explorer", "etherscan"])
    assert done.returncode == 2 and took < 15
    one_error_line(done.stderr, "Etherscan at " + hostile.url + "/*** announced 1000000000000 bytes, more than the 33554432 inspector accepts")


def test_a_content_length_that_never_comes_ends_at_the_deadline(run_process, hostile):
    hostile.sourcify[ADDRESS.lower()] = lie(length=1000)
    done, took = bounded(run_process, ["scan", f"anvil:{ADDRESS}", "--explorer", "sourcify"], INSPECTOR_HTTP_TIMEOUT="1")
    assert done.returncode == 2 and took < 15
    one_error_line(done.stderr, "gave no complete answer within 1 s")


@pytest.mark.parametrize("explorer, reply, message", [
    ("sourcify", deep(), "Sourcify at {url}/*** answered JSON nested 200000 levels deep, more than the 200 inspector accepts"),
    ("etherscan", deep(), "Etherscan at {url}/*** answered JSON nested 200000 levels deep"),
    ("etherscan", etherscan_ok(SourceCode="{{" + "[" * 100_000 + "}}"),
     "Etherscan's answer for " + ADDRESS + " is malformed: SourceCode is JSON nested 100001 levels deep"),
])
def test_deep_explorer_answers_are_refused_in_one_line(run_process, hostile, explorer, reply, message):
    getattr(hostile, explorer)[ADDRESS.lower()] = reply
    done, _ = bounded(run_process, ["scan", f"anvil:{ADDRESS}", "--explorer", explorer])
    assert done.returncode == 2, done.stderr[-300:]
    one_error_line(done.stderr, message.format(url=hostile.url))


@pytest.mark.parametrize("mode, env, message", [
    ("trickle", {"INSPECTOR_RPC_TIMEOUT": "1"}, "gave no complete answer within 1 s"),
    ("endless", {"INSPECTOR_RPC_MAX_BYTES": "1048576"}, "sent more than the 1048576 bytes inspector accepts"),
    ("lie", {}, "announced 1000000000000 bytes"),
    ("deep", {}, "answered something malformed: JSON nested 200000 levels deep"),
    ("notjson", {}, "answered something malformed: its answer is not JSON"),
    ("wrongtype", {}, "answered something malformed: its eth_chainId result as a whole is not string"),
    ("noenvelope", {}, "answered something malformed: its answer as a whole is not object"),
    ("slow", {"INSPECTOR_CHAIN_DEADLINE": "0.5"}, "the chain reads of this scan took longer than 0.5 s (RPC at http://***@127.0.0.1:{port}/***)"),
])
def test_hostile_rpc_answers_are_one_line_within_seconds_and_keep_the_url_secret(run_process, hostile, mode, env, message):
    port = hostile.url.rsplit(":", 1)[1]
    rpc = f"http://user:hunter2@127.0.0.1:{port}/rpc/{mode}/APIKEY123"
    done, took = bounded(run_process, ["scan", f"anvil:{ADDRESS}", "--rpc", rpc, "--explorer", "sourcify"], **env)
    assert done.returncode == 2 and took < 15, done.stderr[-300:]
    one_error_line(done.stderr, message.format(port=port))
    if mode != "slow":
        assert f"RPC at http://***@127.0.0.1:{port}/*** " in done.stderr
    for secret in ("hunter2", "APIKEY123", "user:"):
        assert secret not in done.stderr + done.stdout


@pytest.mark.parametrize("mode", ["revert-reason", "revert-bare", "revert-parity", "revert-custom"])
def test_a_reverting_call_reads_as_nothing_and_is_kept_as_nothing(hostile, mode, tmp_path):
    from inspector.chain.rpc import ChainReader
    from inspector.chains import parse_chain
    from inspector.store import Store

    store = Store(tmp_path / "store.db")
    reader = ChainReader(f"{hostile.url}/rpc/{mode}/APIKEY123", parse_chain("anvil"), store)
    assert reader.call(ADDRESS, "owner()", ["address"]) is None
    key = f"chain|31337|{'ab' * 32}|call|{ADDRESS.lower()}|8da5cb5b|address"
    assert store.get_response(key) == "null"


@pytest.mark.parametrize("mode, read, method", [("call-fails", "call", "eth_call"), ("code-fails", "code", "eth_getCode")])
def test_a_node_error_that_is_not_a_calls_revert_fails_the_read_and_is_not_kept(hostile, mode, read, method, tmp_path):
    from inspector.chain.rpc import ChainReader
    from inspector.chains import parse_chain
    from inspector.errors import ChainError
    from inspector.store import Store

    store = Store(tmp_path / "store.db")
    reader = ChainReader(f"{hostile.url}/rpc/{mode}/APIKEY123", parse_chain("anvil"), store)
    code = CALL_ERRORS[mode][method]["code"]
    with pytest.raises(ChainError) as caught:
        reader.call(ADDRESS, "owner()", ["address"]) if read == "call" else reader.code(ADDRESS)
    assert caught.value.cause == f"RPC at {hostile.url}/*** failed: JSON-RPC error {code} to {method}"
    assert store.get_response(f"chain|31337|{'ab' * 32}|code|{ADDRESS.lower()}") is None


REVERTS = [  # (error, a revert?) - as web3 7.16 classifies eth_call errors, and two it does not
    ({"code": 3, "message": "execution reverted: nope", "data": "0x08c379a0"}, True),  # geth, anvil with a reason
    ({"code": -32000, "message": "execution reverted"}, True),  # geth, erigon without one
    ({"code": -32015, "message": "VM execution error.", "data": "Reverted 0x"}, True),  # OpenEthereum, Nethermind
    ({"code": -32000, "message": "VM Exception", "data": "0x4e487b710000000000000000000000000000000000000000000000000000000000000011"}, True),
    ({"code": -32000, "message": "error", "data": "0xdeadbeef"}, True),  # a custom error's selector
    ({"code": -32000, "message": "error", "data": None}, True),
    ({"code": -32000, "message": "error", "data": {"reason": "x"}}, True),
    ({"code": -32603, "message": "internal error"}, False),
    ({"code": -32601, "message": "method not found"}, False),
    ({"code": -32000, "message": "header not found"}, False),
    ({"code": -32000, "message": "error", "data": "0x08c379a0"}, False),  # Error(string)'s bare selector
    ({"code": -32005, "message": "limit exceeded", "data": "0x12"}, False),
]
BEYOND_WEB3 = [({"code": -32000, "message": "Reverted"}, True), ({"code": -32015, "message": "revert: out of gas"}, True),
               ({"code": -32603, "message": "reverted by the proxy"}, False)]


@pytest.mark.parametrize("error, revert", REVERTS + BEYOND_WEB3)
def test_which_call_errors_are_reverts(error, revert):
    from inspector.chain.provider import RpcError

    assert RpcError("eth_call", error["code"], error["message"], *([error["data"]] if "data" in error else [])).is_revert() == revert


@pytest.mark.parametrize("error, revert", REVERTS)
def test_reverts_are_what_web3_calls_a_contract_logic_error(error, revert):
    from web3._utils.error_formatters_utils import raise_contract_logic_error_on_revert
    from web3.exceptions import ContractLogicError

    try:
        raise_contract_logic_error_on_revert({"jsonrpc": "2.0", "id": 1, "error": error})
    except ContractLogicError:
        assert revert
    else:
        assert not revert


# -- one target never sinks the others ------------------------------------------------------
FOURTH = "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9"


def test_malformed_and_unbuildable_targets_are_skipped_and_named_and_the_others_reported(run_cli, hostile, tmp_path):
    port = hostile.url.rsplit(":", 1)[1]
    hostile.etherscan[ADDRESS.lower()] = etherscan_standard_json({"contracts/Executor.sol": EXECUTOR}, "Executor")
    hostile.etherscan[OTHER.lower()] = etherscan_ok(SourceCode=standard_json_code({"A.sol": "contract A {}"}))
    hostile.etherscan[THIRD.lower()] = etherscan_standard_json({"Broken.sol": "pragma solidity ^0.8.0;\ncontract Broken { function f( }\n"}, "Broken")
    hostile.etherscan[FOURTH.lower()] = raw("<html>Attention Required</html>")
    report_file = tmp_path / "report.json"
    code, out, err = run_cli(["scan", *(f"anvil:{a}" for a in (ADDRESS, OTHER, THIRD, FOURTH)), "--explorer", "etherscan",
                              "--etherscan-url", f"http://user:hunter2@127.0.0.1:{port}/KEY42/v2/api", "--rule", "offchain-admin-execute",
                              "--format", "json", "--output", report_file, "--fail-on", "none"])
    assert code == 0, err
    report = json.loads(report_file.read_text())
    skipped = {s["target"]: s["reason"] for s in report["skipped"]}
    assert sorted(skipped) == sorted(f"anvil:{a}" for a in (OTHER, THIRD, FOURTH))
    assert skipped[f"anvil:{OTHER}"].startswith(f"Etherscan's answer for {OTHER} is malformed: SourceCode at sources.A.sol is not object")
    assert "Broken.sol" in skipped[f"anvil:{THIRD}"]
    assert skipped[f"anvil:{FOURTH}"].startswith(f"Etherscan at http://***@127.0.0.1:{port}/*** did not give a JSON answer")
    assert [(f["contract"], f["rule"]) for f in report["findings"]] == [("Executor", "offchain-admin-execute")]
    assert sorted(report["score"]["coverage"]["skipped"]) == sorted(skipped) and report["score"]["complete"] is False
    for text in (report_file.read_text(), out, err):
        assert "hunter2" not in text and "KEY42" not in text and KEY not in text


def test_nothing_analysed_is_still_exit_2(run_cli, hostile):
    hostile.etherscan[OTHER.lower()] = etherscan_ok(SourceCode=standard_json_code({"A.sol": "contract A {}"}))
    hostile.etherscan[THIRD.lower()] = etherscan_standard_json({"Broken.sol": "pragma solidity ^0.8.0;\ncontract Broken {"}, "Broken")
    code, report, err = scan_json(run_cli, f"anvil:{OTHER}", f"anvil:{THIRD}", "--explorer", "etherscan")
    assert (code, report) == (2, None)
    one_error_line(err, f"no contract was analysed: every target was skipped; anvil:{OTHER}: Etherscan's answer for {OTHER} is malformed")


def test_in_auto_mode_a_malformed_etherscan_answer_is_what_is_said_not_sourcifys_absence(run_cli, hostile):
    hostile.etherscan[ADDRESS.lower()] = answer({"status": "1", "message": "OK", "result": ["a"]})
    code, _, err = scan_json(run_cli, f"anvil:{ADDRESS}")
    assert code == 2
    one_error_line(err, f"Etherscan's answer for {ADDRESS} is malformed: the answer at result[0] is not object")
    assert hostile.requests == ["/v2/api", f"/server/v2/contract/31337/{ADDRESS}"]


def test_a_verified_source_that_does_not_compile_is_skipped_alone(run_cli, hostile):
    hostile.etherscan[ADDRESS.lower()] = etherscan_standard_json({"contracts/Executor.sol": EXECUTOR}, "Executor")
    hostile.etherscan[THIRD.lower()] = etherscan_standard_json({"Broken.sol": "pragma solidity ^0.8.0;\ncontract Broken {"}, "Broken")
    code, report, err = scan_json(run_cli, f"anvil:{ADDRESS}", f"anvil:{THIRD}", "--explorer", "etherscan", "--rule", "offchain-admin-execute")
    assert code == 0, err
    assert [s["target"] for s in report["skipped"]] == [f"anvil:{THIRD}"] and "Broken.sol" in report["skipped"][0]["reason"]
    assert [f["contract"] for f in report["findings"]] == ["Executor"]
