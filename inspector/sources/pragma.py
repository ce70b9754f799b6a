"""Choose a solc release from `pragma solidity ...;` statements.

The matching rules are solc's own (liblangutil/SemVerHandler.cpp), not npm's, wherever
the two differ: the point is to predict which compilers solc itself will accept, and a
release that npm semver allows but solc rejects would fail the build with
"Source file requires different compiler version".
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files

from inspector.sources.lexer import blank, line_of, literal_end, strip_comments

__all__ = [
    "PragmaError",
    "Version",
    "VersionSpec",
    "find_pragmas",
    "known_releases",
    "newest_allowed",
    "parse_spec",
]


class PragmaError(ValueError):
    """A version pragma that solc itself would reject, so no compiler choice can be made."""


_RELEASE = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> "Version":
        # Strict: releases are plain x.y.z (no prerelease or build tags), and a typo in the
        # data file or a user option should fail loudly rather than pick a wrong compiler.
        m = _RELEASE.fullmatch(text)
        if m is None:
            raise ValueError(f"not a solc release version: {text!r}")
        return cls(int(m[1]), int(m[2]), int(m[3]))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


# A comparator's version as written: one to three components, None for a wildcard
# (x, X, *). Keeping the written length matters: solc compares only the components that
# were written, which is what makes `<0.8` mean <0.8.0 and `<=0.8` mean <0.9.0.
_Parts = tuple[int | None, ...]


@dataclass(frozen=True)
class _Comparator:
    op: str  # "=", "<", "<=", ">", ">=", "^" or "~"
    parts: _Parts

    def allows(self, v: Version) -> bool:
        if self.op in ("^", "~"):
            if not replace(self, op=">=").allows(v):
                return False
            # Upper bound as solc builds it: `<=` on a shortened prefix. For `^` the prefix
            # is the major, or major.minor when the major is 0 -- also for ^0.0.x, where
            # npm would pin the patch but solc does not.
            if self.op == "~" or (self.parts[0] == 0 and len(self.parts) != 1):
                upper = self.parts[:2]
            else:
                upper = self.parts[:1]
            return _Comparator("<=", upper).allows(v)
        cmp = _compare(v, self.parts)
        if self.op == "=":
            return cmp == 0
        if self.op == "<":
            return cmp < 0
        if self.op == "<=":
            return cmp <= 0
        if self.op == ">":
            return cmp > 0
        return cmp >= 0


def _compare(v: Version, parts: _Parts) -> int:
    # Wildcards are skipped but later components still count, exactly as solc's loop does
    # (so `0.x.5` constrains the patch; npm would ignore it).
    for have, want in zip((v.major, v.minor, v.patch), parts):
        if want is not None and have != want:
            return -1 if have < want else 1
    return 0


@dataclass(frozen=True)
class VersionSpec:
    text: str
    # Disjunction of conjunctions; derived from `text`, so it takes no part in equality.
    ranges: tuple[tuple[_Comparator, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Parsing here means a VersionSpec can never exist in an invalid state, however built.
        object.__setattr__(self, "ranges", _Parser(self.text).parse())

    def allows(self, v: Version) -> bool:
        return any(all(c.allows(v) for c in conj) for conj in self.ranges)

    def __str__(self) -> str:
        return self.text


def parse_spec(text: str) -> VersionSpec:
    return VersionSpec(text.strip())


_OPERATORS = (">=", "<=", ">", "<", "=", "^", "~")  # longest first, so `>=` is not read as `>`
_WILDCARDS = "xX*"
_DIGITS = re.compile(r"[0-9]+")
# solc stores a component in an unsigned with -1 reserved for wildcards.
_MAX_COMPONENT = 2**32 - 2


class _Parser:
    """Recursive descent over the pragma text.

    solc parses the pragma from scanner tokens, so whitespace between tokens never matters
    (`>= 0.6.0`, `^ 0.8.0`, `0.5.0-0.7.0`). This parser works on characters with the same
    rules, except that it refuses whitespace inside a version number, which only solc's
    tokenizer quirks let through.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, reason: str) -> PragmaError:
        return PragmaError(f"invalid version pragma {self.text!r}: {reason} (at offset {self.pos})")

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def at_end(self) -> bool:
        self.skip_space()
        return self.pos >= len(self.text)

    def parse(self) -> tuple[tuple[_Comparator, ...], ...]:
        if self.at_end():
            raise self.error("empty version pragma")
        ranges = [self.parse_range()]
        while not self.at_end():
            if self.peek(2) != "||":
                raise self.error(f"expected '||' but found {self.peek()!r}")
            self.pos += 2
            ranges.append(self.parse_range())
        return tuple(ranges)

    def parse_range(self) -> tuple[_Comparator, ...]:
        first = self.parse_comparator()
        self.skip_space()
        if self.peek() == "-":
            self.pos += 1
            second = self.parse_comparator()
            # solc overwrites whatever operators were written on either side of a hyphen
            # range with >= and <=; accept and discard them the same way.
            return (replace(first, op=">="), replace(second, op="<="))
        comparators = [first]
        while not self.at_end() and self.peek(2) != "||":
            comparators.append(self.parse_comparator())
        return tuple(comparators)

    def parse_comparator(self) -> _Comparator:
        self.skip_space()
        op = next((o for o in _OPERATORS if self.text.startswith(o, self.pos)), "")
        self.pos += len(op)
        self.skip_space()
        if self.peek() in ("'", '"'):
            parts = self.parse_quoted()
        else:
            parts = self.parse_parts()
        return _Comparator(op or "=", parts)

    def parse_quoted(self) -> _Parts:
        # solc accepts a version inside a string literal (`>="1.2.1"`); only the version
        # itself may be quoted, not the operator or surrounding space.
        quote = self.peek()
        end = self.text.find(quote, self.pos + 1)
        if end == -1:
            raise self.error("unterminated string")
        inner = _Parser(self.text[self.pos + 1 : end])
        try:
            parts = inner.parse_parts()
            if inner.pos != len(inner.text):
                raise inner.error("")
        except PragmaError:
            # Report against the whole pragma, not the quoted fragment.
            self.pos += 1 + inner.pos
            raise self.error("a quoted version must contain only a version number") from None
        self.pos = end + 1
        return parts

    def parse_parts(self) -> _Parts:
        parts = [self.parse_part()]
        while len(parts) < 3 and self.peek() == ".":
            self.pos += 1
            parts.append(self.parse_part())
        nxt = self.peek()
        if nxt and (nxt.isalnum() or nxt in "*._"):
            raise self.error(f"unexpected {nxt!r} after version")
        return tuple(parts)

    def parse_part(self) -> int | None:
        c = self.peek()
        if c and c in _WILDCARDS:
            self.pos += 1
            return None
        m = _DIGITS.match(self.text, self.pos)
        if m is None:
            if not c:
                raise self.error("expected a version number but reached the end")
            raise self.error(f"expected a version number but found {c!r}")
        digits = m.group()
        if len(digits) > 1 and digits[0] == "0":
            raise self.error(f"leading zero in {digits!r}")
        if int(digits) > _MAX_COMPONENT:
            raise self.error(f"{digits} is too large for a version number")
        self.pos = m.end()
        return int(digits)


_PRAGMA = re.compile(r"(?<![\w$.])pragma\s+solidity(?![\w$])")


def find_pragmas(source: str) -> list[tuple[str, int]]:
    """Each `pragma solidity` expression with the line its `pragma` keyword is on.

    Whitespace runs in an expression are collapsed to one space (a pragma may span lines
    or contain comments). Raises PragmaError for a pragma with no terminating `;`, which
    solc rejects; the expression text itself is not validated here.
    """
    code = strip_comments(source)
    # Blank strings only for finding things: a `;` or `pragma` inside a string is not code,
    # but a quoted version inside a pragma must survive into the expression.
    bare = _blank_strings(code)
    found: list[tuple[str, int]] = []
    for m in _PRAGMA.finditer(bare):
        line = line_of(code, m.start())
        # Like solc, take everything up to the next `;`, so a missing `;` surfaces as an
        # invalid expression rather than being silently skipped.
        end = bare.find(";", m.end())
        if end == -1:
            raise PragmaError(f"'pragma solidity' on line {line} is not terminated with ';'")
        found.append((" ".join(code[m.end() : end].split()), line))
    return found


def _blank_strings(code: str) -> str:
    # Same string rules as lexer.strip_comments (lexer.literal_end).
    out: list[str] = []
    i, n = 0, len(code)
    while i < n:
        if code[i] in "\"'":
            j = literal_end(code, i)
            out.append(blank(code[i:j]))
        else:
            found = _QUOTE.search(code, i + 1)
            j = found.start() if found else n
            out.append(code[i:j])
        i = j
    return "".join(out)


_QUOTE = re.compile(r"[\"']")


@lru_cache(maxsize=1)
def _releases() -> tuple[Version, ...]:
    text = (files("inspector") / "data" / "solc_releases.txt").read_text(encoding="utf-8")
    lines = (line.partition("#")[0].strip() for line in text.splitlines())
    return tuple(sorted({Version.parse(line) for line in lines if line}))


def known_releases() -> list[Version]:
    # A fresh list each call, so callers may mutate it without corrupting the cache.
    return list(_releases())


def newest_allowed(
    specs: Iterable[VersionSpec], releases: Sequence[Version] | None = None
) -> Version | None:
    # No specs means no pragma, and solc then compiles with any version: newest wins.
    specs = list(specs)
    candidates = known_releases() if releases is None else releases
    allowed = [v for v in candidates if all(s.allows(v) for s in specs)]
    return max(allowed, default=None)
