"""Scanning a deployed system by address: a real local chain (anvil from npm, started on a
free 127.0.0.1 port and stopped by its PID), the system deployed by
examples/deployed-system/devnet.py, and the explorer stub serving its verified sources."""
from __future__ import annotations

import json
import socket
import sys

import pytest
from click.testing import CliRunner

from inspector.chain.probes.access_control import ROLE_ADMIN_CHANGED

from conftest import DEPLOYED
from explorer_stub import Contract, ExplorerStub

sys.path.insert(0, str(DEPLOYED))
from devnet import NOT_TARGETS, SYSTEM_TARGETS, Devnet, deploy, deploy_contract, verified_sources  # noqa: E402

KEY = "chain-test-key"
OTHER_CHAIN = 31338  # a second devnet, for scans across chains


@pytest.fixture(scope="session")
def system(tmp_path_factory):
    """(rpc url, addresses, explorer stub, environment for the CLI): one chain per session, that
    is per xdist worker, so this module's tests spread over the workers (each test reads the
    chain as deployed; one that changes it puts it back)."""
    cache = tmp_path_factory.mktemp("chain-cache")
    from conftest import SHARED_CACHE

    (cache / "solcjs").symlink_to(SHARED_CACHE / "solcjs")
    env = {"INSPECTOR_CACHE_DIR": str(cache), "NO_PROXY": "127.0.0.1,localhost", "ETHERSCAN_API_KEY": KEY}
    with Devnet() as devnet, ExplorerStub(api_key=KEY, chains=(31337, OTHER_CHAIN)) as stub:
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
        (a["proxy_admin"], "upgrade", "upgradeToAndCall(address,bytes)", 0),
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
    # the ProxyAdmin is no target: named by the selectors of its code (tests/test_graph_names.py)
    assert upgrade["holder"] == (f"OpenZeppelin ProxyAdmin (5.x) {a['proxy_admin'][:6]}…{a['proxy_admin'][-4:]} owned by Safe 2-of-3 "
                                 f"{a['safe'][:6]}…{a['safe'][-4:]}, no delay")
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


ADMIN_KEPT = ("TimelockController's constructor gives DEFAULT_ADMIN_ROLE to the <admin> argument: unless it was the zero "
              "address or renounced since, that key reconfigures the timelock at once")


def test_timelock_admin_kept_is_held_by_the_admin_role_not_the_proposer(system):
    _, a, _, _ = system
    report = scan(system, "timelock")
    assert node(report, a["timelock"])["details"]["admins"] == [a["timelock"], a["deployer"]]
    [kept] = [f for f in report["findings"] if f["rule"] == "timelock-admin-kept"]
    # the governor proposes (a controlling edge of the timelock), but only the deployer holds the admin role
    assert kept["holder"] == f"EOA {short(a['deployer'])}, no delay"
    assert kept["message"] == f"{ADMIN_KEPT} [held by EOA {short(a['deployer'])}, no delay]"
    assert (kept["severity"], kept["confidence"]) == ("medium", "high")
    # the finding describes the power to grant roles, whose deduction cites it
    assert kept["id"] in deduction(report, "grant_role")["finding_ids"]


def test_timelock_admin_renounced_on_chain_is_silent(system):
    url, a, _, env = system
    settled = a["settled_timelock"]
    report = scan(system, "settled_timelock")
    assert node(report, settled)["details"]["admins"] == [settled]
    assert [e for e in edges(report, to=settled) if not e[2]] == [(a["safe"], "propose", "", 2 * 24 * 3600)]
    # the rules read the chain before they run: the risk the constructor's code leaves open is disproved
    assert [f for f in report["findings"] if f["rule"] == "timelock-admin-kept"] == []
    # from its source alone (no RPC), the same address is a risk the code cannot rule out
    code, out, err = run(env, f"anvil:{settled}", "--format", "json", "--fail-on", "none")
    assert code == 0, err
    [kept] = [f for f in json.loads(out)["findings"] if f["rule"] == "timelock-admin-kept"]
    assert (kept["severity"], kept["confidence"], kept["message"]) == ("medium", "medium", ADMIN_KEPT)
    # one source deployed twice, kept on one address and renounced on the other: still a risk, where it is kept
    code, out, err = run(env, f"anvil:{a['timelock']}", f"anvil:{settled}", "--rpc", url, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    [both] = [f for f in json.loads(out)["findings"] if f["rule"] == "timelock-admin-kept"]
    assert (both["id"], both["severity"]) == (kept["id"], "medium")
    assert both["holder"] == f"EOA {short(a['deployer'])}, no delay; nobody at {short(settled)} (admin role renounced)"


def test_a_timelock_of_its_own_name_is_read_as_the_timelock_controller_it_is(system):
    _, a, _, _ = system
    team = a["team_timelock"]
    report = scan(system, "team_timelock")
    assert node(report, team)["label"] == "TeamTimelock"
    assert node(report, team)["details"] == {"admins": [team, a["deployer"]], "executors": [
        "0x0000000000000000000000000000000000000000"], "cancellers": [a["holder"]], "open_executor": True}
    assert [e for e in edges(report, to=team) if not e[2]] == sorted([
        (a["holder"], "propose", "", 2 * 24 * 3600), (a["deployer"], "grant_role", "", 0)])
    [kept] = [f for f in report["findings"] if f["rule"] == "timelock-admin-kept"]
    assert (kept["principal"], kept["severity"], kept["holder"]) == ("deployer", "high", f"EOA {short(a['deployer'])}, no delay")
    assert kept["message"] == f"TeamTimelock's constructor gives DEFAULT_ADMIN_ROLE to the deployer [held by EOA {short(a['deployer'])}, no delay]"


def test_findings_about_a_whole_contract_name_the_holder_of_their_subject(system):
    _, a, _, _ = system
    report = scan(system, "safe")
    rules = {f["rule"]: f for f in report["findings"] if not f["function"]}
    safe = f"Safe via Safe proxy 2-of-3 {short(a['safe'])}, no delay"
    # a multisig is its own M-of-N, not any one of its signers
    assert rules["multisig-control"]["holder"] == safe
    assert rules["multisig-control"]["message"] == f"Safe is a Safe multisig; M and N are read on chain [on chain: {safe}]"
    # a SafeProxy's code is replaced by the Safe's own delegatecall transactions
    assert rules["upgrade-proxy-present"]["holder"] == safe
    [upgrade] = [f for f in scan(system, "uups_token")["findings"] if f["rule"] == "upgrade-proxy-present" and not f["function"]]
    assert (upgrade["contract"], upgrade["holder"]) == ("ERC1967Proxy", f"EOA {short(a['holder'])}, no delay")
    [upgrade] = [f for f in scan(system, "vault_1822")["findings"] if f["rule"] == "upgrade-proxy-present" and not f["function"]]
    assert upgrade["holder"] == f"unresolved: no power to replace the code at {short(a['vault_1822'])} was found"


def test_role_members_are_read_from_the_logs(system):
    _, a, _, _ = system
    report = scan(system, "role_token")
    assert edges(report, to=a["role_token"]) == sorted([
        (a["minter_a"], "mint", "mint(address,uint256)", 0),
        (a["minter_b"], "mint", "mint(address,uint256)", 0),
        (a["pauser"], "pause", "setPaused(bool)", 0),
        # grantRole/revokeRole: the admin of the role passed, so every member of an admin role
        (a["deployer"], "grant_role", "grantRole(bytes32,address)", 0),
        (a["deployer"], "grant_role", "revokeRole(bytes32,address)", 0),
    ])
    mint = next(f for f in report["findings"] if f["rule"] == "economic-mint")
    assert mint["holder"] == "; ".join(f"EOA {x[:6]}…{x[-4:]}, no delay" for x in (a["minter_a"], a["minter_b"]))
    [grant] = [d for d in report["score"]["deductions"] if d["power"] == "RoleToken.grant_role"]
    assert (grant["unresolved"], grant["holder_factor"], grant["reason"]) == (
        False, 1.0, "can grant and revoke roles; held by one key (EOA), no delay")
    assert report["score"]["complete"] is True and report["control_graph"]["unresolved"] == []


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
    assert (a["proxy_admin"], "upgrade", "upgradeToAndCall(address,bytes)", 0) in edges(report, to=a["proxied_token"])


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
        (a["minter_a"], "mint", "mint(address,uint256)", 0), (a["minter_b"], "mint", "mint(address,uint256)", 0),
        (a["deployer"], "grant_role", "grantRole(bytes32,address)", 0), (a["deployer"], "grant_role", "revokeRole(bytes32,address)", 0)])
    # enumeration answered who holds each role: no RoleGranted/RoleRevoked replay; only which roles are admin roles
    # (RoleAdminChanged) comes from the logs
    assert [topic for _, topic, *_ in asked_logs] == [ROLE_ADMIN_CHANGED]


def test_renounced_owner_holds_nothing(system):
    _, a, _, _ = system
    report = scan(system, "renounced_token")
    zero = "0x0000000000000000000000000000000000000000"
    assert node(report, zero)["kind"] == "renounced"
    # the chain shows nobody holds the owner's seat: no key can mint, and no rule says one can
    assert [f for f in report["findings"] if f["rule"] in ("economic-mint", "admin-key-single-owner")] == []
    assert [d for d in report["score"]["deductions"] if d["capability"] == "mint"] == []


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


def short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


def power(report, contract, function, capability):
    return next(p for p in report["control_graph"]["powers"]
                if (p["contract"], p["function"], p["capability"]) == (contract, function, capability))


def test_compound_timelock_owns_a_token_and_its_pending_admin_can_take_over(system):
    _, a, _, _ = system
    report = scan(system, "timelocked_token")
    timelock = node(report, a["compound_timelock"])
    assert (timelock["kind"], timelock["label"], timelock["delay"]) == ("timelock", "Timelock", 2 * 24 * 3600)
    assert timelock["details"] == {"admin": a["deployer"], "pendingAdmin": a["holder"]}
    assert edges(report, to=a["compound_timelock"]) == sorted([
        (a["deployer"], "queue", "", 2 * 24 * 3600), (a["holder"], "accept admin, then queue", "", 2 * 24 * 3600)])
    # the mint waits on the timelock: no rule reports it as a key's power; what is reported names
    # the timelock and who proposes to it
    assert [f for f in report["findings"] if f["rule"] == "economic-mint"] == []
    renounce = next(f for f in report["findings"] if f["rule"] == "admin-key-renounce-needed")
    assert renounce["holder"] == (f"Timelock (2 days delay) {short(a['compound_timelock'])} on proposals of "
                                  f"EOA {short(a['deployer'])} or EOA {short(a['holder'])}, after 2 days")
    minting = power(report, a["timelocked_token"], "mint(address,uint256)", "mint")
    assert minting["min_delay"] == 2 * 24 * 3600
    assert [(k["address"], k["kind"], k["delay"]) for k in minting["keys"]] == sorted(
        [(a["deployer"], "eoa", 2 * 24 * 3600), (a["holder"], "eoa", 2 * 24 * 3600)], key=lambda k: k[0])


@pytest.mark.parametrize("label, standard, owner", [
    ("vault_1822", "EIP-1822", "holder"), ("vault_zos", "ZeppelinOS", "minter_a"), ("vault_897", "EIP-897", "pauser")])
def test_older_proxy_standards_are_read_from_chain_state(system, label, standard, owner):
    _, a, _, _ = system
    report = scan(system, label)
    assert node(report, a[label])["label"] == f"BeaconVault via {standard} proxy"
    assert (a[owner], "set_limits", "setLimit(uint256)", 0) in edges(report, to=a[label])
    names = {c["name"] for c in report["facts"]["contracts"]}
    assert names == {{"vault_1822": "ProxiableProxy", "vault_zos": "ZeppelinOSProxy", "vault_897": "DelegateProxy897"}[label], "BeaconVault"}
    if standard == "EIP-897":  # its own admin may repoint it
        assert (a["deployer"], "upgrade", "upgradeTo(address)", 0) in edges(report, to=a[label])


def test_diamond_facets_come_from_the_loupe_and_a_council_safe_with_a_module_and_guard_holds_it(system):
    _, a, _, _ = system
    report = scan(system, "diamond")
    assert {c["name"] for c in report["facts"]["contracts"]} == {"Diamond", "OwnershipFacet", "MintFacet"}
    assert node(report, a["diamond"])["label"] == "OwnershipFacet, MintFacet via EIP-2535 diamond proxy"
    council = a["council_safe"]
    assert edges(report, to=a["diamond"]) == sorted([
        (council, "change_owner", "transferOwnership(address)", 0), (council, "mint", "mint(address,uint256)", 0),
        (council, "set_parameter", "diamondCut(Diamond.Facet[])", 0), (council, "upgrade", "diamondCut(Diamond.Facet[])", 0)])
    safe = node(report, council)
    assert (safe["kind"], safe["threshold"], safe["owners"]) == ("multisig", 1, [a["deployer"], a["safe_owner_a"]])
    assert safe["details"] == {"modules": [a["holder"]], "guard": a["safe_guard"]}
    assert edges(report, to=council) == sorted([
        (a["deployer"], "sign (1-of-2)", "", 0), (a["safe_owner_a"], "sign (1-of-2)", "", 0),
        (a["holder"], "execute as module (no threshold)", "", 0)])
    mint = next(f for f in report["findings"] if f["rule"] == "economic-mint")
    assert (mint["contract"], mint["function"]) == ("MintFacet", "mint(address,uint256)")
    assert mint["holder"] == f"Safe 1-of-2 {short(council)} (any one owner acts alone), no delay"
    # the module acts without the threshold: a key of its own beside the Safe
    upgrade = power(report, a["diamond"], "diamondCut(Diamond.Facet[])", "upgrade")
    assert [(k["address"], k["kind"], k["delay"]) for k in upgrade["keys"]] == sorted(
        [(a["holder"], "eoa", 0), (council, "multisig", 0)], key=lambda k: k[0])


def test_powers_name_the_keys_at_the_end_of_each_path_with_their_shortest_delay(system):
    _, a, _, _ = system
    report = scan(system, "proxied_token")
    upgrade = power(report, a["proxied_token"], "upgradeToAndCall(address,bytes)", "upgrade")
    assert [(k["address"], k["kind"], k["threshold"], k["owners"], k["delay"]) for k in upgrade["keys"]] == [(a["safe"], "multisig", 2, 3, 0)]
    report = scan(system, "timelock")
    # the governor proposes; the deployer, still admin, can grant itself the proposer role: both wait the delay
    delay = power(report, a["timelock"], "updateDelay(uint256)", "change_delay")
    assert delay["min_delay"] == 2 * 24 * 3600
    assert {(k["address"], k["kind"]) for k in delay["keys"]} == {(a["governor"], "governor"), (a["deployer"], "eoa")}
    report = scan(system, "renounced_token")
    assert power(report, a["renounced_token"], "mint(address,uint256)", "mint")["min_delay"] is None


def test_targets_on_two_chains_are_resolved_each_on_its_own_chain(system):
    url, a, stub, env = system
    verified = verified_sources(a)[a["mintable_token"]]
    with Devnet(chain_id=OTHER_CHAIN) as other:
        # from an account that deployed nothing on the first chain: another address there
        token = deploy_contract(other.url, "MintableToken", a["minter_b"], sender=9)
        name, unit, sources, settings = verified
        stub.etherscan[(OTHER_CHAIN, token.lower())] = Contract(name, "0.8.37+commit.00000000", sources, settings=settings, target=unit)
        both = {**env, "INSPECTOR_RPC_ANVIL": url, f"INSPECTOR_RPC_{OTHER_CHAIN}": other.url}
        code, out, err = run(both, f"anvil:{a['mintable_token']}", f"{OTHER_CHAIN}:{token}", "--format", "json", "--fail-on", "none")
        assert code == 0, err
        report = json.loads(out)
        assert report["control_graph"]["chain"] == f"anvil, {OTHER_CHAIN}"
        assert (a["holder"], "mint", "mint(address,uint256)", 0) in edges(report, to=a["mintable_token"])
        assert (a["minter_b"], "mint", "mint(address,uint256)", 0) in edges(report, to=token)
        # one source on two chains is one finding, held on each chain by its own key
        [mint] = [f for f in report["findings"] if f["rule"] == "economic-mint"]
        assert mint["holder"] == f"EOA {short(a['holder'])}, no delay; EOA {short(a['minter_b'])}, no delay"

        # the deployer's first contract sits at the same address on both chains: two contracts one graph cannot tell apart
        twin = deploy_contract(other.url, "MintableToken", a["minter_b"])
        assert twin == a["safe_singleton"]
        stub.etherscan[(OTHER_CHAIN, twin.lower())] = Contract(name, "0.8.37+commit.00000000", sources, settings=settings, target=unit)
        code, _, err = run(both, f"anvil:{a['safe_singleton']}", f"{OTHER_CHAIN}:{twin}")
        assert code == 2
        assert err == f"error: contract {twin} appears on more than one scanned chain ({OTHER_CHAIN}) (scan each chain's targets in a separate run)\n"


def deduction(report, capability):
    [found] = [d for d in report["score"]["deductions"] if d["capability"] == capability]
    return found


def test_the_score_weighs_each_power_by_the_keys_the_chain_shows(system):
    _, a, _, _ = system
    citing = lambda report, capability: sorted(  # noqa: E731
        f["id"] for f in report["findings"] if any(e["note"].startswith(capability + ":") for e in f["evidence"]))
    # a token owned by a Compound-style timelock (2 days): the mint waits the delay, 0.7 of its weight;
    # the rules read the chain first, so no rule reports the timelocked mint as a key's power
    report = scan(system, "timelocked_token")
    mint = deduction(report, "mint")
    assert (mint["axis"], mint["points"], mint["holder_factor"], mint["unresolved"]) == ("economic_control", 56.0, 0.7, False)
    assert mint["finding_ids"] == citing(report, "mint") == []
    # from its source alone the owner is a key: the mint is reported
    _, _, _, env = system
    code, out, err = run(env, f"anvil:{a['timelocked_token']}", "--format", "json", "--fail-on", "none")
    assert code == 0, err
    assert len(citing(json.loads(out), "mint")) == 2
    assert report["score"]["stage"] == 0 and report["score"]["unresolved_note"] == ""
    # upgrades of the transparent proxy go through a Safe 2-of-3: 1.2 / 2 of the weight
    report = scan(system, "proxied_token")
    assert (deduction(report, "upgrade")["points"], deduction(report, "upgrade")["holder_factor"]) == (80 * 0.6, 0.6)
    assert deduction(report, "mint")["points"] == 80.0  # the deployer's EOA mints at once
    # an owner renounced: its powers are nobody's and take nothing
    report = scan(system, "renounced_token")
    assert [d for d in report["score"]["deductions"] if d["capability"] == "mint"] == []
    assert (report["score"]["stage"], report["score"]["complete"]) == (2, True)


def _rules(report, *rules):
    return sorted((f["rule"], f["contract"], f["function"], f["principal"]) for f in report["findings"] if f["rule"] in rules)


UPGRADE = "upgradeToAndCall(address,bytes)"
BYPASS_RULES = ("timelock-bypass", "upgrade-no-timelock", "admin-key-single-owner")


def test_an_admin_key_beside_the_timelock_is_a_bypass_and_the_timelock_is_read_as_one(system):
    _, a, _, _ = system
    report = scan(system, "emergency_token")
    assert _rules(report, *BYPASS_RULES) == [("timelock-bypass", "EmergencyUpgradeToken", UPGRADE, "admin"),
                                             ("upgrade-no-timelock", "EmergencyUpgradeToken", UPGRADE, "admin")]
    [bypass] = [f for f in report["findings"] if f["rule"] == "upgrade-no-timelock"]
    # the timelock beside it is one on chain: only the admin key is outside governance
    assert bypass["message"].startswith(f"'admin' can upgrade EmergencyUpgradeToken through {UPGRADE} with no delay [held by "
                                        f"EOA {short(a['pauser'])}, no delay; TimelockController (2 days delay) {short(a['settled_timelock'])}")


def test_a_variable_named_like_a_timelock_that_holds_an_eoa_is_a_key(system):
    url, a, _, env = system
    pauser = short(a["pauser"])
    # from the code alone (its implementation's verified source, no RPC), 'timelockAdmin' is a
    # timelock by its name: nothing to report
    code, out, err = run(env, f"anvil:{a['named_timelock_token_impl']}", "--format", "json", "--fail-on", "none")
    assert code == 0, err
    assert _rules(json.loads(out), *BYPASS_RULES) == []
    # the chain shows an EOA: every rule that took it for governance reports it, and says why
    report = scan(system, "named_timelock_token")
    assert _rules(report, *BYPASS_RULES) == [(rule, "NamedTimelockToken", UPGRADE, "timelockAdmin") for rule in sorted(BYPASS_RULES)]
    said = f"(on chain 'timelockAdmin' is EOA {pauser}, not a timelock or governor) [held by EOA {pauser}, no delay]"
    by_rule = {f["rule"]: f["message"] for f in report["findings"]}
    assert by_rule["timelock-bypass"] == (f"'timelockAdmin' can delegatecall through NamedTimelockToken.{UPGRADE} without waiting "
                                          f"on the timelock {said}")
    assert by_rule["upgrade-no-timelock"] == f"'timelockAdmin' can upgrade NamedTimelockToken through {UPGRADE} with no delay {said}"
    # the same code where the variable holds the timelock: governance, read from the chain
    assert _rules(scan(system, "governed_named_token"), *BYPASS_RULES) == []


def test_an_owner_that_is_a_timelock_on_chain_is_governance(system):
    _, a, _, _ = system
    # the same code, owned by an EOA: a key upgrades at once
    assert [r for r in _rules(scan(system, "uups_token"), *BYPASS_RULES) if r[2] == UPGRADE] == [
        ("admin-key-single-owner", "UUPSToken", UPGRADE, "OwnableStorage._owner"),
        ("upgrade-no-timelock", "UUPSToken", UPGRADE, "OwnableStorage._owner")]
    # owned by a TimelockController: the chain shows governance where the code sees an owner
    report = scan(system, "timelocked_uups_token")
    assert _rules(report, *BYPASS_RULES) == []
    [proxy_present] = [f for f in report["findings"] if f["rule"] == "upgrade-proxy-present" and f["contract"] == "UUPSToken"]
    assert f"[held by TimelockController (2 days delay) {short(a['settled_timelock'])}" in proxy_present["message"]


def test_multisig_thresholds_come_from_the_chain(system):
    _, a, _, _ = system
    council = short(a["council_safe"])
    report = scan(system, "council_safe")
    [low] = [f for f in report["findings"] if f["rule"] == "multisig-low-threshold"]
    assert (low["contract"], low["function"], low["severity"]) == ("Safe", "", "high")
    assert low["message"].startswith(f"Safe at {council} is 1-of-2 on chain: a threshold under the minimum of 2 (any one owner "
                                     "acts alone); 2 owners, under the minimum of 3 [on chain: ")
    # a 2-of-3 Safe meets both minimums: the code (a Safe's threshold is set at setup) had nothing to say either
    assert [f for f in scan(system, "safe")["findings"] if f["rule"] == "multisig-low-threshold"] == []
    # a wallet under the minimums holding a contract's powers: once per address, however many facets share it
    diamond = scan(system, "diamond")
    [held] = [f for f in diamond["findings"] if f["rule"] == "multisig-low-threshold"]
    assert (held["contract"], held["function"], held["principal"]) == ("Diamond", "diamondCut(Diamond.Facet[])", "DiamondStorage.contractOwner")
    assert held["message"].startswith(f"'DiamondStorage.contractOwner', which Diamond.diamondCut(Diamond.Facet[]) needs, is held on "
                                      f"chain by Safe 1-of-2 {council}: a threshold under the minimum of 2 (any one owner acts alone); 2 "
                                      "owners, under the minimum of 3 [held by ")


def test_a_timelock_delay_is_the_chains(system, tmp_path):
    _, a, _, _ = system
    config = tmp_path / "inspector.toml"
    config.write_text("[thresholds]\ntimelock_min_delay_hours = 72\n")
    # TimelockController keeps its delay in storage, set by its constructor: only the chain knows it
    report = scan(system, "timelock", "--config", config)
    [short_delay] = [f for f in report["findings"] if f["rule"] == "timelock-short-delay"]
    assert (short_delay["contract"], short_delay["severity"]) == ("TimelockController", "medium")
    assert short_delay["message"].startswith(f"TimelockController at {short(a['timelock'])} waits 2 days on chain, "
                                             "under the 72-hour threshold")
    assert [f for f in scan(system, "timelock")["findings"] if f["rule"] == "timelock-short-delay"] == []


def project_scan(system, label, *args):
    url, addresses, _, env = system
    code, out, err = run(env, f"anvil:{addresses[label]}", "--rpc", url, "--project", DEPLOYED, "--optimize", "--evm-version",
                         "cancun", "--fail-on", "none", *args)
    assert code == 0, err
    return out


def names(report, *addresses):
    return [(node(report, address)["name"], node(report, address)["name_source"]) for address in addresses]


def test_contracts_the_graph_reaches_are_named_by_the_project(system):
    _, a, _, _ = system
    report = json.loads(project_scan(system, "proxied_token", "--format", "json"))
    # the ProxyAdmin the proxy made, and the Safe that owns it (its proxy, and the singleton behind)
    assert names(report, a["proxy_admin"], a["safe"]) == [("ProxyAdmin", "project"), ("SafeProxy → Safe", "project")]
    # a scanned target is labelled with what was analysed there, not named again
    assert names(report, a["proxied_token"]) == [(None, None)]
    assert node(report, a["proxied_token"])["label"] == "ProxiedToken via EIP-1967 proxy"
    upgrade = next(f for f in report["findings"] if f["rule"] == "upgrade-no-timelock")
    assert upgrade["holder"] == f"ProxyAdmin {short(a['proxy_admin'])} owned by Safe 2-of-3 {short(a['safe'])}, no delay"
    # the governor's voting token, reached from the timelock through the governor
    report = json.loads(project_scan(system, "timelock", "--format", "json"))
    assert names(report, a["dao_token"], a["governor"]) == [("DaoToken", "project"), ("DaoGovernor", "project")]
    text = project_scan(system, "proxied_token")
    assert (f"  Safe 2-of-3 {short(a['safe'])} (SafeProxy → Safe, named by project) -> owner on ProxyAdmin "
            f"{short(a['proxy_admin'])} (named by project)\n") in text


def test_contracts_the_graph_reaches_are_named_by_fingerprint_without_a_project(system):
    _, a, _, _ = system
    report = scan(system, "proxied_token")
    assert names(report, a["proxy_admin"], a["safe"]) == [("OpenZeppelin ProxyAdmin (5.x)", "bytecode fingerprint"),
                                                          ("Safe proxy → Safe singleton", "bytecode fingerprint")]
    report = scan(system, "timelock")
    assert names(report, a["dao_token"], a["governor"]) == [("ERC20Votes token", "bytecode fingerprint"),
                                                            ("OpenZeppelin Governor", "bytecode fingerprint")]


def test_a_reached_contract_no_fingerprint_matches_stays_unnamed(system):
    url, a, stub, env = system
    # a token owned by the fee collector: a contract of the project, but no well-known one
    token = deploy_contract(url, "MintableToken", a["fee_collector"])
    name, unit, sources, settings = verified_sources(a)[a["mintable_token"]]
    stub.etherscan[(31337, token.lower())] = Contract(name, "0.8.37+commit.00000000", sources, settings=settings, target=unit)
    code, out, err = run(env, f"anvil:{token}", "--rpc", url, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    report = json.loads(out)
    owner = node(report, a["fee_collector"])
    assert (owner["kind"], owner["label"], owner["name"], owner["name_source"]) == ("contract", "contract", None, None)
    code, out, err = run(env, f"anvil:{token}", "--rpc", url, "--fail-on", "none")
    assert f"  contract {short(a['fee_collector'])} (code unnamed) -> mint via mint(address,uint256) on MintableToken {short(token)}\n" in out
    code, out, err = run(env, f"anvil:{token}", "--rpc", url, "--fail-on", "none", "--format", "markdown")
    assert "code unnamed" in out
    # with the project, the same code is named
    code, out, err = run(env, f"anvil:{token}", "--rpc", url, "--project", DEPLOYED, "--optimize", "--evm-version", "cancun",
                         "--format", "json", "--fail-on", "none")
    assert code == 0, err
    assert names(json.loads(out), a["fee_collector"]) == [("FeeCollector", "project")]


def test_the_demo_scans_every_system_it_deploys(system):
    """Each label deploy() returns is a target of `devnet.py --scan` or is set aside with a reason."""
    _, a, _, _ = system
    assert not set(SYSTEM_TARGETS) & set(NOT_TARGETS)
    assert sorted(a) == sorted([*SYSTEM_TARGETS, *NOT_TARGETS])
    assert all(reason for reason in NOT_TARGETS.values())
    assert len(SYSTEM_TARGETS) == len(set(SYSTEM_TARGETS))
