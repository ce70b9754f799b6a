"""An OpenZeppelin (or Compound Bravo-like) Governor: its voting token, the timelock it
executes through, and its voting settings. The token's holders vote: the token is the edge;
who holds it is measured by --holders."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.chain.accounts import Account
from inspector.chain.edges import Edge
from inspector.vocabulary import EdgeKind

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

LABEL = "Governor"


@dataclass(frozen=True)
class Governor:
    address: str
    token: str | None
    timelock: str | None
    voting_delay: int
    voting_period: int
    quorum: str  # a decimal (it overflows JSON's safe integers); "None" when quorum() did not answer
    proposal_threshold: int | None

    def account(self) -> Account:
        return Account(self.address, "governor", LABEL, details={
            "token": self.token, "timelock": self.timelock, "votingDelay": self.voting_delay,
            "votingPeriod": self.voting_period, "quorum": self.quorum, "proposalThreshold": self.proposal_threshold})

    def edges(self) -> tuple[Edge, ...]:
        return (Edge(self.token, self.address, EdgeKind.VOTE, ""),) if self.token else ()


def probe(reader: ChainReader, address: str) -> Governor | None:
    voting_delay = reader.call(address, "votingDelay()", ["uint256"])
    voting_period = reader.call(address, "votingPeriod()", ["uint256"])
    # a Governor (OpenZeppelin's, Compound's Bravo) has a name: what answers every call with one
    # word (a look-alike the rules would take for governance) does not decode as a string
    if voting_delay is None or voting_period is None or reader.call(address, "name()", ["string"]) is None:
        return None
    past = max(reader.block - 1, 0)  # quorum is defined for a past timepoint
    # OpenZeppelin names its voting token token(); Compound's Bravo and Alpha, comp()
    token = reader.address_call(address, "token()") or reader.address_call(address, "comp()")
    return Governor(address, token, reader.address_call(address, "timelock()"),
                    voting_delay, voting_period, str(_quorum(reader, address, past)),
                    reader.call(address, "proposalThreshold()", ["uint256"]))


def _quorum(reader: ChainReader, address: str, past: int) -> int | None:
    """OpenZeppelin's quorum at a past timepoint, else Compound's quorumVotes()."""
    value = reader.call(address, "quorum(uint256)", ["uint256"], (past,), ["uint256"])
    return value if value is not None else reader.call(address, "quorumVotes()", ["uint256"])
