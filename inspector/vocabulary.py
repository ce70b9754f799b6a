"""The words every stage shares, defined once: what a function can do (capabilities), who may
call it (guard kinds), what an address is on chain (account kinds), and the sets of powers
the rules, the score and the diff weigh alike. They are `StrEnum`s: the JSON report writes
their values, and tests/test_vocabulary.py checks the report schema's enums against them.

A new capability, guard kind or account kind is added here first; nothing else lists them."""
from __future__ import annotations

import sys
from enum import Enum

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # Python 3.10: the same behaviour (a str whose str() is its value)
    class StrEnum(str, Enum):
        def __str__(self) -> str:
            return str(self.value)


class CapabilityName(StrEnum):
    """What an entry point can change (facts.model.Capability.name)."""

    MINT = "mint"
    BURN_FROM = "burn_from"
    PAUSE = "pause"
    FREEZE = "freeze"
    SET_FEE = "set_fee"
    SET_LIMITS = "set_limits"
    SET_BALANCE = "set_balance"
    UPGRADE = "upgrade"
    CHANGE_OWNER = "change_owner"
    GRANT_ROLE = "grant_role"
    RENOUNCE = "renounce"
    CHANGE_DELAY = "change_delay"
    CHANGE_THRESHOLD = "change_threshold"
    WITHDRAW_FUNDS = "withdraw_funds"
    SET_SIGNER = "set_signer"
    SET_ORACLE = "set_oracle"
    SET_OPERATOR = "set_operator"
    SET_MINTER = "set_minter"
    SET_FORWARDER = "set_forwarder"
    SELFDESTRUCT = "selfdestruct"
    ARBITRARY_CALL = "arbitrary_call"
    DELEGATECALL = "delegatecall"
    SET_PARAMETER = "set_parameter"
    ACT_FOR_USERS = "act_for_users"


class GuardKind(StrEnum):
    """Who may call an entry point (facts.model.Guard.kind)."""

    ANYONE = "anyone"
    OWNER = "owner"
    ROLE = "role"
    ADDRESS = "address"
    SELF = "self"
    CUSTOM = "custom"
    FORWARDER = "forwarder"
    TX_ORIGIN = "tx_origin"
    EXTERNAL = "external"
    USER = "user"
    CALLBACK = "callback"
    CREATOR = "creator"


class AccountKind(StrEnum):
    """What an address is, read from the chain (chain.accounts.Account.kind)."""

    EOA = "eoa"
    MULTISIG = "multisig"
    TIMELOCK = "timelock"
    GOVERNOR = "governor"
    PROXY = "proxy"
    TOKEN = "token"
    CONTRACT = "contract"
    RENOUNCED = "renounced"
    ANYONE = "anyone"


# --- contract kinds and power sets: defined by the vocabulary work (issue 12, item 3) ---

# --- edge kinds of the control graph: defined with the chain probes (issue 12, item 4) ---


class EdgeKind(StrEnum):
    """How an account acts for another, as the chain shows it (chain.edges.Edge.kind for an
    edge without a function; an edge with one carries the capability of the code). The
    report writes the value as the edge's capability, SIGN with its threshold:
    'sign (2-of-3)'."""

    SIGN = "sign"  # an owner of a Safe, one of M signatures of N
    EXECUTE_AS_MODULE = "execute as module (no threshold)"  # a Safe's module: no signature needed
    PROPOSE = "propose"  # a TimelockController's proposer, after its delay
    GRANT_ROLE = "grant_role"  # a TimelockController's admin: grants itself any role at once
    QUEUE = "queue"  # a Compound timelock's admin, after its delay
    ACCEPT_ADMIN_THEN_QUEUE = "accept admin, then queue"  # a Compound timelock's pending admin
    VOTE = "vote (token holders)"  # a governor's voting token
    OWNER = "owner"  # the owner() of a contract


# Edges by which an account acts through a timelock (after its delay)
PROPOSING = frozenset({EdgeKind.PROPOSE, EdgeKind.QUEUE, EdgeKind.ACCEPT_ADMIN_THEN_QUEUE})
