"""The score model: its properties under hypothesis, and exact numbers on known inputs."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings, strategies as st

from inspector.config import Config, Council, ScoreSettings
from inspector.score.compute import compute, grade, holder_factor
from inspector.score.model import AXES, Exposure, Holder

DAY = 86400
CONFIG = Config()
RULES = ("admin-key-single-owner", "economic-mint", "upgrade-no-timelock", "offchain-oracle", "economic-pausable")
AXIS = {"admin-key-single-owner": "governance_concentration", "economic-mint": "economic_control",
        "upgrade-no-timelock": "governance_concentration", "offchain-oracle": "offchain_dependency", "economic-pausable": "economic_control"}

eoa = st.builds(Holder, address=st.just("0x" + "11" * 20), kind=st.just("eoa"), delay=st.integers(0, 60 * DAY))
multisig = st.builds(Holder, address=st.just("0x" + "22" * 20), kind=st.just("multisig"), delay=st.integers(0, 60 * DAY),
                     threshold=st.integers(1, 10), owners=st.integers(10, 12))
other = st.builds(Holder, address=st.just("0x" + "33" * 20), kind=st.sampled_from(["governor", "anyone", "renounced", "contract"]),
                  delay=st.integers(0, 60 * DAY))
holders = st.lists(st.one_of(eoa, multisig, other), max_size=3).map(tuple)


@st.composite
def exposure(draw, index=st.integers(0, 10**6)):
    rule = draw(st.sampled_from(RULES))
    held = draw(holders)
    return Exposure(f"id{draw(index)}", rule, AXIS[rule], draw(st.sampled_from([2, 10, 25, 40])), draw(st.integers(0, 4)),
                    draw(st.sampled_from(["high", "medium", "low"])), draw(st.sampled_from(["Token", "Vault"])),
                    f"Token.f{draw(st.integers(0, 5))}()", held, unresolved=not held, reach=draw(st.sampled_from([0.5, 1.0])))


exposures = st.lists(exposure(), max_size=12)
concentration = st.lists(st.tuples(st.just("0xtoken"), st.floats(0, 1), st.integers(1, 50)), max_size=2)


@settings(max_examples=300, deadline=None)
@given(exposures, concentration)
def test_score_stays_between_0_and_100_and_is_deterministic(found, measured):
    score = compute(found, CONFIG, measured)
    assert 0 <= score.total <= 100
    for axis in AXES:
        assert 0 <= getattr(score.axes, axis) <= 100
    assert score == compute(list(found), CONFIG, list(measured))
    assert score.stage in (0, 1, 2) and score.grade in "ABCDF"


@settings(max_examples=300, deadline=None)
@given(exposures, exposure())
def test_adding_a_power_never_raises_the_score(found, extra):
    before = compute(found, CONFIG)
    after = compute([*found, extra], CONFIG)
    assert after.total <= before.total
    for axis in AXES:
        assert getattr(after.axes, axis) <= getattr(before.axes, axis)
    assert after.stage <= before.stage


@settings(max_examples=300, deadline=None)
@given(exposures, st.data())
def test_moving_a_power_from_an_eoa_to_a_multisig_or_behind_a_timelock_never_lowers_the_score(found, data):
    key = Holder("0x" + "44" * 20, "eoa", 0)
    target = data.draw(exposure())
    moved_to = data.draw(st.one_of(
        st.builds(Holder, address=st.just(key.address), kind=st.just("multisig"), threshold=st.integers(1, 9), owners=st.integers(9, 12)),
        st.builds(Holder, address=st.just(key.address), kind=st.just("eoa"), delay=st.integers(1, 60 * DAY))))
    before = compute([*found, replace(target, holders=(key,), unresolved=False)], CONFIG)
    after = compute([*found, replace(target, holders=(moved_to,), unresolved=False)], CONFIG)
    assert after.total >= before.total
    for axis in AXES:
        assert getattr(after.axes, axis) >= getattr(before.axes, axis)
    assert after.stage >= before.stage


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 60 * DAY), st.integers(0, 60 * DAY))
def test_a_longer_delay_is_never_worth_less(shorter, longer):
    shorter, longer = sorted((shorter, longer))
    for kind in ("eoa", "multisig", "governor"):
        assert holder_factor(Holder("0x", kind, longer, 2, 3), CONFIG) <= holder_factor(Holder("0x", kind, shorter, 2, 3), CONFIG)


def mint(holders=(), unresolved=False, severity=3):
    return Exposure("m1", "economic-mint", "economic_control", 25, severity, "high", "Token", "Token.mint(address,uint256)",
                    holders, unresolved)


def test_one_key_minting_without_delay_takes_the_rule_weight_and_keeps_stage_0():
    score = compute([mint((Holder("0xkey", "eoa"),))], CONFIG)
    assert (score.axes.economic_control, score.axes.governance_concentration, score.axes.offchain_dependency) == (75.0, 100.0, 100.0)
    assert score.total == round(0.4 * 100 + 0.25 * 100 + 0.35 * 75, 1) == 91.2
    # the total alone would be an A: one key minting at once keeps the system at stage 0, capped at C
    assert (score.stage, score.grade) == (0, "C")
    [deduction] = score.deductions
    assert (deduction.axis, deduction.points, deduction.rule, deduction.finding_ids) == ("economic_control", 25.0, "economic-mint", ("m1",))
    assert deduction.reason == "1 finding(s), the heaviest at Token.mint(address,uint256): held by one key (EOA), no delay"
    assert score.stage_reasons == ("Token.mint(address,uint256) (economic-mint): held by one key (EOA), no delay; stage 1 needs a "
                                   "7-day exit window or a qualifying security council",)


def test_unresolved_holders_count_as_one_key_and_say_what_rpc_would_resolve():
    score = compute([mint(unresolved=True)], CONFIG)
    assert score.deductions[0].points == 25.0 and score.deductions[0].unresolved
    assert score.unresolved_note == ("1 power(s) counted as held by one key with no delay because their holder was not read from a "
                                     "chain; scanning the deployed addresses with --rpc resolves who holds them")
    assert score.stage == 0


@pytest.mark.parametrize("holder, points, stage", [
    (Holder("0xs", "multisig", 0, 2, 3), 15.0, 0),  # 2-of-3: 1.2 / 2 of the weight
    (Holder("0xk", "eoa", 2 * DAY), 17.5, 0),  # the timelock minimum (48 h): 0.7
    (Holder("0xk", "eoa", 7 * DAY), 10.0, 1),  # stage 1's exit window: 0.4
    (Holder("0xg", "governor", 30 * DAY), 1.75, 2),  # on-chain governance after 30 days: 0.35 * 0.2
    (Holder("0xk", "eoa", 30 * DAY), 5.0, 1),  # 30 days, but one key rather than governance: stage 1
    (Holder("0x0", "renounced"), None, 2),  # nobody holds it
])
def test_who_holds_the_power_sets_its_points_and_the_stage(holder, points, stage):
    score = compute([mint((holder,))], CONFIG)
    assert [d.points for d in score.deductions] == ([points] if points else [])
    assert score.stage == stage


def test_a_security_council_qualifies_only_with_the_outsider_input():
    council = Holder("0xCouncil", "multisig", 0, 6, 8)  # 8 members, 75%
    assert compute([mint((council,))], CONFIG).stage == 0  # without the input: the stricter answer
    declared = replace(CONFIG, score=ScoreSettings(councils=(Council("0xcouncil", outsiders=4, public=True),)))
    score = compute([mint((council,))], declared)
    assert score.stage == 2 and score.deductions[0].points == 25 * 0.2
    secret = replace(CONFIG, score=ScoreSettings(councils=(Council("0xcouncil", outsiders=4, public=False),)))
    assert compute([mint((council,))], secret).stage == 0
    small = Holder("0xCouncil", "multisig", 0, 5, 7)  # under L2BEAT's 8 members
    assert compute([mint((small,))], declared).stage == 0


def test_one_rule_on_many_functions_counts_less_each_time():
    found = [replace(mint((Holder("0xk", "eoa"),)), finding_id=f"m{i}", where=f"Token.f{i}()") for i in range(3)]
    [deduction] = compute(found, CONFIG).deductions
    assert deduction.points == 25 + 12.5 + 6.25
    assert deduction.finding_ids == ("m0", "m1", "m2")


def test_holder_concentration_takes_points_from_economic_control():
    score = compute([], CONFIG, [("0xtoken", 0.8333, 1)])
    [deduction] = score.deductions
    assert (deduction.axis, deduction.rule, deduction.finding_ids) == ("economic_control", "holder-concentration", ())
    assert deduction.points == round(20 * (0.8333 - 0.1) / 0.9 + 10, 2)
    assert score.stage == 2  # concentration is measured, not a power


def test_grades():
    assert [grade(t) for t in (95, 85, 75, 65, 30)] == ["A", "B", "C", "D", "F"]
    assert grade(95, 1) == "B" and grade(95, 0) == "C" and grade(30, 0) == "F"


def test_the_example_scan_reports_its_score_with_every_deduction_citing_findings(run_cli):
    from conftest import EXAMPLE

    code, out, err = run_cli(["scan", EXAMPLE, "--format", "json", "--fail-on", "none"])
    assert code == 0, err
    report = json.loads(out)
    score = report["score"]
    ids = {f["id"]: f for f in report["findings"]}
    lost = {axis: 0.0 for axis in AXES}
    for deduction in score["deductions"]:
        assert deduction["finding_ids"] and all(ids[i]["rule"] == deduction["rule"] for i in deduction["finding_ids"])
        assert deduction["unresolved"] is True  # no chain was read
        lost[deduction["axis"]] += deduction["points"]
    assert {d["rule"] for d in score["deductions"]} == {
        "economic-fee-settable", "economic-mint", "admin-key-renounce-needed", "admin-key-role-admin",
        "admin-key-single-owner", "admin-key-single-step-transfer"}
    assert score["axes"] == {axis: round(100 - lost[axis], 1) for axis in AXES}
    assert (score["total"], score["grade"], score["stage"]) == (70.1, "C", 0)
    assert score["stage_reasons"][0].startswith("LaunchToken.mint(address,uint256) (admin-key-single-owner): held by one key, no delay (unresolved)")
    assert [c["contract"] for c in score["contracts"]] == ["LaunchToken", "RewardsVault"]
