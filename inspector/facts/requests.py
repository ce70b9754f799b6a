"""Two-key requests: a flag one key raises and another key's action requires and consumes.

    function requestPause() onlyRequester { pausePending = true; }
    function approveRequestPause() onlyApprover { require(pausePending); pausePending = false; paused = true; }

Raising, withdrawing or rejecting the request changes nothing by itself, and what the
approval does needs both keys: the approver acts only on the requester's request. The
approver's guard names the requester as its cosigner, and the writes of the flag are no
capability of anyone.

A flag is a request when: it is a bool written only with constants; every write that raises
it is reached only by privileged keys (the requesters); an entry point guarded by other keys
(the approvers) requires it and lowers it (consumes it); and no state-changing code reads it
except in a condition. A flag the approver requires to be lowered (a veto) is never consumed
by lowering, so it is not read as a request."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Protocol

from slither.core.declarations import Function

from inspector.facts.dataflow import Summary
from inspector.facts.model import Capability, EntryPoint, Guard
from inspector.vocabulary import CapabilityName, GuardKind

_KEYS = (GuardKind.OWNER, GuardKind.ROLE, GuardKind.ADDRESS)
_TRUE, _FALSE = "True", "False"


class _Reported(Protocol):
    function: Function
    signature: str
    summary: Summary
    guards: tuple[Guard, ...]


@dataclass(frozen=True)
class Request:
    flag: str
    requesters: tuple[Guard, ...]
    approvers: frozenset[str]  # signatures of the entry points that consume the flag
    fields: frozenset[str] = frozenset()  # what the request asks (`pendingAmount`): read only by its approvers


def _constant_writes(summary: Summary, flag: str) -> set[str] | None:
    """The constants an entry writes to `flag` ("True", "False"), or None when it writes
    anything else (a parameter, a computed value) or writes through a key."""
    written: set[str] = set()
    for effect in summary.effects:
        if effect.kind != "write" or effect.target != flag:
            continue
        key, value = (effect.args + (None, None))[:2]
        if effect.var_type != "bool" or key is not None or value is None or value.kind != "constant" or value.value not in (_TRUE, _FALSE):
            return None
        written.add(value.value)
    return written


def _only_in_conditions(function: Function, flag: str) -> bool:
    """No node of the entry (its modifiers and internal calls included) reads the flag but
    to decide a branch or a require."""
    return all(node.is_conditional() or flag not in {v.name for v in node.state_variables_read}
               for node in function.all_nodes())


def _requires(function: Function, flag: str) -> bool:
    return flag in {v.name for v in function.all_conditional_state_variables_read()}


def _keys(guards: tuple[Guard, ...]) -> bool:
    return bool(guards) and all(g.kind in _KEYS for g in guards)


def find_requests(entries: Iterable[_Reported]) -> list[Request]:
    entries = list(entries)
    flags = sorted({e.target for x in entries for e in x.summary.effects if e.kind == "write" and e.var_type == "bool"})
    found = []
    for flag in flags:
        writes = {x.signature: _constant_writes(x.summary, flag) for x in entries}
        if any(w is None for w in writes.values()):
            continue
        if not all(_only_in_conditions(x.function, flag) for x in entries):
            continue
        raisers = [x for x in entries if _TRUE in writes[x.signature]]
        if not raisers or not all(_keys(x.guards) for x in raisers):
            continue
        requesters = tuple(dict.fromkeys(g for x in raisers for g in x.guards))
        raising = {g.detail for g in requesters}
        approvers = frozenset(
            x.signature for x in entries
            if x.signature not in {r.signature for r in raisers} and _FALSE in writes[x.signature]
            and _requires(x.function, flag) and _keys(x.guards) and not raising & {g.detail for g in x.guards}
        )
        if approvers:
            found.append(Request(flag, requesters, approvers, _fields(entries, raisers, approvers, flag)))
    return found


def _fields(entries: list[_Reported], raisers: list[_Reported], approvers: frozenset[str], flag: str) -> frozenset[str]:
    """What the requesters store beside the flag that only the approvers read: the
    request's own terms (an amount, a recipient), no setting of the contract's."""
    raising = {x.signature for x in raisers}
    stored = {e.target for x in raisers for e in x.summary.effects if e.kind == "write"} - {flag}
    written_elsewhere = {e.target for x in entries if x.signature not in raising | approvers
                         for e in x.summary.effects if e.kind == "write"}
    read_elsewhere = {v.name for x in entries if x.signature not in approvers | raising for v in x.function.all_state_variables_read()}
    return frozenset(stored - written_elsewhere - read_elsewhere)


def _cosigned(guard: Guard, requests: list[Request]) -> Guard:
    cosigners = tuple(dict.fromkeys(g.detail for r in requests for g in r.requesters))
    return replace(guard, cosigner=" | ".join(cosigners))


def apply_requests(entries: list[EntryPoint], requests: list[Request]) -> list[EntryPoint]:
    """Writes of a request flag are no capability; an approval's guards name the requesters
    as cosigners."""
    flags = {r.flag for r in requests} | {f for r in requests for f in r.fields}
    out = []
    for entry in entries:
        kept = tuple(c for c in entry.capabilities if not (c.name == CapabilityName.SET_PARAMETER and c.detail in flags))
        approving = [r for r in requests if entry.function in r.approvers]
        guards = tuple(_cosigned(g, approving) for g in entry.guards) if approving and kept else entry.guards
        kept = tuple(_with_guards(c, approving) for c in kept) if approving else kept
        out.append(replace(entry, capabilities=kept, guards=guards))
    return out


def _with_guards(capability: Capability, requests: list[Request]) -> Capability:
    if not capability.guards:
        return capability
    return replace(capability, guards=tuple(_cosigned(g, requests) for g in capability.guards))
