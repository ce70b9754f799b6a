"""Voting power from checkpoints (inspector/chain/votes.py): DelegateVotesChanged logs
replayed, checked against the token's getter; the holder counts a quorum and a majority need."""
from __future__ import annotations

from inspector.chain.votes import DELEGATE_VOTES_CHANGED, VotingPower, read_voting_power

TOKEN = "0x" + "70" * 20
ALICE, BOB, CAROL = ("0x" + c * 40 for c in "abc")


def _log(delegate: str, previous: int, new: int, topics: int = 2) -> dict:
    topic = "0x" + "00" * 12 + delegate.removeprefix("0x")
    return {"topics": ["0x" + DELEGATE_VOTES_CHANGED.hex(), topic][:topics] + [topic] * (topics - 2),
            "data": "0x" + f"{previous:064x}{new:064x}", "block": 1, "index": 0}


class _Reader:
    """Answers logs and view calls from tables, as ChainReader does."""

    def __init__(self, logs: list[dict], answers: dict[tuple[str, str], int], supply: int | None = None) -> None:
        self._logs, self.answers, self.supply, self.asked = logs, answers, supply, []

    def logs(self, address: str, topic0: bytes, from_block: int = 0) -> list[dict]:
        assert (address, topic0) == (TOKEN, DELEGATE_VOTES_CHANGED)
        return self._logs

    def call(self, address, signature, returns, args=(), types=None):
        if signature == "totalSupply()":
            return self.supply
        self.asked.append((signature, args[0].lower()))
        return self.answers.get((signature, args[0].lower()))


def test_the_last_checkpoint_of_each_delegate_counts_most_first():
    logs = [_log(ALICE, 0, 100), _log(BOB, 0, 50), _log(ALICE, 100, 30), _log(CAROL, 0, 45), _log(BOB, 50, 0)]
    answers = {("getVotes(address)", ALICE): 30, ("getVotes(address)", CAROL): 45}
    power = read_voting_power(_Reader(logs, answers, supply=300), TOKEN)
    assert [(d.lower(), v) for d, v in power.delegates] == [(CAROL, 45), (ALICE, 30)]  # Bob undelegated: no votes
    assert (power.total, power.delegated_share, power.disagreements, power.malformed_logs) == (75, 0.25, (), 0)
    assert power.source == "DelegateVotesChanged logs, checked against getVotes"
    assert (power.holders_to_reach(45), power.holders_to_reach(46), power.holders_to_reach(76)) == (1, 2, None)
    assert power.holders_to_majority == 1  # 45 of 75 is more than half


def test_the_tokens_own_answer_wins_and_the_difference_is_said():
    logs = [_log(ALICE, 0, 10), _log(BOB, 0, 20)]
    answers = {("getCurrentVotes(address)", BOB): 20, ("getCurrentVotes(address)", ALICE): 90}
    reader = _Reader(logs, answers)
    power = read_voting_power(reader, TOKEN)
    assert [(d.lower(), v) for d, v in power.delegates] == [(ALICE, 90), (BOB, 20)]
    assert [(d.lower(), logged, told) for d, logged, told in power.disagreements] == [(ALICE, 10, 90)]
    assert power.source == "DelegateVotesChanged logs, checked against getCurrentVotes"
    # the getter that answered is kept: getVotes is asked once, for the first delegate only
    assert reader.asked == [("getVotes(address)", BOB), ("getCurrentVotes(address)", BOB), ("getCurrentVotes(address)", ALICE)]
    assert (power.supply, power.delegated_share, power.holders_to_majority) == (None, None, 1)


def test_logs_of_another_layout_are_left_out_and_counted():
    logs = [_log(ALICE, 0, 10), _log(BOB, 0, 99, topics=3), {**_log(CAROL, 0, 5), "data": "0x00"},
            {**_log(CAROL, 0, 5), "topics": ["0x" + DELEGATE_VOTES_CHANGED.hex(), "0x" + "ff" * 32]}]
    power = read_voting_power(_Reader(logs, {}), TOKEN)
    assert [(d.lower(), v) for d, v in power.delegates] == [(ALICE, 10)]
    assert power.malformed_logs == 3
    assert power.source == "DelegateVotesChanged logs (the token answers neither getVotes nor getCurrentVotes)"


def test_a_majority_is_more_than_half():
    half = VotingPower(TOKEN, ((ALICE, 50), (BOB, 30), (CAROL, 20)), 100, "DelegateVotesChanged logs")
    assert (half.holders_to_majority, half.holders_to_reach(50), half.largest) == (2, 1, (ALICE, 50))


def test_nothing_delegated_reaches_nothing():
    power = VotingPower(TOKEN, (), 1000, "DelegateVotesChanged logs")
    assert (power.total, power.holders_to_majority, power.holders_to_reach(1), power.holders_to_reach(0)) == (0, None, None, 0)
    assert power.delegated_share == 0.0 and power.largest is None
