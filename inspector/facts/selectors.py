"""Function selectors the facts of unverified code are read by (facts/bytecode.py): the
privileged functions whose name says what they do (a `mint(address,uint256)` mints,
whatever the code around it), and the getters that name who may call them (`owner()`,
`hasRole(bytes32,address)`, `MINTER_ROLE()`). A selector is the first four bytes of the
keccak of its signature; the table holds the signatures and computes the selectors, so a
selector is never typed by hand (tests/test_bytecode_only.py checks known ones)."""
from __future__ import annotations

from dataclasses import dataclass

from inspector.keccak import selector as _selector
from inspector.vocabulary import CapabilityName

_C = CapabilityName


def selector(signature: str) -> str:
    """The selector of a function signature, as 8 hex digits without 0x (as evmole gives it)."""
    return _selector(signature).hex()


@dataclass(frozen=True)
class Privileged:
    """A function whose name alone says it is an admin's power."""

    signature: str
    capability: CapabilityName


# What each of these functions does in every token and proxy that has it. Left out on
# purpose: names users call for themselves (`withdraw(uint256)` of WETH and of vaults,
# `burn(uint256)` of one's own tokens, `emergencyWithdraw(uint256)` of farms).
_PRIVILEGED: tuple[tuple[str, CapabilityName], ...] = (
    ("mint(address,uint256)", _C.MINT),
    ("mint(uint256)", _C.MINT),
    ("mintTo(address,uint256)", _C.MINT),
    ("issue(uint256)", _C.MINT),  # Tether's
    ("burn(address,uint256)", _C.BURN_FROM),
    ("burnFrom(address,uint256)", _C.BURN_FROM),
    ("destroyBlackFunds(address)", _C.BURN_FROM),  # Tether's: burns a blacklisted account's balance
    ("pause()", _C.PAUSE),
    ("unpause()", _C.PAUSE),
    ("blacklist(address)", _C.FREEZE),
    ("unBlacklist(address)", _C.FREEZE),
    ("addBlackList(address)", _C.FREEZE),
    ("removeBlackList(address)", _C.FREEZE),
    ("addToBlacklist(address)", _C.FREEZE),
    ("removeFromBlacklist(address)", _C.FREEZE),
    ("setBlacklist(address,bool)", _C.FREEZE),
    ("freeze(address)", _C.FREEZE),
    ("unfreeze(address)", _C.FREEZE),
    ("upgradeTo(address)", _C.UPGRADE),
    ("upgradeToAndCall(address,bytes)", _C.UPGRADE),
    ("upgrade(address,address)", _C.UPGRADE),  # a ProxyAdmin's (OpenZeppelin 4): the proxy, its new code
    ("upgradeAndCall(address,address,bytes)", _C.UPGRADE),  # a ProxyAdmin's
    ("changeAdmin(address)", _C.CHANGE_OWNER),
    ("changeProxyAdmin(address,address)", _C.CHANGE_OWNER),  # a ProxyAdmin's (OpenZeppelin 4)
    ("transferOwnership(address)", _C.CHANGE_OWNER),
    ("setOwner(address)", _C.CHANGE_OWNER),
    ("renounceOwnership()", _C.RENOUNCE),
    ("grantRole(bytes32,address)", _C.GRANT_ROLE),
    ("revokeRole(bytes32,address)", _C.GRANT_ROLE),
    ("setFee(uint256)", _C.SET_FEE),
    ("setFees(uint256,uint256)", _C.SET_FEE),
    ("setTaxes(uint256,uint256)", _C.SET_FEE),
    ("setTaxFeePercent(uint256)", _C.SET_FEE),
    ("setBuyFee(uint256)", _C.SET_FEE),
    ("setSellFee(uint256)", _C.SET_FEE),
    ("setParams(uint256,uint256)", _C.SET_FEE),  # Tether's: basis points and maximum fee
    ("setMaxTxAmount(uint256)", _C.SET_LIMITS),
    ("setMaxTxPercent(uint256)", _C.SET_LIMITS),
    ("setMaxWalletSize(uint256)", _C.SET_LIMITS),
    ("withdraw()", _C.WITHDRAW_FUNDS),
    ("withdrawETH()", _C.WITHDRAW_FUNDS),
    ("withdrawToken(address,uint256)", _C.WITHDRAW_FUNDS),
    ("withdrawTokens(address,uint256)", _C.WITHDRAW_FUNDS),
    ("rescueTokens(address,uint256)", _C.WITHDRAW_FUNDS),
)

PRIVILEGED: dict[str, Privileged] = {selector(s): Privileged(s, c) for s, c in _PRIVILEGED}

# Getters of who holds the seats: asked on chain by the chain stage (chain/graph.py
# resolve_guard: `owner` -> owner(), getOwner(); `admin` -> admin(), the EIP-1967 admin slot)
OWNER_GETTERS = {selector("owner()"): "owner", selector("getOwner()"): "getOwner"}
HAS_ROLE = selector("hasRole(bytes32,address)")
# the role an AccessControl contract names for a power, by its getter (`MINTER_ROLE()`)
ROLE_GETTERS: dict[CapabilityName, tuple[str, str]] = {
    capability: (selector(f"{role}()"), role) for capability, role in (
        (_C.MINT, "MINTER_ROLE"), (_C.BURN_FROM, "BURNER_ROLE"), (_C.PAUSE, "PAUSER_ROLE"), (_C.UPGRADE, "UPGRADER_ROLE"),
    )
}

# Signatures of common functions that are no power, so that the facts name them rather
# than show a bare selector.
_COMMON = (
    "owner()", "getOwner()", "admin()", "implementation()", "hasRole(bytes32,address)", "getRoleAdmin(bytes32)",
    "renounceRole(bytes32,address)", "DEFAULT_ADMIN_ROLE()", "MINTER_ROLE()", "BURNER_ROLE()", "PAUSER_ROLE()",
    "UPGRADER_ROLE()", "paused()", "name()", "symbol()", "decimals()", "totalSupply()", "balanceOf(address)",
    "allowance(address,address)", "approve(address,uint256)", "transfer(address,uint256)",
    "transferFrom(address,address,uint256)", "burn(uint256)", "initialize()", "initialize(address)",
    "proxiableUUID()", "supportsInterface(bytes4)",
)
NAMES: dict[str, str] = {selector(s): s for s in _COMMON} | {sel: p.signature for sel, p in PRIVILEGED.items()}
# the functions that make a contract a token: a supply and balances (a token whose transfers
# are its own, or that only mints, is a token too)
TOKEN_CORE = frozenset(selector(s) for s in ("totalSupply()", "balanceOf(address)"))
