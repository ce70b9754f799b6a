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


def test_a_switch_the_transfer_path_checks_is_a_pause_whatever_its_name():
    coin = _capabilities("transfer-switch/positive", "StoppableCoin.sol")["StoppableCoin"]
    assert coin["stop()"] == [("pause", "stopped", "")]  # `require(!stopped)` in a modifier
    assert coin["disableTransfers()"] == [("pause", "transfersEnabled", "")]  # `require(transfersEnabled || agents[msg.sender])`
    assert coin["start()"] == [("pause", "stopped", "")]  # lifting what stop() closes: the other half of the power
    launch = _capabilities("transfer-switch/negative", "LaunchCoin.sol")["LaunchCoin"]
    assert launch["openTrading()"] == [("set_parameter", "tradingOpen", "")]  # only ever opened
    assert launch["finishMinting()"] == [("set_parameter", "mintingFinished", "")]  # the mint's, not the transfer's
    assert launch["transfer(address,uint256)"] == []  # a lock the transfer keeps itself
    assert launch["setListLifted(bool)"] == [("set_parameter", "listLifted", "")]  # `!frozen[from] || listLifted` lifts a list


def test_what_a_pot_bounds_is_paid_out_of_it_not_minted_nor_swept():
    token = _capabilities("reserve-pots/negative", "ReserveToken.sol")["ReserveToken"]
    assert token["releaseTeam(address)"] == [("withdraw_funds", "balances", "<= teamReserve")]  # set aside at deployment
    assert token["withdrawEarned(address,uint256)"] == [("withdraw_funds", "transfer", "<= earned")]  # raised by the node only
    vault = _capabilities("reserve-pots/negative", "EarningsVault.sol")["EarningsVault"]
    assert vault["withdrawEarnings(address,uint256)"] == [("withdraw_funds", "ETH", "<= protocolEarnings")]
    box = _capabilities("reserve-pots/positive", "DepositBox.sol")["DepositBox"]
    assert box["withdraw(uint256)"] == [("set_parameter", "collected", ""), ("withdraw_funds", "ETH", "")]  # anyone raises it
    assert box["release(address)"] == [("mint", "balances", ""), ("set_parameter", "reserve", "")]  # the owner sets it
    assert box["withdrawBooked(address,uint256)"] == [("set_parameter", "booked", ""), ("withdraw_funds", "ETH", "")]  # its own


def test_a_variable_names_a_power_by_its_words_and_its_type():
    settings = _capabilities("named-by-words/negative", "DrawSettings.sol")["DrawSettings"]
    assert settings["setBeaconPeriodSeconds(uint32)"] == [("set_parameter", "beaconPeriodSeconds", "")]  # a number, set by a helper
    assert settings["setDebtThreshold(uint256)"] == [("set_parameter", "debtThreshold", "")]  # no multisig counts it
    assert settings["setCollateralRatio(address,uint24)"] == [("set_parameter", "configs", "")]  # not the record's feed
    feeds = _capabilities("named-by-words/positive", "FeedSettings.sol")["FeedSettings"]
    assert feeds["setBeacon(address)"] == [("upgrade", "beacon", "")]
    assert feeds["setTokenMinter(address)"] == [("set_minter", "tokenMinter", "")]
    assert feeds["setPriceFeed(address,IFeed)"] == [("set_oracle", "configs", "")]  # the field asked for prices


def test_a_switch_a_view_requires_for_other_contracts_is_a_pause():
    board = _capabilities("offered-switch/positive", "StatusBoard.sol")["StatusBoard"]
    assert board["suspendSystem(uint256)"] == [("pause", "systemSuspension.suspended", "")]  # requireSystemActive()
    assert board["resumeSystem()"] == [("pause", "systemSuspension.suspended", "")]
    assert board["suspendMarket(bytes32,uint256)"] == [("pause", "marketSuspension", "")]  # one per market, not per account
    assert board["resumeMarket(bytes32)"] == [("pause", "marketSuspension", "")]
    accounts = _capabilities("offered-switch/negative", "AccountBoard.sol")["AccountBoard"]
    assert accounts["announce()"] == [("set_parameter", "announced", "")]  # a view returns it, none requires it


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


def test_an_offer_never_cleared_is_a_nominee_where_it_is_how_the_seat_moves():
    cosmetic = _contracts(_facts(REAL_PATTERNS / "inert-settings" / "negative", "CosmeticToken.sol"))["CosmeticToken"]
    # `owner = newOwner` under `msg.sender == newOwner`, newOwner named only by the owner
    # and never cleared: no renounce, no other offer; accepting takes what was offered
    assert cosmetic["nominees"] == {"newOwner": ["owner"]}
    proxy = _contracts(_facts(REAL_PATTERNS / "two-step-ownership" / "negative", "SlotAdminProxy.sol"))["SlotAdminProxy"]
    # slots written in assembly: `sstore(PENDING_ADMIN_SLOT, next)` under the admin, cleared by the claim
    assert proxy["nominees"] == {"slot PENDING_ADMIN_SLOT": ["slot ADMIN_SLOT"]}


def test_settings_nothing_acts_on_give_no_capability_and_are_named_inert():
    cosmetic = _entries(_contracts(_facts(REAL_PATTERNS / "inert-settings" / "negative", "CosmeticToken.sol"))["CosmeticToken"])
    for function, variable in (("setFeeAmount(uint256)", "feeAmount"), ("blockMember(address)", "members"),
                               ("setAdmin(address,bool)", "admins"), ("appendVersion(string)", "versions"),
                               # read only by the functions that flip it (`pause() whenNotPaused`)
                               ("pause()", "paused"), ("unpause()", "paused")):
        assert (cosmetic[function]["capabilities"], cosmetic[function]["inert"]) == ([], [variable]), function
    acting = _entries(_contracts(_facts(REAL_PATTERNS / "inert-settings" / "positive", "ActingToken.sol"))["ActingToken"])
    # charged in transfer, checked in transfer, read by the guard of mint, counted by mint
    assert [(c["name"], c["detail"], c["line"]) for c in acting["setFeeAmount(uint256)"]["capabilities"]] == [("set_fee", "feeAmount", 41)]
    assert [(c["name"], c["detail"]) for c in acting["blockMember(address)"]["capabilities"]] == [("set_parameter", "members")]
    assert [(c["name"], c["detail"]) for c in acting["setAdmin(address,bool)"]["capabilities"]] == [("set_minter", "admins")]  # the list guards mint
    assert [(c["name"], c["detail"]) for c in acting["appendVersion(string)"]["capabilities"]] == [("set_parameter", "versions")]
    assert all(e["inert"] == [] for e in acting.values())


def test_a_delegate_nothing_in_the_proxy_can_change_is_a_fixed_proxy_and_its_setter_an_upgrade():
    fixed = _contracts(_facts(REAL_PATTERNS / "fixed-delegate" / "negative", "."))
    assert {name: c["standards"] for name, c in fixed.items()} == {
        "LibraryForwarder": {"proxy": "fixed delegatecall proxy"},  # a variable only the constructor writes
        "FixedLogic": {"proxy": "fixed delegatecall proxy"},  # an immutable
    }
    positive = _contracts(_facts(REAL_PATTERNS / "fixed-delegate" / "positive", "."))
    # the delegate's address in a storage-only base the implementation inherits too: it can rewrite it
    assert positive["SharedLayoutProxy"]["standards"] == {"proxy": "custom delegatecall proxy"}
    switchable = positive["SwitchableForwarder"]
    assert switchable["standards"] == {"proxy": "custom delegatecall proxy"}
    assert [(c["name"], c["detail"], c["line"]) for c in _entries(switchable)["setLib(address)"]["capabilities"]] == [("upgrade", "lib", 15)]


def _entries(contract):
    return {e["function"]: e for e in contract["entry_points"]}


def test_what_runs_only_once_enough_owners_confirmed_is_the_quorums():
    gnosis = _entries(_contracts(_facts(REAL_PATTERNS / "multisig-confirmations" / "negative", "ConfirmedWallet.sol"))["ConfirmedWallet"])
    # `if (isConfirmed(id))`: a loop counts confirmations and returns true once `count == required`
    for function in ("submitTransaction(address,uint256,bytes)", "confirmTransaction(uint256)"):
        [pay] = [c for c in gnosis[function]["capabilities"] if c["name"] == "withdraw_funds"]
        assert pay["guards"] == [{"kind": "custom", "detail": "M-of-N owner signatures"}], function
    # executeTransaction does nothing unless `isConfirmed(id)`: the quorum guards the whole entry
    assert gnosis["executeTransaction(uint256)"]["guards"] == [{"kind": "custom", "detail": "M-of-N owner signatures"}]
    assert gnosis["addOwner(address)"]["guards"] == [{"kind": "self", "detail": "this"}]
    council = _entries(_contracts(_facts(REAL_PATTERNS / "multisig-confirmations" / "positive", "CouncilWallet.sol"))["CouncilWallet"])
    # `approvals(motion) >= required` and `payment.confirmations >= required` guard the whole entry
    for function in ("voteAddOwner(address)", "execute(uint256)"):
        assert council[function]["guards"] == [{"kind": "custom", "detail": "M-of-N owner signatures"}], function
    [swap] = council["replaceOwner(address,address)"]["capabilities"]
    assert (swap["name"], swap.get("guards")) == ("change_threshold", None)


def test_a_request_one_key_raises_and_another_consumes_needs_both_keys():
    report = _facts(REAL_PATTERNS / "two-key-requests" / "negative", ".")
    token = _entries(_contracts(report)["ReviewedToken"])
    for function in ("approveHalt()", "approveResume()", "approveIssue()"):
        assert token[function]["guards"] == [{"kind": "owner", "detail": "reviewer", "cosigner": "operator"}], function
    assert [(c["name"], c["detail"]) for c in token["approveIssue()"]["capabilities"]] == [("mint", "totalSupply")]
    # raising, withdrawing or rejecting a request, and the terms a request stores, change nothing alone
    for function in ("requestHalt()", "requestResume()", "withdrawHaltRequest()", "rejectHalt()", "requestIssue(address,uint256)"):
        assert token[function]["capabilities"] == [], function
    gate = _entries(_contracts(report)["ReleaseGate"])  # 0.8: `if (!releasePending) revert NothingRequested()`
    assert gate["approveRelease()"]["guards"] == [{"kind": "address", "detail": "guardian", "cosigner": "treasurer"}]  # immutable
    assert gate["requestRelease(address,uint256)"]["capabilities"] == []
    [sweep] = [f for f in report["findings"] if f["rule"] == "economic-sweep"]
    assert (sweep["function"], sweep["principal"]) == ("approveRelease()", "guardian")
    assert sweep["message"].startswith("'guardian' on a request of 'treasurer' can move funds out")
    solo = _entries(_contracts(_facts(REAL_PATTERNS / "two-key-requests" / "positive", "SoloReviewToken.sol"))["SoloReviewToken"])
    # the same key asks and approves; a veto is not consumed; anyone may ask: one key acts alone
    assert [g.get("cosigner") for f in ("approveHalt()", "resume()", "approveRefund()") for g in solo[f]["guards"]] == [None] * 3
    assert [(c["name"], c["detail"]) for c in solo["requestHalt()"]["capabilities"]] == [("set_parameter", "haltRequested")]


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


# -- guards real code writes that the model once missed (issue 10) ----------------------------------


@pytest.fixture(scope="module")
def pattern():
    cache: dict[str, dict] = {}

    def entries(folder: str) -> dict[str, dict[str, dict]]:
        """{contract: {function: entry point}} of one fixture folder, scanned once."""
        if folder not in cache:
            report = _facts(REAL_PATTERNS / folder, ".")
            cache[folder] = {c["name"]: {e["function"]: e for e in c["entry_points"]} | {"": c}
                             for c in report["facts"]["contracts"]}
        return cache[folder]

    return entries


def _guards(entry) -> list[tuple[str, str]]:
    return [(g["kind"], g["detail"]) for g in entry["guards"]]


def test_mapping_allow_lists_compared_with_true_nested_or_negated_are_guards(pattern):
    token = pattern("allowlist-mapping/positive")["AdminListToken"]
    assert _guards(token["mint(address,uint256)"]) == [("custom", "isAdmin[msg.sender]")]
    assert _guards(token["setBalance(address,uint256)"]) == [("custom", "admins[epoch][msg.sender]")]
    assert _guards(token["pause()"]) == [("custom", "isAdmin[msg.sender]")]
    assert _guards(token["mintToAdmin(address,uint256)"]) == [("anyone", "")]  # the recipient is checked, not the caller


def test_wards_and_predicate_helpers_are_guards(pattern):
    coin = pattern("auth-helpers/negative")["WardedCoin"]
    assert _guards(coin["mint(address,uint256)"]) == [("custom", "wards[msg.sender]")]  # wards[msg.sender] == 1
    authed = pattern("auth-helpers/positive")["AuthedCoin"]
    # true for the contract itself, the owner, or whom the authority allows: beside those
    # keys, the contract calling itself adds no one
    assert sorted(_guards(authed["mint(address,uint256)"])) == [("owner", "owner"), ("role", "AccessManager authority")]
    # true for minters, and for anyone while minting is open: no guard
    assert _guards(authed["mintOpen(address,uint256)"]) == [("anyone", "")]


def test_a_check_of_the_callers_own_entry_is_no_guard(pattern):
    deposits = pattern("own-entry-check/negative")["TimelockedDeposits"]
    # unlockAt[msg.sender] is written by each user for themselves (unlock())
    assert _guards(deposits["withdraw(address,uint256)"]) == [("anyone", "")]
    assert deposits["withdraw(address,uint256)"]["capabilities"] == []
    rewards = pattern("own-entry-check/positive")["KeeperRewards"]
    # the owner keeps the keepers (resigning, an open write of false, grants nothing)
    assert _guards(rewards["payReward(address,uint256)"]) == [("custom", "isKeeper[msg.sender]")]
    # anyone joins the members: membership guards nothing
    assert _guards(rewards["mintForMember(address,uint256)"]) == [("anyone", "")]


def test_modifiers_that_skip_the_body_for_other_callers_are_guards(pattern):
    token = pattern("branch-modifier/positive")["GatedToken"]
    assert _guards(token["claimOwnership()"]) == [("owner", "pendingOwner")]  # if (msg.sender == pendingOwner) _;
    assert _guards(token["pause()"]) == [("owner", "owner")]  # if (msg.sender != owner) return; _;
    assert _guards(token["mint(address,uint256)"]) == [("owner", "minter")]  # if (...) { _; } else { emit ... }
    assert _guards(token["setMinter(address)"]) == [("anyone", "")]  # logs the stranger, then runs the body
    owned = pattern("branch-modifier/negative")["QuietOwned"]
    assert _guards(owned["setPaused(bool)"]) == [("owner", "owner")]  # the same in the function itself
    assert _guards(owned["withdraw(uint256)"]) == [("anyone", "")]
    market = pattern("branch-modifier/negative")["ErrorCodeMarket"]
    # `if (msg.sender != admin) return fail(...);`, a helper that only logs
    assert _guards(market["_reduceReserves(uint256)"]) == [("owner", "admin")]


def test_guards_decided_by_another_contract_keep_their_source(pattern):
    pool = pattern("external-guard/positive")["ControlledPool"]
    assert _guards(pool["setFee(uint256)"]) == [("external", "controller.getGovernor()")]
    assert _guards(pool["pause()"]) == [("external", "aclManager.isPoolAdmin(msg.sender)")]
    assert _guards(pool["correctBalance(address,uint256)"]) == [("external", "aclManager.isPoolAdmin(msg.sender)")]
    assert _guards(pool["rewardOperator(address,uint256)"]) == [("anyone", "")]  # asks about the recipient
    market = pattern("external-guard/negative")["GovernedMarket"]
    assert _guards(market["setLoanToValue(uint256)"]) == [("external", "provider.getGovernor()")]  # through a helper
    assert _guards(market["setPaused(bool)"]) == [("external", "provider.getACLManager().isRiskAdmin(msg.sender)")]
    assert _guards(market["redeem(uint256)"]) == [("anyone", "")]  # tickets.ownerOf(id): the user's own ticket


def test_zeppelinos_proxy_reads_the_same_on_solc_0_4_0_5_and_0_6(pattern):
    found = pattern("zos-proxy-assembly/negative")
    facts = []
    for name in ("SlotAdminProxy04", "SlotAdminProxy05", "SlotAdminProxy06"):
        proxy = found[name]
        assert proxy[""]["standards"] == {"proxy": "ZeppelinOS"}, name
        facts.append({f: (_guards(e), [(c["name"], c["detail"], c["line"]) for c in e["capabilities"]])
                      for f, e in proxy.items() if f})
    assert facts[0] == facts[1] == facts[2]
    assert facts[0]["upgradeTo(address)"] == ([("owner", "slot ADMIN_SLOT")], [("upgrade", "LOGIC_SLOT", 42)])
    assert facts[0]["changeAdmin(address)"] == ([("owner", "slot ADMIN_SLOT")], [("change_owner", "_setAdmin", 69)])
    assert facts[0]["fallback()"] == ([("anyone", "")], [])


def test_a_user_function_a_privileged_account_may_also_use(pattern):
    core = pattern("user-or-privileged/positive")["CollectibleCore"]
    for function in ("transfer(address,uint256)", "approve(address,uint256)"):
        entry = core[function]
        assert _guards(entry) == [("owner", "cooAddress"), ("user", "itemIndexToOwner[]")], function
        assert [(c["name"], c["detail"], [(g["kind"], g["detail"]) for g in c["guards"]]) for c in entry["capabilities"]] == [
            ("act_for_users", "itemIndexToOwner[]", [("owner", "cooAddress")])], function
    assert _guards(core["burn(uint256)"]) == [("anyone", "")]  # the owner of the item alone
    positions = pattern("user-or-privileged/negative")["Positions"]
    assert _guards(positions["close(uint256)"]) == [("anyone", "")]  # the holder or the holder's operator
    assert _guards(positions["settle(uint256)"]) == [("self", "this"), ("user", "ownerOf[]")]


def test_either_of_two_keys_lists_both(pattern):
    vault = pattern("any-of-keys/positive")["EitherKeyVault"]
    for function in ("setImplementation(address)", "setWithdrawalFee(uint256)"):  # a || b, and !a && !b then revert
        assert _guards(vault[function]) == [("address", "timelock"), ("owner", "guardian")], function
    # the timelock or the vault itself (a call the timelock relays): the timelock alone
    assert _guards(pattern("any-of-keys/negative")["TimelockedVault"]["setImplementation(address)"]) == [("owner", "timelock")]


def test_callers_that_are_fixed_contracts_are_callbacks_not_keys(pattern):
    found = pattern("contract-callback/negative")
    assert _guards(found["SmartAccount"]["validateUserOp(UserOperation,bytes32,uint256)"]) == [("callback", "entryPoint")]
    assert found["SmartAccount"]["validateUserOp(UserOperation,bytes32,uint256)"]["capabilities"] == []
    assert _guards(found["SponsorPaymaster"]["postOp(uint8,bytes,uint256)"]) == [("callback", "entryPoint")]
    # 0.4: the token is fixed by being written only in the constructor, and called as a contract
    assert _guards(found["StakingReceiver"]["onTokenTransfer(address,uint256,bytes)"]) == [("callback", "token")]
    assert _guards(found["StakingReceiver"]["unstake(uint256)"]) == [("anyone", "")]  # require(token.transfer(msg.sender, ...))
    # a caller the owner can repoint stays a principal
    settable = pattern("contract-callback/positive")
    assert _guards(settable["ReassignableReceiver"]["onTokenTransfer(address,uint256,bytes)"]) == [("owner", "token")]
    assert _guards(settable["SwitchableAccount"]["validateUserOp(bytes,bytes32,uint256)"]) == [("owner", "entryPoint")]
    # beside a key, the EntryPoint and the account itself are no one more: the owner holds it
    account = settable["OwnedAccount"]
    assert _guards(account["execute(address,uint256,bytes)"]) == [("callback", "entryPoint"), ("owner", "owner")]
    assert _guards(account["setOwner(address)"]) == [("owner", "owner")]


def test_paid_for_and_owed_are_not_powers():
    report = _facts(REAL_PATTERNS / "measured-deposit-mint/negative", "SharePool.sol")
    entries = {(c["name"], e["function"]): e for c in report["facts"]["contracts"] for e in c["entry_points"]}
    # an open mint of what the pool measures it received (its asset balance over its reserve): paid for
    assert [(c["name"], c["paid"]) for c in entries["SharePool", "mint(address)"]["capabilities"]] == [("mint", True)]
    assert entries["KeeperEscrow", "release(address)"]["capabilities"] == []  # the payee's recorded deposit, paid to the payee
    free = _capabilities("measured-deposit-mint/positive", "SharePool.sol")
    # an amount the keeper picks, whatever record it clears
    assert free["KeeperEscrow"]["release(address,uint256)"] == [("set_parameter", "depositsOf", ""), ("withdraw_funds", "ETH", "")]


def test_an_initializer_that_requires_unset_state_and_sets_it_runs_once(pattern):
    negative = pattern("run-once-initializer/negative")
    # require(_implementation() == address(0)) before sstore of the same slot (assembly, 0.5)
    assert negative["OnceProxy05"]["initialize(address,address,bytes)"]["initializer"] == "guarded"
    assert negative["ChannelModule04"]["setup()"]["initializer"] == "guarded"  # require(manager == 0); manager = ...
    assert negative["LateInitToken08"]["init(address)"]["initializer"] == "guarded"  # if (owner != 0) revert
    positive = pattern("run-once-initializer/positive")
    assert positive["ReopenedProxy05"]["initialize(address,address)"]["initializer"] == "open"  # checks its argument only
    assert positive["ChannelModule04"]["setup()"]["initializer"] == "open"  # requires one variable, sets another


def _caps(entry) -> list[tuple[str, str]]:
    return [(c["name"], c["detail"]) for c in entry["capabilities"]]


def test_a_library_set_of_accounts_is_a_role_and_adding_to_the_one_that_mints_appoints_a_minter(pattern):
    badge = pattern("roles-library/negative")["BadgeToken05"]
    # `_issuers.contains(msg.sender)` -> `set.has[account]` of a struct that is only a set
    assert _guards(badge["issue(address,uint256)"]) == [("role", "_issuers")]
    assert _caps(badge["addIssuer(address)"]) == [("set_minter", "_issuers.has")]  # the set guards issue (a mint)
    assert _caps(badge["renounceIssuer()"]) == [("renounce", "_issuers.has")]  # leaving it oneself
    coupon = pattern("roles-library/negative")["RbacCoupon04"]
    assert _guards(coupon["mint(address,uint256)"]) == [("role", "ROLE_MINTER")]  # roles["minter"].check(msg.sender)
    assert _caps(coupon["addMinter(address)"]) == [("set_minter", "role ROLE_MINTER")]
    assert _caps(coupon["removeMinter(address)"]) == [("set_minter", "role ROLE_MINTER")]
    badge = pattern("roles-library/positive")["OpenBadgeToken05"]
    assert _guards(badge["enrol(address)"]) == [("anyone", "")]
    assert _caps(badge["enrol(address)"]) == [("set_minter", "_issuers.has")]


def test_the_owner_of_a_users_record_is_not_the_contracts_owner(pattern):
    registry = pattern("record-owner/negative")["NameRegistry05"]
    # records[node].owner == msg.sender || operators[owner][msg.sender]: the user's own name
    for function in ("setOwner(bytes32,address)", "setSubnodeOwner(bytes32,bytes32,address)", "setResolver(bytes32,address)"):
        assert _guards(registry[function]) == [("anyone", "")], function
        assert _caps(registry[function]) == [], function  # _setOwner(node, owner) names a record
    seizable = pattern("record-owner/positive")["SeizableRegistry05"]
    assert _caps(seizable["seize(bytes32,address)"]) == [("set_parameter", "records")]  # the admin over users' records
    assert _caps(seizable["claim(address)"]) == [("change_owner", "_setAdmin"), ("change_owner", "admin")]


def test_an_amount_another_contract_returns_for_the_caller_is_no_guard_and_a_yes_no_answer_is(pattern):
    modes = pattern("caller-amount-check/negative")["DebtModes08"]
    # require(stableDebt.balanceOf(msg.sender) != 0 || ...): the caller's own debt
    assert _guards(modes["swapBorrowRateMode()"]) == [("anyone", "")]
    assert _caps(modes["swapBorrowRateMode()"]) == []
    risk = pattern("caller-amount-check/positive")["RiskParameters08"]
    assert _guards(risk["setLoanToValue(uint256)"]) == [("external", "acl.isRiskAdmin(msg.sender)")]
    assert _guards(risk["mintReward(address,uint256)"]) == [("anyone", "")]
    assert _caps(risk["mintReward(address,uint256)"]) == [("mint", "totalSupply")]


def test_a_label_hashed_into_a_node_is_still_the_callers_choice(pattern):
    registrar = pattern("record-owner/negative")["FirstComeRegistrar05"]
    # registry.owner(keccak256(abi.encodePacked(rootNode, label))) == msg.sender: the user's own name
    assert _guards(registrar["register(bytes32,address)"]) == [("anyone", "")]


def test_an_oracle_is_what_the_contract_asks_for_prices_and_a_registry_entry_is_named_by_its_key(pattern):
    prices = pattern("oracle-by-use/positive")["AssetPrices08"]
    assert _caps(prices["setSource(address,address)"]) == [("set_oracle", "sources")]  # IFeed(sources[a]).latestAnswer()
    assert _caps(prices["setPriceOracle(address)"]) == [("set_oracle", "addresses")]  # addresses[PRICE_ORACLE]
    book = pattern("oracle-by-use/negative")["AssetBook08"]
    assert _caps(book["setWrapper(address,address)"]) == [("set_parameter", "wrappers")]  # only balances read
    assert _caps(book["setTreasury(address)"]) == [("set_parameter", "addresses")]  # addresses[TREASURY]


def test_a_helper_that_always_reverts_or_requires_its_argument_guards_like_require(pattern):
    fees = pattern("revert-helper/positive")["FeeController07"]
    assert _guards(fees["setSwapFee(uint256)"]) == [("owner", "governor")]  # _require(msg.sender == governor, 401)
    assert _guards(fees["setPaused(bool)"]) == [("custom", "isGuardian[msg.sender]")]  # if (!...) _revertUnauthorized()
    deposits = pattern("revert-helper/negative")["Deposits07"]
    assert _guards(deposits["withdraw(uint256)"]) == [("anyone", "")]  # the caller's own balance
    assert _guards(deposits["note(uint256)"]) == [("anyone", "")]  # a helper that returns is no revert


def test_a_relayer_acts_for_a_user_only_with_that_users_approval(pattern):
    relayed = pattern("relayer-approval/negative")["RelayedPool08"]
    # msg.sender == funds.sender, or an allowed relayer the user approved (or signed for)
    assert _guards(relayed["withdraw(RelayedPool08.Funds,uint256)"]) == [("anyone", "")]
    assert _caps(relayed["withdraw(RelayedPool08.Funds,uint256)"]) == []
    operated = pattern("relayer-approval/positive")["OperatedPool08"]
    withdraw = operated["withdraw(OperatedPool08.Funds,uint256)"]
    assert _guards(withdraw) == [("user", "funds.sender"), ("custom", "allowedRelayer[msg.sender]")]
    assert _caps(withdraw) == [("act_for_users", "funds.sender")]


def test_an_owner_exempt_from_a_pause_is_not_the_only_caller(pattern):
    exempt = pattern("pause-exemption/negative")["ExemptToken04"]
    assert _guards(exempt["approve(address,uint256)"]) == [("anyone", "")]  # require(!paused || msg.sender == owner)
    assert _guards(exempt["transfer(address,uint256)"]) == [("anyone", "")]  # if (paused && msg.sender != owner) revert
    gated = pattern("pause-exemption/positive")["GatedMint04"]
    assert _guards(gated["mint(address,uint256)"]) == [("owner", "owner")]  # require(!paused && msg.sender == owner)
    assert _guards(gated["setPaused(bool)"]) == [("owner", "owner")]  # if (msg.sender != owner || paused == value) revert


def test_a_payload_whose_hash_must_match_what_was_stored_is_replayed_not_chosen(pattern):
    bridge = pattern("committed-replay/negative")["BridgeToken08"]
    # require(keccak256(payload) == failedMessages[chain][nonce]): the remote's message, retried
    for function in ("retryMessage(uint16,uint64,bytes)", "clearCredits(bytes)"):
        [mint] = bridge[function]["capabilities"]
        assert (mint["name"], mint["paid"]) == ("mint", True), function
    loose = pattern("committed-replay/positive")["LooseBridgeToken08"]
    [mint] = loose["retryMessage(uint16,uint64,bytes)"]["capabilities"]
    assert (mint["name"], mint["paid"]) == ("mint", False)  # only that some message failed


def test_an_owner_address_moved_by_a_fixed_offset_is_still_the_owner(pattern):
    forwarder = pattern("aliased-owner/positive")["AliasedForwarder08"]
    # msg.sender == address(uint160(l1Owner) + OFFSET), through a view and a library
    assert _guards(forwarder["forward(address,bytes)"]) == [("owner", "l1Owner")]
    assert _caps(forwarder["forward(address,bytes)"]) == [("arbitrary_call", "target")]


def _guard_holders(entry) -> list[tuple[str, str, str]]:
    return [(g["kind"], g["detail"], g.get("contract", "")) for g in entry["guards"]]


def test_a_seat_the_creating_contract_holds_is_the_creators_not_a_keys(pattern):
    found = pattern("creator-owned-storage/negative")
    ledger = found["BalanceStorage"]
    # owner = msg.sender of `new BalanceStorage()` in LedgerToken, which never hands it on
    assert _guard_holders(ledger["setBalance(address,uint256)"]) == [("creator", "owner", "LedgerToken")]
    assert _caps(ledger["setBalance(address,uint256)"]) == [("set_balance", "balances")]  # the power stays, held by the creator
    assert _guard_holders(ledger["transferOwnership(address)"]) == [("creator", "owner", "LedgerToken")]
    assert _guard_holders(ledger["claimOwnership()"]) == [("owner", "pendingOwner", "")]  # a nominee only the creator names
    assert _guard_holders(found["InvestorRecords"]["updateInfo(address,uint256)"]) == [("creator", "owner", "Pyramid")]
    # 0.8: a vault a factory creates per user
    assert _guard_holders(found["Vault"]["setShares(address,uint256)"]) == [("creator", "owner", "VaultFactory")]
    handed = pattern("creator-owned-storage/positive")
    # the creator hands the seat to an address its owner names; a seat anyone may take
    assert _guard_holders(handed["HandedStorage"]["setBalance(address,uint256)"]) == [("owner", "owner", "")]
    assert _guard_holders(handed["OpenSeatStorage"]["setBalance(address,uint256)"]) == [("owner", "owner", "")]
    # a factory that calls what it created with the caller's calldata
    assert _guard_holders(handed["Module"]["setFee(uint256)"]) == [("owner", "owner", "")]


def test_text_nothing_reads_is_no_power(pattern):
    assert pattern("cosmetic-text/negative")["ContactToken"]["setContactInformation(string)"]["capabilities"] == []
    read = pattern("cosmetic-text/positive")
    assert _caps(read["CodeGatedToken"]["setAccessCode(string)"]) == [("set_parameter", "accessCode")]  # the transfer checks it
    assert _caps(read["MonsterCards"]["setBaseAPI(string)"]) == [("set_parameter", "baseAPI")]  # tokenURI builds on it
    assert _caps(read["RenamableToken"]["changeName(string)"]) == [("set_parameter", "name")]  # a token's standard metadata


def test_a_fee_cut_is_no_fee_setting(pattern):
    sheet = pattern("fee-removal/negative")["FeeSheet"]
    assert _caps(sheet["removeFee(address)"]) == [("set_parameter", "fees")]  # fees[coin] = 0
    assert _caps(sheet["lowerDefaultFee(uint256)"]) == [("set_parameter", "defaultFee")]  # defaultFee -= step
    assert _caps(pattern("fee-removal/positive")["RaisableFeeSheet"]["setFee(address,uint256)"]) == [("set_fee", "fees")]


def test_handing_another_contracts_ownership_is_named_by_that_contract(pattern):
    token = pattern("other-contract-ownership/negative")["ReclaimingToken"]
    reclaim = token["reclaimContract(address)"]["capabilities"]
    # the contract the caller names, handed to this contract's own owner: a fixed recipient
    assert [(c["name"], c["detail"], c["bound"]) for c in reclaim] == [("change_owner", "contractAddr.transferOwnership", "== owner")]
    sale = pattern("other-contract-ownership/positive")["TokenSale"]["transferTokenOwnership(address)"]["capabilities"]
    assert [(c["name"], c["detail"], c["bound"]) for c in sale] == [("change_owner", "token.transferOwnership", "")]

QUORUM = ("custom", "M-of-N owner signatures")
OWNER_INDEX = ("custom", "m_ownerIndex[msg.sender]")


def test_a_count_of_confirmations_still_needed_from_the_threshold_is_the_quorum(pattern):
    wallet = pattern("owner-confirmations-countdown/negative")["QuorumWallet"]
    # `if (confirmAndCheck(op)) _;`, true once `pending.yetNeeded <= 1`, yetNeeded = m_required
    assert wallet[""]["standards"] == {"multisig": "custom M-of-N"}
    for function in ("confirm(bytes32)", "setSpendLimit(uint256)", "kill(address)", "addOwner(address)",
                     "changeRequirement(uint256)"):
        assert _guards(wallet[function]) == [QUORUM], function
    assert [(c["name"], c["line"]) for c in wallet["confirm(bytes32)"]["capabilities"]] == [
        ("set_parameter", 112), ("withdraw_funds", 111)]
    # an owner proposing: the modifier of the confirm it calls ends only that confirm, so the
    # payment it may make carries the quorum, and the proposal is the owner's own call
    propose = wallet["propose(address,uint256)"]
    assert _guards(propose) == [OWNER_INDEX]
    [pay] = [c for c in propose["capabilities"] if c["name"] == "withdraw_funds"]
    assert (pay["line"], pay["guards"]) == (111, [{"kind": "custom", "detail": "M-of-N owner signatures"}])
    assert _guards(wallet["revoke(bytes32)"]) == [OWNER_INDEX]  # `if (ownerIndex == 0) return;`


def test_under_the_daily_limit_one_owner_pays_alone(pattern):
    wallet = pattern("owner-confirmations-countdown/positive")["LimitWallet"]
    execute = wallet["execute(address,uint256)"]
    assert _guards(execute) == [OWNER_INDEX]
    pays = [(c["line"], c.get("guards")) for c in execute["capabilities"] if c["name"] == "withdraw_funds"]
    assert pays == [(137, None)]  # `if (underLimit(v)) to.transfer(v)`: the owner's own, up to the limit
    assert _caps(wallet["setDailyLimit(uint256)"]) == [("set_limits", "m_dailyLimit")]
    assert _guards(wallet["setDailyLimit(uint256)"]) == [QUORUM]
    assert _guards(wallet["raiseDailyLimit(uint256)"]) == [OWNER_INDEX]


def test_locking_what_the_same_call_hands_out_is_vesting(pattern):
    bonus = pattern("vesting-grant/negative")["BonusToken04"]
    # grantBonus(to, bonusFor(wei)): bonuses[to] += v beside balances[to] += v, v computed
    for function in ("refill(address,uint256)", "refillArray(address[],uint256[])"):
        assert "freeze" not in [name for name, _ in _caps(bonus[function])], function
    lock = pattern("vesting-grant/positive")["LockToken04"]
    assert ("freeze", "bonuses") in _caps(lock["lockBonus(address,uint256)"])  # any amount of an existing balance
    assert ("freeze", "bonuses") in _caps(lock["grantAndLockAll(address,uint256)"])  # the whole balance



def test_an_accounts_permission_is_a_grant_unless_it_is_the_blacklisted_status(pattern):
    regulator = pattern("permission-grants/negative")["Regulator04"]
    assert _caps(regulator["setMinter(address)"]) == [("set_minter", "userPermissions[MINT_SIG]")]
    assert _caps(regulator["removeMinter(address)"]) == [("set_minter", "userPermissions[MINT_SIG]")]
    for function in ("setBlacklistSpender(address)", "removeBlacklistSpender(address)"):
        assert _caps(regulator[function]) == [("grant_role", "userPermissions[APPROVE_BLACKLISTED_ADDRESS_SPENDER_SIG]")]
    assert _caps(regulator["setBlacklistDestroyer(address)"]) == [("grant_role", "userPermissions[DESTROY_BLACKLISTED_TOKENS_SIG]")]
    blacklist = pattern("permission-grants/positive")["BlacklistRegulator04"]
    assert _caps(blacklist["setBlacklistedUser(address)"]) == [("freeze", "userPermissions[BLACKLISTED_SIG]")]


def test_a_commitment_over_several_fields_pins_each_of_them(pattern):
    # keccak256(a, b, c, d) (0.4), keccak256(abi.encodePacked(...)) with `if (...) revert`
    # (0.5), keccak256(abi.encode(...)) in a require (0.8): the callback is the requester's
    negative = pattern("multi-field-commitment/negative")
    for contract in ("RequestOracle04", "RequestOracle05", "RequestOracle08"):
        [fulfil] = [e for f, e in negative[contract].items() if f.startswith("fulfillOracleRequest")]
        assert "arbitrary_call" not in [name for name, _ in _caps(fulfil)], contract
    loose = pattern("multi-field-commitment/positive")["LooseOracle08"]
    fulfil = loose["fulfillOracleRequest(bytes32,uint256,address,bytes4,uint256,bytes)"]
    assert ("arbitrary_call", "callbackAddress") in _caps(fulfil)  # the commitment leaves the callback out
    # an admin that queues and executes committed to its own choice: still its arbitrary call
    executor = pattern("multi-field-commitment/positive")["QueuedExecutor08"]
    assert ("arbitrary_call", "target") in _caps(executor["executeTransaction(address,bytes,uint256)"])
