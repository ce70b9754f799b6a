"""The governance-effectiveness score: a pure function of the powers (what the facts found,
who holds each one) and holder concentration. docs/scoring.md explains every number.

Each power takes a share of what is left of its axis: weight x holder factor / 100, the
heaviest first, so the worst power dominates its axis and the points of an axis add up to
what it lost. The total is the weighted harmonic mean of the axes: one axis near the floor
pulls the whole down, as one key that can take everything should.
"""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Iterable

from inspector.config import Config, Council, ScoreSettings, Thresholds
from inspector.durations import DAY, HOUR, waiting
from inspector.score.model import AXES, Axes, ContractScore, Coverage, Deduction, Holder, Power, Score
from inspector.score.weights import ECONOMIC, Weight, is_critical, weight_of
from inspector.vocabulary import AccountKind, Axis, CapabilityName

# How much each axis counts in the total. Governance concentration carries upgrades, which
# reach everything else; economic control is what users' tokens are exposed to directly.
AXIS_WEIGHTS = {Axis.GOVERNANCE_CONCENTRATION: 0.40, Axis.OFFCHAIN_DEPENDENCY: 0.25, Axis.ECONOMIC_CONTROL: 0.35}
GRADES = ((90, "A"), (80, "B"), (70, "C"), (60, "D"), (0, "F"))
# The best letter each stage allows: a system where one key changes code or funds without an
# exit window is not a B, however few its other powers.
GRADE_CAP = {0: "C", 1: "B", 2: "A"}
HOLDER_CONCENTRATION = "holder-concentration"  # the deduction --holders measurements take
FLOOR = 0.5  # an axis never reaches 0 in the harmonic mean (it would be undefined)
NOBODY = (AccountKind.RENOUNCED, "code")  # kinds that leave nobody to act (code: score.powers)


def qualifying_council(holder: Holder, config: Config) -> bool:
    """A multisig that meets the security-council criteria. Whether its signers are
    outsiders and public is not on chain: without that input, the stricter answer (no)."""
    settings = config.score
    if holder.kind != AccountKind.MULTISIG or not holder.owners or holder.threshold is None:
        return False
    declared = next((c for c in settings.councils if c.address.lower() == holder.address.lower()), None)
    return (holder.owners >= settings.council_min_members and holder.threshold / holder.owners >= settings.council_min_threshold
            and isinstance(declared, Council) and declared.public and declared.outsiders / holder.owners >= settings.council_min_outsiders)


def delay_factor(seconds: int, config: Config) -> float:
    """What a wait before a change takes effect is worth: nothing under the timelock minimum,
    most at the exit windows of stage 1 and 2. Never rises with a longer delay."""
    days = seconds / DAY
    if days >= config.score.stage2_exit_window_days:
        return 0.2
    if days >= config.score.stage1_exit_window_days:
        return 0.4
    if seconds >= config.thresholds.timelock_min_delay_hours * HOUR:
        return 0.7
    return 1.0


def holder_factor(holder: Holder, config: Config) -> float:
    """The share of a power's weight a holder leaves: 1 for one key acting at once, less for
    more keys and for delays, 0 for nobody."""
    if holder.kind in NOBODY:
        return 0.0
    if holder.kind == AccountKind.MULTISIG:
        threshold = holder.threshold or 1
        base = 0.2 if qualifying_council(holder, config) else (1.0 if threshold <= 1 else max(0.25, 1.2 / threshold))
    elif holder.kind == AccountKind.GOVERNOR and not governed(holder, config):
        base = max(0.25, 1.2 / holder.voters)  # no exit window: the delegates that win a vote act like an M-of-N multisig
    elif holder.kind in (AccountKind.GOVERNOR, AccountKind.TOKEN):
        base = 0.35  # token holders vote: on-chain governance
    else:
        base = 1.0  # an EOA, anyone, a signer, a feed, or a contract whose holders could not be read
    return base * delay_factor(holder.delay, config)


def governed(holder: Holder, config: Config) -> bool:
    """A governor is governance only when its path's delays leave users an exit window (stage
    1's days) before what a vote decides takes effect; one whose votes were read and that acts
    sooner is the delegates who win its votes (`voters`). One account winning them is a `voter`
    key already (score.powers)."""
    return holder.voters is None or holder.delay >= config.score.stage1_exit_window_days * DAY


def power_factor(power: Power, config: Config) -> float:
    """The weakest holder decides; unresolved counts as one key with no delay; a power read
    on chain with no holder at all (a role nobody has) is held by nobody."""
    factor = max((holder_factor(h, config) for h in power.holders), default=0.0)
    return 1.0 if power.unresolved else factor


def _weight(power: Power) -> tuple[Weight, float]:
    spec = weight_of(power.capability, power.token)
    assert spec is not None  # powers are collected only for weighed capabilities
    return spec, float(spec.bounded if power.bound and spec.bounded is not None else spec.weight)


def _worst(power: Power, config: Config) -> Holder:
    """The holder that decides a resolved, held power's factor: the weakest, the sooner first."""
    return max(power.holders, key=lambda h: (holder_factor(h, config), -h.delay))


def key_of(power: Power, config: Config) -> str:
    """Who holds a power, in a few words: "eoa 0x…", "multisig 2-of-3 0x…", "governor 0x…",
    "anyone", "unresolved" (not read: counted as one key), "nobody"."""
    if power.unresolved:
        return "unresolved"
    if not power.holders:
        return "nobody"
    worst = _worst(power, config)
    words = [str(worst.kind)]
    if worst.kind == AccountKind.MULTISIG:
        words.append(f"{worst.threshold}-of-{worst.owners}")
    if worst.address.startswith("0x"):
        words.append(worst.address)
    return " ".join(words)


def _held(power: Power, config: Config) -> str:
    if power.unresolved:
        return "held by one key, no delay (unresolved)"
    if not power.holders:
        return "held by nobody"
    worst = _worst(power, config)
    what = {"multisig": f"a {worst.threshold}-of-{worst.owners} multisig", "eoa": "one key (EOA)", "anyone": "anyone",
            "governor": ("on-chain governance" if governed(worst, config) else
                         f"on-chain governance with no exit window ({worst.voters} delegates win a vote)"),
            "token": "token holders", "renounced": "nobody",
            "signer": "one off-chain signing key", "feed": "the feed's operator", "code": "contract code nobody controls",
            "contract": "a contract whose holders were not read",
            "voter": "one account holding the majority of the governor's votes"}.get(worst.kind, f"a {worst.kind}")
    return f"held by {what}, {waiting(worst.delay)}"


def _bounded(power: Power, spec: Weight) -> str:
    if spec.bounded is None:
        return ""  # a bound does not change what it can do
    if power.bound:
        return f" (bounded {power.bound})"
    return " (uncapped)" if power.capability == CapabilityName.MINT else " (no bound in the code)"


def _deduction(power: Power, config: Config) -> tuple[float, Deduction]:
    spec, weight = _weight(power)
    factor = power_factor(power, config)
    share = weight * factor / 100
    reason = f"can {spec.verb}{_bounded(power, spec)}; {_held(power, config)}" + ("; bytecode only" if power.bytecode_only else "")
    return share, Deduction(power.name, power.contract, power.capability, power.functions, spec.axis, 0.0, round(share, 4),
                            weight, round(factor, 4), reason, power.finding_ids, power.acknowledged, power.unresolved,
                            key_of(power, config))


def holder_points(top1: float, nakamoto: int) -> float:
    """Economic control through the token supply: up to 20 points for the top holder's share
    above 10%, and 10 (5) when one holder (up to three) hold the majority. A token nobody
    holds (Nakamoto coefficient 0) is concentrated in nobody's hands."""
    if nakamoto <= 0:
        return 0.0
    return 20 * max(0.0, top1 - 0.1) / 0.9 + (10 if nakamoto == 1 else 5 if nakamoto <= 3 else 0)


def _deductions(powers: Iterable[Power], concentration: Iterable[tuple[str, float, int]], config: Config) -> list[Deduction]:
    """Each power once, on its axis, the heaviest first: its points are its share of what the
    heavier ones left."""
    shares = [_deduction(p, config) for p in powers]
    for token, top1, nakamoto in concentration:
        share = holder_points(top1, nakamoto) / 100
        reason = f"the top holder has {top1:.1%} of the supply; Nakamoto coefficient {nakamoto}"
        shares.append((share, Deduction(f"{token}.holders", token, HOLDER_CONCENTRATION, (), ECONOMIC, 0.0, round(share, 4),
                                        round(share * 100, 2), 1.0, reason, key="token holders")))
    left = {axis: 100.0 for axis in AXES}
    out = []
    for share, deduction in sorted(shares, key=lambda pair: (-pair[0], pair[1].power)):
        points = left[deduction.axis] * share
        left[deduction.axis] -= points
        if points >= 0.005:
            out.append(replace(deduction, points=round(points, 2)))
    return sorted(out, key=lambda d: (-d.points, d.power))


def _axes(powers: Iterable[Power], concentration: Iterable[tuple[str, float, int]], config: Config) -> Axes:
    left = {axis: 100.0 for axis in AXES}
    for deduction in _deductions(powers, concentration, config):
        left[deduction.axis] -= deduction.points
    return Axes(**{axis: round(max(0.0, left[axis]), 1) for axis in AXES})


def total(axes: Axes) -> float:
    """The weighted harmonic mean of the axes: never above the weighted average, and one
    axis near 0 drags the total toward it (an axis at 20 leaves at most 42)."""
    return round(1 / sum(AXIS_WEIGHTS[axis] / max(FLOOR, getattr(axes, axis)) for axis in AXES), 1)


def grade(total_points: float, cap: str = "A") -> str:
    letter = next(letter for floor, letter in GRADES if total_points >= floor)
    return max(letter, cap)  # letters sort A < B < ...: the worse of the two


def _window(power: Power, config: Config) -> float:
    """The exit window (days) a critical power leaves users: the shortest delay over its
    holders, a qualifying security council excepted; none for an unresolved holder."""
    if power.unresolved:
        return 0.0
    others = [h for h in power.holders if h.kind not in NOBODY and not qualifying_council(h, config)]
    return min((h.delay for h in others), default=float("inf")) / DAY


def _on_chain(power: Power, config: Config) -> bool:
    return not power.unresolved and all(
        (h.kind == AccountKind.GOVERNOR and governed(h, config)) or h.kind in (AccountKind.TOKEN, *NOBODY) or qualifying_council(h, config)
        for h in power.holders)


def stage(powers: Iterable[Power], coverage: Coverage, config: Config) -> tuple[int, tuple[str, ...]]:
    """Stage 0/1/2 after L2BEAT and DeFiScan: every critical power (over code, supply or
    funds) must leave an exit window of stage 1's days (7) — only a qualifying security
    council may act sooner — and, for stage 2, of 30 days through on-chain governance. A
    partial scan is never stage 2. The reasons say what keeps the system from the next stage."""
    settings = config.score
    critical = [p for p in powers if is_critical(p.capability, bool(p.bound), p.token) and power_factor(p, config) > 0]
    blocking1, blocking2 = [], []
    for power in critical:
        window = _window(power, config)
        held = _held(power, config)
        if window < settings.stage1_exit_window_days:
            blocking1.append(f"{power.name}: {held}; stage 1 needs a {settings.stage1_exit_window_days:g}-day exit window "
                             "or a qualifying security council")
        if window < settings.stage2_exit_window_days or not _on_chain(power, config):
            blocking2.append(f"{power.name}: {held}; stage 2 needs {settings.stage2_exit_window_days:g} days through "
                             "on-chain governance")
    if blocking1:
        return 0, tuple(dict.fromkeys(blocking1))
    partial = _partial(coverage)
    if blocking2 or partial:
        return 1, tuple(dict.fromkeys(blocking2)) + partial
    if not critical:
        return 2, ("no critical power over code, supply or funds was found: nothing to exit from",)
    return 2, ("every critical power waits at least the stage 2 exit window under on-chain governance",)


def _partial(coverage: Coverage) -> tuple[str, ...]:
    reasons = [f"partial scan: target {target} was not analysed ({why})" for target, why in coverage.skipped]
    if coverage.unresolved_powers:
        reasons.append(f"partial scan: the holders of {len(coverage.unresolved_powers)} power(s) were not read "
                       f"({', '.join(coverage.unresolved_powers[:3])}{', ...' if len(coverage.unresolved_powers) > 3 else ''})")
    return tuple(reasons)


def custom_settings(config: Config) -> tuple[tuple[str, str], ...]:
    """Settings of the configuration that change the score, where they differ from the defaults."""
    out = []
    for section, value, default in (("score", config.score, ScoreSettings()), ("thresholds", config.thresholds, Thresholds())):
        for f in fields(value):
            if f.name in ("councils", "multisig_min_threshold", "multisig_min_owners"):
                continue  # councils below; the multisig thresholds are the rules' only
            if getattr(value, f.name) != getattr(default, f.name):
                out.append((f"{section}.{f.name}", f"{getattr(value, f.name):g}"))
    for council in config.score.councils:
        out.append((f"score.councils.{council.address}", f"outsiders {council.outsiders}, public {str(council.public).lower()}"))
    return tuple(out)


def compute(powers: Iterable[Power], config: Config, coverage: Coverage,
            concentration: Iterable[tuple[str, float, int]] = (), chain_read: bool = False,
            contracts: Iterable[str] = ()) -> Score:
    """`concentration`: (token, top-1 share, Nakamoto coefficient) per measured token;
    `chain_read`: holders were looked for on a chain (the unresolved note says so);
    `contracts`: every contract analysed, so that one without powers is listed at 100."""
    powers, concentration = tuple(powers), tuple(concentration)
    deductions = _deductions(powers, concentration, config)
    axes = _axes(powers, concentration, config)
    points = total(axes)
    level, reasons = stage(powers, coverage, config)
    cap = GRADE_CAP[level]
    letter = grade(points, cap)
    note = ""
    if letter != grade(points):
        why = "the scan is partial" if level == 1 and not coverage.complete else f"stage {level}"
        note = f"grade capped at {cap} by {why} (the total alone would give {grade(points)})"
    contracts = tuple(ContractScore(name, total(own := _axes([p for p in powers if p.contract == name], (), config)), own)
                      for name in sorted({p.contract for p in powers} | set(contracts)))
    unresolved = coverage.unresolved_powers
    if not unresolved:
        unresolved_note = ""
    elif chain_read:
        unresolved_note = (f"{len(unresolved)} power(s) counted as held by one key with no delay: their holders could not be "
                           "read from the chain (control_graph.unresolved says why)")
    else:
        unresolved_note = (f"{len(unresolved)} power(s) counted as held by one key with no delay because their holder was "
                           "not read from a chain; scanning the deployed addresses with --rpc resolves who holds them")
    unreported = tuple(p.name for p in powers if not p.finding_ids and power_factor(p, config) > 0)
    return Score(points, letter, level, reasons, axes, tuple(deductions), contracts, coverage, cap, note, unresolved_note,
                 custom_settings(config), unreported)
