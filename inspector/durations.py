"""How long a change waits, said once for every report: a delay in seconds as the largest
unit it is a whole number of ('2 days', '36 hours', '90 seconds'), or in short units where
space is scarce (the graph picture: '2 d'), and the Solidity literals that give one."""
from __future__ import annotations

import re

MINUTE, HOUR, DAY, WEEK = 60, 3600, 86400, 604800
_UNITS = ((DAY, "days", "d"), (HOUR, "hours", "h"), (MINUTE, "minutes", "min"), (1, "seconds", "s"))


def duration(seconds: int, short: bool = False) -> str:
    """'2 days', '1 day', '36 hours', '0 seconds'; short: '2 d', '36 h', '0 s'."""
    for size, word, abbreviation in _UNITS:
        if seconds % size == 0 and (seconds or size == 1):
            count = seconds // size
            return f"{count} {abbreviation if short else word[:-1] if count == 1 else word}"
    raise AssertionError("a whole number of seconds always matches")


def waiting(seconds: int, short: bool = False) -> str:
    """How long a change waits, as the reports say it: 'no delay', 'after 2 days' ('after 2 d')."""
    return f"after {duration(seconds, short)}" if seconds else "no delay"


def parse_duration(text: str) -> int | None:
    """Seconds in a Solidity literal such as `2 days`, `172800`, `48 hours`; None if not a literal."""
    units = {"seconds": 1, "minutes": MINUTE, "hours": HOUR, "days": DAY, "weeks": WEEK}
    match = re.fullmatch(r"\s*(\d[\d_]*)\s*(seconds|minutes|hours|days|weeks)?\s*", text)
    if not match:
        return None
    return int(match.group(1).replace("_", "")) * units.get(match.group(2) or "seconds", 1)
