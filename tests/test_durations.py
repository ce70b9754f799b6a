"""One way to say how long a change waits (inspector/durations.py), for every report."""
from inspector.chain.accounts import Account
from inspector.durations import DAY, HOUR, duration, parse_duration, waiting


def test_a_delay_is_said_in_the_largest_whole_unit():
    assert [duration(s) for s in (2 * DAY, DAY, 36 * HOUR, HOUR, 90 * 60, 90, 0)] == [
        "2 days", "1 day", "36 hours", "1 hour", "90 minutes", "90 seconds", "0 seconds"]
    assert [duration(s, short=True) for s in (2 * DAY, 36 * HOUR, 90 * 60, 90, 0)] == ["2 d", "36 h", "90 min", "90 s", "0 s"]


def test_waiting_says_no_delay_or_after():
    assert (waiting(0), waiting(2 * DAY), waiting(HOUR, short=True)) == ("no delay", "after 2 days", "after 1 h")


def test_a_timelock_describes_its_delay():
    address = "0x2000000000000000000000000000000000000002"
    assert Account(address, "timelock", "TimelockController", delay=2 * DAY).describe() == \
        "TimelockController (2 days delay) 0x2000…0002"
    assert Account(address, "timelock", "Timelock", delay=None).describe() == "Timelock (delay unknown) 0x2000…0002"


def test_solidity_literals():
    assert [parse_duration(t) for t in ("2 days", "172_800", " 48 hours ", "1 weeks", "2 days + 1")] == [
        2 * DAY, 2 * DAY, 2 * DAY, 7 * DAY, None]
