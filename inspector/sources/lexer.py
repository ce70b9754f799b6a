"""Blank out Solidity comments so that line-based scans (imports, pragmas, suppressions)
see only code, while every line keeps its number and every string its text."""
from __future__ import annotations

import re

_COMMENT_OR_STRING = re.compile(r"[/\"']")
_NOT_NEWLINE = re.compile(r"[^\n]")


def strip_comments(source: str) -> str:
    """Replace comments with spaces, keeping newlines and string literals intact."""
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        nxt = source[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            j = source.find("\n", i)
            j = n if j == -1 else j
            out.append(" " * (j - i))
            i = j
        elif c == "/" and nxt == "*":
            j = source.find("*/", i + 2)
            j = n if j == -1 else j + 2
            out.append(blank(source[i:j]))
            i = j
        elif c in "\"'":
            j = literal_end(source, i)
            out.append(source[i:j])
            i = j
        else:  # code, up to where a comment or a string may start
            found = _COMMENT_OR_STRING.search(source, i + 1)
            j = found.start() if found else n
            out.append(source[i:j])
            i = j
    return "".join(out)


def literal_end(source: str, start: int) -> int:
    """Where the string literal opening at `start` ends: after its closing quote, or at an
    unescaped newline; a backslash escapes the next character (newlines included)."""
    quote, j, n = source[start], start + 1, len(source)
    while j < n and source[j] != quote and source[j] != "\n":
        j += 2 if source[j] == "\\" else 1
    return min(j + 1, n)


def blank(text: str) -> str:
    """`text` as spaces, its newlines kept."""
    return _NOT_NEWLINE.sub(" ", text)


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1
