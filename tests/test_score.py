"""The score model: its properties under hypothesis, the reference table it is calibrated on
(docs/scoring.md carries the same table), and exact numbers on known inputs."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from inspector.config import Config, Council, ScoreSettings, Thresholds
from inspector.score.compute import compute, grade, holder_factor, total
from inspector.score.model import AXES, Axes, Coverage, Holder, Power
from inspector.score.weights import TOTAL_WEIGHT, WEIGHTS, weight_of

DAY = 86400
CONFIG = Config()
REPO = Path(__file__).resolve().parent.parent
CAPABILITIES = ("mint", "upgrade", "pause", "set_fee", "set_oracle", "change_owner", "withdraw_funds", "set_parameter")

eoa = st.builds(Holder, address=st.just("0x" + "11" * 20), kind=st.just("eoa"), delay=st.integers(0, 60 * DAY))
multisig = st.builds(Holder, address=st.just("0x" + "22" * 20), kind=st.just("multisig"), delay=st.integers(0, 60 * DAY),
                     threshold=st.integers(1, 10), owners=st.integers(10, 12))
other = st.builds(Holder, address=st.just("0x" + "33" * 20), kind=st.sampled_from(["governor", "anyone", "renounced", "contract"]),
                  delay=st.integers(0, 60 * DAY))
holders = st.lists(st.one_of(eoa, multisig, other), max_size=3).map(tuple)


@st.composite
def power(draw):
    held = draw(holders)
    return Power(draw(st.sampled_from(["Token", "Vault", "Proxy"])), draw(st.sampled_from(CAPABILITIES)), ("f()",),
                 bound=draw(st.sampled_from(["", "<= MAX"])), holders=held, unresolved=not held or draw(st.booleans()))


powers = st.lists(power(), max_size=10, unique_by=lambda p: p.name)
concentration = st.lists(st.tuples(st.just("0xtoken"), st.floats(0, 1), st.integers(0, 50)), max_size=2)


def score(found, measured=(), config=CONFIG, skipped=()):
    found = tuple(found)
    coverage = Coverage(3, tuple(skipped), (), tuple(p.name for p in found if p.unresolved))
    return compute(found, config, coverage, measured)


@settings(max_examples=300, deadline=None)
@given(powers, concentration)
def test_score_stays_between_0_and_100_and_is_deterministic(found, measured):
    result = score(found, measured)
    assert 0 <= result.total <= 100
    for axis in AXES:
        assert 0 <= getattr(result.axes, axis) <= 100
    assert result == score(list(found), list(measured))
    assert result.stage in (0, 1, 2) and result.grade in "ABCDF"


@settings(max_examples=300, deadline=None)
@given(powers, power())
def test_adding_a_power_never_raises_the_score(found, extra):
    found = [p for p in found if p.name != extra.name]
    before, after = score(found), score([*found, extra])
    assert after.total <= before.total
    for axis in AXES:
        assert getattr(after.axes, axis) <= getattr(before.axes, axis)
    assert after.stage <= before.stage


@settings(max_examples=300, deadline=None)
@given(powers, st.data())
def test_moving_a_power_from_an_eoa_to_a_multisig_or_behind_a_timelock_never_lowers_the_score(found, data):
    key = Holder("0x" + "44" * 20, "eoa", 0)
    target = data.draw(power())
    found = [p for p in found if p.name != target.name]
    moved_to = data.draw(st.one_of(
        st.builds(Holder, address=st.just(key.address), kind=st.just("multisig"), threshold=st.integers(1, 9), owners=st.integers(9, 12)),
        st.builds(Holder, address=st.just(key.address), kind=st.just("eoa"), delay=st.integers(1, 60 * DAY))))
    before = score([*found, replace(target, holders=(key,), unresolved=False)])
    after = score([*found, replace(target, holders=(moved_to,), unresolved=False)])
    assert after.total >= before.total
    for axis in AXES:
        assert getattr(after.axes, axis) >= getattr(before.axes, axis)
    assert after.stage >= before.stage


@settings(max_examples=200, deadline=None)
@given(powers)
def test_the_system_never_scores_above_its_weakest_contract(found):
    result = score(found)
    assert all(result.total <= c.total for c in result.contracts)
    for axis in AXES:
        assert all(getattr(result.axes, axis) <= getattr(c.axes, axis) for c in result.contracts)


@settings(max_examples=200, deadline=None)
@given(powers)
def test_each_axis_loses_exactly_the_points_of_its_deductions(found):
    result = score(found)
    for axis in AXES:
        lost = sum(d.points for d in result.deductions if d.axis == axis)
        assert abs(100 - getattr(result.axes, axis) - lost) < 0.05 + 0.01 * len(result.deductions)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 60 * DAY), st.integers(0, 60 * DAY))
def test_a_longer_delay_is_never_worth_less(shorter, longer):
    shorter, longer = sorted((shorter, longer))
    for kind in ("eoa", "multisig", "governor"):
        assert holder_factor(Holder("0x", kind, longer, 2, 3), CONFIG) <= holder_factor(Holder("0x", kind, shorter, 2, 3), CONFIG)


# -- the reference table ---------------------------------------------------------------

EOA = Holder("0xkey", "eoa")
SAFE = Holder("0xsafe", "multisig", 0, 2, 3)


def mint(*held, bound="", unresolved=False):
    return Power("Token", "mint", ("mint(address,uint256)",), bound, tuple(held), unresolved, token=True)


def upgrade(*held):
    return Power("Proxy", "upgrade", ("upgradeToAndCall(address,bytes)",), "", tuple(held))


def later(holder, days):
    return replace(holder, delay=days * DAY)


# (system, powers, governance, economic, total, grade, stage): the same rows as docs/scoring.md
REFERENCE = [
    ("fixed supply, no admin", [], 100, 100, 100, "A", 2),
    ("renounced owner", [mint(Holder("0x0", "renounced")), upgrade(Holder("0x0", "renounced"))], 100, 100, 100, "A", 2),
    ("EOA, uncapped mint", [mint(EOA)], 100, 20, 41.7, "F", 0),
    ("EOA, mint capped in code", [mint(EOA, bound="<= MAX_SUPPLY")], 100, 65, 84.1, "C", 0),
    ("EOA, upgrade", [upgrade(EOA)], 20, 100, 38.5, "F", 0),
    ("EOA, mint and upgrade", [mint(EOA), upgrade(EOA)], 20, 20, 25, "F", 0),
    ("Safe 2-of-3, mint and upgrade", [mint(SAFE), upgrade(SAFE)], 52, 52, 59.1, "F", 0),
    ("EOA behind a 2-day timelock", [mint(later(EOA, 2)), upgrade(later(EOA, 2))], 44, 44, 51.2, "F", 0),
    ("EOA behind a 7-day timelock", [mint(later(EOA, 7)), upgrade(later(EOA, 7))], 68, 68, 73.9, "C", 1),
    ("EOA behind a 30-day timelock", [mint(later(EOA, 30)), upgrade(later(EOA, 30))], 84, 84, 87.5, "B", 1),
    ("Safe 2-of-3 behind a 7-day timelock", [mint(later(SAFE, 7)), upgrade(later(SAFE, 7))], 80.8, 80.8, 84.9, "B", 1),
    ("governor behind a 2-day timelock", [mint(Holder("0xgov", "governor", 2 * DAY)), upgrade(Holder("0xgov", "governor", 2 * DAY))],
     80.4, 80.4, 84.5, "C", 0),
    ("governor behind a 30-day timelock", [mint(Holder("0xgov", "governor", 30 * DAY)), upgrade(Holder("0xgov", "governor", 30 * DAY))],
     94.4, 94.4, 95.7, "A", 2),
]


@pytest.mark.parametrize("system, found, governance, economic, points, letter, level", REFERENCE, ids=[r[0] for r in REFERENCE])
def test_reference_systems(system, found, governance, economic, points, letter, level):
    result = score(found)
    assert (result.axes.governance_concentration, result.axes.economic_control, result.axes.offchain_dependency) == (governance, economic, 100)
    assert (result.total, result.grade, result.stage) == (points, letter, level)
    assert result.complete


def test_the_reference_table_in_the_docs_is_the_one_tested():
    text = (REPO / "docs" / "scoring.md").read_text()
    rows = re.findall(r"^\| (.+?) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([A-F]) \| (\d) \|$", text, re.M)
    assert [(name, float(g), float(e), float(t), letter, int(s)) for name, g, e, t, letter, s in rows] == [
        (r[0], r[2], r[3], r[4], r[5], r[6]) for r in REFERENCE]


def test_one_key_holding_a_total_power_leaves_its_axis_at_20_and_the_total_under_55():
    for capability, axis in (("mint", "economic_control"), ("upgrade", "governance_concentration"),
                             ("arbitrary_call", "governance_concentration"), ("delegatecall", "governance_concentration"),
                             ("set_balance", "economic_control"), ("withdraw_funds", "economic_control")):
        result = score([Power("Vault", capability, ("f()",), holders=(EOA,))])
        assert getattr(result.axes, axis) == 20, capability
        assert result.total <= 55 and result.grade == "F", capability


def test_total_economic_control_an_anonymous_key_minting_and_pausing():
    """Issue 9: one key that can mint without a cap and pause every transfer scored 78.8."""
    result = score([mint(unresolved=True), Power("Token", "pause", ("pause()",), unresolved=True, token=True)])
    assert result.axes.economic_control == 15.0  # 100 x (1 - 0.8) x (1 - 0.25)
    assert result.total == 33.5 and result.grade == "F" and result.stage == 0
    assert [(d.power, d.points) for d in result.deductions] == [("Token.mint", 80.0), ("Token.pause", 5.0)]


def test_each_power_is_deducted_once_citing_every_finding_that_describes_it():
    found = replace(mint(EOA), functions=("mint(address,uint256)", "mintBatch(address[],uint256[])"), finding_ids=("a", "b", "c"))
    [deduction] = score([found]).deductions
    assert (deduction.power, deduction.functions, deduction.points, deduction.finding_ids) == (
        "Token.mint", ("mint(address,uint256)", "mintBatch(address[],uint256[])"), 80.0, ("a", "b", "c"))
    assert deduction.reason == "can mint (uncapped); held by one key (EOA), no delay"


def test_a_weight_and_axis_for_every_capability_the_facts_produce():
    schema = json.loads((REPO / "inspector" / "report" / "schema" / "report.schema.json").read_text())
    names = schema["$defs"]["capability"]["properties"]["name"]["enum"]
    assert {n for n in names if weight_of(n) is None} == {"renounce"}
    assert set(names) - {"renounce"} <= set(WEIGHTS)
    assert {n for n, w in WEIGHTS.items() if w.total} == {"upgrade", "delegatecall", "arbitrary_call", "selfdestruct", "mint",
                                                         "set_balance", "withdraw_funds"}
    assert all(w.weight == TOTAL_WEIGHT for w in WEIGHTS.values() if w.total)
    assert weight_of("withdraw_funds", token=True).weight == 25  # a sweep out of a token takes no holder's balance


def test_a_partial_scan_is_never_stage_2_nor_grade_a():
    result = score([], skipped=[("mainnet:0xabc", "not verified on Etherscan")])
    assert (result.total, result.grade, result.stage) == (100, "B", 1)
    assert not result.complete and result.grade_cap == "B"
    assert result.grade_note == "grade capped at B by the scan is partial (the total alone would give A)"
    assert result.stage_reasons == ("partial scan: target mainnet:0xabc was not analysed (not verified on Etherscan)",)


def test_the_grade_cap_by_stage_is_said():
    result = score([mint(Holder("0xgov", "governor", 2 * DAY))])
    assert (result.total, result.grade, result.stage) == (92.1, "C", 0)
    assert result.grade_note == "grade capped at C by stage 0 (the total alone would give A)"


def test_unresolved_holders_count_as_one_key_and_the_note_depends_on_whether_a_chain_was_read():
    found = (mint(unresolved=True),)
    coverage = Coverage(1, unresolved_powers=("Token.mint",))
    offline = compute(found, CONFIG, coverage)
    assert offline.deductions[0].points == 80.0 and offline.deductions[0].unresolved and offline.stage == 0
    assert offline.unresolved_note == ("1 power(s) counted as held by one key with no delay because their holder was not read "
                                       "from a chain; scanning the deployed addresses with --rpc resolves who holds them")
    assert "--rpc" not in compute(found, CONFIG, coverage, chain_read=True).unresolved_note
    assert compute(found, CONFIG, coverage, chain_read=True).unresolved_note == (
        "1 power(s) counted as held by one key with no delay: their holders could not be read from the chain "
        "(control_graph.unresolved says why)")


@pytest.mark.parametrize("holder, points, stage", [
    (SAFE, 48.0, 0),  # 2-of-3: 1.2 / 2 of the weight
    (later(EOA, 2), 56.0, 0),  # the timelock minimum (48 h): 0.7
    (later(EOA, 7), 32.0, 1),  # stage 1's exit window: 0.4
    (Holder("0xg", "governor", 30 * DAY), 5.6, 2),  # on-chain governance after 30 days: 0.35 * 0.2
    (later(EOA, 30), 16.0, 1),  # 30 days, but one key rather than governance: stage 1
    (Holder("0x0", "renounced"), None, 2),  # nobody holds it
    (Holder("0xv", "code"), None, 2),  # a scanned contract nobody controls
])
def test_who_holds_the_power_sets_its_points_and_the_stage(holder, points, stage):
    result = score([mint(holder)])
    assert [d.points for d in result.deductions] == ([points] if points else [])
    assert result.stage == stage


def test_a_power_read_on_chain_with_no_holder_is_held_by_nobody():
    result = score([mint()])  # a role with no member: resolved, empty
    assert result.deductions == () and result.stage == 2


def test_a_security_council_qualifies_only_with_the_outsider_input():
    council = Holder("0xCouncil", "multisig", 0, 6, 8)  # 8 members, 75%
    assert score([mint(council)]).stage == 0  # without the input: the stricter answer
    declared = replace(CONFIG, score=ScoreSettings(councils=(Council("0xcouncil", outsiders=4, public=True),)))
    result = score([mint(council)], config=declared)
    assert result.stage == 2 and result.deductions[0].points == 80 * 0.2
    assert result.custom_settings == (("score.councils.0xcouncil", "outsiders 4, public true"),)
    secret = replace(CONFIG, score=ScoreSettings(councils=(Council("0xcouncil", outsiders=4, public=False),)))
    assert score([mint(council)], config=secret).stage == 0
    small = Holder("0xCouncil", "multisig", 0, 5, 7)  # under L2BEAT's 8 members
    assert score([mint(small)], config=declared).stage == 0


def test_custom_score_settings_are_listed_with_their_values():
    custom = replace(CONFIG, score=ScoreSettings(stage1_exit_window_days=10), thresholds=Thresholds(timelock_min_delay_hours=72,
                                                                                                    multisig_min_owners=5))
    assert score([], config=custom).custom_settings == (("score.stage1_exit_window_days", "10"),
                                                        ("thresholds.timelock_min_delay_hours", "72"))
    assert score([]).custom_settings == ()


def test_a_fee_under_a_ceiling_does_not_decide_the_stage_and_an_unbounded_one_does():
    fee = Power("Token", "set_fee", ("setTax(uint256)",), "<= MAX_TAX", (EOA,), token=True)
    bounded = score([fee])
    assert (bounded.axes.economic_control, bounded.stage) == (90.0, 2)
    unbounded = score([replace(fee, bound="")])
    assert (unbounded.axes.economic_control, unbounded.stage) == (60.0, 0)


def test_holder_concentration_takes_points_from_economic_control():
    result = score([], [("0xtoken", 0.8333, 1)])
    [deduction] = result.deductions
    assert (deduction.axis, deduction.power, deduction.capability, deduction.finding_ids) == (
        "economic_control", "0xtoken.holders", "holder-concentration", ())
    assert deduction.points == round(20 * (0.8333 - 0.1) / 0.9 + 10, 2)
    assert result.stage == 2  # concentration is measured, not a power


def test_a_token_nobody_holds_is_not_concentrated():
    """Issue 9: 0 holders and 'Nakamoto coefficient 0' took 10 points."""
    assert score([], [("0xtoken", 0.0, 0)]).deductions == ()


def test_grades_and_the_total_of_axes():
    assert [grade(t) for t in (95, 85, 75, 65, 30)] == ["A", "B", "C", "D", "F"]
    assert grade(95, "B") == "B" and grade(95, "C") == "C" and grade(30, "C") == "F"
    assert total(Axes(100, 100, 100)) == 100
    assert total(Axes(100, 100, 20)) == round(1 / (0.4 / 100 + 0.25 / 100 + 0.35 / 20), 1) == 41.7
    assert total(Axes(0, 0, 0)) == 0.5  # the floor keeps the harmonic mean defined


def test_the_text_report_says_the_grade_cap_partial_coverage_and_custom_settings():
    from inspector.report.text_report import _score as text_score

    config = replace(CONFIG, score=ScoreSettings(stage1_exit_window_days=10))
    found = (mint(Holder("0xgov", "governor", 2 * DAY)), Power("Vault", "pause", ("pause()",), unresolved=True))
    result = compute(found, config, Coverage(2, (("mainnet:0xabc", "not verified"),), (), ("Vault.pause",)), chain_read=True)
    lines = text_score(result)
    assert lines[0] == ("Score 81.3/100 (partial), grade C, stage 0 (governance concentration 100, offchain dependency 100, "
                        "economic control 60.3)")
    assert lines[1] == "  grade capped at C by stage 0 (the total alone would give B)"
    assert "  partial: target mainnet:0xabc was not analysed: not verified" in lines
    assert "  partial: holders not read for 1 power(s): Vault.pause" in lines
    assert "  custom score settings: score.stage1_exit_window_days = 10" in lines


def test_each_deduction_names_the_key_that_decides_it():
    """The key is the weakest holder (the one whose factor the power takes), in a few words."""
    safe_later = Holder("0x" + "5a" * 20, "multisig", 2 * DAY, 2, 3)
    eoa = Holder("0x" + "e0" * 20, "eoa")
    found = (mint(safe_later, eoa), upgrade(Holder("0x0", "renounced")),
             Power("Vault", "pause", ("pause()",), unresolved=True), Power("Vault", "withdraw_funds", ("sweep()",), "", ()))
    keys = {d.power: d.key for d in score(found).deductions}
    assert keys == {"Token.mint": "eoa 0x" + "e0" * 20, "Vault.pause": "unresolved"}
    only_safe = {d.power: d.key for d in score([mint(safe_later)]).deductions}
    assert only_safe == {"Token.mint": "multisig 2-of-3 0x" + "5a" * 20}


def test_an_upgrade_that_calls_the_new_code_is_one_power_not_two():
    """upgradeToAndCall delegatecalls into the code it installs: the delegatecall is the upgrade's."""
    from inspector.facts.model import Capability, ContractFacts, EntryPoint, Facts, Guard
    from inspector.score.powers import uses

    owner = Guard("owner", "_owner")
    both = EntryPoint("upgradeToAndCall(address,bytes)", "Token", "Token.sol", 10, (owner,),
                      (Capability("upgrade", "_implementation", "Token.sol", 11), Capability("delegatecall", "data", "Token.sol", 12)))
    only_call = EntryPoint("execute(address,bytes)", "Token", "Token.sol", 20, (owner,), (Capability("delegatecall", "data", "Token.sol", 21),))
    facts = Facts((ContractFacts("Token", "Token.sol", 3, ("token",), (both, only_call)),))
    assert sorted((u.entry.function, u.capability) for u in uses(facts)) == [
        ("execute(address,bytes)", "delegatecall"), ("upgradeToAndCall(address,bytes)", "upgrade")]
