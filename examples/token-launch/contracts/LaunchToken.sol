// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// A launch token in the shape many projects ship: fixed marketing wallet, a tax the
/// owner sets, and an owner who can mint at will.
contract LaunchToken is ERC20, Ownable {
    uint256 public constant MAX_TAX_BPS = 500;
    uint256 public taxBps;
    address public treasury;

    constructor(address initialOwner, address initialTreasury)
        ERC20("Launch", "LNCH")
        Ownable(initialOwner)
    {
        treasury = initialTreasury;
        _mint(initialOwner, 1_000_000e18);
    }

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    function setTax(uint256 bps) external onlyOwner {
        require(bps <= MAX_TAX_BPS, "tax too high");
        taxBps = bps;
    }

    function setTreasury(address next) external onlyOwner {
        treasury = next;
    }

    /// every transfer pays the tax to the treasury; minting and burning pay none
    function _update(address from, address to, uint256 value) internal override {
        uint256 tax = from == address(0) || to == address(0) ? 0 : value * taxBps / 10_000;
        if (tax > 0) super._update(from, treasury, tax);
        super._update(from, to, value - tax);
    }
}
