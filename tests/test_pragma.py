from importlib.resources import files

import pytest

from inspector.sources.pragma import (
    PragmaError,
    Version,
    VersionSpec,
    find_pragmas,
    known_releases,
    newest_allowed,
    parse_spec,
)

V = Version.parse


def allowed(spec: str, versions: list[str]) -> list[str]:
    s = parse_spec(spec)
    return [v for v in versions if s.allows(V(v))]


# --- Version -------------------------------------------------------------------------


def test_version_parse_and_str_round_trip():
    assert Version.parse("0.8.20") == Version(0, 8, 20)
    assert str(Version(0, 8, 20)) == "0.8.20"


def test_versions_order_numerically_not_lexically():
    assert sorted([V("0.8.10"), V("0.8.9"), V("0.10.0"), V("0.4.26")]) == [
        V("0.4.26"),
        V("0.8.9"),
        V("0.8.10"),
        V("0.10.0"),
    ]


@pytest.mark.parametrize(
    "junk", ["", "0.8", "0.8.0.1", "v0.8.0", "0.8.x", "0.8.0-nightly", "0.08.0", " 0.8.0", "a.b.c"]
)
def test_version_parse_rejects_junk(junk):
    with pytest.raises(ValueError):
        Version.parse(junk)


# --- comparators ---------------------------------------------------------------------

PROBE = ["0.7.6", "0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21", "0.9.0", "1.0.0"]


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("0.8.20", ["0.8.20"]),
        ("=0.8.20", ["0.8.20"]),
        (">0.8.20", ["0.8.21", "0.9.0", "1.0.0"]),
        (">=0.8.20", ["0.8.20", "0.8.21", "0.9.0", "1.0.0"]),
        ("<0.8.20", ["0.7.6", "0.8.0", "0.8.1", "0.8.19"]),
        ("<=0.8.20", ["0.7.6", "0.8.0", "0.8.1", "0.8.19", "0.8.20"]),
        ("^0.8.0", ["0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
        ("~0.8.1", ["0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
    ],
)
def test_comparator_forms(spec, expected):
    assert allowed(spec, PROBE) == expected


@pytest.mark.parametrize(
    "spec, inside, outside",
    [
        ("^0.8.0", ["0.8.0", "0.8.99"], ["0.7.99", "0.9.0"]),
        ("^0.4.24", ["0.4.24", "0.4.26"], ["0.4.23", "0.5.0"]),
        ("^1.2.3", ["1.2.3", "1.99.0"], ["1.2.2", "2.0.0"]),
        ("^0", ["0.0.0", "0.99.99"], ["1.0.0"]),
        ("^0.8", ["0.8.0", "0.8.99"], ["0.7.99", "0.9.0"]),
        ("~0.8.1", ["0.8.1", "0.8.99"], ["0.8.0", "0.9.0"]),
        ("~0.8", ["0.8.0", "0.8.99"], ["0.7.99", "0.9.0"]),
        ("~1", ["1.0.0", "1.99.99"], ["0.99.99", "2.0.0"]),
        ("~1.2.3", ["1.2.3", "1.2.99"], ["1.2.2", "1.3.0"]),
    ],
)
def test_caret_and_tilde_bounds(spec, inside, outside):
    s = parse_spec(spec)
    assert [s.allows(V(v)) for v in inside] == [True] * len(inside)
    assert [s.allows(V(v)) for v in outside] == [False] * len(outside)


def test_caret_on_0_0_x_follows_solc_not_npm():
    # solc's SemVerHandler keeps major.minor fixed for any 0.y.z caret, so ^0.0.3 admits
    # 0.0.4 (npm would stop at <0.0.4). No solc release is 0.0.x, so this never changes a pick.
    assert allowed("^0.0.3", ["0.0.2", "0.0.3", "0.0.4", "0.1.0"]) == ["0.0.3", "0.0.4"]


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("0.8", ["0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
        ("=0.8", ["0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
        (">=0.8", ["0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21", "0.9.0", "1.0.0"]),
        ("<0.8", ["0.7.6"]),
        (">0.8", ["0.9.0", "1.0.0"]),
        ("<=0.8", ["0.7.6", "0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
        ("0", ["0.7.6", "0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21", "0.9.0"]),
        ("<1", ["0.7.6", "0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21", "0.9.0"]),
    ],
)
def test_partial_versions(spec, expected):
    assert allowed(spec, PROBE) == expected


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("0.8.x", ["0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
        ("0.8.X", ["0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
        ("0.8.*", ["0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
        ("0.x", ["0.7.6", "0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21", "0.9.0"]),
        ("*", PROBE),
        ("x", PROBE),
        (">=0.8.x", ["0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21", "0.9.0", "1.0.0"]),
        ("<0.8.x", ["0.7.6"]),
        ("^0.8.x", ["0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
    ],
)
def test_wildcards(spec, expected):
    assert allowed(spec, PROBE) == expected


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("0.8.1 - 0.8.20", ["0.8.1", "0.8.19", "0.8.20"]),
        ("0.8.1-0.8.20", ["0.8.1", "0.8.19", "0.8.20"]),
        ("0.7 - 0.8", ["0.7.6", "0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
        ("0.8.20 - 0.8.20", ["0.8.20"]),
    ],
)
def test_hyphen_ranges_are_inclusive(spec, expected):
    assert allowed(spec, PROBE) == expected


def test_hyphen_range_from_the_brief():
    assert allowed("0.5.0 - 0.7.0", ["0.4.26", "0.5.0", "0.6.12", "0.7.0", "0.7.1"]) == [
        "0.5.0",
        "0.6.12",
        "0.7.0",
    ]


@pytest.mark.parametrize(
    "spaced, tight",
    [
        (">= 0.6.0", ">=0.6.0"),
        ("> 0.6.0", ">0.6.0"),
        ("<= 0.8.20", "<=0.8.20"),
        ("< 0.8.20", "<0.8.20"),
        ("= 0.8.20", "=0.8.20"),
        ("^ 0.8.0", "^0.8.0"),
        ("~ 0.8.1", "~0.8.1"),
        (">=\t0.6.0   <\n0.9.0", ">=0.6.0 <0.9.0"),
    ],
)
def test_space_after_operator_changes_nothing(spaced, tight):
    assert allowed(spaced, PROBE) == allowed(tight, PROBE)


@pytest.mark.parametrize(
    "spec, expected",
    [
        (">=0.8.1 <0.8.20", ["0.8.1", "0.8.19"]),
        (">=0.8.1<0.8.20", ["0.8.1", "0.8.19"]),
        ("^0.8.0 >=0.8.19 <0.8.21", ["0.8.19", "0.8.20"]),
        ("^0.8.0 0.7.6", []),
    ],
)
def test_whitespace_separated_comparators_are_anded(spec, expected):
    assert allowed(spec, PROBE) == expected


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("0.7.6 || 0.8.20", ["0.7.6", "0.8.20"]),
        ("^0.8.0 || >=0.7.0 <0.7.6", ["0.8.0", "0.8.1", "0.8.19", "0.8.20", "0.8.21"]),
        ("<0.8.0 || >=0.9.0", ["0.7.6", "0.9.0", "1.0.0"]),
        ("0.8.1-0.8.19 || 1.0.0", ["0.8.1", "0.8.19", "1.0.0"]),
        ("0.7.6||^0.8.20", ["0.7.6", "0.8.20", "0.8.21"]),
    ],
)
def test_or(spec, expected):
    assert allowed(spec, PROBE) == expected


def test_quoted_version_is_accepted_like_solc():
    assert allowed('>="0.8.20"', PROBE) == ["0.8.20", "0.8.21", "0.9.0", "1.0.0"]


def test_spec_keeps_text_and_compares_by_it():
    s = parse_spec("  ^0.8.0 || >=0.7.0 <0.7.6 ")
    assert s.text == "^0.8.0 || >=0.7.0 <0.7.6"
    assert s == VersionSpec("^0.8.0 || >=0.7.0 <0.7.6")
    assert str(s) == "^0.8.0 || >=0.7.0 <0.7.6"


# --- malformed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "^0.8.",
        ">>0.8.0",
        "foo",
        "",
        "^",
        ">=",
        "0.8.0 ||",
        "|| 0.8.0",
        "0.8.0 | 0.9.0",
        "=>0.8.0",
        "==0.8.0",
        "0.8.0.1",
        "0.08.0",
        "0.8.0x",
        "0.5.0 - 0.6.0 - 0.7.0",
        "0.5.0 - 0.6.0 0.7.0",
        "0.8.0;",
        "^0.8.0-beta",
        '"^0.8.0"',
        "99999999999.0.0",
    ],
)
def test_malformed_spec_raises_pragma_error(bad):
    with pytest.raises(PragmaError):
        parse_spec(bad)


@pytest.mark.parametrize("bad", ["^0.8.", ">>0.8.0", "foo", '"^0.8.0"', "0.8.0 || >=0.7.x.1"])
def test_pragma_error_names_the_bad_text(bad):
    with pytest.raises(PragmaError) as info:
        parse_spec(bad)
    assert repr(bad) in str(info.value)


def test_pragma_error_is_a_value_error():
    assert issubclass(PragmaError, ValueError)


@pytest.mark.parametrize("bad", ["pragma solidity ^0.8.;", "pragma solidity >>0.8.0;", "pragma solidity foo;"])
def test_malformed_pragma_in_source_fails_at_parse(bad):
    [(text, line)] = find_pragmas(bad)
    with pytest.raises(PragmaError) as info:
        parse_spec(text)
    assert text in str(info.value)


# --- find_pragmas --------------------------------------------------------------------


def test_find_single_pragma_with_line():
    src = "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\n\ncontract A {}\n"
    assert find_pragmas(src) == [("^0.8.0", 2)]


def test_find_multiple_pragmas():
    src = "pragma solidity >=0.6.0;\npragma solidity <0.9.0;\ncontract A {}\npragma solidity ^0.8.0 || 0.7.6;\n"
    assert find_pragmas(src) == [(">=0.6.0", 1), ("<0.9.0", 2), ("^0.8.0 || 0.7.6", 4)]


@pytest.mark.parametrize(
    "src, expected",
    [
        ("// pragma solidity 0.4.0;\npragma solidity ^0.8.0;", [("^0.8.0", 2)]),
        ("/* pragma solidity 0.4.0; */ pragma solidity ^0.8.0;", [("^0.8.0", 1)]),
        ("/*\n pragma solidity 0.4.0;\n*/\npragma solidity ^0.8.0;", [("^0.8.0", 4)]),
        ("/**\n * @dev pragma solidity 0.4.0;\n */\npragma solidity ^0.8.0;", [("^0.8.0", 4)]),
        ('string constant S = "pragma solidity 0.4.0;";\npragma solidity ^0.8.0;', [("^0.8.0", 2)]),
        ("string constant S = 'pragma solidity 0.4.0;';\npragma solidity ^0.8.0;", [("^0.8.0", 2)]),
        ('string constant S = "// x"; pragma solidity ^0.8.0;', [("^0.8.0", 1)]),
        ("/* unterminated\npragma solidity 0.4.0;", []),
    ],
)
def test_find_ignores_comments_and_strings(src, expected):
    assert find_pragmas(src) == expected


@pytest.mark.parametrize(
    "src",
    [
        "pragma experimental ABIEncoderV2;",
        "pragma abicoder v2;",
        "pragma experimental SMTChecker;",
        "contract A { uint pragmasolidity; }",
        "",
    ],
)
def test_find_ignores_other_pragmas_and_lookalikes(src):
    assert find_pragmas(src) == []


def test_find_keeps_version_pragma_among_other_pragmas():
    src = "pragma solidity 0.6.12;\npragma experimental ABIEncoderV2;\npragma abicoder v2;\n"
    assert find_pragmas(src) == [("0.6.12", 1)]


def test_find_pragma_spanning_lines_and_with_inline_comment():
    src = "pragma\n  solidity >=0.6.0 /* lower */\n  <0.9.0; // upper\n"
    assert find_pragmas(src) == [(">=0.6.0 <0.9.0", 1)]


def test_find_missing_semicolon_runs_to_next_semicolon_like_solc():
    [(text, line)] = find_pragmas("pragma solidity ^0.8.0\ncontract A { uint x; }")
    assert line == 1
    with pytest.raises(PragmaError):
        parse_spec(text)


def test_find_unterminated_pragma_at_end_of_file_raises():
    with pytest.raises(PragmaError, match="line 2"):
        find_pragmas("contract A {}\npragma solidity ^0.8.0")


# --- known_releases ------------------------------------------------------------------


def _release_file_versions() -> list[Version]:
    text = (files("inspector") / "data" / "solc_releases.txt").read_text()
    return [V(line.strip()) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_known_releases_match_data_file_sorted():
    assert known_releases() == sorted(_release_file_versions())


def test_known_releases_returns_a_fresh_list():
    known_releases().clear()
    assert known_releases() != []


# --- newest_allowed ------------------------------------------------------------------

SMALL = [V(v) for v in ["0.4.26", "0.5.17", "0.6.12", "0.7.6", "0.8.0", "0.8.19", "0.8.20", "0.8.25"]]


@pytest.mark.parametrize(
    "specs, expected",
    [
        (["^0.8.0"], "0.8.25"),
        (["^0.8.0", "<0.8.20"], "0.8.19"),
        ([">=0.6.0 <0.8.0"], "0.7.6"),
        (["^0.4.0 || ^0.5.0"], "0.5.17"),
        (["0.6.12"], "0.6.12"),
        ([], "0.8.25"),
        (["^0.5.0", "^0.8.0"], None),
        (["0.8.1"], None),
    ],
)
def test_newest_allowed_small_list(specs, expected):
    result = newest_allowed([parse_spec(s) for s in specs], SMALL)
    assert result == (V(expected) if expected else None)


def test_newest_allowed_does_not_need_sorted_releases():
    assert newest_allowed([parse_spec("^0.8.0")], list(reversed(SMALL))) == V("0.8.25")


def test_newest_allowed_empty_release_list():
    assert newest_allowed([], []) is None


def test_newest_allowed_accepts_a_generator_of_specs():
    assert newest_allowed((parse_spec(s) for s in ["^0.8.0", "<0.8.20"]), SMALL) == V("0.8.19")


def test_newest_allowed_real_list_caret_0_8_is_newest_0_8_in_file():
    newest_08 = max(v for v in _release_file_versions() if (v.major, v.minor) == (0, 8))
    assert newest_allowed([parse_spec("^0.8.0")]) == newest_08


def test_newest_allowed_real_list_no_pragma_is_newest_release():
    assert newest_allowed([]) == max(_release_file_versions())


@pytest.mark.parametrize(
    "specs, expected",
    [
        (["^0.4.24"], "0.4.26"),
        ([">=0.6.0 <0.7.0"], "0.6.12"),
        (["0.5.17"], "0.5.17"),
        (["^0.8.0", "<0.8.20"], "0.8.19"),
        (["~0.7.0"], "0.7.6"),
        (["0.5.0 - 0.7.0"], "0.7.0"),
        (["^0.4.11 <0.4.13"], "0.4.11"),
    ],
)
def test_newest_allowed_real_list(specs, expected):
    assert newest_allowed([parse_spec(s) for s in specs]) == V(expected)


@pytest.mark.parametrize("specs", [["^0.5.0", "^0.8.0"], ["0.4.12"], ["^0.0.3"], [">=99.0.0"]])
def test_newest_allowed_real_list_none(specs):
    assert newest_allowed([parse_spec(s) for s in specs]) is None


def test_end_to_end_from_source():
    src = "// pragma solidity 0.4.0;\npragma solidity >=0.6.0;\npragma solidity <0.7.0;\n"
    specs = [parse_spec(text) for text, _ in find_pragmas(src)]
    assert newest_allowed(specs) == V("0.6.12")
