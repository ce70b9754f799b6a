"""The developer's workflow: the configuration file (every key, the command line over the
file, every bad input), suppression comments, the baseline, and the gates."""
from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLE, FIXTURES
from inspector.config import Config, Council, ScoreSettings, Thresholds
from inspector.config_file import load_config
from inspector.findings.suppressions import covering, parse

SCHEMA = json.loads((resources.files("inspector") / "report" / "schema" / "report.schema.json").read_text())
SUPPRESSIONS = FIXTURES / "suppressions"
TIMELOCKS = FIXTURES / "timelock-short-delay"
COUNCIL = "0x1111111111111111111111111111111111111111"

EVERY_KEY_TOML = f"""
[rules]
enable = ["admin-key-single-owner", "economic-mint"]
disable = ["economic-mint"]

[severity]
admin-key-single-owner = "Low"

[thresholds]
timelock_min_delay_hours = 24
multisig_min_threshold = 3
multisig_min_owners = 5

[score]
stage1_exit_window_days = 10
stage2_exit_window_days = 45.5
council_min_members = 7
council_min_threshold = 0.51
council_min_outsiders = 0.6

[[score.councils]]
address = "{COUNCIL}"
outsiders = 4
public = true
"""

EVERY_KEY_CFG = f"""
[metadata]
name = a-project

[inspector.rules]
enable = admin-key-single-owner,
    economic-mint
disable = economic-mint

[inspector.severity]
admin-key-single-owner = Low

[inspector.thresholds]
timelock_min_delay_hours = 24
multisig_min_threshold = 3
multisig_min_owners = 5

[inspector.score]
stage1_exit_window_days = 10
stage2_exit_window_days = 45.5
council_min_members = 7
council_min_threshold = 0.51
council_min_outsiders = 0.6

[inspector.council.{COUNCIL}]
outsiders = 4
public = yes
"""


def every_key(source: str) -> Config:
    return Config(
        enabled_rules=("admin-key-single-owner", "economic-mint"),
        disabled_rules=("economic-mint",),
        severity_overrides={"admin-key-single-owner": "low"},
        thresholds=Thresholds(timelock_min_delay_hours=24.0, multisig_min_threshold=3, multisig_min_owners=5),
        score=ScoreSettings(stage1_exit_window_days=10.0, stage2_exit_window_days=45.5, council_min_members=7,
                            council_min_threshold=0.51, council_min_outsiders=0.6,
                            councils=(Council(COUNCIL, outsiders=4, public=True),)),
        source=source,
    )


def project(tmp_path: Path, *sources: Path, config: str = "", name: str = "inspector.toml") -> Path:
    """A working directory with copies of `sources` and, when given, a configuration file."""
    for source in sources:
        shutil.copy(source, tmp_path / source.name)
    if config:
        (tmp_path / name).write_text(config)
    return tmp_path


def scan_json(run_cli, folder: Path, *args: str) -> dict:
    code, out, err = run_cli(["scan", *args, "--format", "json", "--fail-on", "none"], cwd=folder)
    assert code == 0, err
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    return report


def rows(findings: list[dict], *keys: str) -> list[tuple]:
    return sorted(tuple(f[k] for k in keys) for f in findings)


# -- the file: every key, both formats, which file wins --------------------------------------------
def test_inspector_toml_sets_every_key(tmp_path):
    assert load_config(project(tmp_path, config=EVERY_KEY_TOML)) == every_key("inspector.toml")


def test_setup_cfg_sets_every_key_in_inspector_sections(tmp_path):
    assert load_config(project(tmp_path, config=EVERY_KEY_CFG, name="setup.cfg")) == every_key("setup.cfg")


def test_inspector_toml_wins_over_setup_cfg(tmp_path):
    project(tmp_path, config="[thresholds]\nmultisig_min_owners = 4\n")
    project(tmp_path, config="[inspector.thresholds]\nmultisig_min_owners = 9\n", name="setup.cfg")
    assert load_config(tmp_path).thresholds.multisig_min_owners == 4


def test_without_a_file_the_defaults_hold(tmp_path):
    project(tmp_path, config="[metadata]\nname = no-inspector-here\n", name="setup.cfg")
    assert load_config(tmp_path) == Config()
    assert Config().thresholds == Thresholds(timelock_min_delay_hours=48.0, multisig_min_threshold=2, multisig_min_owners=3)


def test_config_option_names_a_file_anywhere(tmp_path, run_cli):
    (tmp_path / "ci.cfg").write_text("[inspector.rules]\nenable = admin-key-single-owner\n")
    folder = FIXTURES / "baseline"
    report = scan_json(run_cli, folder, "Treasury.sol", "--config", str(tmp_path / "ci.cfg"))
    assert {f["rule"] for f in report["findings"]} == {"admin-key-single-owner"}
    assert load_config(folder, tmp_path / "ci.cfg").enabled_rules == ("admin-key-single-owner",)


# -- the file reaches the scan ---------------------------------------------------------------------
def test_rules_enable_and_disable_choose_the_rules(tmp_path, run_cli):
    folder = project(tmp_path, SUPPRESSIONS / "Vault.sol", config='[rules]\nenable = ["economic-sweep", "economic-pausable"]\n'
                                                                  'disable = ["economic-pausable"]\n')
    report = scan_json(run_cli, folder, "Vault.sol")
    assert rows(report["findings"], "rule", "function") == [("economic-sweep", "sweep(address)")]


def test_command_line_wins_over_the_file(tmp_path, run_cli):
    folder = project(tmp_path, SUPPRESSIONS / "Vault.sol", config='[rules]\ndisable = ["economic-sweep"]\n')
    assert "economic-sweep" not in {f["rule"] for f in scan_json(run_cli, folder, "Vault.sol")["findings"]}
    # --rule names exactly what runs: the file's disable list is set aside
    report = scan_json(run_cli, folder, "Vault.sol", "--rule", "economic-sweep")
    assert rows(report["findings"], "rule", "function") == [("economic-sweep", "sweep(address)")]
    # --exclude-rule adds to the file's list
    report = scan_json(run_cli, folder, "Vault.sol", "--exclude-rule", "economic-pausable")
    assert {f["rule"] for f in report["findings"]} == {"admin-key-single-owner", "economic-fee-settable"}


def test_severity_override_changes_the_report_and_the_gate(tmp_path, run_cli):
    folder = project(tmp_path, FIXTURES / "baseline" / "Treasury.sol")
    assert run_cli(["scan", "Treasury.sol", "--fail-on", "high"], cwd=folder)[0] == 0  # medium by default
    project(tmp_path, config='[severity]\nadmin-key-single-owner = "high"\n')
    code, out, _ = run_cli(["scan", "Treasury.sol", "--fail-on", "high"], cwd=folder)
    assert code == 1
    assert out.splitlines()[2].split() == ["HIGH", "admin-key-single-owner", "Treasury.sol:13", "Treasury.setBudget(uint256)"]


@pytest.mark.parametrize("hours, expected", [
    (None, [("timelock-short-delay", "medium", "QuickTimelock", "QuickTimelock.sol", 7, "MINIMUM_DELAY",
             "QuickTimelock.MINIMUM_DELAY is 21600 (6 hours), under the 48-hour threshold")]),
    (4, []),
])
def test_timelock_threshold_decides_what_a_short_delay_is(tmp_path, run_cli, hours, expected):
    config = f"[thresholds]\ntimelock_min_delay_hours = {hours}\n" if hours is not None else ""
    folder = project(tmp_path, TIMELOCKS / "positive" / "QuickTimelock.sol", config=config)
    report = scan_json(run_cli, folder, "QuickTimelock.sol", "--rule", "timelock-short-delay")
    assert rows(report["findings"], "rule", "severity", "contract", "file", "line", "principal", "message") == expected


def test_a_higher_timelock_threshold_flags_a_two_day_delay(tmp_path, run_cli):
    folder = project(tmp_path, TIMELOCKS / "negative" / "SlowTimelock.sol", config="[thresholds]\ntimelock_min_delay_hours = 72\n")
    report = scan_json(run_cli, folder, "SlowTimelock.sol", "--rule", "timelock-short-delay")
    assert rows(report["findings"], "rule", "severity", "contract", "function", "file", "line", "principal", "message") == [
        ("timelock-short-delay", "medium", "SlowTimelock", "", "SlowTimelock.sol", 7, "MINIMUM_DELAY",
         "SlowTimelock.MINIMUM_DELAY is 172800 (48 hours), under the 72-hour threshold")]


@pytest.mark.parametrize("config, expected", [
    ("", [("PairWallet", "PairWallet.sol", 6, "owners", "PairWallet has 2 owners (owners), under the minimum of 3")]),
    ("[thresholds]\nmultisig_min_owners = 2\n", []),
    ("[thresholds]\nmultisig_min_owners = 2\nmultisig_min_threshold = 3\n",
     [("PairWallet", "PairWallet.sol", 7, "required", "PairWallet.required starts at 2, under the minimum threshold of 3")]),
])
def test_multisig_minimums_decide_what_a_weak_multisig_is(tmp_path, run_cli, config, expected):
    folder = project(tmp_path, FIXTURES / "config" / "PairWallet.sol", config=config)
    report = scan_json(run_cli, folder, "PairWallet.sol", "--rule", "multisig-low-threshold")
    assert rows(report["findings"], "contract", "file", "line", "principal", "message") == expected


# -- every bad input: one line, exit 2, no report written ------------------------------------------
TOKEN = FIXTURES / "baseline" / "Treasury.sol"


@pytest.mark.parametrize("name, text, message", [
    ("inspector.toml", "[thresholds]\ntimelock_delay = 1\n",
     "error: inspector.toml: unknown key 'thresholds.timelock_delay' "
     "(known keys: timelock_min_delay_hours, multisig_min_threshold, multisig_min_owners)"),
    ("inspector.toml", "[gates]\nfail_on = 'low'\n",
     "error: inspector.toml: unknown key 'gates' (known keys: rules, severity, thresholds, score)"),
    ("inspector.toml", "[[score.councils]]\naddress = '0x1111111111111111111111111111111111111111'\ninsiders = 2\n",
     "error: inspector.toml: unknown key 'score.councils.insiders' (known keys: address, outsiders, public)"),
    ("inspector.toml", "[severity]\nadmin-key-single-owner = 'urgent'\n",
     "error: inspector.toml: 'severity.admin-key-single-owner' must be one of critical, high, medium, low, info, not 'urgent' "
     "(see docs/configuration.md)"),
    ("inspector.toml", "[thresholds]\nmultisig_min_owners = 2.5\n",
     "error: inspector.toml: 'thresholds.multisig_min_owners' must be a whole number of at least 1, not 2.5 (see docs/configuration.md)"),
    ("inspector.toml", "[thresholds]\ntimelock_min_delay_hours = '48'\n",
     "error: inspector.toml: 'thresholds.timelock_min_delay_hours' must be a number of at least 0, not '48' (see docs/configuration.md)"),
    ("inspector.toml", "[score]\ncouncil_min_threshold = 75\n",
     "error: inspector.toml: 'score.council_min_threshold' must be a number from 0 to 1, not 75 (see docs/configuration.md)"),
    ("inspector.toml", "[[score.councils]]\naddress = '0x12'\n",
     "error: inspector.toml: 'score.councils.address' must be an address, 0x and 40 hex digits, not '0x12' (see docs/configuration.md)"),
    ("inspector.toml", "[[score.councils]]\noutsiders = 3\n",
     "error: inspector.toml: a council in 'score.councils' lacks its address (see docs/configuration.md)"),
    ("inspector.toml", "[rules]\nenable = 'economic-mint'\n",
     "error: inspector.toml: 'rules.enable' must be a list of rule ids, not 'economic-mint' (see docs/configuration.md)"),
    ("inspector.toml", "[rules]\ndisable = ['admin-key-typo']\n",
     "error: inspector.toml: rules.disable names unknown rule 'admin-key-typo' (run 'inspector rules' for the list)"),
    ("inspector.toml", "[severity]\nno-such-rule = 'low'\n",
     "error: inspector.toml: severity names unknown rule 'no-such-rule' (run 'inspector rules' for the list)"),
    ("inspector.toml", "[rules\n",
     "error: inspector.toml is not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 7) "
     "(see docs/configuration.md)"),
    ("setup.cfg", "[inspector.thresholds]\ndelay = 3\n",
     "error: setup.cfg: unknown key 'delay' in [inspector.thresholds] "
     "(known keys: timelock_min_delay_hours, multisig_min_threshold, multisig_min_owners)"),
    ("setup.cfg", "[inspector.thresholds]\nmultisig_min_owners = three\n",
     "error: setup.cfg: 'multisig_min_owners' in [inspector.thresholds] must be a whole number of at least 1, not 'three' "
     "(see docs/configuration.md)"),
    ("setup.cfg", "[inspector.council.0x1111111111111111111111111111111111111111]\npublic = maybe\n",
     "error: setup.cfg: 'public' in [inspector.council.0x1111111111111111111111111111111111111111] must be true or false, "
     "not 'maybe' (see docs/configuration.md)"),
    ("setup.cfg", "[inspector]\nfail_on = low\n",
     "error: setup.cfg: unknown key 'fail_on' in [inspector] (settings go in [inspector.rules], [inspector.severity], "
     "[inspector.thresholds], [inspector.score])"),
    ("setup.cfg", "[inspector.limits]\nx = 1\n",
     "error: setup.cfg: unknown section [inspector.limits] (known sections: [inspector.rules], [inspector.severity], "
     "[inspector.thresholds], [inspector.score], [inspector.council.0xADDRESS])"),
    ("setup.cfg", "[inspector.rules]\ndisable = a\ndisable = b\n",
     "error: setup.cfg cannot be parsed: While reading from 'setup.cfg' [line 3]: option 'disable' in section "
     "'inspector.rules' already exists (see docs/configuration.md)"),
])
def test_bad_configuration_is_one_line_and_exit_2(tmp_path, run_cli, monkeypatch, name, text, message):
    folder = project(tmp_path, TOKEN, config=text, name=name)
    report = tmp_path / "report.json"
    from inspector.compile import solc as compile_module

    monkeypatch.setattr(compile_module, "find_compiler", lambda v: pytest.fail("scanned anyway"))
    code, out, err = run_cli(["scan", "Treasury.sol", "--output", report], cwd=folder)
    assert (code, out, err) == (2, "", message + "\n")
    assert not report.exists()


@pytest.mark.parametrize("args, message", [
    (["--config", "nowhere.toml"], "error: cannot read --config nowhere.toml: no such file (pass an inspector.toml or a setup.cfg)"),
    (["--config", "plain.cfg"], "error: --config plain.cfg has no [inspector] section "
                                "(pass an inspector.toml, or a .cfg file with [inspector.*] sections)"),
    (["--baseline", "nowhere.json"], "error: cannot read baseline nowhere.json: no such file (write one with --write-baseline FILE)"),
    (["--baseline", "broken.json"], "error: baseline broken.json is not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1) "
                                    "(write one with --write-baseline FILE)"),
    (["--baseline", "other.json"], "error: baseline other.json is not an inspector baseline (version 1 with a findings list) "
                                   "(write one with --write-baseline FILE)"),
    (["--baseline", "noid.json"], "error: baseline noid.json has a finding without an id (write one with --write-baseline FILE)"),
    (["--write-baseline", "missing/b.json"], "error: cannot write missing/b.json: folder missing does not exist "
                                             "(create the folder or choose a writable --write-baseline path)"),
])
def test_bad_config_and_baseline_files_are_one_line_and_exit_2(tmp_path, run_cli, monkeypatch, args, message):
    folder = project(tmp_path, TOKEN)
    (folder / "plain.cfg").write_text("[metadata]\nname = x\n")
    (folder / "broken.json").write_text("{not json")
    (folder / "other.json").write_text('{"version": 2, "findings": []}')
    (folder / "noid.json").write_text('{"version": 1, "findings": [{"rule": "x"}]}')
    from inspector.compile import solc as compile_module

    monkeypatch.setattr(compile_module, "find_compiler", lambda v: pytest.fail("scanned anyway"))
    code, out, err = run_cli(["scan", "Treasury.sol", "--output", "report.json", *args], cwd=folder)
    assert (code, out, err) == (2, "", message + "\n")
    assert not (folder / "report.json").exists()


@pytest.mark.parametrize("value, message", [
    ("101", "error: Invalid value for '--min-score': 101.0 is not in the range 0<=x<=100."),
    ("abc", "error: Invalid value for '--min-score': 'abc' is not a valid float range."),
])
def test_bad_min_score_is_one_line_and_exit_2(run_process, value, message):
    done = run_process(["scan", TOKEN, "--min-score", value])
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (2, "", 1)
    assert done.stderr.startswith(message + " (see '") and done.stderr.endswith(" scan --help')\n")


# -- suppressions ----------------------------------------------------------------------------------
def test_suppression_comments_parse_and_cover_lines():
    source = (
        'string constant S = "// inspector-disable-next-line x";\n'  # 1: inside a string, not a comment
        "// inspector-disable-next-line a, b -- reviewed\n"  # 2
        "/// a doc comment between\n"  # 3
        "function f() {}\n"  # 4: covered for a and b
        "// inspector-disable\n"  # 5: every rule from here
        "function g() {}\n"  # 6
        "// inspector-enable c\n"  # 7: except c
        "function h() {}\n"  # 8
        "// inspector-enable\n"  # 9
        "function k() {}\n"  # 10
    )
    directives = parse(source)
    assert [(d.line, d.kind, sorted(d.rules), d.target) for d in directives] == [
        (2, "disable-next-line", ["a", "b"], 4), (5, "disable", [], 0), (7, "enable", ["c"], 0), (9, "enable", [], 0)]
    assert covering(directives, "a", 4).line == 2 and covering(directives, "c", 4) is None
    assert covering(directives, "x", 2) is None and covering(directives, "x", 1) is None
    assert covering(directives, "c", 6).line == 5 and covering(directives, "c", 8) is None
    assert covering(directives, "a", 8).line == 5
    assert covering(directives, "a", 10) is None


def test_both_comment_forms_suppress_and_the_report_lists_them(run_cli):
    report = scan_json(run_cli, SUPPRESSIONS, "Vault.sol")
    assert rows(report["findings"], "rule", "function", "line") == [
        ("admin-key-single-owner", "sweep(address)", 34),
        ("economic-fee-settable", "setFee(uint256)", 20),  # the comment names admin-key-single-owner only
        ("economic-pausable", "pause()", 25),
        ("economic-pausable", "unpause()", 29),
        ("economic-sweep", "sweep(address)", 34),
    ]
    assert sorted((s["rule"], s["function"], s["line"], s["suppression"]["line"], s["suppression"]["scope"])
                  for s in report["suppressed"]) == [
        ("admin-key-single-owner", "pause()", 25, 24, "file"),
        ("admin-key-single-owner", "setFee(uint256)", 20, 19, "line"),
        ("admin-key-single-owner", "setOwner(address)", 39, 38, "line"),
        ("admin-key-single-owner", "unpause()", 29, 24, "file"),
        ("admin-key-single-step-transfer", "setOwner(address)", 39, 38, "line"),  # no id: every rule
    ]
    assert all(len(s["id"]) == 16 and s["suppression"]["file"] == "Vault.sol" for s in report["suppressed"])
    assert (report["summary"]["findings"], report["summary"]["suppressed"]) == (5, 5)
    code, out, _ = run_cli(["scan", "Vault.sol", "--fail-on", "none"], cwd=SUPPRESSIONS)
    assert out.rstrip().endswith("5 finding(s): 2 high, 3 medium (not counted: 5 suppressed by comments)")


def test_gates_ignore_suppressed_findings(run_cli):
    # setOwner's only single-step-transfer finding is suppressed: nothing left to fail on
    assert run_cli(["scan", "Vault.sol", "--rule", "admin-key-single-step-transfer", "--fail-on", "info"], cwd=SUPPRESSIONS)[0] == 0
    assert run_cli(["scan", "Vault.sol", "--rule", "economic-sweep", "--fail-on", "info"], cwd=SUPPRESSIONS)[0] == 1


def test_comment_above_the_heir_covers_findings_in_node_modules(tmp_path, run_cli):
    folder = tmp_path / "heir"
    shutil.copytree(SUPPRESSIONS / "heir", folder)
    (folder / "node_modules").symlink_to(EXAMPLE / "node_modules")
    report = scan_json(run_cli, folder, ".")
    assert sorted((s["rule"], s["contract"], s["function"], s["file"], s["line"], s["suppression"]["file"],
                   s["suppression"]["line"], s["suppression"]["scope"]) for s in report["suppressed"]) == [
        ("admin-key-single-owner", "Token", "mint(address,uint256)", "contracts/Token.sol", 13, "contracts/Token.sol", 9, "contract"),
        ("admin-key-single-owner", "Token", "renounceOwnership()", "@openzeppelin/contracts/access/Ownable.sol", 76,
         "contracts/Token.sol", 9, "contract"),
        ("admin-key-single-owner", "Token", "transferOwnership(address)", "@openzeppelin/contracts/access/Ownable.sol", 84,
         "contracts/Token.sol", 9, "contract"),
    ]
    # other rules on the same functions still stand
    assert rows(report["findings"], "rule", "function", "file") == [
        ("admin-key-renounce-needed", "renounceOwnership()", "@openzeppelin/contracts/access/Ownable.sol"),
        ("admin-key-single-step-transfer", "transferOwnership(address)", "@openzeppelin/contracts/access/Ownable.sol"),
        ("economic-mint", "mint(address,uint256)", "contracts/Token.sol"),
    ]


# -- baseline --------------------------------------------------------------------------------------
NEW_FUNCTION = """
    uint256 public epoch;

    function setEpoch(uint256 epoch_) external {
        require(msg.sender == owner, "not the owner");
        epoch = epoch_;
    }
}
"""


def test_baseline_round_trip_fails_only_on_new_findings(tmp_path, run_cli):
    folder = project(tmp_path, FIXTURES / "baseline" / "Treasury.sol")
    code, _, _ = run_cli(["scan", "Treasury.sol", "--fail-on", "none", "--write-baseline", "baseline.json"], cwd=folder)
    assert code == 0
    written = json.loads((folder / "baseline.json").read_text())
    [entry] = written["findings"]
    assert written["version"] == 1
    assert {k: entry[k] for k in ("rule", "contract", "function", "file")} == {
        "rule": "admin-key-single-owner", "contract": "Treasury", "function": "setBudget(uint256)", "file": "Treasury.sol"}
    assert not list(folder.glob(".baseline.json.*"))  # written atomically: no temporary left

    code, out, _ = run_cli(["scan", "Treasury.sol", "--fail-on", "low", "--baseline", "baseline.json"], cwd=folder)
    assert code == 0
    assert out.rstrip().endswith("0 finding(s) (not counted: 1 in the baseline)")
    report = scan_json(run_cli, folder, "Treasury.sol", "--baseline", "baseline.json")
    assert (report["findings"], [f["id"] for f in report["baseline"]]) == ([], [entry["id"]])

    source = folder / "Treasury.sol"
    source.write_text(source.read_text().rstrip().removesuffix("}") + NEW_FUNCTION)
    code, out, _ = run_cli(["scan", "Treasury.sol", "--fail-on", "low", "--baseline", "baseline.json"], cwd=folder)
    assert code == 1
    named = [line.split() for line in out.splitlines() if line.split()[:1] in (["HIGH"], ["MEDIUM"], ["LOW"], ["INFO"])]
    assert named == [["MEDIUM", "admin-key-single-owner", "Treasury.sol:20", "Treasury.setEpoch(uint256)"]]
    assert out.rstrip().endswith("1 finding(s): 1 medium (not counted: 1 in the baseline)")


# -- --min-score -----------------------------------------------------------------------------------
def _scored(monkeypatch, total: float | None):
    from inspector import scan as scan_module
    from inspector.facts.model import Facts
    from inspector.result import ScanResult
    from inspector.score.model import Axes, Coverage, Score

    score = None if total is None else Score(total=total, grade="C", stage=0, stage_reasons=("no exit window",),
                                            axes=Axes(70.0, 60.0, 57.5), deductions=(), contracts=(), coverage=Coverage(1))
    result = ScanResult(targets=("Treasury.sol",), units=(), facts=Facts(), findings=(), score=score)
    monkeypatch.setattr(scan_module, "scan", lambda *args, **kwargs: result)


@pytest.mark.parametrize("total, minimum, code, err", [
    (62.5, "70", 1, "score 62.5 is under --min-score 70\n"),
    (62.5, "62.5", 0, ""),
    (62.5, "0", 0, ""),
    (100.0, "100", 0, ""),
    (None, "10", 1, "no score was computed, so --min-score 10 fails\n"),
])
def test_min_score_gate(run_cli, monkeypatch, total, minimum, code, err):
    _scored(monkeypatch, total)
    assert run_cli(["scan", TOKEN, "--min-score", minimum, "--fail-on", "none"])[::2] == (code, err)


def test_min_score_is_not_checked_unless_asked(run_cli, monkeypatch):
    _scored(monkeypatch, 5.0)
    assert run_cli(["scan", TOKEN, "--fail-on", "none"])[0] == 0
