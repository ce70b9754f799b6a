// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// A UUPS token whose upgrade waits on a timelock, or not: an admin key may upgrade too.
contract EmergencyUpgradeToken is Initializable, ERC20Upgradeable, UUPSUpgradeable {
    address public admin;
    address public timelock;

    constructor() {
        _disableInitializers();
    }

    function initialize(address admin_, address timelock_) external initializer {
        __ERC20_init("Emergency", "EMG");
        admin = admin_;
        timelock = timelock_;
    }

    function _authorizeUpgrade(address) internal view override {
        require(msg.sender == admin || msg.sender == timelock, "not allowed");
    }
}

/// A UUPS token upgraded by whatever `timelockAdmin` names: a timelock by its name, whatever
/// the chain says it holds.
contract NamedTimelockToken is Initializable, ERC20Upgradeable, UUPSUpgradeable {
    address public timelockAdmin;

    constructor() {
        _disableInitializers();
    }

    function initialize(address timelockAdmin_) external initializer {
        __ERC20_init("Named", "NMD");
        timelockAdmin = timelockAdmin_;
    }

    function _authorizeUpgrade(address) internal view override {
        require(msg.sender == timelockAdmin, "not the timelock");
    }
}
