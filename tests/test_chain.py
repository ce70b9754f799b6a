"""Scanning a deployed system by address: a real local chain (anvil from npm, started on a
free 127.0.0.1 port and stopped by its PID), the system deployed by
examples/deployed-system/devnet.py, and the explorer stub serving its verified sources."""
from __future__ import annotations

import json
import socket
import sys

import pytest
from click.testing import CliRunner

from conftest import DEPLOYED
from explorer_stub import Contract, ExplorerStub

sys.path.insert(0, str(DEPLOYED))
from devnet import Devnet, deploy, verified_sources  # noqa: E402

KEY = "chain-test-key"


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    """(rpc url, addresses, explorer stub, environment for the CLI)."""
    cache = tmp_path_factory.mktemp("chain-cache")
    from conftest import SHARED_CACHE

    (cache / "solcjs").symlink_to(SHARED_CACHE / "solcjs")
    env = {"INSPECTOR_CACHE_DIR": str(cache), "NO_PROXY": "127.0.0.1,localhost", "ETHERSCAN_API_KEY": KEY}
    with Devnet() as devnet, ExplorerStub(api_key=KEY, chains=(31337,)) as stub:
        addresses = deploy(devnet.url)
        for address, (name, unit, sources, settings) in verified_sources(addresses).items():
            stub.etherscan[(31337, address.lower())] = Contract(name, "0.8.37+commit.00000000", sources, settings=settings, target=unit)
        env.update(INSPECTOR_ETHERSCAN_URL=f"{stub.url}/v2/api", INSPECTOR_SOURCIFY_URL=f"{stub.url}/server")
        yield devnet.url, addresses, stub, env


def run(env, *args):
    from inspector.cli import cli

    result = CliRunner(mix_stderr=False).invoke(cli, ["scan", *[str(a) for a in args]], env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def scan(system, label, *args):
    url, addresses, _, env = system
    code, out, err = run(env, f"anvil:{addresses[label]}", "--rpc", url, "--format", "json", "--fail-on", "none", *args)
    assert code == 0, err
    return json.loads(out)


def edges(report, to=None):
    graph = report["control_graph"]
    return sorted((e["from"], e["capability"], e["function"], e["delay"]) for e in graph["edges"] if to is None or e["to"] == to)


def node(report, address):
    return next(n for n in report["control_graph"]["nodes"] if n["address"] == address)


def test_token_behind_a_transparent_proxy_is_upgraded_by_a_safe_2_of_3(system):
    _, a, _, _ = system
    report = scan(system, "proxied_token")
    assert {c["name"] for c in report["facts"]["contracts"]} == {"TransparentUpgradeableProxy", "ProxiedToken"}
    assert edges(report, to=a["proxied_token"]) == sorted([
        (a["proxy_admin"], "upgrade", "fallback()", 0),
        (a["deployer"], "mint", "mint(address,uint256)", 0),
        (a["deployer"], "renounce", "renounceOwnership()", 0),
        (a["deployer"], "change_owner", "transferOwnership(address)", 0),
    ])
    assert edges(report, to=a["proxy_admin"]) == [(a["safe"], "owner", "", 0)]
    safe = node(report, a["safe"])
    assert (safe["kind"], safe["threshold"], safe["owners"]) == ("multisig", 2, [a["safe_owner_a"], a["safe_owner_b"], a["safe_owner_c"]])
    assert {e[0] for e in edges(report, to=a["safe"])} == {a["safe_owner_a"], a["safe_owner_b"], a["safe_owner_c"]}
    assert node(report, a["deployer"])["kind"] == "eoa"
    upgrade = next(f for f in report["findings"] if f["rule"] == "upgrade-no-timelock")
    assert upgrade["holder"] == f"contract {a['proxy_admin'][:6]}…{a['proxy_admin'][-4:]} owned by Safe 2-of-3 {a['safe'][:6]}…{a['safe'][-4:]}, no delay"
    mint = next(f for f in report["findings"] if f["rule"] == "economic-mint")
    assert mint["holder"] == f"EOA {a['deployer'][:6]}…{a['deployer'][-4:]}, no delay"


def test_timelock_with_an_open_executor_and_the_deployer_still_admin(system):
    _, a, _, _ = system
    report = scan(system, "timelock")
    timelock = node(report, a["timelock"])
    assert (timelock["kind"], timelock["delay"]) == ("timelock", 2 * 24 * 3600)
    assert timelock["details"]["open_executor"] is True
    to_timelock = edges(report, to=a["timelock"])
    assert (a["governor"], "propose", "", 2 * 24 * 3600) in to_timelock
    assert (a["deployer"], "grant_role", "", 0) in to_timelock
    assert ("anyone", "arbitrary_call", "execute(address,uint256,bytes,bytes32,bytes32)", 0) in to_timelock
    governor = node(report, a["governor"])
    assert governor["kind"] == "governor"
    assert (governor["details"]["token"], governor["details"]["timelock"]) == (a["dao_token"], a["timelock"])
    assert (governor["details"]["votingDelay"], governor["details"]["votingPeriod"]) == (7200, 50400)
    assert governor["details"]["quorum"] == str(10_000_000 * 10**18 * 4 // 100)
    assert (a["dao_token"], "vote (token holders)", "", 0) in edges(report, to=a["governor"])
    assert timelock["details"]["cancellers"] == [a["governor"]]
    assert (a["governor"], "set_parameter", "cancel(bytes32)", 0) in to_timelock


def test_role_members_are_read_from_the_logs(system):
    _, a, _, _ = system
    report = scan(system, "role_token")
    assert edges(report, to=a["role_token"]) == sorted([
        (a["minter_a"], "mint", "mint(address,uint256)", 0),
        (a["minter_b"], "mint", "mint(address,uint256)", 0),
        (a["pauser"], "pause", "setPaused(bool)", 0),
    ])
    mint = next(f for f in report["findings"] if f["rule"] == "economic-mint")
    assert mint["holder"] == "; ".join(f"EOA {x[:6]}…{x[-4:]}, no delay" for x in (a["minter_a"], a["minter_b"]))


def test_beacon_proxies_are_upgraded_through_their_beacon_and_stay_two_entries(system):
    url, a, _, env = system
    code, out, err = run(env, f"anvil:{a['vault_a']}", f"anvil:{a['vault_b']}", "--rpc", url, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    report = json.loads(out)
    for vault in (a["vault_a"], a["vault_b"]):
        assert (a["beacon"], "upgrade", "implementation() of the beacon", 0) in edges(report, to=vault)
        assert node(report, vault)["label"] == "BeaconVault via EIP-1967 beacon proxy"
    assert (a["deployer"], "upgrade", "upgradeTo(address)", 0) in edges(report, to=a["beacon"])


def test_uups_proxy_is_upgraded_by_its_owner(system):
    _, a, _, _ = system
    report = scan(system, "uups_token")
    assert (a["holder"], "upgrade", "upgradeToAndCall(address,bytes)", 0) in edges(report, to=a["uups_token"])
    assert node(report, a["uups_token"])["label"] == "UUPSToken via EIP-1967 proxy"


def test_second_scan_is_served_from_the_store(system):
    _, _, stub, _ = system
    scan(system, "mintable_token")
    asked = len(stub.requests)
    report = scan(system, "mintable_token")
    assert len(stub.requests) == asked
    assert report["compilation"][0]["route"] == "cache"


def test_block_pins_every_read(system):
    url, a, _, env = system
    head = scan(system, "mintable_token")["control_graph"]["block"]
    assert scan(system, "mintable_token", "--block", head)["control_graph"]["block"] == head
    # at block 1 only the Safe singleton existed: the token had no code yet
    code, _, err = run(env, f"anvil:{a['mintable_token']}", "--rpc", url, "--block", "1")
    assert code == 2 and f"no code at {a['mintable_token']} on anvil (block 1)" in err
    code, _, err = run(env, f"anvil:{a['mintable_token']}", "--rpc", url, "--block", str(head + 1000))
    assert code == 2 and f"block {head + 1000} is beyond anvil's head ({head})" in err


def test_rpc_url_secrets_never_reach_the_store_or_the_report(system, tmp_path):
    url, a, _, env = system
    secret = "rpcsecret0123456789abcdef"
    cache = tmp_path / "cache"
    env = {**env, "INSPECTOR_CACHE_DIR": str(cache)}
    (cache).mkdir()
    (cache / "solcjs").symlink_to(__import__("conftest").SHARED_CACHE / "solcjs")
    report_file = tmp_path / "report.json"
    code, _, err = run(env, f"anvil:{a['mintable_token']}", "--rpc", f"{url}/?apikey={secret}", "--format", "json",
                       "--output", report_file, "--fail-on", "none")
    assert code == 0, err
    for path in [report_file, *cache.glob("inspector.db*")]:
        assert secret.encode() not in path.read_bytes(), path


def test_rpc_errors_are_one_line(system):
    url, a, _, env = system
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = run(env, f"anvil:{a['mintable_token']}", "--rpc", f"http://127.0.0.1:{port}/secret-key-0123456789abcdef")
    assert code == 2 and err.startswith(f"error: RPC at http://127.0.0.1:{port}/*** did not answer")
    assert "secret-key" not in err
    code, _, err = run(env, f"mainnet:{a['mintable_token']}", "--rpc", url)
    assert code == 2 and "serves chain 31337, not mainnet (1)" in err
    code, _, err = run(env, f"anvil:{a['holder']}", "--rpc", url)
    assert code == 2 and f"no code at {a['holder']}" in err


def test_holder_concentration_on_a_known_distribution(system):
    _, a, _, _ = system
    report = scan(system, "mintable_token", "--holders")
    [holders] = report["holders"]
    # 1,000,000 minted to `holder`; 100k, 50k, 10k sent on; 40k burnt (left out): 960k counted
    assert holders["token"] == a["mintable_token"]
    assert (holders["holders"], holders["supply"]) == (4, str(960_000 * 10**18))
    assert holders["top1"] == round(800 / 960, 6)
    assert holders["top10"] == 1.0
    assert holders["hhi"] == round(sum((x / 960) ** 2 for x in (800, 100, 50, 10)), 6)
    ascending = [10, 50, 100, 800]
    gini = 2 * sum((i + 1) * x for i, x in enumerate(ascending)) / (4 * 960) - 5 / 4
    assert holders["gini"] == round(gini, 6)
    assert holders["nakamoto"] == 1
    assert [t["address"] for t in holders["top"]] == [a["holder"], a["minter_a"], a["minter_b"], a["pauser"]]


def test_project_matches_deployed_code_without_any_explorer(system):
    url, a, stub, env = system
    asked = len(stub.requests)
    code, out, err = run(env, f"anvil:{a['proxied_token']}", "--rpc", url, "--project", DEPLOYED, "--optimize",
                         "--evm-version", "cancun", "--format", "json", "--fail-on", "none")
    assert code == 0, err
    report = json.loads(out)
    assert len(stub.requests) == asked  # nothing asked of the explorer
    assert {c["name"] for c in report["facts"]["contracts"]} == {"TransparentUpgradeableProxy", "ProxiedToken"}
    assert (a["proxy_admin"], "upgrade", "fallback()", 0) in edges(report, to=a["proxied_token"])


def test_project_with_other_settings_matches_nothing(system):
    url, a, _, env = system
    code, _, err = run(env, f"anvil:{a['mintable_token']}", "--rpc", url, "--project", DEPLOYED)
    assert code == 2 and f"no contract of {DEPLOYED} matches the code at {a['mintable_token']}" in err


def test_private_immutable_is_read_from_the_deployed_code(system):
    _, a, _, _ = system
    report = scan(system, "fee_collector")
    assert edges(report, to=a["fee_collector"]) == [(a["pauser"], "set_fee", "setFee(uint256)", 0)]
    fee = next(f for f in report["findings"] if f["rule"] == "economic-fee-settable")
    assert (fee["principal"], fee["holder"]) == ("_operator", f"EOA {a['pauser'][:6]}…{a['pauser'][-4:]}, no delay")


def test_minimal_clone_is_analysed_as_its_implementation_with_its_own_state(system):
    _, a, _, _ = system
    report = scan(system, "vault_clone")
    assert node(report, a["vault_clone"])["label"] == "BeaconVault via EIP-1167 proxy"
    assert (a["holder"], "set_limits", "setLimit(uint256)", 0) in edges(report, to=a["vault_clone"])


def test_enumerable_role_members_are_read_by_enumeration(system, monkeypatch):
    from inspector.chain import rpc

    _, a, _, _ = system
    asked_logs = []
    monkeypatch.setattr(rpc.ChainReader, "logs", lambda self, *args, **kw: asked_logs.append(args) or [])
    report = scan(system, "enumerable_token")
    assert edges(report, to=a["enumerable_token"]) == sorted([
        (a["minter_a"], "mint", "mint(address,uint256)", 0), (a["minter_b"], "mint", "mint(address,uint256)", 0)])
    assert asked_logs == []  # enumeration answered; no log replay


def test_renounced_owner_holds_nothing(system):
    _, a, _, _ = system
    report = scan(system, "renounced_token")
    zero = "0x0000000000000000000000000000000000000000"
    assert node(report, zero)["kind"] == "renounced"
    mint = next(f for f in report["findings"] if f["rule"] == "economic-mint")
    assert mint["holder"] == "nobody (renounced to 0x0000…0000), no delay"


def test_eip_7702_delegated_account_is_an_eoa(system):
    """Runs last: it gives the pauser's account a delegation designator, then takes it back."""
    from web3 import Web3

    url, a, _, _ = system
    w3 = Web3(Web3.HTTPProvider(url))
    w3.provider.make_request("anvil_setCode", [a["pauser"], "0xef0100" + a["vault_impl"][2:].lower()])
    w3.provider.make_request("evm_mine", [])
    try:
        report = scan(system, "fee_collector")
        pauser = node(report, a["pauser"])
        assert (pauser["kind"], pauser["label"], pauser["details"]["delegate"]) == ("eoa", "EOA (EIP-7702)", a["vault_impl"])
    finally:
        w3.provider.make_request("anvil_setCode", [a["pauser"], "0x"])
        w3.provider.make_request("evm_mine", [])


def test_transfer_logs_are_replayed_from_the_deployment_block(system, tmp_path):
    from inspector.chain.holders import deployment_block
    from inspector.chain.rpc import ChainReader
    from inspector.chains import parse_chain
    from inspector.store import Store

    url, a, _, _ = system
    reader = ChainReader(url, parse_chain("anvil"), Store(tmp_path / "store.db"))
    first = deployment_block(reader, a["mintable_token"])
    assert reader.code_at(a["mintable_token"], first) and not reader.code_at(a["mintable_token"], first - 1)
    assert deployment_block(reader, a["safe_singleton"]) == 1
