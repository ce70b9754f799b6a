"""Does the vote decide? For each on-chain governor the control graph reaches (OpenZeppelin's
Governor, Compound's GovernorBravo/Alpha): its voting rules at the pinned block, who can win
its votes (from the voting token's checkpoints, chain/votes.py), and how many of the
system's powers it reaches at all.

A governor reaches a power when it is one of the power's keys (chain/paths.py: through its
timelock, whose delay the path carries). The powers counted are the rest of the system's:
the governor's and its timelock's own self-administration (their settings, relay, schedule,
cancel, updateDelay) is neither reached nor missed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.chain.graph import ControlGraph
from inspector.chain.holders import deployment_block
from inspector.chain.paths import Power
from inspector.chain.votes import VotingPower, read_voting_power
from inspector.vocabulary import AccountKind

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader


@dataclass(frozen=True)
class GovernorState:
    """One governor's rules and reach at the block. Delays and periods are in `clock` units."""

    governor: str
    token: str | None
    timelock: str | None
    quorum: int | None  # votes needed at the block before the scan's (None: quorum() did not answer)
    proposal_threshold: int | None
    voting_delay: int | None
    voting_period: int | None
    clock: str  # "blocks" or "seconds" (EIP-6372 CLOCK_MODE; blocks when the governor does not say)
    votes: VotingPower | None  # None when the governor names no token
    powers_reachable: tuple[Power, ...]  # the system's powers the governor is a key of
    powers_total: int  # the system's powers, the governor's and its timelock's own left out

    @property
    def holders_to_quorum(self) -> int | None:
        """The fewest delegates whose votes reach the quorum (None: unknown, or all together do not)."""
        if self.votes is None or self.quorum is None:
            return None
        return self.votes.holders_to_reach(self.quorum)

    @property
    def holders_to_majority(self) -> int | None:
        return self.votes.holders_to_majority if self.votes is not None else None

    @property
    def delegated_share(self) -> float | None:
        return self.votes.delegated_share if self.votes is not None else None


def read_governors(reader: ChainReader, graph: ControlGraph, powers: tuple[Power, ...], from_block: int | None) -> tuple[GovernorState, ...]:
    """Every governor node of `graph` (the reader's chain's), read at the reader's block."""
    states = []
    for account in graph.nodes.values():
        if account.kind != AccountKind.GOVERNOR:
            continue
        states.append(read_governor(reader, account.address, account.details.get("token"), account.details.get("timelock"),
                                    powers, from_block))
    return tuple(states)


def read_governor(reader: ChainReader, governor: str, token: str | None, timelock: str | None, powers: tuple[Power, ...],
                  from_block: int | None) -> GovernorState:
    past = max(reader.block - 1, 0)  # OpenZeppelin's quorum is defined for a past timepoint
    quorum = reader.call(governor, "quorum(uint256)", ["uint256"], (past,), ["uint256"])
    if not isinstance(quorum, int):
        quorum = reader.call(governor, "quorumVotes()", ["uint256"])  # Compound's Bravo and Alpha
    mode = reader.call(governor, "CLOCK_MODE()", ["string"])
    clock = "seconds" if isinstance(mode, str) and "mode=timestamp" in mode else "blocks"
    votes = None
    if token is not None:
        votes = read_voting_power(reader, token, from_block if from_block is not None else deployment_block(reader, token))
    own = {governor.lower(), (timelock or "").lower()}
    system = [p for p in powers if p.contract.lower() not in own]
    reachable = tuple(p for p in system if any(k.address.lower() == governor.lower() for k in p.keys))
    return GovernorState(governor, token, timelock, quorum if isinstance(quorum, int) else None,
                         _uint(reader.call(governor, "proposalThreshold()", ["uint256"])),
                         _uint(reader.call(governor, "votingDelay()", ["uint256"])),
                         _uint(reader.call(governor, "votingPeriod()", ["uint256"])), clock, votes, reachable, len(system))


def _uint(value) -> int | None:
    return value if isinstance(value, int) else None
