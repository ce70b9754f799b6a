"""The comment and string blanking every line-based scan relies on (imports, pragmas,
suppressions), against a character-at-a-time reference: the code copies runs of plain
characters at once, and must give exactly what the reference gives."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from inspector.sources.lexer import strip_comments
from inspector.sources.pragma import _blank_strings

REPO = Path(__file__).resolve().parent.parent


def _literal_end(source: str, i: int) -> int:
    j = i + 1
    while j < len(source) and source[j] != source[i] and source[j] != "\n":
        j += 2 if source[j] == "\\" else 1
    return min(j + 1, len(source))


def reference_strip(source: str) -> str:
    out, i, n = [], 0, len(source)
    while i < n:
        if source.startswith("//", i):
            j = n if source.find("\n", i) == -1 else source.find("\n", i)
            out.append(" " * (j - i))
        elif source.startswith("/*", i):
            j = n if source.find("*/", i + 2) == -1 else source.find("*/", i + 2) + 2
            out.append("".join(ch if ch == "\n" else " " for ch in source[i:j]))
        elif source[i] in "\"'":
            j = _literal_end(source, i)
            out.append(source[i:j])
        else:
            j = i + 1
            out.append(source[i])
        i = j
    return "".join(out)


def reference_blank(code: str) -> str:
    out, i = [], 0
    while i < len(code):
        j = _literal_end(code, i) if code[i] in "\"'" else i + 1
        out.append("".join(ch if ch == "\n" else " " for ch in code[i:j]) if code[i] in "\"'" else code[i])
        i = j
    return "".join(out)


TEXT = st.text(alphabet=st.sampled_from(["/", "*", '"', "'", "\\", "\n", "\r", "a", " ", ";", "é", "\u202e"]), max_size=60)


@settings(max_examples=3000, deadline=None)
@given(TEXT)
def test_blanking_equals_the_reference_on_any_text(text):
    assert strip_comments(text) == reference_strip(text)
    assert _blank_strings(text) == reference_blank(text)


def test_blanking_equals_the_reference_on_real_sources():
    folder = REPO / "fixtures" / "real" / "oz5-system" / "node_modules" / "@openzeppelin" / "contracts"
    sources = [p.read_text() for p in sorted(folder.rglob("*.sol"))]
    assert len(sources) > 100
    for text in sources:
        assert strip_comments(text) == reference_strip(text)
        assert _blank_strings(text) == reference_blank(text)


def test_what_is_blanked():
    source = 'a /* x\ny */ b // "c"\n"d // e" \'f\\\'g\' /h'
    assert strip_comments(source) == 'a     \n     b       \n"d // e" \'f\\\'g\' /h'
    assert _blank_strings(strip_comments(source)) == 'a     \n     b       \n                /h'
