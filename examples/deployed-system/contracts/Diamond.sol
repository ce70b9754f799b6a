// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Diamond storage (EIP-2535): the facet of each selector and the owner, at one slot.
library LibDiamond {
    bytes32 internal constant STORAGE_SLOT = keccak256("diamond.standard.diamond.storage");

    struct DiamondStorage {
        mapping(bytes4 => address) facetOf;
        mapping(address => bytes4[]) selectorsOf;
        address[] facets;
        address contractOwner;
    }

    function diamondStorage() internal pure returns (DiamondStorage storage ds) {
        bytes32 slot = STORAGE_SLOT;
        assembly {
            ds.slot := slot
        }
    }

    function enforceIsContractOwner() internal view {
        require(msg.sender == diamondStorage().contractOwner, "only the diamond owner");
    }

    function addFacet(address facet, bytes4[] memory selectors) internal {
        DiamondStorage storage ds = diamondStorage();
        require(ds.selectorsOf[facet].length == 0, "facet already added");
        ds.facets.push(facet);
        for (uint256 i; i < selectors.length; ++i) {
            require(ds.facetOf[selectors[i]] == address(0), "selector taken");
            ds.facetOf[selectors[i]] = facet;
            ds.selectorsOf[facet].push(selectors[i]);
        }
    }
}

/// A diamond with its cut and loupe built in; every other function lives in a facet.
contract Diamond {
    struct Facet {
        address facetAddress;
        bytes4[] functionSelectors;
    }

    constructor(address owner_, Facet[] memory cut) {
        LibDiamond.diamondStorage().contractOwner = owner_;
        for (uint256 i; i < cut.length; ++i) {
            LibDiamond.addFacet(cut[i].facetAddress, cut[i].functionSelectors);
        }
    }

    /// Adds facets only (no replace or remove): enough to change what the diamond runs.
    function diamondCut(Facet[] calldata cut) external {
        LibDiamond.enforceIsContractOwner();
        for (uint256 i; i < cut.length; ++i) {
            LibDiamond.addFacet(cut[i].facetAddress, cut[i].functionSelectors);
        }
    }

    function facetAddresses() external view returns (address[] memory) {
        return LibDiamond.diamondStorage().facets;
    }

    function facetFunctionSelectors(address facet) external view returns (bytes4[] memory) {
        return LibDiamond.diamondStorage().selectorsOf[facet];
    }

    function facetAddress(bytes4 selector) external view returns (address) {
        return LibDiamond.diamondStorage().facetOf[selector];
    }

    fallback() external payable {
        address facet = LibDiamond.diamondStorage().facetOf[msg.sig];
        require(facet != address(0), "no facet for the function");
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), facet, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}

/// The owner as ERC-173 shows it.
contract OwnershipFacet {
    function owner() external view returns (address) {
        return LibDiamond.diamondStorage().contractOwner;
    }

    function transferOwnership(address newOwner) external {
        LibDiamond.enforceIsContractOwner();
        LibDiamond.diamondStorage().contractOwner = newOwner;
    }
}

/// Balances in a storage namespace of their own; the owner mints.
contract MintFacet {
    bytes32 internal constant STORAGE_SLOT = keccak256("diamond.mint.facet.storage");

    struct Balances {
        mapping(address => uint256) balanceOf;
        uint256 totalSupply;
    }

    event Transfer(address indexed from, address indexed to, uint256 value);

    function _balances() internal pure returns (Balances storage b) {
        bytes32 slot = STORAGE_SLOT;
        assembly {
            b.slot := slot
        }
    }

    function balanceOf(address account) external view returns (uint256) {
        return _balances().balanceOf[account];
    }

    function totalSupply() external view returns (uint256) {
        return _balances().totalSupply;
    }

    function mint(address to, uint256 amount) external {
        LibDiamond.enforceIsContractOwner();
        _balances().balanceOf[to] += amount;
        _balances().totalSupply += amount;
        emit Transfer(address(0), to, amount);
    }
}
