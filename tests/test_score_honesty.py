"""Issue 9, end to end: what a project silences never changes its score, nothing analysed
has no score, and a partial scan says so and is never stage 2 nor grade A."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import EXAMPLE
from explorer_stub import Contract
from test_explorer import ADDRESS, COMPILER, EXECUTOR, OTHER, stub  # noqa: F401 (the explorer stub fixture)

MINT_LINE = 22  # `function mint(address to, uint256 amount) external onlyOwner {` in LaunchToken.sol


@pytest.fixture
def project(tmp_path):
    """The bundled example, copied so that its sources can be edited (node_modules linked)."""
    root = tmp_path / "launch"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("node_modules"))
    (root / "node_modules").symlink_to(EXAMPLE / "node_modules")
    return root


def scan(run_cli, root, *args):
    code, out, err = run_cli(["scan", ".", "--format", "json", "--fail-on", "none", *args], cwd=root)
    assert code == 0, err
    return json.loads(out)


def essence(report):
    """What the score says, without the findings it cites."""
    score = report["score"]
    return (score["total"], score["grade"], score["stage"], score["axes"],
            [(d["power"], d["points"], d["reason"]) for d in score["deductions"]])


def test_silencing_the_mint_never_changes_the_score_and_is_listed_as_acknowledged(run_cli, project):
    before = scan(run_cli, project)
    assert essence(before)[:3] == (35.1, "F", 0)
    # one power, one deduction, citing both findings that describe it (issue 9: it was deducted twice)
    [mint] = [d for d in before["score"]["deductions"] if d["contract"] == "LaunchToken" and d["capability"] == "mint"]
    describing = sorted(f["id"] for f in before["findings"] if f["function"] == "mint(address,uint256)")
    assert mint["finding_ids"] == describing and len(describing) == 2 and mint["points"] == 80.0
    source = project / "contracts" / "LaunchToken.sol"
    lines = source.read_text().splitlines()
    assert "function mint(" in lines[MINT_LINE - 1]
    lines.insert(MINT_LINE - 1, "    // inspector-disable-next-line economic-mint, admin-key-single-owner")
    source.write_text("\n".join(lines) + "\n")
    after = scan(run_cli, project)
    assert essence(after) == essence(before)
    assert {f["rule"] for f in after["findings"]} >= {"economic-fee-settable"}
    assert {(s["rule"], s["function"]) for s in after["suppressed"]} == {
        ("economic-mint", "mint(address,uint256)"), ("admin-key-single-owner", "mint(address,uint256)")}
    [mint] = [d for d in after["score"]["deductions"] if d["power"] == "LaunchToken.mint"]
    assert mint["finding_ids"] == []
    assert sorted((a["rule"], a["scope"], a["file"], a["line"]) for a in mint["acknowledged"]) == [
        ("admin-key-single-owner", "line", "contracts/LaunchToken.sol", MINT_LINE),
        ("economic-mint", "line", "contracts/LaunchToken.sol", MINT_LINE)]
    code, text, _ = run_cli(["scan", ".", "--fail-on", "none"], cwd=project)
    assert code == 0
    assert ("  acknowledged by the project: LaunchToken.mint: economic-mint suppressed at contracts/LaunchToken.sol:22 (line); "
            "still counted (-80)") in text.splitlines()


@pytest.mark.parametrize("args, config", [
    (("--rule", "upgrade-unguarded"), ""),
    (("--exclude-rule", "economic-mint", "--exclude-rule", "admin-key-single-owner"), ""),
    ((), '[rules]\ndisable = ["economic-mint", "admin-key-single-owner", "economic-fee-settable"]\n'),
    ((), '[severity]\neconomic-mint = "info"\nadmin-key-single-owner = "low"\n'),
], ids=["only-one-rule", "excluded-rules", "disabled-in-config", "severity-overrides"])
def test_rules_that_ran_and_their_severities_never_change_the_score(run_cli, project, args, config):
    before = scan(run_cli, project)
    if config:
        (project / "inspector.toml").write_text(config)
    after = scan(run_cli, project, *args)
    assert essence(after) == essence(before)
    if config.startswith("[severity]"):
        assert {(f["rule"], f["severity"]) for f in after["findings"] if f["function"] == "mint(address,uint256)"} == {
            ("economic-mint", "info"), ("admin-key-single-owner", "low")}
    else:
        assert len(after["findings"]) < len(before["findings"])
    if args[:1] == ("--rule",):
        assert after["findings"] == [] and "LaunchToken.mint" in after["score"]["unreported_powers"]


def test_a_baseline_never_changes_the_score(run_cli, project):
    before = scan(run_cli, project, "--write-baseline", str(project / "baseline.json"))
    after = scan(run_cli, project, "--baseline", str(project / "baseline.json"))
    assert essence(after) == essence(before) and after["findings"] == []
    [mint] = [d for d in after["score"]["deductions"] if d["power"] == "LaunchToken.mint"]
    assert sorted((a["rule"], a["scope"]) for a in mint["acknowledged"]) == [
        ("admin-key-single-owner", "baseline"), ("economic-mint", "baseline")]


def test_every_target_skipped_is_no_score_and_exit_2(run_cli, stub, tmp_path):
    out = tmp_path / "report.json"
    code, stdout, err = run_cli(["scan", f"anvil:{ADDRESS}", f"anvil:{OTHER}", "--format", "json", "-o", str(out)])
    assert (code, stdout) == (2, "")
    assert err == (f"error: no contract was analysed: every target was skipped; anvil:{ADDRESS}: {ADDRESS} is not verified on "
                   "Etherscan or Sourcify (chain 31337) (scan local sources with --project) (and 1 more) "
                   "(no score is given for nothing; check the targets)\n")
    assert not out.exists()


def test_one_target_skipped_makes_a_partial_score(run_cli, stub):
    stub.etherscan[(31337, ADDRESS.lower())] = Contract("Executor", COMPILER, {"contracts/Executor.sol": EXECUTOR})
    code, out, err = run_cli(["scan", f"anvil:{ADDRESS}", f"anvil:{OTHER}", "--format", "json", "--fail-on", "none"])
    assert code == 0, err
    score = json.loads(out)["score"]
    assert score["complete"] is False and score["stage"] < 2 and score["grade"] != "A"
    assert score["coverage"] == {"analysed": 1, "skipped": [f"anvil:{OTHER}"], "unmatched": [],
                                 "unresolved_powers": ["Executor.arbitrary_call", "Executor.withdraw_funds"]}
    code, text, _ = run_cli(["scan", f"anvil:{ADDRESS}", f"anvil:{OTHER}", "--fail-on", "none"])
    assert f"  partial: target anvil:{OTHER} was not analysed: {OTHER} is not verified on Etherscan or Sourcify (chain 31337) " \
           "(scan local sources with --project)" in text.splitlines()
    assert "(partial), grade" in text


def test_a_contract_without_powers_skipping_nothing_is_complete_stage_2_and_a(run_cli, tmp_path):
    source = tmp_path / "Fixed.sol"
    source.write_text("// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\ncontract Fixed {\n"
                      "    mapping(address => uint256) public balanceOf;\n    constructor() { balanceOf[msg.sender] = 1e24; }\n"
                      "    function transfer(address to, uint256 v) external {\n        balanceOf[msg.sender] -= v;\n"
                      "        balanceOf[to] += v;\n    }\n}\n")
    code, out, err = run_cli(["scan", str(source), "--format", "json"])
    assert code == 0, err
    score = json.loads(out)["score"]
    assert (score["total"], score["grade"], score["stage"], score["complete"], score["deductions"]) == (100.0, "A", 2, True, [])
    assert score["contracts"] == [{"contract": "Fixed", "total": 100.0,
                                   "axes": {"governance_concentration": 100.0, "offchain_dependency": 100.0, "economic_control": 100.0}}]


def test_a_file_of_interfaces_only_is_no_score_and_exit_2(run_cli, tmp_path):
    source = tmp_path / "IToken.sol"
    source.write_text("// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\ninterface IToken {\n"
                      "    function mint(address to, uint256 amount) external;\n}\n")
    code, out, err = run_cli(["scan", str(source)])
    assert (code, out) == (2, "")
    assert err == ("error: no contract was analysed: the targets declare only interfaces, libraries or abstract contracts "
                   "(no score is given for nothing; check the targets)\n")
