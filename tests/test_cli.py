"""The command line end to end: formats, exit codes, the build cache, and every bad input
ending as one clear line with exit code 2."""
from __future__ import annotations

import json
import os
import shutil
import stat
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLE, FIXTURES, REPO
from inspector.compile import solc as compile_module

POSITIVE = FIXTURES / "admin-key-single-owner" / "positive"
TOKEN = POSITIVE / "OwnedToken.sol"
SCHEMA = json.loads((resources.files("inspector") / "report" / "schema" / "report.schema.json").read_text())


SLICE = ["--rule", "admin-key-single-owner"]


def scan_json(run_cli, *args, cwd=POSITIVE) -> dict:
    code, out, err = run_cli(["scan", *args, "--format", "json", "--fail-on", "none"], cwd=cwd)
    assert code == 0, err
    return json.loads(out)


# -- formats -------------------------------------------------------------------------------
def test_text_report_names_rule_file_line_and_function(run_cli):
    code, out, _ = run_cli(["scan", "OwnedToken.sol", *SLICE], cwd=POSITIVE)
    assert code == 1  # a high finding and the default --fail-on high
    first = out.splitlines()[2]
    assert first.split() == ["HIGH", "admin-key-single-owner", "OwnedToken.sol:20", "OwnedToken.mint(address,uint256)"]
    assert "only the single key in 'owner' may call it" in out
    assert "at OwnedToken.sol:21  mint: totalSupply" in out
    assert out.rstrip().endswith("3 finding(s): 1 high, 2 medium")
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_json_report_follows_the_schema_and_carries_findings_and_facts(run_cli):
    report = scan_json(run_cli, "OwnedToken.sol")
    jsonschema.validate(report, SCHEMA)
    assert report["schema_version"] == "3.1"
    assert report["tool"]["name"] == "inspector"
    assert report["targets"] == [{"target": "OwnedToken.sol", "match": "source", "codes": []}]
    mint = report["findings"][0]
    assert {k: mint[k] for k in ("rule", "category", "severity", "confidence", "contract", "function", "file", "line")} == {
        "rule": "admin-key-single-owner", "category": "admin-key", "severity": "high", "confidence": "high",
        "contract": "OwnedToken", "function": "mint(address,uint256)", "file": "OwnedToken.sol", "line": 20,
    }
    [contract] = report["facts"]["contracts"]
    entries = {e["function"]: e for e in contract["entry_points"]}
    assert entries["transfer(address,uint256)"]["guards"] == [{"kind": "anyone", "detail": ""}]
    assert entries["mint(address,uint256)"]["guards"] == [{"kind": "owner", "detail": "owner"}]
    assert contract["kinds"] == ["token"]


def test_schema_rejects_a_report_missing_its_findings(run_cli):
    report = scan_json(run_cli, "OwnedToken.sol")
    del report["findings"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, SCHEMA)


def test_output_file_receives_the_report_and_stdout_stays_empty(run_cli, tmp_path):
    target = tmp_path / "report.json"
    code, out, _ = run_cli(["scan", TOKEN, "--format", "json", "--output", target, "--fail-on", "none", *SLICE])
    assert (code, out) == (0, "")
    assert json.loads(target.read_text())["summary"]["by_severity"]["high"] == 1


@pytest.fixture
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)], indirect=["umask"])
def test_reports_baselines_and_diffs_are_written_with_the_users_umask(run_cli, tmp_path, umask, mode):
    report, baseline, changes = tmp_path / "report.json", tmp_path / "baseline.json", tmp_path / "changes.txt"
    code, out, err = run_cli(["scan", TOKEN, "--format", "json", "--output", report, "--write-baseline", baseline,
                              "--fail-on", "none", *SLICE])
    assert (code, out, err) == (0, "", "")
    code, out, err = run_cli(["diff", report, report, "--output", changes])
    assert (code, out, err) == (0, "", "")
    assert [stat.S_IMODE(p.stat().st_mode) for p in (report, baseline, changes)] == [mode] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json", "changes.txt", "report.json"]  # no temporary left


@pytest.mark.parametrize("umask", [0o027], indirect=True)
def test_the_umask_is_read_without_changing_it_with_or_without_proc(monkeypatch, umask):
    from inspector import output

    assert output._umask() == 0o027
    monkeypatch.setattr(output, "open", lambda *args, **kwargs: (_ for _ in ()).throw(FileNotFoundError()), raising=False)
    assert output._umask() == 0o027
    assert os.umask(0o027) == 0o027  # and it is still the umask


# -- exit codes ----------------------------------------------------------------------------
@pytest.mark.parametrize("fail_on, code, err", [
    ("critical", 0, ""),
    ("high", 1, "1 finding at or above high\n"),
    ("medium", 1, "3 findings at or above medium\n"),
    ("info", 1, "3 findings at or above info\n"),
    ("none", 0, ""),
])
def test_fail_on_sets_the_exit_code_and_says_why(run_cli, fail_on, code, err):
    assert run_cli(["scan", "OwnedToken.sol", "--fail-on", fail_on, *SLICE], cwd=POSITIVE)[::2] == (code, err)


def test_fail_on_counts_neither_suppressed_nor_baseline_findings(run_cli, tmp_path):
    """6 findings: 2 high, 3 medium, 1 low; one medium suppressed, one high in the baseline."""
    lines = TOKEN.read_text().splitlines()
    lines.insert(24, "    // inspector-disable-next-line admin-key-single-owner")  # above setFee
    (tmp_path / "OwnedToken.sol").write_text("\n".join(lines) + "\n")
    code, _, err = run_cli(["scan", "OwnedToken.sol", "--rule", "economic-mint", "--write-baseline", "baseline.json"], cwd=tmp_path)
    assert (code, err) == (1, "1 finding at or above high\n")
    code, out, err = run_cli(["scan", "OwnedToken.sol", "--fail-on", "medium", "--baseline", "baseline.json"], cwd=tmp_path)
    assert out.rstrip().endswith("4 finding(s): 1 high, 2 medium, 1 low (not counted: 1 suppressed by comments; 1 in the baseline)")
    assert (code, err) == (1, "3 findings at or above medium\n")


def test_rule_selection_runs_only_the_named_rules(run_cli):
    report = scan_json(run_cli, "OwnedToken.sol", "--rule", "economic-mint", "--rule", "admin-key-single-step-transfer")
    assert sorted({f["rule"] for f in report["findings"]}) == ["admin-key-single-step-transfer", "economic-mint"]
    report = scan_json(run_cli, "OwnedToken.sol", "--exclude-rule", "admin-key-single-owner")
    assert "admin-key-single-owner" not in {f["rule"] for f in report["findings"]}
    assert "economic-mint" in {f["rule"] for f in report["findings"]}


def test_unknown_rule_selection_is_an_error(run_cli):
    code, _, err = run_cli(["scan", "OwnedToken.sol", "--rule", "no-such-rule"], cwd=POSITIVE)
    assert code == 2 and "no rule 'no-such-rule'" in err


def test_medium_findings_pass_the_default_gate(run_cli):
    code, out, _ = run_cli(["scan", ".", *SLICE], cwd=FIXTURES / "foundry-project")
    assert code == 0
    assert "3 finding(s): 3 medium" in out


# -- the build cache -------------------------------------------------------------------------
def test_unchanged_sources_are_not_compiled_twice(run_cli, fresh_cache, monkeypatch):
    assert [u["route"] for u in scan_json(run_cli, "OwnedToken.sol")["compilation"]] == ["solcjs"]
    monkeypatch.setattr(compile_module, "find_compiler", lambda v: pytest.fail("compiled again"))
    assert [u["route"] for u in scan_json(run_cli, "OwnedToken.sol")["compilation"]] == ["cache"]


def test_changed_source_or_settings_compile_again(run_cli, fresh_cache, tmp_path):
    shutil.copy(TOKEN, tmp_path / "T.sol")
    assert scan_json(run_cli, "T.sol", cwd=tmp_path)["compilation"][0]["route"] == "solcjs"
    assert scan_json(run_cli, "T.sol", "--optimize", cwd=tmp_path)["compilation"][0]["route"] == "solcjs"
    assert scan_json(run_cli, "T.sol", "--optimize", cwd=tmp_path)["compilation"][0]["route"] == "cache"
    (tmp_path / "T.sol").write_text(TOKEN.read_text() + "\n// changed\n")
    assert scan_json(run_cli, "T.sol", "--optimize", cwd=tmp_path)["compilation"][0]["route"] == "solcjs"


def test_no_cache_compiles_and_stores_nothing(run_cli, fresh_cache):
    assert scan_json(run_cli, "OwnedToken.sol", "--no-cache")["compilation"][0]["route"] == "solcjs"
    assert not (fresh_cache / "inspector.db").exists()


@pytest.mark.parametrize("flags", [["--evm-version", "paris"], ["--via-ir"], ["--optimize", "--optimize-runs", "1000"]])
def test_compiler_settings_are_accepted(run_cli, flags):
    report = scan_json(run_cli, "OwnedToken.sol", *flags, *SLICE)
    assert len(report["findings"]) == 3


# -- targets -----------------------------------------------------------------------------------
def test_timelock_from_node_modules_scans_from_the_project_root(run_cli):
    target = "node_modules/@openzeppelin/contracts/governance/TimelockController.sol"
    report = scan_json(run_cli, target, cwd=EXAMPLE)
    [contract] = report["facts"]["contracts"]
    assert (contract["name"], contract["file"]) == ("TimelockController", "@openzeppelin/contracts/governance/TimelockController.sol")


def test_remap_flag_resolves_an_import(run_cli, tmp_path):
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "Owned.sol").write_text(
        (FIXTURES / "foundry-project" / "lib" / "authkit" / "src" / "Owned.sol").read_text())
    (tmp_path / "App.sol").write_text(
        'pragma solidity ^0.8.0;\nimport {Owned} from "auth/Owned.sol";\n'
        "contract App is Owned {\n    uint256 public cap;\n    constructor() Owned(msg.sender) {}\n"
        "    function setCap(uint256 c) external onlyOwner { cap = c; }\n}\n")
    code, _, err = run_cli(["scan", "App.sol"], cwd=tmp_path)
    assert code == 2 and "import 'auth/Owned.sol' not found" in err
    report = scan_json(run_cli, "App.sol", "--remap", "auth/=vendor/", *SLICE, cwd=tmp_path)
    assert [(f["function"], f["file"], f["line"]) for f in report["findings"]] == [
        ("setCap(uint256)", "App.sol", 6), ("transferOwnership(address)", "vendor/Owned.sol", 17)]


def test_several_targets_in_one_project_compile_together(run_cli):
    report = scan_json(run_cli, "src/FeeVault.sol", "src/VaultMath.sol", cwd=FIXTURES / "foundry-project")
    assert len(report["compilation"]) == 1
    assert report["compilation"][0]["targets"] == ["src/FeeVault.sol", "src/VaultMath.sol"]


# -- bad input: one line, exit 2, no traceback, nothing half-written ----------------------------------
BAD = FIXTURES / "bad-input"


@pytest.mark.parametrize(
    "args, message",
    [
        (["scan", "nowhere.sol"], "error: nowhere.sol: no such file or folder (check the path)"),
        (["scan", "0x" + "ab" * 20], "an address needs its chain (scan mainnet:0x" + "ab" * 20),
        (["scan", BAD / "README.txt"], "not a Solidity file"),
        (["scan", BAD / "SyntaxError.sol"], "SyntaxError.sol:7: ParserError: Expected ';' but got '}'"),
        (["scan", BAD / "MissingImport.sol"], "MissingImport.sol:4: import './DoesNotExist.sol' not found"),
        (["scan", TOKEN, "--solc-version", "0.8.99"], "solc 0.8.99 is not a known release"),
        (["scan", TOKEN, "--solc-version", "0.4.10"], "solc 0.4.10 is not supported"),
        (["scan", TOKEN, "--solc-version", "latest"], "'latest' is not a compiler version"),
        (["scan", TOKEN, "--output", "/nonexistent-dir/r.json"], "folder /nonexistent-dir does not exist"),
        (["scan", TOKEN, "--remap", "broken"], "bad remapping 'broken'"),
        (["scan", TOKEN, "--rules", "/nonexistent-rules"], "rule folder /nonexistent-rules does not exist"),
        (["compilers", "install", "9.9.9"], "solc 9.9.9 is not a known release"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(run_process, args, message):
    done = run_process(args)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_unwritable_output_fails_before_scanning_and_writes_nothing(run_cli, fresh_cache, monkeypatch):
    """/proc refuses new files even to root, so this holds whoever runs the tests."""
    monkeypatch.setattr(compile_module, "find_compiler", lambda v: pytest.fail("scanned anyway"))
    code, _, err = run_cli(["scan", TOKEN, "--output", "/proc/inspector-report.json"])
    assert code == 2
    assert err.startswith("error: cannot write /proc/inspector-report.json: ")
    assert not Path("/proc/inspector-report.json").exists()


def test_usage_errors_are_one_line_too(run_process):
    done = run_process(["scan", TOKEN, "--fail-on", "bogus"])
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: Invalid value for '--fail-on': 'bogus' is not one of")


def test_output_that_is_a_folder_is_refused(run_process, tmp_path):
    done = run_process(["scan", TOKEN, "--output", tmp_path])
    assert done.returncode == 2
    assert f"cannot write {tmp_path}: it is a folder" in done.stderr


def test_failed_scan_leaves_no_report_file(run_process, tmp_path):
    target = tmp_path / "r.json"
    done = run_process(["scan", BAD / "SyntaxError.sol", "--output", target])
    assert done.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_missing_node_when_the_npm_route_is_needed(run_process, tmp_path):
    env = {"INSPECTOR_CACHE_DIR": str(tmp_path), "PATH": str(Path(os.sys.executable).parent)}
    done = run_process(["scan", TOKEN], env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("error: solc 0.8.")
    assert "the npm route needs Node.js and npm, which are not on PATH (install Node.js and npm" in done.stderr


def test_debug_shows_the_traceback(run_process):
    done = run_process(["scan", "nowhere.sol", "--debug"])
    assert done.returncode == 2
    assert "Traceback" in done.stderr and "TargetError" in done.stderr


# -- compilers and rules commands --------------------------------------------------------------
def test_compilers_install_and_list(run_cli):
    code, out, _ = run_cli(["compilers", "install", "0.8.24"])
    assert code == 0 and out.startswith("solc 0.8.24 ready (solcjs): ")
    code, out, _ = run_cli(["compilers", "list"])
    assert code == 0
    assert any(line.split()[:2] == ["0.8.24", "solcjs"] for line in out.splitlines())
    assert "is installed on demand" in out.splitlines()[-1]


def test_rules_lists_the_catalogue_and_explains_one(run_cli):
    code, out, _ = run_cli(["rules"])
    assert code == 0
    assert ["admin-key-single-owner", "admin-key", "high"] in [line.split()[:3] for line in out.splitlines()]
    assert len(out.splitlines()) == len(list((REPO / "rules").glob("[!_]*.py")))
    code, out, _ = run_cli(["rules", "--explain", "admin-key-single-owner"])
    assert code == 0
    assert out.splitlines()[0] == "admin-key-single-owner: Privileged state change behind a single owner-like key"
    assert "What to do" in out


def test_unknown_rule_explain_is_an_error(run_process):
    done = run_process(["rules", "--explain", "nope"])
    assert done.returncode == 2 and "no rule 'nope'" in done.stderr


def test_user_rule_folder_adds_rules(run_cli, tmp_path):
    (tmp_path / "my_rule.py").write_text(
        "from inspector.rules.catalogue import Rule\nfrom inspector.findings import Finding, Severity\n\n"
        "class AnyoneCanCall(Rule):\n    id = 'custom-anyone'\n    category = 'admin-key'\n"
        "    severity = Severity.LOW\n    weight = 0\n    title = 't'\n    rationale = 'r'\n    remediation = 'm'\n\n"
        "    def check(self, facts):\n        for c in facts.contracts:\n            for e in c.entry_points:\n"
        "                if e.guards[0].kind == 'anyone':\n"
        "                    yield Finding(self.id, self.category, self.severity, 'high', c.name, e.function, e.file, e.line, 'open')\n")
    report = scan_json(run_cli, "OwnedToken.sol", "--rules", tmp_path)
    assert [(f["rule"], f["function"], f["line"]) for f in report["findings"] if f["rule"] == "custom-anyone"] == [
        ("custom-anyone", "transfer(address,uint256)", 33)]


def test_broken_user_rule_is_an_error(run_process, tmp_path):
    (tmp_path / "bad.py").write_text("this is not python\n")
    done = run_process(["scan", TOKEN, "--rules", tmp_path])
    assert done.returncode == 2 and "failed to load" in done.stderr


def test_readme_rule_table_matches_the_catalogue(run_cli):
    readme = (REPO / "README.md").read_text()
    table = readme.split("<!-- rules:start -->\n")[1].split("<!-- rules:end -->")[0]
    code, out, _ = run_cli(["rules", "--markdown"])
    assert code == 0
    assert table == out, "README's rule table is stale: paste `inspector rules --markdown` between the markers"


def test_slither_detectors_run_on_request_under_their_own_ids(run_cli):
    folder = FIXTURES / "admin-key-unguarded-power" / "positive"
    report = scan_json(run_cli, "OpenDoors.sol", "--slither-detectors", cwd=folder)
    jsonschema.validate(report, SCHEMA)
    zero_checks = sorted((f["function"], f["line"]) for f in report["findings"] if f["rule"] == "slither:missing-zero-check")
    assert zero_checks == [("initialize(address)", 10), ("setOwner(address)", 19)]
    assert {f["category"] for f in report["findings"] if f["rule"].startswith("slither:")} == {"slither"}
    without = scan_json(run_cli, "OpenDoors.sol", cwd=folder)
    assert not [f for f in without["findings"] if f["rule"].startswith("slither:")]
