"""Each scenario folder under fixtures/contracts/ holds an expected.json: the exact
findings a scan of it must give (no more, no fewer; of the rules it lists under "rules",
when it lists them) and, where stated, how its files split into compilation units."""
from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import pytest

from conftest import EXAMPLE, FIXTURES

# a scenario that names "chain" is a deployment on anvil, scanned by that test file (the
# governance rules': their findings come from the chain's votes and powers)
SCENARIOS = sorted(p.parent for p in FIXTURES.rglob("expected.json")
                   if "node_modules" not in p.parts and "chain" not in json.loads(p.read_text()))
SCENARIOS.append(EXAMPLE)
KEYS = ("rule", "severity", "contract", "function", "file", "line", "principal")


def _scan(run_cli, folder: Path, spec: dict) -> dict:
    code, out, err = run_cli(["scan", *spec["scan"], "--format", "json", "--fail-on", "none"], cwd=folder)
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("folder", SCENARIOS, ids=[p.relative_to(p.parents[1]).as_posix() for p in SCENARIOS])
def test_scenario_gives_exactly_its_expected_findings(folder, run_cli):
    spec = json.loads((folder / "expected.json").read_text())
    report = _scan(run_cli, folder, spec)
    if folder.name == "negative":
        # whatever rule a negative fixture is for, no critical finding of any rule fires on it
        assert [(f["rule"], f["contract"], f["function"]) for f in report["findings"] if f["severity"] == "critical"] == []
    # a rule's fixture speaks for the rules it names; other rules may fire on it too
    findings = [f for f in report["findings"] if "rules" not in spec or f["rule"] in spec["rules"]]
    got = sorted(tuple(f[k] for k in KEYS) for f in findings)
    want = sorted(tuple(f[k] for k in KEYS) for f in spec["findings"])
    assert got == want
    if "units" in spec:
        units = {u["solc"]: sorted(u["targets"]) for u in report["compilation"]}
        for pattern, targets in spec["units"].items():
            matched = [v for v in units if fnmatch.fnmatch(v, pattern)]
            assert len(matched) == 1, (pattern, units)
            assert units[matched[0]] == sorted(targets)
        assert len(units) == len(spec["units"])


def test_every_rule_has_a_positive_and_a_negative_fixture():
    """A positive fixture where the rule fires (its expected.json lists at least one of its
    findings) and a negative one where it must stay silent (lists none)."""
    from inspector.rules.catalogue import load_rules

    for rule in load_rules():
        folder = FIXTURES / rule.id
        positive = json.loads((folder / "positive" / "expected.json").read_text())
        negative = json.loads((folder / "negative" / "expected.json").read_text())
        assert rule.id in positive["rules"] and rule.id in negative["rules"], rule.id
        assert any(f["rule"] == rule.id for f in positive["findings"]), rule.id
        assert negative["findings"] == [], rule.id
