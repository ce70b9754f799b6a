"""The governance-effectiveness score: a pure function of the exposures (findings weighed
by who holds their power) and holder concentration. docs/scoring.md explains every number.
"""
from __future__ import annotations

from inspector.chain.graph import waiting
from inspector.config import Config, Council
from inspector.findings import Severity
from inspector.score.model import AXES, Axes, ContractScore, Deduction, Exposure, Holder, Score

# How much each axis counts in the total. Governance concentration carries upgrades, which
# reach everything else; economic control is what users' tokens are exposed to directly.
AXIS_WEIGHTS = {"governance_concentration": 0.40, "offchain_dependency": 0.25, "economic_control": 0.35}
CONFIDENCE = {"high": 1.0, "medium": 0.75, "low": 0.5}
GRADES = ((90, "A"), (80, "B"), (70, "C"), (60, "D"), (0, "F"))
HIGH = Severity.HIGH  # from here a power is a critical change for the stage
STAGED_AXES = ("governance_concentration", "economic_control")
DAY = 86400
HOLDER_RULE = "holder-concentration"  # the deduction --holders measurements take, not a catalogue rule


def qualifying_council(holder: Holder, config: Config) -> bool:
    """A multisig that meets the security-council criteria. Whether its signers are
    outsiders and public is not on chain: without that input, the stricter answer (no)."""
    settings = config.score
    if holder.kind != "multisig" or not holder.owners or holder.threshold is None:
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
    if seconds >= config.thresholds.timelock_min_delay_hours * 3600:
        return 0.7
    return 1.0


def holder_factor(holder: Holder, config: Config) -> float:
    """The share of a rule's weight a holder leaves: 1 for one key acting at once, less for
    more keys and for delays, 0 for nobody."""
    if holder.kind == "renounced":
        return 0.0
    if holder.kind == "multisig":
        threshold = holder.threshold or 1
        base = 0.2 if qualifying_council(holder, config) else (1.0 if threshold <= 1 else max(0.25, 1.2 / threshold))
    elif holder.kind in ("governor", "token"):
        base = 0.35  # token holders vote: on-chain governance
    else:
        base = 1.0  # an EOA, anyone, or a contract whose holders could not be read
    return base * delay_factor(holder.delay, config)


def exposure_points(exposure: Exposure, config: Config) -> float:
    """Unresolved or unheld: one key, no delay. The weakest holder of a power decides."""
    factor = max((holder_factor(h, config) for h in exposure.holders), default=1.0)
    return exposure.weight * factor * CONFIDENCE.get(exposure.confidence, 1.0) * exposure.reach


def _diminished(points: list[float]) -> float:
    """One rule firing on many functions: the largest counts in full, the next half, the next
    a quarter... Adding a finding or raising one never lowers the sum."""
    return sum(p / 2 ** i for i, p in enumerate(sorted(points, reverse=True)))


def holder_points(top1: float, nakamoto: int) -> float:
    """Economic control through the token supply: up to 20 points for the top holder's share
    above 10%, and 10 (5) when one holder (up to three) hold the majority."""
    return 20 * max(0.0, top1 - 0.1) / 0.9 + (10 if nakamoto <= 1 else 5 if nakamoto <= 3 else 0)


def _deductions(exposures: list[Exposure], concentration: list[tuple[str, float, int]], config: Config) -> list[Deduction]:
    grouped: dict[tuple[str, str], list[tuple[float, Exposure]]] = {}
    for exposure in exposures:
        grouped.setdefault((exposure.axis, exposure.rule), []).append((exposure_points(exposure, config), exposure))
    out = []
    for (axis, rule), scored in sorted(grouped.items()):
        points = _diminished([p for p, _ in scored])
        if points <= 0:
            continue
        worst = max(scored, key=lambda pair: pair[0])[1]
        unresolved = any(e.unresolved for _, e in scored)
        reason = f"{len(scored)} finding(s), the heaviest at {worst.where}: {_held(worst)}"
        out.append(Deduction(axis, round(points, 2), rule, tuple(sorted({e.finding_id for _, e in scored})), reason, unresolved))
    for token, top1, nakamoto in concentration:
        points = holder_points(top1, nakamoto)
        if points > 0:
            out.append(Deduction("economic_control", round(points, 2), HOLDER_RULE, (),
                                 f"token {token}: the top holder has {top1:.1%} of the supply; Nakamoto coefficient {nakamoto}"))
    return out


def _held(exposure: Exposure) -> str:
    if not exposure.holders:
        return "held by one key, no delay (unresolved)" if exposure.unresolved else "no holder (open or fixed in code)"
    worst = max(exposure.holders, key=lambda h: (h.kind != "renounced", -h.delay))
    what = {"multisig": f"a {worst.threshold}-of-{worst.owners} multisig", "eoa": "one key (EOA)", "anyone": "anyone",
            "governor": "on-chain governance", "token": "token holders", "renounced": "nobody"}.get(worst.kind, f"a {worst.kind}")
    return f"held by {what}, {waiting(worst.delay)}"


def _axes(deductions: list[Deduction]) -> Axes:
    lost = {axis: 0.0 for axis in AXES}
    for deduction in deductions:
        lost[deduction.axis] += deduction.points
    return Axes(**{axis: round(max(0.0, 100.0 - lost[axis]), 1) for axis in AXES})


def _total(axes: Axes) -> float:
    return round(sum(AXIS_WEIGHTS[axis] * getattr(axes, axis) for axis in AXES), 1)


# The best letter each stage allows: a system where one key changes code or funds without an
# exit window is not a B, however few its other findings.
GRADE_CAP = {0: "C", 1: "B", 2: "A"}


def grade(total: float, level: int = 2) -> str:
    letter = next(letter for floor, letter in GRADES if total >= floor)
    return max(letter, GRADE_CAP[level])  # letters sort A < B < ...: the worse of the two


def _window(exposure: Exposure, config: Config) -> float:
    """The exit window (days) a critical power leaves users: the shortest delay over its
    holders, a qualifying security council excepted; none for an unresolved holder."""
    if not exposure.holders:
        return 0.0
    others = [h for h in exposure.holders if h.kind != "renounced" and not qualifying_council(h, config)]
    return min((h.delay for h in others), default=float("inf")) / DAY


def stage(exposures: list[Exposure], config: Config) -> tuple[int, tuple[str, ...]]:
    """Stage 0/1/2 after L2BEAT and DeFiScan: every critical power (severity high or above,
    on governance or funds) must leave an exit window of stage 1's days (7) — only a
    qualifying security council may act sooner — and, for stage 2, of 30 days through
    on-chain governance. The reasons say what keeps the system from the next stage."""
    settings = config.score
    critical = [e for e in exposures if e.severity >= HIGH and e.axis in STAGED_AXES]
    if not critical:
        return 2, ("no critical power over code or funds was found: nothing to exit from",)
    blocking1, blocking2 = [], []
    for exposure in sorted(critical, key=lambda e: (e.where, e.rule)):
        window = _window(exposure, config)
        if window < settings.stage1_exit_window_days:
            blocking1.append(f"{exposure.where} ({exposure.rule}): {_held(exposure)}; stage 1 needs a "
                             f"{settings.stage1_exit_window_days:g}-day exit window or a qualifying security council")
        on_chain = all(h.kind in ("governor", "token", "renounced") or qualifying_council(h, config)
                       for h in exposure.holders) and bool(exposure.holders)
        if window < settings.stage2_exit_window_days or not on_chain:
            blocking2.append(f"{exposure.where} ({exposure.rule}): {_held(exposure)}; stage 2 needs "
                             f"{settings.stage2_exit_window_days:g} days through on-chain governance")
    if blocking1:
        return 0, tuple(dict.fromkeys(blocking1))
    if blocking2:
        return 1, tuple(dict.fromkeys(blocking2))
    return 2, ("every critical power waits at least the stage 2 exit window under on-chain governance",)


def compute(exposures: list[Exposure], config: Config, concentration: list[tuple[str, float, int]] = ()) -> Score:
    """`concentration`: (token, top-1 share, Nakamoto coefficient) per measured token."""
    deductions = _deductions(exposures, list(concentration), config)
    axes = _axes(deductions)
    total = _total(axes)
    level, reasons = stage(exposures, config)
    contracts = []
    for name in sorted({e.contract for e in exposures}):
        own = _axes(_deductions([e for e in exposures if e.contract == name], [], config))
        contracts.append(ContractScore(name, _total(own), own))
    unresolved = sorted({e.where for e in exposures if e.unresolved})
    note = (f"{len(unresolved)} power(s) counted as held by one key with no delay because their holder was not read from a "
            f"chain; scanning the deployed addresses with --rpc resolves who holds them" if unresolved else "")
    return Score(total, grade(total, level), level, reasons, axes, tuple(deductions), tuple(contracts), note)
