// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {BaseGuard} from "@safe-global/safe-contracts/contracts/base/GuardManager.sol";
import {Enum} from "@safe-global/safe-contracts/contracts/common/Enum.sol";

/// A timelock in the shape of Compound's: one admin queues, waits `delay`, then executes;
/// the delay and the admin change only through the timelock itself.
contract CompoundTimelock {
    uint256 public constant GRACE_PERIOD = 14 days;
    uint256 public constant MINIMUM_DELAY = 2 days;
    uint256 public constant MAXIMUM_DELAY = 30 days;

    address public admin;
    address public pendingAdmin;
    uint256 public delay;
    mapping(bytes32 => bool) public queuedTransactions;

    constructor(address admin_, uint256 delay_) {
        require(delay_ >= MINIMUM_DELAY && delay_ <= MAXIMUM_DELAY, "delay out of range");
        admin = admin_;
        delay = delay_;
    }

    function setDelay(uint256 delay_) external {
        require(msg.sender == address(this), "only through the timelock");
        require(delay_ >= MINIMUM_DELAY && delay_ <= MAXIMUM_DELAY, "delay out of range");
        delay = delay_;
    }

    function setPendingAdmin(address pendingAdmin_) external {
        require(msg.sender == address(this), "only through the timelock");
        pendingAdmin = pendingAdmin_;
    }

    function acceptAdmin() external {
        require(msg.sender == pendingAdmin, "only the pending admin");
        admin = msg.sender;
        pendingAdmin = address(0);
    }

    function queueTransaction(address target, uint256 value, string memory signature, bytes memory data, uint256 eta)
        external returns (bytes32 txHash)
    {
        require(msg.sender == admin, "only the admin");
        require(eta >= block.timestamp + delay, "eta before the delay");
        txHash = keccak256(abi.encode(target, value, signature, data, eta));
        queuedTransactions[txHash] = true;
    }

    function cancelTransaction(address target, uint256 value, string memory signature, bytes memory data, uint256 eta) external {
        require(msg.sender == admin, "only the admin");
        queuedTransactions[keccak256(abi.encode(target, value, signature, data, eta))] = false;
    }

    function executeTransaction(address target, uint256 value, string memory signature, bytes memory data, uint256 eta)
        external payable returns (bytes memory)
    {
        require(msg.sender == admin, "only the admin");
        bytes32 txHash = keccak256(abi.encode(target, value, signature, data, eta));
        require(queuedTransactions[txHash], "not queued");
        require(block.timestamp >= eta && block.timestamp <= eta + GRACE_PERIOD, "not in its window");
        queuedTransactions[txHash] = false;
        bytes memory callData = bytes(signature).length == 0 ? data : abi.encodePacked(bytes4(keccak256(bytes(signature))), data);
        (bool ok, bytes memory returned) = target.call{value: value}(callData);
        require(ok, "call reverted");
        return returned;
    }
}

/// Delegates every call to the implementation kept in one storage slot; each older proxy
/// standard below only names the slot.
abstract contract SlotProxy {
    function _slot() internal pure virtual returns (bytes32);

    function _setImplementation(address logic, bytes memory init) internal {
        bytes32 slot = _slot();
        assembly {
            sstore(slot, logic)
        }
        (bool ok,) = logic.delegatecall(init);
        require(ok, "initialisation failed");
    }

    fallback() external payable {
        bytes32 slot = _slot();
        assembly {
            let logic := sload(slot)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), logic, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}

/// EIP-1822 (UUPS draft): the implementation at keccak256("PROXIABLE").
contract ProxiableProxy is SlotProxy {
    constructor(address logic, bytes memory init) {
        _setImplementation(logic, init);
    }

    function _slot() internal pure override returns (bytes32) {
        return 0xc5f16f0fcc639fa48a6947836d9850f504798523bf8c9a3a87d5876cf622bcf7;
    }
}

/// ZeppelinOS (OpenZeppelin SDK 2.x): the implementation at
/// keccak256("org.zeppelinos.proxy.implementation").
contract ZeppelinOSProxy is SlotProxy {
    constructor(address logic, bytes memory init) {
        _setImplementation(logic, init);
    }

    function _slot() internal pure override returns (bytes32) {
        return 0x7050c9e0f4ca769c69bd3a8ef740bc37934f8e2c036e5a723fd8ee048ed3f8c3;
    }
}

/// EIP-897: the proxy says what it is (`proxyType() == 2`, upgradeable) and where its code
/// is (`implementation()`); its admin may point it elsewhere. Its own state sits in a
/// namespace, away from the implementation's.
contract DelegateProxy897 is SlotProxy {
    bytes32 private constant STORAGE_SLOT = keccak256("delegate.proxy.897.storage");

    struct ProxyStorage {
        address implementation;
        address admin;
    }

    constructor(address logic, bytes memory init, address admin_) {
        _proxyStorage().admin = admin_;
        _setImplementation(logic, init);
    }

    function _proxyStorage() private pure returns (ProxyStorage storage s) {
        bytes32 slot = STORAGE_SLOT;
        assembly {
            s.slot := slot
        }
    }

    function proxyType() external pure returns (uint256) {
        return 2;
    }

    function implementation() external view returns (address) {
        return _proxyStorage().implementation;
    }

    function admin() external view returns (address) {
        return _proxyStorage().admin;
    }

    function upgradeTo(address logic) external {
        require(msg.sender == _proxyStorage().admin, "only the proxy admin");
        _proxyStorage().implementation = logic;
    }

    /// The implementation is the first member of the namespace.
    function _slot() internal pure override returns (bytes32) {
        return STORAGE_SLOT;
    }
}

/// A Safe transaction guard that lets everything through: installed to be read back.
contract TransactionGuard is BaseGuard {
    function checkTransaction(address, uint256, bytes memory, Enum.Operation, uint256, uint256, uint256, address,
                              address payable, bytes memory, address) external override {}

    function checkAfterExecution(bytes32, bool) external override {}
}
