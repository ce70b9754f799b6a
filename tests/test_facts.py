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
    # the token calling its receiver's hook is a contract anyone drives, not a key
    assert contracts["Wrapper"]["onTokenReceived(address,uint256)"]["guards"] == [{"kind": "callback", "detail": "underlying"}]
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
