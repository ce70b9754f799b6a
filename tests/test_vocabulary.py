"""The vocabulary is defined once (inspector/vocabulary.py): the JSON schema's enums say the
same, the stages that weigh powers know every capability, and a word it does not define is
refused where facts are made."""
import json
from dataclasses import fields
from pathlib import Path

import pytest

from inspector.facts.model import Capability, ContractFacts, Guard
from inspector.findings import Severity
from inspector.rules.catalogue import CATEGORIES, SLITHER_CATEGORY
from inspector.score.model import AXES, Axes
from inspector.score.weights import WEIGHTS, weight_of
from inspector.vocabulary import (
    ADMIN_ONLY, GIVES_UP, HANDS_OVER, MINOR, MONEY_OR_CODE, PER_VARIABLE, POWER_OVER_POWER, REPLACES_CODE, SETTINGS,
    TAKES_OVER, AccountKind, Axis, CapabilityName, Category, Confidence, ContractKind, GuardKind, MatchKind, NameSource, OffChainDecision,
)

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "inspector/report/schema/report.schema.json").read_text())


def _enum(definition: str, prop: str) -> list:
    return SCHEMA["$defs"][definition]["properties"][prop]["enum"]


def _graph(*path: str) -> dict:
    node = SCHEMA["properties"]["control_graph"]["properties"]
    for step in path:
        node = node[step]
    return node


def test_capability_names_match_schema():
    assert sorted(_enum("capability", "name")) == sorted(c.value for c in CapabilityName)


def test_guard_kinds_match_schema():
    assert sorted(_enum("guard", "kind")) == sorted(g.value for g in GuardKind)


def test_contract_kinds_match_schema():
    kinds = SCHEMA["$defs"]["contract"]["properties"]["kinds"]["items"]["enum"]
    assert sorted(kinds) == sorted(k.value for k in ContractKind)


def test_account_kinds_match_schema():
    """A node is never of kind `unknown` (an address the graph has no node for); a key can be."""
    nodes = _graph("nodes", "items", "properties", "kind", "enum")
    keys = _graph("powers", "items", "properties", "keys", "items", "properties", "kind", "enum")
    assert sorted(nodes) == sorted(k.value for k in AccountKind if k != AccountKind.UNKNOWN)
    assert sorted(keys) == sorted(k.value for k in AccountKind)


def test_categories_severities_confidences_match_schema():
    assert sorted(_enum("finding", "category")) == sorted(c.value for c in Category)
    assert sorted(SCHEMA["$defs"]["severity"]["enum"]) == sorted(str(s) for s in Severity)
    assert sorted(_enum("finding", "confidence")) == sorted(c.value for c in Confidence)
    assert set(CATEGORIES) | {SLITHER_CATEGORY} == set(Category) and SLITHER_CATEGORY not in CATEGORIES


def test_match_kinds_match_schema():
    """A code is verified, matched or read from bytecode; a target may also be its own sources or unmatched."""
    target = SCHEMA["properties"]["targets"]["items"]["properties"]["match"]["enum"]
    assert sorted(SCHEMA["$defs"]["match"]["enum"]) == sorted(k.value for k in MatchKind if k != MatchKind.SOURCE)
    assert sorted(target, key=str) == sorted([*(k.value for k in MatchKind), None], key=str)


def test_name_sources_match_schema():
    """A node reached by the graph is named from the project or a fingerprint, or not at all (null)."""
    sources = _graph("nodes", "items", "properties", "name_source", "enum")
    assert sorted(sources, key=str) == sorted([*(s.value for s in NameSource), None], key=str)


def test_score_axes_match_schema_and_model():
    deduction = SCHEMA["properties"]["score"]["properties"]["deductions"]["items"]["properties"]["axis"]["enum"]
    assert deduction == [a.value for a in Axis] == list(AXES) == [f.name for f in fields(Axes)]
    axes = SCHEMA["properties"]["score"]["properties"]["axes"]
    assert axes["required"] == list(axes["properties"]) == list(AXES)


def test_str_enums_are_their_values():
    assert CapabilityName.MINT == "mint" and str(CapabilityName.MINT) == "mint"
    assert f"{AccountKind.EOA}" == "eoa"
    assert json.dumps({GuardKind.ROLE: [ContractKind.TOKEN]}) == '{"role": ["token"]}'


def test_unknown_words_are_refused():
    with pytest.raises(ValueError):
        CapabilityName("mintt")
    with pytest.raises(ValueError):
        Capability("mintt", "totalSupply", "Token.sol", 1)
    with pytest.raises(ValueError):
        Guard("ownr", "owner")
    with pytest.raises(ValueError):
        ContractFacts("Token", "Token.sol", 1, ("tokn",), ())


def test_facts_hold_members_of_the_vocabulary():
    """A literal given where facts are made becomes the member: the rest compares by identity of meaning."""
    assert Capability("mint", "totalSupply", "Token.sol", 1).name is CapabilityName.MINT
    assert Guard("owner", "owner").kind is GuardKind.OWNER
    assert ContractFacts("Token", "Token.sol", 1, ("token",), ()).kinds == (ContractKind.TOKEN,)


def test_every_power_is_weighed_or_given_up():
    """A new capability is weighed by the score on purpose, or declared as giving power up:
    never weighed by the fallback (a parameter) for want of an entry."""
    weighed = set(WEIGHTS)
    assert set(CapabilityName) | set(OffChainDecision) == weighed | GIVES_UP
    assert not weighed & GIVES_UP
    assert all(weight_of(c) is None for c in GIVES_UP)


def test_power_sets_relate_as_their_comments_say():
    assert not MONEY_OR_CODE & POWER_OVER_POWER
    assert ADMIN_ONLY == (MONEY_OR_CODE | POWER_OVER_POWER) - {CapabilityName.SET_OPERATOR}
    assert REPLACES_CODE < TAKES_OVER < HANDS_OVER
    assert GIVES_UP < MINOR
    for power_set in (MONEY_OR_CODE, POWER_OVER_POWER, ADMIN_ONLY, TAKES_OVER, REPLACES_CODE, HANDS_OVER, GIVES_UP,
                      MINOR, SETTINGS, PER_VARIABLE):
        assert power_set and all(isinstance(c, CapabilityName) for c in power_set)
