// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The read side of a Compound GovernorBravo-style governor: its voting token is `comp()`,
/// its quorum `quorumVotes()`, with no OpenZeppelin `token()` or `quorum(uint256)`.
/// Proposing and voting are left out: the probes only read.
contract BravoLikeGovernor {
    string public constant name = "Bravo-like Governor";
    address public immutable timelock;
    address public immutable comp;
    uint256 public votingDelay = 13140;
    uint256 public votingPeriod = 40320;
    uint256 public proposalThreshold = 25_000e18;

    constructor(address timelock_, address comp_) {
        timelock = timelock_;
        comp = comp_;
    }

    function quorumVotes() public pure returns (uint256) {
        return 400_000e18;
    }
}
