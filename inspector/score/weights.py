"""What each kind of power is worth to the score: its axis, its weight (the share of the axis
one key acting at once takes, in points of 100), whether it is a *total* power, and whether
it counts for the stage. docs/scoring.md carries the same table and the reasons for it.

A power is *total* when one key holding it can take everything its axis protects: replace
the code, create tokens without limit, write balances, move the funds a contract holds for
its users, or make the contract call or run anything. One key with no delay holding a total
power leaves its axis at most 100 - 80 = 20.
"""
from __future__ import annotations

from dataclasses import dataclass

from inspector.vocabulary import Axis, CapabilityName, GIVES_UP, OffChainDecision

GOVERNANCE, OFFCHAIN, ECONOMIC = Axis.GOVERNANCE_CONCENTRATION, Axis.OFFCHAIN_DEPENDENCY, Axis.ECONOMIC_CONTROL
TOTAL_WEIGHT = 80.0  # one key at once holding a total power leaves its axis at 20


@dataclass(frozen=True)
class Weight:
    axis: str
    weight: float  # unbounded, in points of 100 on its axis
    bounded: float | None = None  # when the code bounds it (a supply cap, a fee ceiling); None: a bound does not matter
    critical: bool = False  # decides the stage: code, funds or supply change hands through it
    critical_bounded: bool = True  # still critical when the code bounds it
    total: bool = False  # when unbounded, one key holding it takes the whole axis but 20
    verb: str = ""  # how the reports say it: "mint", "upgrade the code"


WEIGHTS: dict[str, Weight] = {
    # Who holds power, and the code itself
    CapabilityName.UPGRADE: Weight(GOVERNANCE, TOTAL_WEIGHT, critical=True, total=True, verb="upgrade the code"),
    CapabilityName.DELEGATECALL: Weight(GOVERNANCE, TOTAL_WEIGHT, critical=True, total=True, verb="run any code (delegatecall)"),
    CapabilityName.ARBITRARY_CALL: Weight(GOVERNANCE, TOTAL_WEIGHT, critical=True, total=True, verb="make the contract call anything"),
    CapabilityName.SELFDESTRUCT: Weight(GOVERNANCE, TOTAL_WEIGHT, critical=True, total=True, verb="destroy the contract"),
    CapabilityName.CHANGE_DELAY: Weight(GOVERNANCE, 30, critical=True, verb="change a delay"),
    CapabilityName.CHANGE_THRESHOLD: Weight(GOVERNANCE, 30, critical=True, verb="change signers or the threshold"),
    CapabilityName.GRANT_ROLE: Weight(GOVERNANCE, 20, verb="grant and revoke roles"),
    CapabilityName.CHANGE_OWNER: Weight(GOVERNANCE, 15, verb="hand over ownership"),
    CapabilityName.SET_PARAMETER: Weight(GOVERNANCE, 5, verb="set a parameter"),
    # Users' tokens and funds
    CapabilityName.MINT: Weight(ECONOMIC, TOTAL_WEIGHT, bounded=35, critical=True, total=True, verb="mint"),
    CapabilityName.SET_BALANCE: Weight(ECONOMIC, TOTAL_WEIGHT, critical=True, total=True, verb="write balances"),
    CapabilityName.WITHDRAW_FUNDS: Weight(ECONOMIC, TOTAL_WEIGHT, critical=True, total=True, verb="move the funds the contract holds"),
    CapabilityName.BURN_FROM: Weight(ECONOMIC, 50, critical=True, verb="burn others' tokens"),
    CapabilityName.ACT_FOR_USERS: Weight(ECONOMIC, 40, critical=True, verb="act for any user in their own functions"),
    CapabilityName.FREEZE: Weight(ECONOMIC, 40, critical=True, verb="freeze accounts"),
    CapabilityName.SET_MINTER: Weight(ECONOMIC, 35, critical=True, verb="name minters"),
    CapabilityName.SET_FEE: Weight(ECONOMIC, 40, bounded=10, critical=True, critical_bounded=False, verb="set a fee"),
    CapabilityName.SET_LIMITS: Weight(ECONOMIC, 25, bounded=8, verb="set a limit"),
    CapabilityName.PAUSE: Weight(ECONOMIC, 25, verb="pause"),
    # Decisions made off chain
    CapabilityName.SET_FORWARDER: Weight(OFFCHAIN, 50, verb="name the trusted forwarder (speaks for every caller)"),
    CapabilityName.SET_SIGNER: Weight(OFFCHAIN, 30, verb="name the trusted signer"),
    CapabilityName.SET_ORACLE: Weight(OFFCHAIN, 30, verb="replace the oracle"),
    OffChainDecision.SIGNED_ACTION: Weight(OFFCHAIN, 30, verb="authorize actions by an off-chain signature"),
    CapabilityName.SET_OPERATOR: Weight(OFFCHAIN, 15, verb="name an operator"),
    OffChainDecision.PRICE_FEED: Weight(OFFCHAIN, 15, verb="feed prices from off chain"),
}
# A sweep out of a token contract takes what was sent to it by mistake, not holders' balances
TOKEN_SWEEP = Weight(ECONOMIC, 25, verb="sweep what was sent to the token")


def is_critical(capability: str, bounded: bool, token: bool = False) -> bool:
    """Whether a power decides the stage: a fee under a hard ceiling does not; a capped mint does."""
    spec = weight_of(capability, token)
    return spec is not None and spec.critical and (spec.critical_bounded or not bounded)


def weight_of(capability: str, token: bool = False) -> Weight | None:
    """None for a capability the score does not count (giving power up)."""
    if capability in GIVES_UP:
        return None
    if capability == CapabilityName.WITHDRAW_FUNDS and token:
        return TOKEN_SWEEP
    return WEIGHTS.get(capability, WEIGHTS[CapabilityName.SET_PARAMETER])
