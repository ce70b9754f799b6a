"""The vocabulary is defined once (inspector/vocabulary.py): the JSON schema's enums say the same."""
import json
from pathlib import Path

from inspector.vocabulary import AccountKind, CapabilityName, GuardKind

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "inspector/report/schema/report.schema.json").read_text())


def _enum(definition: str, prop: str) -> list:
    return SCHEMA["$defs"][definition]["properties"][prop]["enum"]


def test_capability_names_match_schema():
    assert sorted(_enum("capability", "name")) == sorted(c.value for c in CapabilityName)


def test_guard_kinds_match_schema():
    assert sorted(_enum("guard", "kind")) == sorted(g.value for g in GuardKind)


def test_str_enums_are_their_values():
    assert CapabilityName.MINT == "mint" and str(CapabilityName.MINT) == "mint"
    assert f"{AccountKind.EOA}" == "eoa"
