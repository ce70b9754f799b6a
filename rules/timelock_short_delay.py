"""A timelock delay shorter than users need to exit."""
from __future__ import annotations

import re

from inspector.rules import Rule
from inspector.chain.accounts import short
from inspector.durations import HOUR, duration, parse_duration
from inspector.findings import ITSELF, Severity
from inspector.vocabulary import AccountKind, Category, ContractKind

_DELAY = re.compile(r"^_?(minimum_?delay|min_?delay|delay|grace_?period)$", re.I)
_FLOOR = re.compile(r"^_?minimum_?delay$", re.I)  # a floor under later changes, not the delay itself


class TimelockShortDelay(Rule):
    id = "timelock-short-delay"
    category = Category.TIMELOCK
    severity = Severity.MEDIUM
    weight = 15
    title = "Timelock delay zero or short"
    rationale = (
        "A timelock protects users only if its delay lets them notice a queued change and exit first. "
        "A delay (or a floor on the delay) of zero or a few hours is a formality."
    )
    remediation = "Set the minimum delay to 48 hours or more; 7 days for upgrades (L2BEAT/DeFiScan stage 1)."
    references = ("https://www.defiscan.info/framework",)

    applies_to = frozenset({ContractKind.TIMELOCK})

    def check(self, facts):
        # Below this a delay gives users too little time to see a change and leave
        # (thresholds.timelock_min_delay_hours, 48 by default).
        minimum = self.thresholds.timelock_min_delay_hours
        for contract in facts.contracts:
            read = self._read_on_chain(contract)
            for address, seconds in read:
                if seconds < minimum * HOUR:
                    yield self.finding(
                        contract, f"{contract.name} at {short(address)} waits {duration(seconds) if seconds else 'no time'} on chain, "
                                  f"under the {minimum:g}-hour threshold",
                        principal=contract.name, subject=ITSELF, severity=Severity.HIGH if seconds == 0 else Severity.MEDIUM)
            for name, text in sorted(contract.values.items()):
                if name == "GRACE_PERIOD" or not _DELAY.match(name):
                    continue
                if read and not _FLOOR.match(name):
                    continue  # the chain read the delay the timelock has now; a floor in the code still binds changes
                seconds = parse_duration(text)
                if seconds is None or seconds >= minimum * HOUR:
                    continue
                hours = seconds / HOUR
                yield self.finding(
                    contract,
                    f"{contract.name}.{name} is {text} ({hours:g} hour{'' if hours == 1 else 's'}), under the {minimum:g}-hour threshold",
                    principal=name, variable=name, subject=ITSELF, severity=Severity.HIGH if seconds == 0 else Severity.MEDIUM,
                )

    def _read_on_chain(self, contract) -> list[tuple[str, int]]:
        """(address, delay) where the chain read the timelock's delay, on every address the
        contract is deployed at; [] when any was not read (the code's values stand)."""
        accounts = self.chain.accounts_of(contract.name) if self.chain is not None else None
        if accounts is None or any(a.kind != AccountKind.TIMELOCK or a.delay is None for a in accounts):
            return []
        return [(a.address, a.delay) for a in accounts]
