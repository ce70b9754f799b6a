// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// Users stake; a distributor role funds rewards. Role-guarded, so the single-key rule
/// stays silent here (role concentration is a separate rule).
contract RewardsVault is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    bytes32 public constant DISTRIBUTOR_ROLE = keccak256("DISTRIBUTOR_ROLE");
    IERC20 public immutable token;
    mapping(address => uint256) public staked;
    uint256 public rewardRate;

    constructor(IERC20 token_, address admin) {
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function stake(uint256 amount) external nonReentrant {
        staked[msg.sender] += amount;
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    function withdraw(uint256 amount) external nonReentrant {
        staked[msg.sender] -= amount;
        token.safeTransfer(msg.sender, amount);
    }

    function setRewardRate(uint256 rate) external onlyRole(DISTRIBUTOR_ROLE) {
        rewardRate = rate;
    }

    /// pays the stake's reward at the current rate, out of what the distributor funded
    function claim(uint256 periods) external nonReentrant {
        require(periods <= 52, "at most a year at once");
        token.safeTransfer(msg.sender, staked[msg.sender] * rewardRate * periods / 1e18);
    }
}
