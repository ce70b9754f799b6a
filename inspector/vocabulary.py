"""The words every stage shares, defined once: what a function can do (capabilities), who may
call it (guard kinds), what a contract is (contract kinds), what an address is on chain
(account kinds), what a finding's principal says when no seat names the holder, a finding's
category and confidence, the score's axes and the off-chain decisions it weighs, and the sets
of powers the facts, rules, score and diff weigh.
They are `StrEnum`s: the JSON report writes their values, and tests/test_vocabulary.py
checks the report schema's enums against them.

A new capability, guard kind, contract kind or account kind is added here first; nothing
else lists them (facts.model refuses a capability, guard kind or contract kind not named here)."""
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
    ANYONE = "anyone"  # the pseudo-address of a role open to every account (granted to address(0))
    # an address the graph holds no node for: a key of chain.paths, a placeholder in the
    # reports' picture; never the kind of a node the JSON report lists
    UNKNOWN = "unknown"


class ContractKind(StrEnum):
    """What a contract is, read from its code (facts.model.ContractFacts.kinds, facts/kinds.py)."""

    TOKEN = "token"
    PROXY = "proxy"
    UPGRADEABLE = "upgradeable"  # an implementation behind a proxy (UUPS, beacon, initializable)
    TIMELOCK = "timelock"
    GOVERNOR = "governor"
    MULTISIG = "multisig"
    ACCESS_MANAGER = "access_manager"


class Principal(StrEnum):
    """What a finding's `principal` says when no seat of the code names the holder."""

    ANYONE = "anyone"  # no guard at all: every account
    OUTSIDE = "outside"  # the power lies outside the contract (a beacon, an admin contract, the implementation)
    # who a constructor grants a role to, or who names a pending owner (ContractFacts.constructor_grants, nominees)
    DEPLOYER = "deployer"  # the account that deploys it
    SELF = "self"  # the contract itself


class OffChainDecision(StrEnum):
    """Powers the score weighs that no capability names: decisions made off chain, found on
    entry points (score/powers.py)."""

    SIGNED_ACTION = "signed_action"  # an entry point acting on an off-chain signature
    PRICE_FEED = "price_feed"  # an entry point reading an off-chain feed


class Axis(StrEnum):
    """What the score measures, each out of 100 (score.model.Axes has one field for each)."""

    GOVERNANCE_CONCENTRATION = "governance_concentration"
    OFFCHAIN_DEPENDENCY = "offchain_dependency"
    ECONOMIC_CONTROL = "economic_control"


class Category(StrEnum):
    """The family of a finding (a rule's `category`)."""

    ADMIN_KEY = "admin-key"
    UPGRADEABILITY = "upgradeability"
    TIMELOCK = "timelock"
    MULTISIG = "multisig"
    ECONOMIC_CONTROL = "economic-control"
    OFF_CHAIN = "off-chain"
    GOVERNANCE = "governance"  # whether the vote decides: who can win it, what it reaches
    SLITHER = "slither"  # Slither's own detectors


class Confidence(StrEnum):
    """How sure a finding is that the power is real."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class MatchKind(StrEnum):
    """How the code analysed for a target was tied to what runs at its address (the JSON
    report's targets[].match)."""

    SOURCE = "source"  # a local path: the sources are the target
    VERIFIED = "verified"  # an explorer (Etherscan, Sourcify) verified the sources for the address
    FULL = "full"  # a local project's contract: runtime code equal, metadata hash included
    PARTIAL = "partial"  # runtime code equal once the CBOR metadata is stripped and immutables/links masked
    BYTECODE_ONLY = "bytecode-only"  # no sources: what the bytecode alone shows (selectors, chain reads)


class NameSource(StrEnum):
    """How a contract the control graph reaches, and no target scanned, was named (the JSON
    report's control_graph.nodes[].name_source); a node named by neither is unnamed."""

    PROJECT = "project"  # its runtime code is a contract of --project
    FINGERPRINT = "bytecode fingerprint"  # its selectors are those of a well-known implementation


# --- power sets: each defined once, named for what it means ---

_C = CapabilityName

# Powers over other people's money or over the code itself (a key holding one of them
# makes a single-owner or hard-coded-key finding high).
MONEY_OR_CODE = frozenset({_C.MINT, _C.BURN_FROM, _C.PAUSE, _C.FREEZE, _C.SET_BALANCE, _C.WITHDRAW_FUNDS, _C.UPGRADE,
                           _C.SELFDESTRUCT, _C.ARBITRARY_CALL, _C.DELEGATECALL})
# Powers over who holds power.
POWER_OVER_POWER = frozenset({_C.CHANGE_OWNER, _C.GRANT_ROLE, _C.CHANGE_DELAY, _C.CHANGE_THRESHOLD, _C.SET_MINTER,
                              _C.SET_SIGNER, _C.SET_ORACLE, _C.SET_OPERATOR, _C.SET_FORWARDER})
# What nobody but an admin should do: open to anyone it is the worst holder of all (the
# score) and a critical finding (admin-key-unguarded-power, upgrade-unguarded for an
# upgrade). The two sets above but naming an operator, which both have always left out: an
# operator runs an off-chain service, the least of the off-chain powers in score/weights.py.
ADMIN_ONLY = (MONEY_OR_CODE | POWER_OVER_POWER) - {_C.SET_OPERATOR}
# Powers over a contract that give its holder everything the contract can do: whoever can
# replace its code or make it call or run anything holds every power the contract holds.
TAKES_OVER = frozenset({_C.UPGRADE, _C.ARBITRARY_CALL, _C.DELEGATECALL})
# Powers that replace a contract's code: an upgrade, or a delegatecall, which runs any code in
# the contract's storage and so can rewrite its implementation slot (a Safe's own transactions).
REPLACES_CODE = frozenset({_C.UPGRADE, _C.DELEGATECALL})
# Powers that hand over the whole contract, or everything its holder can reach: a diff ranks
# a change of their holders high. Wider than TAKES_OVER (destroying it, minting, writing
# balances, taking its ownership or its roles hand it over too); narrower than ADMIN_ONLY.
HANDS_OVER = TAKES_OVER | {_C.SELFDESTRUCT, _C.MINT, _C.SET_BALANCE, _C.CHANGE_OWNER, _C.GRANT_ROLE}
# Powers that take nothing away: giving power up. The score does not weigh them.
GIVES_UP = frozenset({_C.RENOUNCE})
# Powers a diff ranks low when they are all a holder gains: giving power up, or setting a parameter.
MINOR = GIVES_UP | {_C.SET_PARAMETER}
# Powers that are a setting written to state: a write nothing in the contract acts on (only
# a getter shows it, facts/inert.py) gives none of them. Not a seat (owner, pending owner: judged
# by what it guards), an oracle (its answer is what it offers others), nor supply, balances,
# funds or code, which are acted on by definition.
SETTINGS = frozenset({_C.PAUSE, _C.FREEZE, _C.SET_FEE, _C.SET_LIMITS, _C.GRANT_ROLE, _C.CHANGE_DELAY, _C.CHANGE_THRESHOLD,
                      _C.SET_SIGNER, _C.SET_OPERATOR, _C.SET_MINTER, _C.SET_FORWARDER, _C.SET_PARAMETER})
# Powers found once per state variable they write (two fees are two powers); every other
# capability is found once per entry point, whatever it writes.
PER_VARIABLE = frozenset({_C.SET_PARAMETER, _C.SET_FEE, _C.SET_LIMITS, _C.SET_ORACLE, _C.SET_SIGNER, _C.SET_OPERATOR,
                          _C.SET_MINTER, _C.CHANGE_OWNER})

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
