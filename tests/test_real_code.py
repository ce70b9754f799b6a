"""Real contracts nobody here wrote, installed from npm at pinned versions: the facts and
findings an auditor would expect, and silence where there is nothing to find. A false
positive on well-known safe code is a bug."""
from __future__ import annotations

import json

import pytest

from conftest import DEPLOYED, FIXTURES, REAL

OZ5 = REAL / "oz5-system"
OZ4 = FIXTURES / "hardhat-oz4"
OZ3 = REAL / "oz3"


@pytest.fixture(scope="module")
def scan(request):
    from click.testing import CliRunner
    from inspector.cli import cli

    cache: dict[tuple, dict] = {}

    def run(project, target):
        key = (str(project), target)
        if key not in cache:
            monkeypatch = pytest.MonkeyPatch()
            monkeypatch.chdir(project)
            result = CliRunner(mix_stderr=False).invoke(cli, ["scan", target, "--format", "json", "--fail-on", "none"])
            monkeypatch.undo()
            assert result.exit_code == 0, result.stderr
            cache[key] = json.loads(result.stdout)
        return cache[key]

    return run


def contract(report, name):
    return next(c for c in report["facts"]["contracts"] if c["name"] == name)


def entry(report, name, function):
    return next(e for e in contract(report, name)["entry_points"] if e["function"] == function)


def findings(report, name):
    return sorted((f["rule"], f["severity"], f["function"], f["line"], f["principal"]) for f in report["findings"] if f["contract"] == name)


def guards(e):
    return [(g["kind"], g["detail"]) for g in e["guards"]]


# -- OpenZeppelin 5: a DAO (ERC20Votes + Governor + TimelockController) ---------------------------
def test_voting_token_with_no_admin_raises_nothing(scan):
    report = scan(DEPLOYED, "contracts/Dao.sol")
    assert contract(report, "DaoToken")["standards"] == {"token": "ERC20 with votes"}
    assert findings(report, "DaoToken") == []


def test_governor_acts_only_through_its_timelock(scan):
    report = scan(DEPLOYED, "contracts/Dao.sol")
    assert contract(report, "DaoGovernor")["standards"] == {"governor": "OpenZeppelin Governor"}
    relay = entry(report, "DaoGovernor", "relay(address,uint256,bytes)")
    assert relay["guards"] == [{"kind": "owner", "detail": "_timelock", "contract": "TimelockController"}]
    assert guards(entry(report, "DaoGovernor", "setVotingDelay(uint48)")) == [("owner", "_timelock")]
    assert findings(report, "DaoGovernor") == []


def test_treasury_owned_by_an_address_reads_as_one_key(scan):
    report = scan(OZ5, "contracts/GovernedSystem.sol")
    assert ("admin-key-single-owner", "medium", "setGrantBudget(uint256)", 14, "_owner") in findings(report, "DaoTreasury")


def test_timelock_controller_reads_as_a_timelock(scan):
    report = scan(OZ5, "node_modules/@openzeppelin/contracts/governance/TimelockController.sol")
    timelock = contract(report, "TimelockController")
    assert timelock["standards"] == {"timelock": "OpenZeppelin TimelockController"}
    # the roles it hands the accounts of its constructor's arrays (`_grantRole(PROPOSER_ROLE, proposers[i])`)
    assert timelock["constructor_grants"] == [{"role": "DEFAULT_ADMIN_ROLE", "grantee": "self"},
                                              {"role": "DEFAULT_ADMIN_ROLE", "grantee": "<admin>"},
                                              {"role": "PROPOSER_ROLE", "grantee": "<proposers[]>"},
                                              {"role": "CANCELLER_ROLE", "grantee": "<proposers[]>"},
                                              {"role": "EXECUTOR_ROLE", "grantee": "<executors[]>"}]
    assert guards(entry(report, "TimelockController", "updateDelay(uint256)")) == [("self", "this")]
    schedule = entry(report, "TimelockController", "schedule(address,uint256,bytes,bytes32,bytes32,uint256)")
    assert schedule["guards"] == [{"kind": "role", "detail": "PROPOSER_ROLE", "admin": "DEFAULT_ADMIN_ROLE"}]
    execute = entry(report, "TimelockController", "execute(address,uint256,bytes,bytes32,bytes32)")
    assert guards(execute) == [("role", "EXECUTOR_ROLE")]
    assert "arbitrary_call" in [c["name"] for c in execute["capabilities"]]
    assert findings(report, "TimelockController") == [
        ("admin-key-role-admin", "medium", "grantRole(bytes32,address)", 122, "DEFAULT_ADMIN_ROLE"),
        ("timelock-admin-kept", "medium", "", 24, "<admin>"),
    ]


# -- OpenZeppelin 5 proxies ------------------------------------------------------------------
def test_token_behind_a_transparent_proxy(scan):
    report = scan(OZ5, "contracts/ProxiedToken.sol")
    proxy = contract(report, "TokenProxy")
    assert proxy["standards"] == {"proxy": "EIP-1967 transparent"}
    fallback = entry(report, "TokenProxy", "fallback()")
    assert guards(fallback) == [("anyone", "")]  # users call through it
    assert fallback["capabilities"] == []  # it only delegates
    # the admin's one call exists only as a selector check inside `_fallback`
    upgrade = entry(report, "TokenProxy", "upgradeToAndCall(address,bytes)")
    assert (upgrade["declared_in"], upgrade["file"], upgrade["line"]) == (
        "TransparentUpgradeableProxy", "@openzeppelin/contracts/proxy/transparent/TransparentUpgradeableProxy.sol", 97)
    assert upgrade["guards"] == [{"kind": "address", "detail": "_admin", "contract": "ProxyAdmin"}]
    assert [c["name"] for c in upgrade["capabilities"]] == ["upgrade"]
    assert findings(report, "TokenProxy") == [
        ("upgrade-no-timelock", "high", "upgradeToAndCall(address,bytes)", 97, "_admin"),
        ("upgrade-proxy-present", "medium", "upgradeToAndCall(address,bytes)", 97, "_admin"),
    ]


def test_upgradeable_token_implementation_is_locked_and_owned(scan):
    report = scan(OZ5, "contracts/ProxiedToken.sol")
    token = contract(report, "TokenV1")
    assert token["disables_initializers"] is True
    assert guards(entry(report, "TokenV1", "mint(address,uint256)")) == [("owner", "OwnableStorage._owner")]
    assert entry(report, "TokenV1", "initialize(address)")["initializer"] == "guarded"
    assert "upgrade-uninitialized-implementation" not in {f[0] for f in findings(report, "TokenV1")}
    assert ("economic-mint", "high", "mint(address,uint256)", 21, "OwnableStorage._owner") in findings(report, "TokenV1")


def test_proxy_admin_upgrades_with_one_key(scan):
    report = scan(OZ5, "node_modules/@openzeppelin/contracts/proxy/transparent/ProxyAdmin.sol")
    upgrade = entry(report, "ProxyAdmin", "upgradeAndCall(ITransparentUpgradeableProxy,address,bytes)")
    assert guards(upgrade) == [("owner", "_owner")]
    assert [c["name"] for c in upgrade["capabilities"]] == ["upgrade"]
    assert ("upgrade-no-timelock", "high", "upgradeAndCall(ITransparentUpgradeableProxy,address,bytes)", 38, "_owner") in findings(report, "ProxyAdmin")


def test_beacon_proxy_and_its_beacon(scan):
    proxy = scan(OZ5, "node_modules/@openzeppelin/contracts/proxy/beacon/BeaconProxy.sol")
    assert contract(proxy, "BeaconProxy")["standards"] == {"proxy": "EIP-1967 beacon proxy"}
    assert findings(proxy, "BeaconProxy") == [("upgrade-proxy-present", "medium", "", 23, "outside")]
    beacon = scan(OZ5, "node_modules/@openzeppelin/contracts/proxy/beacon/UpgradeableBeacon.sol")
    assert guards(entry(beacon, "UpgradeableBeacon", "upgradeTo(address)")) == [("owner", "_owner")]
    assert ("upgrade-no-timelock", "high", "upgradeTo(address)", 52, "_owner") in findings(beacon, "UpgradeableBeacon")


# -- OpenZeppelin 4.9 proxies: the admin's functions are selectors the fallback dispatches ----------
OZ4_PROXY = "node_modules/@openzeppelin/contracts/proxy"


def test_oz4_transparent_proxy_reports_each_dispatched_admin_function(scan):
    report = scan(OZ4, f"{OZ4_PROXY}/transparent/TransparentUpgradeableProxy.sol")
    proxy = contract(report, "TransparentUpgradeableProxy")
    assert proxy["standards"] == {"proxy": "EIP-1967 transparent"}
    assert [e["function"] for e in proxy["entry_points"]] == [
        "changeAdmin(address)", "fallback()", "receive()", "upgradeTo(address)", "upgradeToAndCall(address,bytes)"]
    for function, line, power in (("upgradeTo(address)", 88, "upgrade"), ("upgradeToAndCall(address,bytes)", 90, "upgrade"),
                                  ("changeAdmin(address)", 92, "change_owner")):
        dispatched = entry(report, "TransparentUpgradeableProxy", function)
        assert dispatched["line"] == line and dispatched["guards"] != [{"kind": "anyone", "detail": ""}], function
        assert power in {c["name"] for c in dispatched["capabilities"]}, function
    # the delegation path, and receive(), whose empty calldata matches no selector, change nothing
    for function in ("fallback()", "receive()"):
        assert entry(report, "TransparentUpgradeableProxy", function)["capabilities"] == []


def test_oz4_beacon_and_erc1967_proxies_are_not_transparent(scan):
    # both inherit ERC1967Upgrade, which declares the admin slot; neither ever reads it
    beacon = scan(OZ4, f"{OZ4_PROXY}/beacon/BeaconProxy.sol")
    assert contract(beacon, "BeaconProxy")["standards"] == {"proxy": "EIP-1967 beacon proxy"}
    plain = scan(OZ4, f"{OZ4_PROXY}/ERC1967/ERC1967Proxy.sol")
    assert contract(plain, "ERC1967Proxy")["standards"] == {"proxy": "EIP-1967"}


def test_access_manager_guards_every_admin_function(scan):
    report = scan(OZ5, "node_modules/@openzeppelin/contracts/access/manager/AccessManager.sol")
    manager = contract(report, "AccessManager")
    assert manager["standards"] == {"access_manager": "OpenZeppelin AccessManager"}
    for function in ("grantRole(uint64,address,uint32)", "setTargetFunctionRole(address,bytes4[],uint64)", "setRoleAdmin(uint64,uint64)"):
        assert guards(entry(report, "AccessManager", function)) == [("role", "AccessManager")], function
    assert guards(entry(report, "AccessManager", "renounceRole(uint64,address)")) == [("anyone", "")]
    # cancel: `if (msgsender != caller) { require(isAdmin || isGuardian) }`: whoever scheduled an
    # operation cancels it, and the admin or the role's guardian cancels anyone's
    cancel = entry(report, "AccessManager", "cancel(address,address,bytes)")
    assert guards(cancel) == [("user", "caller"), ("role", "ADMIN_ROLE"), ("role", "<_targets[]>")]  # the guardian of the role the target function needs
    assert findings(report, "AccessManager") == [
        ("admin-key-acts-for-users", "high", "cancel(address,address,bytes)", 526, "ADMIN_ROLE | <_targets[]>")]


def test_plain_erc20_has_no_admin_and_no_findings(scan):
    report = scan(OZ5, "node_modules/@openzeppelin/contracts/token/ERC20/ERC20.sol")
    erc20 = contract(report, "ERC20")
    assert erc20["standards"] == {"token": "ERC20"}
    assert all(guards(e) == [("anyone", "")] for e in erc20["entry_points"])
    assert all(not e["capabilities"] for e in erc20["entry_points"])
    assert report["findings"] == []


# -- Safe 1.4.1 ----------------------------------------------------------------------------------
def test_safe_is_a_multisig_that_changes_itself_only_through_its_owners(scan):
    report = scan(OZ5, "node_modules/@safe-global/safe-contracts/contracts/Safe.sol")
    assert contract(report, "Safe")["standards"] == {"multisig": "Safe"}
    exec_tx = "execTransaction(address,uint256,bytes,Enum.Operation,uint256,uint256,uint256,address,address,bytes)"
    assert guards(entry(report, "Safe", exec_tx)) == [("custom", "M-of-N owner signatures")]
    for function in ("addOwnerWithThreshold(address,uint256)", "changeThreshold(uint256)", "enableModule(address)", "setGuard(address)"):
        assert guards(entry(report, "Safe", function)) == [("self", "this")], function
    assert guards(entry(report, "Safe", "execTransactionFromModule(address,uint256,bytes,Enum.Operation)")) == [("custom", "modules[msg.sender]")]
    assert entry(report, "Safe", "simulateAndRevert(address,bytes)")["capabilities"] == []
    assert findings(report, "Safe") == [("multisig-control", "info", "", 33, "Safe")]


# -- OpenZeppelin 4.9 and 3.4: roles through AccessControl (and EnumerableSet in 3.x) -----------------
@pytest.mark.parametrize("project, target, mint_line, pause_line", [
    (OZ4, "node_modules/@openzeppelin/contracts/token/ERC20/presets/ERC20PresetMinterPauser.sol", 54, 68),
    (OZ3, "node_modules/@openzeppelin/contracts/presets/ERC20PresetMinterPauser.sol", 51, 65),
])
def test_minter_pauser_preset_roles(scan, project, target, mint_line, pause_line):
    report = scan(project, target)
    mint = entry(report, "ERC20PresetMinterPauser", "mint(address,uint256)")
    assert mint["guards"] == [{"kind": "role", "detail": "MINTER_ROLE", "admin": "DEFAULT_ADMIN_ROLE"}]
    assert contract(report, "ERC20PresetMinterPauser")["constructor_grants"][0] == {"role": "DEFAULT_ADMIN_ROLE", "grantee": "deployer"}
    found = findings(report, "ERC20PresetMinterPauser")
    assert ("economic-mint", "high", "mint(address,uint256)", mint_line, "MINTER_ROLE") in found
    assert ("economic-pausable", "medium", "pause()", pause_line, "PAUSER_ROLE") in found
    assert "admin-key-role-admin" in {f[0] for f in found}


def test_timelock_controller_3_gives_its_admin_role_to_the_deployer(scan):
    report = scan(OZ3, "node_modules/@openzeppelin/contracts/access/TimelockController.sol")
    assert ("timelock-admin-kept", "high", "", 24, "deployer") in findings(report, "TimelockController")


def test_ownable_2_step_is_not_a_single_step_transfer(scan):
    report = scan(OZ5, "node_modules/@openzeppelin/contracts/access/Ownable2Step.sol")
    assert guards(entry(report, "Ownable2Step", "acceptOwnership()")) == [("owner", "_pendingOwner")]
    rules = {f[0] for f in findings(report, "Ownable2Step")}
    assert "admin-key-single-step-transfer" not in rules
    assert "admin-key-reclaimable-ownership" not in rules


def test_access_managed_asks_its_authority(scan):
    report = scan(OZ5, "contracts/ManagedVault.sol")
    limit = entry(report, "ManagedVault", "setWithdrawalLimit(uint256)")
    assert limit["guards"] == [{"kind": "role", "detail": "AccessManager", "admin": ""}]
    assert guards(entry(report, "ManagedVault", "setAuthority(address)")) == [("owner", "_authority")]
    # the authority re-pointing itself is how AccessManaged migrates, not a key's transfer
    assert findings(report, "ManagedVault") == [("economic-fee-settable", "medium", "setWithdrawalLimit(uint256)", 12, "AccessManager")]


def test_erc2771_forwarder_can_speak_for_the_owner(scan):
    report = scan(OZ5, "contracts/MetaTxToken.sol")
    assert guards(entry(report, "MetaTxToken", "setFee(uint256)")) == [("owner", "_owner"), ("forwarder", "_trustedForwarder")]
    found = findings(report, "MetaTxToken")
    assert ("offchain-forwarder", "low", "renounceOwnership()", 76, "_trustedForwarder") in found
    assert ("economic-fee-settable", "medium", "setFee(uint256)", 14, "_owner | _trustedForwarder") in found


# -- bounds through OpenZeppelin 5.1's Math (branchless min and max) -------------------------------
def test_math_min_and_max_bound_what_they_return(scan):
    report = scan(OZ5, "contracts/BoundedFees.sol")
    caps = lambda function: [(c["name"], c["detail"], c["bound"]) for c in entry(report, "FeeSplitter", function)["capabilities"]]
    assert caps("setFee(uint256)") == [("set_fee", "feeBps", "<= MAX_FEE_BPS")]
    assert caps("setMinOrder(uint256)") == [("set_limits", "minOrder", ">= MIN_ORDER_FLOOR")]
    found = findings(report, "FeeSplitter")
    assert ("economic-fee-settable", "low", "setFee(uint256)", 17, "_owner") in found
    assert ("economic-fee-settable", "low", "setMinOrder(uint256)", 21, "_owner") in found


# -- ERC20Votes' storage width is not a cap; ERC20Capped beside it is ------------------------------
def test_votes_max_supply_is_no_cap_but_erc20_capped_is(scan):
    report = scan(OZ5, "contracts/VotesMint.sol")
    mint = lambda name: next(c for c in entry(report, name, "mint(address,uint256)")["capabilities"] if c["name"] == "mint")
    assert mint("OwnedVotesToken")["bound"] == ""  # _maxSupply() is type(uint208).max
    assert mint("CappedVotesToken")["bound"] == "<= _cap"  # reached through ERC20Capped's _update, past Slither's super
    assert ("economic-mint", "high", "mint(address,uint256)", 16, "_owner") in findings(report, "OwnedVotesToken")
    assert ("economic-mint", "medium", "mint(address,uint256)", 33, "_owner") in findings(report, "CappedVotesToken")


# -- issue 10: guards real code writes ---------------------------------------------------------------
def test_transparent_proxy_3_admin_functions_are_guarded_by_its_admin_slot(scan):
    """OpenZeppelin 3.4's `ifAdmin` runs the body for the admin and forwards everyone else:
    a modifier branch, not a require."""
    report = scan(OZ3, "node_modules/@openzeppelin/contracts/proxy/TransparentUpgradeableProxy.sol")
    for function in ("upgradeTo(address)", "upgradeToAndCall(address,bytes)", "changeAdmin(address)"):
        assert guards(entry(report, "TransparentUpgradeableProxy", function)) == [("owner", "slot _ADMIN_SLOT")], function
    assert guards(entry(report, "TransparentUpgradeableProxy", "fallback()")) == [("anyone", "")]
    assert not [f for f in findings(report, "TransparentUpgradeableProxy") if f[1] == "critical"]


def test_erc777_default_operators_act_for_any_holder(scan):
    """`isOperatorFor`: the holder, an operator the holder chose, or a default operator fixed
    at deployment. The default operators can move and burn anyone's tokens (a known ERC-777
    property); holders move their own."""
    report = scan(OZ4, "node_modules/@openzeppelin/contracts/token/ERC777/presets/ERC777PresetFixedSupply.sol")
    send = entry(report, "ERC777PresetFixedSupply", "operatorSend(address,address,uint256,bytes,bytes)")
    assert guards(send) == [("custom", "_defaultOperators[msg.sender]"), ("user", "sender"), ("user", "_operators[][msg.sender]")]
    assert [c["name"] for c in send["capabilities"]] == ["act_for_users"]
    assert [f[:3] for f in findings(report, "ERC777PresetFixedSupply")] == [
        ("admin-key-acts-for-users", "high", "operatorBurn(address,uint256,bytes,bytes)"),
        ("admin-key-acts-for-users", "high", "operatorSend(address,address,uint256,bytes,bytes)"),
        ("offchain-operator-role", "medium", "operatorBurn(address,uint256,bytes,bytes)"),
        ("offchain-operator-role", "medium", "operatorSend(address,address,uint256,bytes,bytes)"),
    ]
