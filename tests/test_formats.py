"""One scan of the bundled example in all five formats: each says the same thing."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from conftest import EXAMPLE
from test_sarif import validate as validate_sarif

SCHEMA = json.loads((Path(__file__).parent.parent / "inspector" / "report" / "schema" / "report.schema.json").read_text())


def test_the_example_writes_all_five_formats_with_the_same_score_and_findings(run_cli, tmp_path):
    written = {}
    for fmt in ("text", "json", "markdown", "html", "sarif"):
        out = tmp_path / f"report.{fmt}"
        code, stdout, err = run_cli(["scan", EXAMPLE, "--format", fmt, "--output", out, "--fail-on", "none"])
        assert (code, stdout) == (0, ""), err
        written[fmt] = out.read_text(encoding="utf-8")
    report = json.loads(written["json"])
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    sarif = json.loads(written["sarif"])
    validate_sarif(sarif)
    score = report["score"]
    assert sarif["runs"][0]["properties"]["score"] == score
    assert sorted(r["partialFingerprints"]["inspectorFindingId/v1"] for r in sarif["runs"][0]["results"]) == sorted(f["id"] for f in report["findings"])
    partial = "" if score["complete"] else " (partial)"
    assert f"Score {score['total']:g}/100{partial}, grade {score['grade']}, stage {score['stage']}" in written["text"]
    assert f'<div class="total" id="score-total">{score["total"]:g}' in written["html"]
    assert f"**{score['total']:g}** / 100" in written["markdown"]
    for finding in report["findings"]:
        for fmt in ("text", "markdown", "html"):
            assert finding["rule"] in written[fmt], (fmt, finding["rule"])
