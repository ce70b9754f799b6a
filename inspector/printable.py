"""Make text from outside safe to show: names of contracts, functions and files, and
explorer answers can carry terminal escapes (ESC]0;title BEL, ESC[2J), other C0/C1
controls, bidi overrides (U+202E turns text around, "Trojan Source") and, from file names
that are not UTF-8, lone surrogates. Each is shown as its escape (\\x1b, \\u202e, \\xe9 for
the byte a surrogate stands for), so a report read in a terminal, a pipe or an editor shows
what the name holds and does nothing else.
"""
from __future__ import annotations

import re

# C0 but tab and newline, DEL and C1, the bidi and direction marks, lone surrogates
_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _shown(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, lines: bool = False) -> str:
    """`text` with every control and direction character escaped; with `lines`, newlines are
    kept (a whole document), else escaped too (one line, one name)."""
    if lines:
        return "\n".join(_HIDDEN.sub(_shown, line) for line in text.split("\n"))
    return _HIDDEN.sub(_shown, text)
