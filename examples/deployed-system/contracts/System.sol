// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {AccessControlEnumerable} from "@openzeppelin/contracts/access/extensions/AccessControlEnumerable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

/// An owner-mintable token held by one externally owned account.
contract MintableToken is ERC20, Ownable {
    constructor(address owner_) ERC20("Mintable", "MNT") Ownable(owner_) {
        _mint(owner_, 1_000_000e18);
    }

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}

/// A token with separate minter and pauser roles, each held by several accounts.
contract RoleToken is ERC20, AccessControl {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bool public paused;

    constructor(address admin) ERC20("Roles", "RLS") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    function setPaused(bool value) external onlyRole(PAUSER_ROLE) {
        paused = value;
    }

    function _update(address from, address to, uint256 value) internal override {
        require(!paused, "paused");
        super._update(from, to, value);
    }
}

/// The implementation behind a TransparentUpgradeableProxy.
contract ProxiedToken is Initializable, ERC20Upgradeable, OwnableUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address owner_) external initializer {
        __ERC20_init("Proxied", "PRX");
        __Ownable_init(owner_);
        _mint(owner_, 500_000e18);
    }

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}

/// A UUPS token: the implementation carries its own upgrade function.
contract UUPSToken is Initializable, ERC20Upgradeable, OwnableUpgradeable, UUPSUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address owner_) external initializer {
        __ERC20_init("Upgradeable", "UPG");
        __Ownable_init(owner_);
        __UUPSUpgradeable_init();
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}
}

/// The implementation behind a beacon that two proxies follow.
contract BeaconVault is Initializable, OwnableUpgradeable {
    uint256 public limit;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address owner_, uint256 limit_) external initializer {
        __Ownable_init(owner_);
        limit = limit_;
    }

    function setLimit(uint256 limit_) external onlyOwner {
        limit = limit_;
    }
}

/// Fees go to a payout address fixed at deployment and kept private: only the code knows it.
contract FeeCollector {
    address private immutable _operator;
    uint256 public feeBps;

    constructor(address operator_) {
        _operator = operator_;
    }

    function setFee(uint256 bps) external {
        require(msg.sender == _operator, "operator only");
        feeBps = bps;
    }
}

/// Deploys EIP-1167 minimal clones of an implementation.
contract CloneFactory {
    event Cloned(address clone);

    function clone(address implementation) external returns (address instance) {
        instance = Clones.clone(implementation);
        emit Cloned(instance);
    }
}

/// Minters kept in an enumerable set: members are read by enumeration, not from logs.
contract EnumerableRoleToken is ERC20, AccessControlEnumerable {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    constructor(address admin) ERC20("Enumerable", "ENM") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }
}
