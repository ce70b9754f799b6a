"""Pots: a number of the contract's that counts what it has set aside or earned, and that a
withdrawal draws down by what it moves.

    uint256 private withdrawableTokens;                      // raised when a request is fulfilled
    function withdraw(address to, uint256 amount) onlyOwner {
        withdrawableTokens = withdrawableTokens.sub(amount); // drawn by the amount moved
        token.transfer(to, amount);
    }
    function release(address company) onlyOwner {            // a reserve set aside at deployment
        balances[company] = balances[company].add(lockedTokens);
        lockedTokens = 0;
    }

What moves is bounded by the pot: the earnings or the reserve, not everything the contract
holds, and no new tokens. A number is a pot when no state-changing entry point raises it
but by adding to it in a privileged function (the constructor may set it): one that anyone
raises (`collected += msg.value` in an open deposit) counts users' funds, and one a key
sets outright (`reserve = v`) bounds nothing. Nor does a pot bound the key that raises it
(an owner booking what it then withdraws): it bounds only other principals.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from inspector.facts.dataflow import Effect, Summary, Tag
from inspector.facts.ledger import Ledger, change, lowers

def _scalar_number(effect: Effect) -> bool:
    return effect.kind == "write" and effect.var_type.startswith(("uint", "int")) and not (effect.args and effect.args[0] is not None)


def _value(effect: Effect) -> Tag | None:
    return (effect.args + (None, None))[1]


def find_pots(entries: Iterable[tuple[Summary, tuple[str, ...] | None]], ledger: Ledger) -> dict[str, frozenset[str]]:
    """Pots among the scalar numbers the entry points write, each with the principals that
    raise it: (summary, the principals that may call it, or None for an open one) per entry."""
    lowered, spoiled = set(), set()
    raisers: dict[str, set[str]] = {}
    for summary, principals in entries:
        for effect in summary.effects:
            if not _scalar_number(effect) or effect.target in ledger.supply:
                continue
            if lowers(effect):
                lowered.add(effect.target)
            elif principals is not None and change(effect.node, effect.target) == "add":
                raisers.setdefault(effect.target, set()).update(principals)
            else:
                spoiled.add(effect.target)  # raised by anyone, or set outright
    return {pot: frozenset(raisers.get(pot, ())) for pot in sorted(lowered - spoiled)}


def bounding(pots: dict[str, frozenset[str]], principals: Iterable[str]) -> frozenset[str]:
    """The pots that bound an entry its principals call: those they do not raise themselves."""
    own = set(principals)
    return frozenset(pot for pot, raisers in pots.items() if not raisers & own)


@dataclass(frozen=True)
class Draw:
    pot: str
    amount: Tag | None  # the amount it is drawn down by (None when it is emptied)


def draws(summary: Summary, pots: frozenset[str]) -> tuple[Draw, ...]:
    """The pots an entry draws down, and by what."""
    found = []
    for effect in summary.effects:
        if _scalar_number(effect) and effect.target in pots and lowers(effect):
            emptied = change(effect.node, effect.target) != "sub"
            found.append(Draw(effect.target, None if emptied else _value(effect)))
    return tuple(found)


def paid_from(effect: Effect, drawn: tuple[Draw, ...]) -> str:
    """The pot a payment (a token transfer, ETH sent) comes out of: one drawn down by the
    amount paid."""
    amounts = [a for a in effect.args[1:] if a is not None]
    return next((d.pot for d in drawn if d.amount is not None and d.amount in amounts), "")


def credited_from(effect: Effect, drawn: tuple[Draw, ...], summary: Summary) -> str:
    """The pot a credit of balances is taken from: one the crediting line reads and the entry
    empties or draws down (`balances[c] = balances[c].add(lockedTokens); lockedTokens = 0`),
    or one drawn down by the amount credited (`reserve -= v; balances[to] += v`)."""
    read = {v.name for v in getattr(effect.node, "state_variables_read", ())}
    added = {a for e in summary.effects if e.node is effect.node and e.kind == "call" for a in e.args if a is not None}
    added.add(_value(effect))
    return next((d.pot for d in drawn if d.pot in read or (d.amount is not None and d.amount in added)), "")
