"""What an address is on chain, one fact per module (as L2BEAT's discovery handlers and
proxy detectors are laid out). Each module has `probe(reader, address)`, which returns a
frozen record of what it read, or None when the address is not that: a call that reverts
or answers garbage means "not this", never an error (only the transport's own failures
raise). An account probe's record also says what the address is as a node of the control
graph (`account()`) and who acts for it (`edges()`).

The order of each registry is precedence: the first probe that recognises an address
decides what it is. A new fact is one new module here, its place in a registry, and its test
(tests/test_probes.py). AccessControl is no kind of address but roles a guard names one at
a time: the graph asks access_control for the members of each (graph.resolve_guard).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.chain.probes import (beacon, clone, compound_timelock, diamond, eip897, eip1822, eip1967, eoa, governor,
                                    ownable, renounced, safe, safe_proxy, timelock_controller, zeppelinos)
from inspector.chain.probes.common import Contract, Probed, Proxy

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

__all__ = ["ACCOUNTS", "PROXIES", "Probed", "Proxy", "classify", "detect_proxy"]

# What code runs behind an address: a clone's code names it; the standard slots come before
# what a contract's own functions answer
PROXIES = (clone, eip1967, beacon, eip1822, zeppelinos, safe_proxy, diamond, eip897)
# What an address is: nobody, an EOA, then the kinds of contract that govern others, from the
# most specific answers to owner(), which many contracts have
ACCOUNTS = (renounced, eoa, safe, timelock_controller, compound_timelock, governor, ownable)


def detect_proxy(reader: ChainReader, address: str) -> Proxy | None:
    """A proxy, from chain state only (never from an explorer's flag)."""
    return next((found for module in PROXIES if (found := module.probe(reader, address)) is not None), None)


def classify(reader: ChainReader, address: str) -> Probed:
    """What the address is: the first account probe that recognises it, else a contract."""
    return next((found for module in ACCOUNTS if (found := module.probe(reader, address)) is not None), Contract(address))
