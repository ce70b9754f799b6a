// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// The survey's own token shapes. The others (MintableToken, RoleToken, ProxiedToken,
// UUPSToken), the governor, timelock, proxies and Safe come from examples/deployed-system's
// contracts, linked here: Dao.sol, Infrastructure.sol, System.sol.
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// A fixed supply, minted once; nothing but ownership itself for the owner to hold.
contract FixedToken is ERC20, Ownable {
    constructor(address owner_) ERC20("Fixed", "FIX") Ownable(owner_) {
        _mint(owner_, 21_000_000e18);
    }
}

interface IMintable {
    function mint(address to, uint256 amount) external;
}

/// The bridge's end on this chain: relayers report deposits made elsewhere, and the bridge
/// mints them on a token that granted it MINTER_ROLE. Nothing here checks the deposit: a
/// relayer's word is the proof.
contract Bridge is AccessControl {
    bytes32 public constant RELAYER_ROLE = keccak256("RELAYER_ROLE");
    IMintable public immutable token;

    constructor(IMintable token_, address relayer) {
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
        _grantRole(RELAYER_ROLE, relayer);
    }

    function finalizeDeposit(address to, uint256 amount) external onlyRole(RELAYER_ROLE) {
        token.mint(to, amount);
    }
}

/// A Chainlink-style feed whose owner writes the answer.
contract RewardRateFeed is Ownable {
    int256 private _answer;
    uint256 private _updatedAt;

    constructor(int256 answer_) Ownable(msg.sender) {
        _answer = answer_;
        _updatedAt = block.timestamp;
    }

    function setAnswer(int256 answer_) external onlyOwner {
        _answer = answer_;
        _updatedAt = block.timestamp;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (1, _answer, _updatedAt, _updatedAt, 1);
    }
}

interface IRateFeed {
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80);
}

/// Rewards minted at the rate a feed reports: the owner picks the feed, the distributor pays out.
contract RewardToken is ERC20, Ownable {
    IRateFeed public rateFeed;
    address public distributor;

    constructor(IRateFeed feed_, address distributor_) ERC20("Reward", "RWD") Ownable(msg.sender) {
        rateFeed = feed_;
        distributor = distributor_;
    }

    function setRateFeed(IRateFeed feed_) external onlyOwner {
        rateFeed = feed_;
    }

    function distribute(address to, uint256 staked) external {
        require(msg.sender == distributor, "distributor only");
        (, int256 rate,,,) = rateFeed.latestRoundData();
        require(rate > 0, "no rate");
        _mint(to, staked * uint256(rate) / 1e8);
    }
}

/// A stablecoin as centralised issuers deploy it: a minter, a pauser and a blacklister.
contract Stablecoin is ERC20, Ownable {
    address public minter;
    address public pauser;
    address public blacklister;
    bool public paused;
    mapping(address => bool) public blacklisted;

    constructor(address minter_, address pauser_, address blacklister_) ERC20("Stable", "USDX") Ownable(msg.sender) {
        minter = minter_;
        pauser = pauser_;
        blacklister = blacklister_;
    }

    function mint(address to, uint256 amount) external {
        require(msg.sender == minter, "minter only");
        _mint(to, amount);
    }

    function setPaused(bool value) external {
        require(msg.sender == pauser, "pauser only");
        paused = value;
    }

    function blacklist(address account, bool value) external {
        require(msg.sender == blacklister, "blacklister only");
        blacklisted[account] = value;
    }

    function _update(address from, address to, uint256 value) internal override {
        require(!paused, "paused");
        require(!blacklisted[from] && !blacklisted[to], "blacklisted");
        super._update(from, to, value);
    }
}

/// A fee on every transfer, set by the owner with no ceiling, paid to the owner's treasury.
contract FeeToken is ERC20, Ownable {
    uint256 public feeBps;
    address public treasury;

    constructor(address owner_) ERC20("Taxed", "TAX") Ownable(owner_) {
        treasury = owner_;
        feeBps = 200;
        _mint(owner_, 100_000_000e18);
    }

    function setFee(uint256 bps) external onlyOwner {
        feeBps = bps;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0) || feeBps == 0) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = value * feeBps / 10_000;
        super._update(from, treasury, fee);
        super._update(from, to, value - fee);
    }
}
