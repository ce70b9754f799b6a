"""Who can win a vote: the voting power of an ERC20Votes (OpenZeppelin) or Comp-style token at
the pinned block, from its checkpoints, not its balances (a token nobody delegated votes for
nobody).

Each `DelegateVotesChanged(delegate, previous, new)` log moves a delegate's checkpoint to
`new`; replaying them up to the block gives every delegate's votes. The largest delegates
are then asked the token itself (`getVotes`, or Comp's `getCurrentVotes`): where the token's
answer differs from the logs, the token's answer is kept and the difference is said. From
the delegates, most first: how few accounts reach an amount (a quorum) and how few hold more
than half of all delegated votes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.keccak import keccak, to_checksum_address

if TYPE_CHECKING:  # the reader is the caller's
    from inspector.chain.rpc import ChainReader

DELEGATE_VOTES_CHANGED = keccak(text="DelegateVotesChanged(address,uint256,uint256)")
# the largest delegates whose votes are asked the token: they decide the holder counts
CHECKED = 20
_GETTERS = ("getVotes(address)", "getCurrentVotes(address)")  # OpenZeppelin, Comp


@dataclass(frozen=True)
class VotingPower:
    """Delegated votes of one token at one block, most first."""

    token: str
    delegates: tuple[tuple[str, int], ...]  # (delegate, votes), most first, none with zero votes
    supply: int | None  # totalSupply() at the block; None when it did not answer
    source: str  # where the votes were read from, as the report says it
    # delegates whose votes the token reported otherwise than the logs: (delegate, logs, token)
    disagreements: tuple[tuple[str, int, int], ...] = ()
    malformed_logs: int = 0  # DelegateVotesChanged logs that did not decode (left out)

    @property
    def total(self) -> int:
        return sum(votes for _, votes in self.delegates)

    def holders_to_reach(self, amount: int) -> int | None:
        """The fewest delegates whose votes together reach `amount`; None when all do not."""
        if amount <= 0:
            return 0
        reached = 0
        for count, (_, votes) in enumerate(self.delegates, 1):
            reached += votes
            if reached >= amount:
                return count
        return None

    @property
    def holders_to_majority(self) -> int | None:
        """The fewest delegates holding more than half of all delegated votes (None: none delegated)."""
        if not self.delegates:
            return None
        return self.holders_to_reach(self.total // 2 + 1)

    @property
    def delegated_share(self) -> float | None:
        """Delegated votes over the total supply; None when the supply is unknown or zero."""
        if not self.supply:
            return None
        return self.total / self.supply

    @property
    def largest(self) -> tuple[str, int] | None:
        return self.delegates[0] if self.delegates else None


def read_voting_power(reader: ChainReader, token: str, from_block: int = 0) -> VotingPower:
    """The token's delegated votes at the reader's block (see the module's docstring)."""
    votes: dict[str, int] = {}
    malformed = 0
    for log in reader.logs(token, DELEGATE_VOTES_CHANGED, from_block):
        topics = [t.removeprefix("0x") for t in log["topics"]]
        data = log["data"].removeprefix("0x")
        if len(topics) != 2 or len(topics[1]) != 64 or len(data) != 128 or int(topics[1][:24] or "0", 16):
            malformed += 1  # not the event's layout: an indexed delegate, two words of data
            continue
        votes[to_checksum_address("0x" + topics[1][-40:])] = int(data[64:], 16)
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0].lower()))
    disagreements, getter = [], None
    for delegate, logged in ranked[:CHECKED]:
        getter, answer = _ask(reader, token, delegate, getter)
        if answer is not None and answer != logged:
            disagreements.append((delegate, logged, answer))
            votes[delegate] = answer
    if disagreements:
        ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0].lower()))
    source = "DelegateVotesChanged logs" + (f", checked against {getter.split('(')[0]}" if getter else
                                            " (the token answers neither getVotes nor getCurrentVotes)")
    supply = reader.call(token, "totalSupply()", ["uint256"])
    return VotingPower(token, tuple((d, v) for d, v in ranked if v > 0), supply if isinstance(supply, int) else None, source,
                       tuple(disagreements), malformed)


def _ask(reader: ChainReader, token: str, delegate: str, getter: str | None) -> tuple[str | None, int | None]:
    """The delegate's votes as the token reports them, by the getter that answered before."""
    for signature in (getter,) if getter else _GETTERS:
        answer = reader.call(token, signature, ["uint256"], (delegate,), ["address"])
        if isinstance(answer, int):
            return signature, answer
    return getter, None
