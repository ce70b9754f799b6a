"""JSON from outside (explorers, RPC nodes, baseline files, reports given to `inspector diff`),
parsed only when its nesting is bounded.

A package web3 pulls in (py_ecc) raises the interpreter's recursion limit to 100000 at
import, so the C JSON parser no longer stops deep input with a RecursionError: it overflows
the C stack and the process dies (signal 11, no message). A pre-scan measures the deepest
nesting outside strings before anything is parsed; deeper input is refused with a
JSONError, which is a ValueError like json's own errors.
"""
from __future__ import annotations

import array
import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 200  # inspector's own reports nest about 8 deep, explorer answers about 6

_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 / -1 as signed bytes


class JSONError(ValueError):
    """JSON inspector refuses: nested too deep, a key twice, not UTF-8. Text that is not
    JSON at all raises json's own JSONDecodeError (also a ValueError), unchanged."""


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, brackets inside strings ignored."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    steps = array.array("b", brackets.encode("ascii").translate(_STEP))
    return max(accumulate(steps), default=0)


def _unique(pairs: list[tuple[str, Any]]) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise JSONError(f"JSON in which the key '{repr(twice[:80])[1:-1]}' appears twice in one object")
    return found


def loads(text: str | bytes, max_depth: int = MAX_DEPTH, unique_keys: bool = False, parse_constant=None) -> Any:
    """json.loads for input from outside: a JSONError when it nests deeper than
    `max_depth`, or (with unique_keys) repeats a key in one object, where json would
    silently keep the last; json.JSONDecodeError when it is not JSON. `parse_constant` is
    json's (NaN, Infinity)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise JSONError("JSON that is not UTF-8 text") from None
    nesting = depth(text)
    if nesting > max_depth:
        raise JSONError(f"JSON nested {nesting} levels deep, more than the {max_depth} inspector accepts")
    try:
        return json.loads(text, object_pairs_hook=_unique if unique_keys else None, parse_constant=parse_constant)
    except RecursionError:  # belt and braces: never reached below MAX_DEPTH
        raise JSONError("JSON nested too deep") from None
