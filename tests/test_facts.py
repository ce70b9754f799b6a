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


# -- capabilities as an auditor reads them (fixtures/contracts/real-patterns) -------------------------
REAL_PATTERNS = FIXTURES / "real-patterns"


def _capabilities(pattern, target):
    """{contract: {function: [(capability, detail, bound)]}} of one real-pattern fixture."""
    report = _facts(REAL_PATTERNS / pattern, target)
    return {c["name"]: {e["function"]: [(x["name"], x["detail"], x["bound"]) for x in e["capabilities"]]
                        for e in c["entry_points"]} for c in report["facts"]["contracts"]}


def test_a_helper_returning_the_smaller_value_bounds_it_from_above():
    vault = _capabilities("library-clamp-bound/positive", "FeeVault.sol")["FeeVault"]
    assert vault["setFee(uint256)"] == [("set_fee", "feeBps", "<= 1000")]
    assert vault["setWithdrawalLimit(uint256)"] == [("set_limits", "withdrawalLimit", "<= MAX_WITHDRAWAL")]
    token = _capabilities("min-helper-bound/positive", "TaxedToken.sol")["TaxedToken"]
    assert token["setTaxRate(uint256)"] == [("set_fee", "taxRate", "<= MAX_TAX")]
    assert token["setMaxTxAmount(uint256)"] == [("set_limits", "maxTxAmount", ">= MIN_TX_AMOUNT")]


def test_a_helper_that_scales_averages_or_floors_holds_nothing_down():
    vault = _capabilities("library-clamp-bound/negative", "FeeVault.sol")["FeeVault"]
    assert vault["setFee(uint256)"] == [("set_fee", "feeMicros", "")]
    assert vault["setExitFee(uint256)"] == [("set_fee", "exitFeeBps", ">= MIN_FEE")]  # a floor: no ceiling on a fee
    token = _capabilities("min-helper-bound/negative", "TaxedToken.sol")["TaxedToken"]
    assert token["setBurnTaxRate(uint256)"] == [("set_fee", "burnTaxRate", "")]
    assert token["setTaxRate(uint256)"] == [("set_fee", "taxRate", ">= MIN_TAX")]


def test_a_storage_width_is_not_a_supply_cap():
    assert _capabilities("votes-max-supply/positive", "CouncilToken.sol")["CouncilToken"]["mint(address,uint256)"][0] == \
        ("mint", "totalSupply", "")
    assert _capabilities("votes-max-supply/negative", "CappedCouncilToken.sol")["CappedCouncilToken"]["mint(address,uint256)"][0] == \
        ("mint", "totalSupply", "<= _cap")


def test_a_raised_supply_is_a_mint_however_the_era_wrote_it():
    points = _capabilities("safemath-supply-mint/positive", "RewardPoints.sol")["RewardPoints"]
    assert points["award(address,uint256)"] == [("mint", "totalSupply", "")]  # totalSupply.add(x), balances credited
    assert points["expandSupply(uint256)"] == [("mint", "totalSupply", "")]  # the supply alone
    coupon = _capabilities("underscore-supply-mint/positive", "MintableCoupon.sol")["MintableCoupon"]
    assert coupon["mint(address,uint256)"] == [("mint", "totalSupply_", "")]  # what totalSupply() returns
    grant = _capabilities("supply-helper-mint/positive", "GrantToken.sol")["GrantToken"]
    assert grant["grant(address,uint256)"] == [("mint", "_totalSupply", "")]  # raised in a helper


def test_moving_or_burning_ones_own_tokens_is_no_power():
    team = _capabilities("owner-own-tokens/negative", "TeamToken.sol")["TeamToken"]
    for function in ("multiTransfer(address[],uint256[])", "airdrop(address[],uint256)", "burnTeamTokens(uint256)",
                     "transferFrom(address,address,uint256)", "burnFrom(address,uint256)"):
        assert team[function] == [], function
    assert _capabilities("safemath-supply-mint/negative", "RedeemablePoints.sol")["RedeemablePoints"]["retire(uint256)"] == []
    vault = _capabilities("supply-helper-mint/negative", "GrantVault.sol")["GrantVault"]
    assert vault["cancelOwnShares(uint256)"] == []


def test_reaching_into_holders_accounts_is_burn_from_or_balance_writing():
    recall = _capabilities("owner-own-tokens/positive", "RecallToken.sol")["RecallToken"]
    assert recall["recall(address,uint256)"] == [("burn_from", "_burn", "")]
    assert recall["reassign(address,address,uint256)"] == [("set_balance", "_balances", "")]
    lockers = _capabilities("unnamed-balances/positive", "LockerToken.sol")["LockerToken"]
    assert lockers["lockFrom(address,uint256)"] == [("set_balance", "balanceP", "")]  # balances by data flow, not name
    spenders = _capabilities("unnamed-balances/negative", "LockerToken.sol")["LockerToken"]
    assert spenders["lockFrom(address,uint256)"] == []  # with the holder's allowance
    assert spenders["unlockTo(address,uint256)"] == []  # from the locker's own balance


def test_how_balances_move_says_what_the_power_is():
    reserve = _capabilities("token-ledger-moves/positive", "ReserveToken.sol")["ReserveToken"]
    assert reserve["sellFromReserve(address,uint256)"] == [("withdraw_funds", "accounts", "")]
    assert reserve["airdrop(address[],uint256)"] == [("mint", "accounts", "")]
    assert reserve["lockUp(address,uint256)"] == [("freeze", "accounts", "")]
    assert reserve["wipe(address)"] == [("burn_from", "accounts", "")]  # destroyed: debited, nothing credited
    assert reserve["seize(address)"] == [("set_balance", "accounts", "")]  # taken: debited, the owner credited
    negative = _capabilities("token-ledger-moves/negative", "VestingToken.sol")
    assert all(capabilities == [] for capabilities in negative["VestingToken"].values()), negative["VestingToken"]
    assert negative["DeliveringSale"]["deliver(address)"] == []  # the buyer's record cleared and paid to the buyer


def test_the_transfer_path_says_what_a_freeze_list_is():
    hold = _capabilities("transfer-path-freeze/positive", "HoldToken.sol")["HoldToken"]
    assert hold["lock(address)"] == [("freeze", "locked", "")]  # anyone, on any account
    assert hold["hold(address,uint256)"] == [("freeze", "holdUntil", "")]
    loyalty = _capabilities("transfer-path-freeze/negative", "LoyaltyToken.sol")["LoyaltyToken"]
    assert loyalty == {"vouch(address)": [], "lockMyAccount()": [], "transfer(address,uint256)": []}
