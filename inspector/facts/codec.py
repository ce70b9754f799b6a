"""Frozen dataclasses to plain JSON values and back, read by their annotations: what the
facts cache writes (never pickle: the cache is a file on the user's machine, and
unpickling runs whatever it names).

`decode` accepts exactly what `encode` writes for the type it is asked for (every field,
no other, each of its annotated type; an `int` is not a `bool`), and raises `Unreadable`
for anything else, so an entry of another shape is a miss, never a wrong fact."""
from __future__ import annotations

import types
import typing
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import cache
from typing import Any


class Unreadable(ValueError):
    """A value that is not what `encode` writes for the type asked for."""


def encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return encode(value.value)
    if isinstance(value, tuple):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError(f"only text keys have a JSON form: {sorted(map(repr, value))[:3]}")
        return {key: encode(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"no JSON form for {type(value).__name__}")


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def decode(kind: Any, data: Any) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if isinstance(kind, type) and is_dataclass(kind):
        return _dataclass(kind, data)
    if origin is tuple:
        items = _of(list, data)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], item) for item in items)
        if len(items) != len(args):
            raise Unreadable(f"{len(items)} items where {kind} has {len(args)}")
        return tuple(decode(arg, item) for arg, item in zip(args, items))
    if origin is dict:
        return {_of(str, key): decode(args[1], item) for key, item in _of(dict, data).items()}
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            try:
                return decode(arg, data)
            except Unreadable:
                continue
        raise Unreadable(f"{data!r:.40} is none of {kind}")
    if kind is type(None):
        if data is not None:
            raise Unreadable(f"{data!r:.40} is not null")
        return None
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(data)
        except ValueError as exc:
            raise Unreadable(str(exc)) from None
    if kind in (str, int, bool):
        return _of(kind, data)
    if kind is float:
        return float(_of((int, float), data))
    raise TypeError(f"no JSON form for {kind}")


def _dataclass(kind: type, data: Any) -> Any:
    hints = _hints(kind)
    names = [f.name for f in fields(kind)]
    given = _of(dict, data)
    if set(given) != set(names):
        raise Unreadable(f"{kind.__name__} has the fields {names}, not {sorted(given)}")
    return kind(**{name: decode(hints[name], given[name]) for name in names})


def _of(kind: type | tuple[type, ...], data: Any) -> Any:
    # bool is an int in Python, not in JSON
    if not isinstance(data, kind) or (kind is not bool and isinstance(data, bool)):
        raise Unreadable(f"{type(data).__name__} where {kind} is expected")
    return data
