"""Guard and capability facts on the negative fixture: modifiers that do not look at the
caller are not guards, view functions and internal helpers are not entry points, and an
allow-list is not an owner key."""
from __future__ import annotations

import json

import pytest

from conftest import FIXTURES

NEGATIVE = FIXTURES / "admin-key-single-owner" / "negative"


@pytest.fixture(scope="module")
def contracts(request):
    from click.testing import CliRunner
    from inspector.cli import cli

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(NEGATIVE)
    result = CliRunner(mix_stderr=False).invoke(cli, ["scan", "NotSingleKey.sol", "--format", "json", "--fail-on", "none"])
    monkeypatch.undo()
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    return {c["name"]: {e["function"]: e for e in c["entry_points"]} for c in report["facts"]["contracts"]}


def test_non_caller_modifiers_are_not_guards(contracts):
    assert contracts["Staking"]["stake()"]["guards"] == [{"kind": "anyone", "detail": ""}]
    assert contracts["Staking"]["unstake(uint256)"]["guards"] == [{"kind": "anyone", "detail": ""}]


def test_modifier_bookkeeping_is_not_a_capability(contracts):
    # nonReentrant writes `locked`, but that is the modifier's, not a power of the caller
    assert contracts["Staking"]["stake()"]["capabilities"] == []


def test_view_functions_and_internal_helpers_are_not_entry_points(contracts):
    assert contracts["Reporter"] == {}


def test_allow_list_is_a_custom_guard_not_an_owner(contracts):
    entry = contracts["Registry"]["setRecord(bytes32,address)"]
    assert entry["guards"] == [{"kind": "custom", "detail": "isOperator[msg.sender]"}]
    assert [(c["name"], c["detail"], c["line"]) for c in entry["capabilities"]] == [("set_parameter", "records", 62)]


def test_immutable_and_constant_callers_are_fixed_addresses_not_owners(contracts):
    assert contracts["Wrapper"]["onTokenReceived(address,uint256)"]["guards"] == [{"kind": "address", "detail": "underlying"}]
    assert contracts["Wrapper"]["skim(uint256)"]["guards"] == [
        {"kind": "address", "detail": "0x000000000000000000000000000000000000dEaD"}]


# -- patterns beyond the basic owner check ----------------------------------------------------------
PATTERNS = FIXTURES / "facts-patterns"


def _facts(folder, target):
    from click.testing import CliRunner
    from inspector.cli import cli

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(folder)
    result = CliRunner(mix_stderr=False).invoke(cli, ["scan", target, "--format", "json", "--fail-on", "none"])
    monkeypatch.undo()
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_diamond_owner_checked_inside_a_library_through_namespaced_storage():
    report = _facts(PATTERNS, "Diamond.sol")
    [diamond] = report["facts"]["contracts"]
    assert diamond["standards"] == {"proxy": "EIP-2535 diamond"}
    entries = {e["function"]: e for e in diamond["entry_points"]}
    cut = entries["diamondCut(bytes4,address)"]
    assert cut["guards"] == [{"kind": "owner", "detail": "DiamondStorage.contractOwner"}]
    assert [(c["name"], c["detail"], c["line"]) for c in cut["capabilities"]] == [("upgrade", "DiamondStorage.selectorToFacet", 37)]
    assert entries["fallback()"]["guards"] == [{"kind": "anyone", "detail": ""}]
    assert [(c["name"], c["line"]) for c in entries["transferOwnership(address)"]["capabilities"]] == [("change_owner", 26)]
    rules = sorted((f["rule"], f["function"], f["line"]) for f in report["findings"])
    assert ("upgrade-no-timelock", "diamondCut(bytes4,address)", 35) in rules
    assert ("admin-key-single-step-transfer", "transferOwnership(address)", 40) in rules


# -- patterns from real code (issue 10) ------------------------------------------------------------
REAL_PATTERNS = FIXTURES / "real-patterns"


def _contracts(report):
    return {c["name"]: c for c in report["facts"]["contracts"]}


def test_a_pending_owner_only_the_owner_names_is_a_nominee_and_a_stored_former_owner_is_not():
    negative = _contracts(_facts(REAL_PATTERNS / "two-step-ownership" / "negative", "HandoverToken.sol"))
    assert negative["HandoverToken"]["nominees"] == {"newOwner": ["owner"]}
    assert negative["ClaimableVault"]["nominees"] == {"pendingOwner": ["owner"]}  # cleared with `delete`
    positive = _contracts(_facts(REAL_PATTERNS / "two-step-ownership" / "positive", "RestorableToken.sol"))
    # `formerOwner = owner` records the owner itself, not an address the owner chose; the
    # recovery key is chosen by the owner but never cleared: a standing key, not an offer
    assert positive["RestorableToken"]["nominees"] == {"pendingOwner": ["owner"]}


def _entries(contract):
    return {e["function"]: e for e in contract["entry_points"]}


def test_what_runs_only_once_enough_owners_confirmed_is_the_quorums():
    gnosis = _entries(_contracts(_facts(REAL_PATTERNS / "multisig-confirmations" / "negative", "ConfirmedWallet.sol"))["ConfirmedWallet"])
    # `if (isConfirmed(id))`: a loop counts confirmations and returns true once `count == required`
    for function in ("submitTransaction(address,uint256,bytes)", "confirmTransaction(uint256)", "executeTransaction(uint256)"):
        [pay] = [c for c in gnosis[function]["capabilities"] if c["name"] == "withdraw_funds"]
        assert pay["guards"] == [{"kind": "custom", "detail": "M-of-N owner signatures"}], function
    assert gnosis["addOwner(address)"]["guards"] == [{"kind": "self", "detail": "this"}]
    council = _entries(_contracts(_facts(REAL_PATTERNS / "multisig-confirmations" / "positive", "CouncilWallet.sol"))["CouncilWallet"])
    [add] = [c for c in council["voteAddOwner(address)"]["capabilities"] if c["name"] == "change_threshold"]
    assert add["guards"] == [{"kind": "custom", "detail": "M-of-N owner signatures"}]  # `approvals(motion) >= required`
    [pay] = [c for c in council["execute(uint256)"]["capabilities"] if c["name"] == "withdraw_funds"]
    assert pay["guards"] == [{"kind": "custom", "detail": "M-of-N owner signatures"}]  # `payment.confirmations >= required`
    [swap] = council["replaceOwner(address,address)"]["capabilities"]
    assert (swap["name"], swap.get("guards")) == ("change_threshold", None)


def test_writes_through_library_storage_pointers_are_the_contracts_own():
    market = _entries(_contracts(_facts(REAL_PATTERNS / "library-storage-writes" / "positive", "LendingMarket.sol"))["LendingMarket"])

    def caps(function):
        return [(c["name"], c["detail"], c["line"], c["bound"]) for c in market[function]["capabilities"]]

    assert market["setProtocolFee(uint256)"]["guards"] == [{"kind": "owner", "detail": "settings.admin"}]
    assert caps("setProtocolFee(uint256)") == [("set_fee", "settings.protocolFee", 26, "")]  # `using ... for`
    assert caps("setFlashFee(uint256)") == [("set_fee", "settings.flashFee", 31, "<= MAX_FLASH_FEE")]  # an external library function
    assert caps("setOracle(address,address)") == [("set_parameter", "markets", 37, "")]  # an entry of a mapping, as inline
    assert caps("setBorrowCap(address,uint256)") == [("set_parameter", "markets", 41, "")]  # the mapping itself
    book = _entries(_contracts(_facts(REAL_PATTERNS / "library-storage-writes" / "negative", "StakingBook.sol"))["StakingBook"])
    assert [book[f]["capabilities"] for f in ("stake()", "unstake(uint256)", "quote(uint256,uint256)")] == [[], [], []]


def test_selectors_a_fallback_dispatches_are_entry_points_of_their_own():
    report = _contracts(_facts(REAL_PATTERNS / "fallback-selectors" / "positive", "."))
    gate = _entries(report["GateProxy"])
    assert report["GateProxy"]["standards"] == {"proxy": "EIP-1967 transparent"}  # compares msg.sig: not a diamond
    assert sorted(gate) == ["fallback()", "receive()", "upgradeToAndCall(address,bytes)"]  # IGate.upgradeToAndCall.selector
    upgrade = gate["upgradeToAndCall(address,bytes)"]
    assert (upgrade["declared_in"], upgrade["line"], upgrade["guards"]) == ("GateProxy", 26, [{"kind": "address", "detail": "gatekeeper"}])
    assert [(c["name"], c["detail"], c["line"]) for c in upgrade["capabilities"]] == [("upgrade", "IMPLEMENTATION_SLOT", 44)]
    assert gate["fallback()"]["capabilities"] == [] and gate["receive()"]["capabilities"] == []
    legacy = _entries(report["LegacyAdminProxy"])
    # a literal selector (0x3659cfe6) and a hashed signature (bytes4(keccak256("changeAdmin(address)")))
    assert [(c["name"], c["detail"]) for c in legacy["upgradeTo(address)"]["capabilities"]] == [("upgrade", "implementation")]
    assert [(c["name"], c["detail"]) for c in legacy["changeAdmin(address)"]["capabilities"]] == [("change_owner", "steward")]
    assert legacy["upgradeTo(address)"]["guards"] == [{"kind": "owner", "detail": "steward"}]
    assert legacy["fallback()"]["capabilities"] == []


def test_a_beacon_proxy_is_not_transparent_and_a_selector_getter_is_no_entry_point():
    report = _contracts(_facts(REAL_PATTERNS / "fallback-selectors" / "negative", "."))
    beacon = report["RelayBeaconProxy"]
    assert beacon["standards"] == {"proxy": "EIP-1967 beacon proxy"}
    assert [e["function"] for e in beacon["entry_points"]] == ["fallback()"]  # `beacon()` is answered, not dispatched
    assert [e["function"] for e in report["RouterV05"]["entry_points"]] == ["fallback()"]
