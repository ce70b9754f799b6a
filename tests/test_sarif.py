"""SARIF output checked against the official 2.1.0 schema and against known findings, and the
CI integration files (the GitHub action and the pre-commit hook) checked to do what they say."""
from __future__ import annotations

import configparser
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import EXAMPLE, FIXTURES, REPO
from inspector.rules.catalogue import load_rules, select_rules
from inspector.facts.model import Facts
from inspector.findings import Evidence, Finding, Severity
from inspector.report import sarif_report
from inspector.result import ScanResult
from inspector.config import Config
from inspector.report import json_report
from inspector.score.compute import compute
from inspector.score.model import Coverage, Power

# provenance in tests/data/README.md
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
TX_ORIGIN = FIXTURES / "admin-key-tx-origin" / "positive"
LAUNCH = "examples/token-launch/contracts/LaunchToken.sol"
OZ = "examples/token-launch/node_modules/@openzeppelin/contracts"


def validate(log: dict) -> None:
    jsonschema.Draft7Validator(SARIF_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(log)


def placed(log: dict) -> list[tuple[str, str, int, str]]:
    """(ruleId, uri, startLine, level) of every result, in the report's order."""
    return [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"], r["level"]) for r in log["runs"][0]["results"]]


def assert_indexes_point_at_their_rules(run: dict) -> None:
    rules = run["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in run["results"]] == [r["ruleId"] for r in run["results"]]


def test_schema_is_the_published_one_and_rejects_a_broken_log():
    assert SARIF_SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    with pytest.raises(jsonschema.ValidationError):
        validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {}}]}]})


def test_example_validates_and_places_every_finding(run_cli, tmp_path):
    target = tmp_path / "inspector.sarif"
    code, out, err = run_cli(["scan", "examples/token-launch", "--format", "sarif", "--output", target, "--fail-on", "none"])
    assert (code, out) == (0, ""), err
    log = json.loads(target.read_text())
    validate(log)
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    assert placed(log) == [
        ("admin-key-single-owner", LAUNCH, 22, "error"),
        ("economic-mint", LAUNCH, 22, "error"),
        # dependencies keep their node_modules path under the scan root: the file that was analysed
        ("admin-key-role-admin", f"{OZ}/access/AccessControl.sol", 122, "warning"),
        ("admin-key-single-owner", f"{OZ}/access/Ownable.sol", 76, "warning"),
        ("admin-key-single-owner", f"{OZ}/access/Ownable.sol", 84, "warning"),
        ("admin-key-single-owner", LAUNCH, 26, "warning"),
        ("admin-key-single-owner", LAUNCH, 31, "warning"),
        ("admin-key-renounce-needed", f"{OZ}/access/Ownable.sol", 76, "note"),
        ("admin-key-single-step-transfer", f"{OZ}/access/Ownable.sol", 84, "note"),
        ("economic-fee-settable", LAUNCH, 26, "note"),
    ]
    assert all((REPO / r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).is_file() for r in run["results"])
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] for r in run["results"]} == {"%SRCROOT%"}

    # every rule that ran is described, in catalogue order, and each result points at its own
    catalogue = load_rules()
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in catalogue]
    assert_indexes_point_at_their_rules(run)
    mint = run["results"][1]
    assert mint["ruleIndex"] == [r.id for r in catalogue].index("economic-mint")
    assert mint["relatedLocations"] == [{
        "id": 1, "message": {"text": "mint: _mint"},
        "physicalLocation": {"artifactLocation": {"uri": LAUNCH, "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 23}},
    }]
    assert mint["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": "LaunchToken.mint(address,uint256)", "kind": "function"}]
    assert mint["properties"] == {"severity": "high", "confidence": "high", "contract": "LaunchToken",
                                  "function": "mint(address,uint256)", "principal": "_owner", "holder": ""}

    rule = next(r for r in catalogue if r.id == "economic-mint")
    assert rules[mint["ruleIndex"]] == {
        "id": "economic-mint",
        "name": "EconomicMint",
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {
            "text": rule.remediation + "\n\nReferences:\n" + "\n".join(f"- {ref}" for ref in rule.references),
            "markdown": rule.remediation + "\n\n**References**\n\n" + "\n".join(f"- <{ref}>" for ref in rule.references),
        },
        "helpUri": rule.references[0],
        "defaultConfiguration": {"level": "error"},
        "properties": {"category": "economic-control", "weight": 25, "tags": ["security", "economic-control"],
                       "precision": "high", "security-severity": "8.0"},
    }
    levels = {r["id"]: (r["defaultConfiguration"]["level"], r["properties"]["security-severity"]) for r in rules}
    assert levels["upgrade-unguarded"] == ("error", "9.5")
    assert levels["offchain-oracle"] == ("warning", "5.5")
    assert levels["admin-key-single-step-transfer"] == ("note", "3.0")
    assert levels["multisig-control"] == ("note", "1.0")

    # fingerprints are the findings' ids, and the score (once computed) is the JSON report's
    code, out, _ = run_cli(["scan", "examples/token-launch", "--format", "json", "--fail-on", "none"])
    document = json.loads(out)
    assert [r["partialFingerprints"] for r in run["results"]] == [{"inspectorFindingId/v1": f["id"]} for f in document["findings"]]
    assert run["properties"].get("score") == document.get("score")


def test_slither_checks_get_rules_made_from_their_detectors(run_cli):
    code, out, err = run_cli(["scan", "OriginGuarded.sol", "--rule", "admin-key-tx-origin", "--slither-detectors",
                              "--format", "sarif", "--fail-on", "none"], cwd=TX_ORIGIN)
    assert code == 0, err
    log = json.loads(out)
    validate(log)
    assert placed(log) == [
        ("admin-key-tx-origin", "OriginGuarded.sol", 8, "error"),
        ("slither:tx-origin", "OriginGuarded.sol", 8, "warning"),
        ("slither:solc-version", "OriginGuarded.sol", 2, "note"),
        ("slither:immutable-states", "OriginGuarded.sol", 5, "note"),
    ]
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["admin-key-tx-origin", "slither:tx-origin", "slither:solc-version", "slither:immutable-states"]
    assert [r["ruleIndex"] for r in run["results"]] == [0, 1, 2, 3]
    tx_origin = rules[1]
    assert tx_origin["name"] == "SlitherTxOrigin"
    assert tx_origin["shortDescription"] == {"text": "Dangerous usage of `tx.origin`"}
    assert tx_origin["helpUri"] == "https://github.com/crytic/slither/wiki/Detector-Documentation#dangerous-usage-of-txorigin"
    assert tx_origin["help"]["text"].startswith("Do not use `tx.origin` for authorization.")
    assert tx_origin["defaultConfiguration"] == {"level": "warning"}
    assert tx_origin["properties"] == {"category": "slither", "weight": 0, "tags": ["security", "slither"],
                                       "precision": "medium", "security-severity": "5.5"}
    # a file-level finding (the pragma) has no contract, so no logical location
    assert "logicalLocations" not in run["results"][2]["locations"][0]


def _finding(**changes) -> Finding:
    base = dict(rule="economic-mint", category="economic-control", severity=Severity.HIGH, confidence="high",
                contract="Token", function="mint(address,uint256)", file="src/Token.sol", line=12, message="owner can mint",
                evidence=(Evidence("src/Token.sol", 13, "mint: _mint"),), principal="owner", holder="EOA 0xabc")
    return Finding(**{**base, **changes})


def test_score_outside_paths_unknown_lines_and_skipped_targets(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "Token.sol").write_text("// a contract\n")
    outside = tmp_path.parent / "elsewhere" / "Lib.sol"
    skipped = (("mainnet:0x0000000000000000000000000000000000000001", "not verified"),)
    mint = Power("Token", "mint", ("mint(address,uint256)",), unresolved=True, token=True, finding_ids=(_finding().id,))
    score = compute((mint,), Config(), Coverage(1, skipped, (), ("Token.mint",)), contracts=("Token",))
    result = ScanResult(
        targets=("src/Token.sol", "mainnet:0x0000000000000000000000000000000000000001"), units=(), facts=Facts(contracts=()),
        findings=(_finding(), _finding(rule="custom-check", category="admin-key", severity=Severity.CRITICAL, file=str(outside), line=0, evidence=())),
        skipped=skipped, rules=tuple(select_rules(load_rules(), ["economic-mint"])), score=score,
    )
    log = json.loads(sarif_report.render(result, root=tmp_path))
    validate(log)
    [run] = log["runs"]
    assert run["properties"]["score"] == json_report.score_document(score)
    assert (score.total, score.grade, score.stage, score.complete) == (41.7, "F", 0, False)
    [deduction] = run["properties"]["score"]["deductions"]
    assert (deduction["power"], deduction["points"], deduction["finding_ids"], deduction["unresolved"]) == (
        "Token.mint", 80.0, [_finding().id], True)
    assert run["properties"]["targets"] == list(result.targets)
    first, second = run["results"]
    assert first["properties"]["holder"] == "EOA 0xabc"
    assert first["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "src/Token.sol", "uriBaseId": "%SRCROOT%"}
    # a file outside the root is named absolutely, and an unknown line (0) gives no region
    assert second["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": outside.resolve().as_uri()}}
    assert second["level"] == "error"
    assert_indexes_point_at_their_rules(run)
    made_up = run["tool"]["driver"]["rules"][second["ruleIndex"]]
    assert (made_up["id"], made_up["properties"]["security-severity"], made_up["properties"]["weight"]) == ("custom-check", "9.5", 0)
    assert run["invocations"][0]["toolExecutionNotifications"] == [
        {"level": "warning", "message": {"text": "skipped mainnet:0x0000000000000000000000000000000000000001: not verified"}}]


# -- CI integration files --------------------------------------------------------------------
ACTION = yaml.safe_load((REPO / "action.yml").read_text())
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
INPUT_REF = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")


def test_action_declares_and_uses_every_input():
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    used = set(INPUT_REF.findall(json.dumps(steps)))
    assert used == set(ACTION["inputs"]) == {"targets", "fail-on", "min-score", "args", "sarif-file"}
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/setup-python", "github/codeql-action/upload-sarif"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert all(s["shell"] == "bash" for s in steps if "run" in s)
    install = next(s for s in steps if s.get("name") == "Install inspector")
    assert '"$GITHUB_ACTION_PATH"' in install["run"]


def _run_scan_step(tmp_path: Path, cwd: Path, **inputs) -> tuple[subprocess.CompletedProcess, dict]:
    """The action's Scan step as the runner executes it: its env with the inputs filled in,
    `inspector` on PATH (this checkout), and $GITHUB_OUTPUT to collect its outputs."""
    step = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "scan")
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | inputs
    env = {key: INPUT_REF.sub(lambda m: values[m[1]], value) for key, value in step["env"].items()}
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "inspector").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m inspector "$@"\n')
    (bin_dir / "inspector").chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    outputs = tmp_path / "github_output"
    outputs.touch()
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=cwd, capture_output=True, text=True, timeout=600,
        env={**os.environ, **env, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(REPO),
             "GITHUB_OUTPUT": str(outputs)},
    )
    return done, dict(line.split("=", 1) for line in outputs.read_text().splitlines())


def test_action_scan_step_writes_sarif_and_reports_the_gate(tmp_path):
    sarif = tmp_path / "out dir" / "report.sarif"
    sarif.parent.mkdir()
    done, outputs = _run_scan_step(tmp_path, TX_ORIGIN, targets="OriginGuarded.sol", args="--rule 'admin-key-tx-origin'",
                                   **{"sarif-file": str(sarif)})
    assert done.returncode == 0, done.stderr  # the step itself passes; the Gate step fails the job later
    assert outputs == {"exit-code": "1"}  # one high finding, fail-on high by default
    log = json.loads(sarif.read_text())
    validate(log)
    assert placed(log) == [("admin-key-tx-origin", "OriginGuarded.sol", 8, "error")]


def test_action_scan_step_reports_an_error_without_a_report(tmp_path):
    done, outputs = _run_scan_step(tmp_path, TX_ORIGIN, targets="Missing.sol", **{"sarif-file": str(tmp_path / "r.sarif")})
    assert outputs == {"exit-code": "2"}
    assert "error:" in done.stderr and not (tmp_path / "r.sarif").exists()
    upload = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Upload SARIF")
    assert "exit-code == '0'" in upload["if"] and "exit-code == '1'" in upload["if"]


def test_pre_commit_hook_runs_a_real_command(run_process):
    [hook] = HOOKS
    assert (hook["id"], hook["language"], hook["pass_filenames"]) == ("inspector", "python", False)
    assert re.search(hook["files"], "contracts/Token.sol") and not re.search(hook["files"], "contracts/Token.sol.bak")
    command, *rest = hook["entry"].split()
    setup = configparser.ConfigParser()
    setup.read(REPO / "setup.cfg")
    scripts = dict(line.split(" = ") for line in setup["options.entry_points"]["console_scripts"].strip().splitlines())
    assert scripts[command] == "inspector.cli:main"
    done = run_process([*rest, "--help"])
    assert done.returncode == 0, done.stderr
    assert "Usage: python -m inspector scan [OPTIONS] [TARGETS]..." in done.stdout
    # the hook's default arguments are ones the scan command accepts
    from inspector.cli import scan

    params = scan.make_context("scan", list(hook["args"])).params
    assert (params["targets"], params["fail_on"]) == ((".",), "high")
