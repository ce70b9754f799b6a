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
