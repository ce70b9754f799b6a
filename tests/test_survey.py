"""inspector survey, its parts without a cluster: SYSTEMS.csv, the scorecard, DIR kept
between runs, progress. The survey on Dask and anvil is tests/test_survey_dask.py."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from inspector.errors import ConfigError
from inspector.survey.model import COLUMNS, ScorecardRow, System
from inspector.survey.progress import SurveyProgress
from inspector.survey.runner import Interrupted, run_survey
from inspector.survey.scorecard import csv_text, parquet_bytes, row_from_report
from inspector.survey.systems import parse_systems
from inspector.survey.task import Outcome, SurveyScan
from inspector.options import ScanOptions

REPO = Path(__file__).resolve().parent.parent
A = "0x" + "ab" * 20
A_SUM = "0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB"  # EIP-55 of A


def parse(text: str) -> tuple[System, ...]:
    return parse_systems(text, "SYSTEMS.csv", REPO)


def test_rows_sharing_a_name_are_one_system_in_file_order():
    systems = parse("\ufeffnotes,Target,System\n"
                    "x,anvil:" + A + ",dao\n"
                    "\n"
                    ",fixtures/contracts/economic-mint/positive,solo\n"
                    "y,  fixtures/contracts/economic-pausable/negative ,dao\n")
    assert [(s.name, s.targets, s.slug) for s in systems] == [
        ("dao", (f"anvil:{A_SUM}", "fixtures/contracts/economic-pausable/negative"), "dao"),
        ("solo", ("fixtures/contracts/economic-mint/positive",), "solo"),
    ]


@pytest.mark.parametrize("text, message", [
    ("", "SYSTEMS.csv is empty"),
    ("name,address\na,b\n", "SYSTEMS.csv: the header has no column 'system' or 'target'"),
    ("system,target\n", "SYSTEMS.csv has a header but no systems"),
    ("target,system\nfixtures/contracts/economic-mint/positive\n", "SYSTEMS.csv line 2: 1 column(s), the header has 2"),
    ("system,target\n,fixtures/contracts/economic-mint/positive\n", "SYSTEMS.csv line 2: a row with no system name"),
    ("system,target\nsolo,\n", "SYSTEMS.csv line 2: system 'solo' has no target"),
    ("system,target\nsolo,fixtures/nothing-here\n", "SYSTEMS.csv line 2: fixtures/nothing-here: no such file or folder"),
    ("system,target\nsolo,mainnet:0x12\n", "SYSTEMS.csv line 2: mainnet:0x12: '0x12' is not an address (0x and 40 hex digits)"),
    ("system,target\nsolo,nochain:" + A + "\n", "SYSTEMS.csv line 2: "),
    ("system,target\nsolo,anvil:" + A + "\nsolo,anvil:" + A_SUM + "\n",
     f"SYSTEMS.csv line 3: 'anvil:{A_SUM}' is already a target of system 'solo'"),
    ("system,target\n\"bad\x1b[2Jname\",anvil:" + A + "\n", "SYSTEMS.csv line 2: the system name 'bad\\x1b[2Jname' holds control characters"),
    ("system,target\n\"unterminated,anvil:" + A + "\n", "SYSTEMS.csv line 2: not CSV"),
    ("system,target\n" + "n" * 201 + ",anvil:" + A + "\n", "SYSTEMS.csv line 2: a system name of 201 characters"),
])
def test_a_bad_systems_file_is_refused_with_its_line(text, message):
    with pytest.raises(ConfigError) as refused:
        parse(text)
    assert refused.value.cause.startswith(message)


def test_every_system_writes_inside_reports_under_a_name_of_its_own():
    names = ["../../etc/passwd", "Token", "token", "a b", "plain-name_1.0", "CON"]
    text = "system,target\n" + "".join(f"\"{n}\",anvil:{A}\n" for n in names)
    slugs = {s.name: s.slug for s in parse(text)}
    assert slugs["plain-name_1.0"] == "plain-name_1.0" and slugs["CON"] == "CON"
    assert slugs["../../etc/passwd"].startswith("etc-passwd-") and "/" not in slugs["../../etc/passwd"]
    assert slugs["Token"].startswith("Token-") and slugs["token"].startswith("token-")  # one file system may not tell them apart
    assert slugs["a b"].startswith("a-b-")
    assert len({s.casefold() for s in slugs.values()}) == len(names)


DOCUMENT = {
    "schema_version": "3.1",
    "targets": [{"target": f"anvil:{A_SUM}", "match": "full", "codes": []}],
    "summary": {"findings": 4, "by_severity": {"critical": 1, "high": 2, "medium": 1, "low": 0, "info": 0}},
    "skipped": [{"target": "anvil:0x1", "reason": "no code"}],
    "score": {"total": 41.2, "grade": "E", "stage": 0, "complete": False, "coverage": {"analysed": 3},
              "axes": {"governance_concentration": 55.0, "offchain_dependency": 100.0, "economic_control": 20.5},
              "deductions": [{"power": "Token.upgrade", "points": 45.0, "key": "multisig 2-of-3 0x" + "5a" * 20},
                             {"power": "Token.mint", "points": 79.5, "key": "eoa 0x" + "e0" * 20},
                             {"power": "Feed.price_feed", "points": 79.5, "key": "feed"}]},
    "control_graph": {"chain": "anvil", "block": 77},
}


def test_a_row_says_what_the_report_says():
    system = System("dao", (f"anvil:{A_SUM}", "anvil:0x1"), "dao")
    assert row_from_report(system, DOCUMENT) == ScorecardRow(
        system="dao", targets=2, analysed=3, skipped=1, complete=False, score=41.2, grade="E", stage=0,
        governance_concentration=55.0, offchain_dependency=100.0, economic_control=20.5,
        strongest_power="Token.mint", strongest_power_key="eoa 0x" + "e0" * 20,  # the first of the heaviest
        findings_high_or_above=3, chain="anvil", block=77, report="reports/dao.json")


def test_a_report_without_a_score_leaves_the_score_unknown():
    row = row_from_report(System("local", ("x.sol",), "local"), {"summary": {"by_severity": {}}, "score": None})
    assert (row.score, row.grade, row.stage, row.complete, row.strongest_power, row.findings_high_or_above) == (None, None, None, None, "", 0)


def test_the_csv_cannot_run_a_formula_in_a_spreadsheet():
    rows = [ScorecardRow(system="=HYPERLINK(\"http://x\")", targets=1, error="-1+1"), ScorecardRow(system="plain", targets=2, score=-0.0)]
    lines = csv_text(rows).splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1].startswith("\"'=HYPERLINK(\"\"http://x\"\")\",1,")
    assert lines[1].endswith(",'-1+1")
    assert lines[2].startswith("plain,2,,,,-0.0,")  # numbers are numbers


def test_the_parquet_scorecard_is_typed_with_nulls_where_unknown():
    import pyarrow.parquet as pq

    rows = [row_from_report(System("dao", (f"anvil:{A_SUM}", "anvil:0x1"), "dao"), DOCUMENT),
            ScorecardRow(system="broken", targets=1, error="RPC at http://127.0.0.1:1/*** did not answer")]
    table = pq.read_table(io.BytesIO(parquet_bytes(rows)))
    assert table.column_names == list(COLUMNS)
    assert str(table.schema.field("score").type) == "double" and str(table.schema.field("stage").type) == "int64"
    assert str(table.schema.field("complete").type) == "bool"
    assert table.to_pylist()[0]["economic_control"] == 20.5
    assert table.to_pylist()[1] == {**{c: None for c in COLUMNS}, "system": "broken", "targets": 1, "strongest_power": "",
                                        "strongest_power_key": "", "chain": "", "report": "",
                                        "error": "RPC at http://127.0.0.1:1/*** did not answer"}


# -- DIR between runs -----------------------------------------------------------------------

class FakeEngine:
    """Answers from a table instead of scanning: records what it was asked to scan."""

    def __init__(self, answers: dict[str, Outcome], asked: list[str], interrupt_after: int | None = None) -> None:
        self.answers, self.asked, self.interrupt_after = answers, asked, interrupt_after

    def describe(self) -> str:
        return "a fake engine"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def results(self, systems, request):
        for count, system in enumerate(systems):
            if self.interrupt_after is not None and count == self.interrupt_after:
                raise KeyboardInterrupt
            self.asked.append(system.name)
            yield self.answers[system.name]


def report_of(target: str, total: float) -> str:
    return json.dumps({"schema_version": "3.1", "targets": [{"target": target}], "summary": {"by_severity": {"high": 1}},
                       "skipped": [], "score": {"total": total, "grade": "D", "stage": 0, "complete": True,
                                                "coverage": {"analysed": 1}, "axes": {}, "deductions": []}})


SYSTEMS = "system,target\nalpha,anvil:" + A + "\nbeta,anvil:0x" + "cd" * 20 + "\ngamma,anvil:0x" + "ef" * 20 + "\n"


def survey(out: Path, answers: dict, asked: list, systems=None, interrupt_after=None, **kw):
    chosen = systems or parse(SYSTEMS)
    return run_survey(chosen, out, SurveyScan(ScanOptions(), str(REPO)), lambda: FakeEngine(answers, asked, interrupt_after),
                      io.StringIO(), **kw)


def answers_for(systems) -> dict[str, Outcome]:
    alpha, beta, gamma = systems
    return {"alpha": Outcome("alpha", report_of(alpha.targets[0], 10.0)), "beta": Outcome("beta", report_of(beta.targets[0], 20.0)),
            "gamma": Outcome("gamma", None, "RPC at http://127.0.0.1:9/*** did not answer (ConnectionError)")}


def test_a_second_run_scans_nothing_and_says_the_same(tmp_path):
    systems = parse(SYSTEMS)
    asked: list[str] = []
    first = survey(tmp_path, answers_for(systems), asked)
    assert asked == ["alpha", "beta", "gamma"] and (first.scanned, first.kept, first.failed) == (3, 0, 1)
    assert [r.score for r in first.rows] == [10.0, 20.0, None]
    assert first.rows[2].error == "RPC at http://127.0.0.1:9/*** did not answer (ConnectionError)"
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["alpha.json", "beta.json"]
    assert json.loads((tmp_path / "errors" / "gamma.json").read_text())["targets"] == list(systems[2].targets)
    csv_before = (tmp_path / "scorecard.csv").read_text()
    asked.clear()
    again = survey(tmp_path, answers_for(systems), asked)
    assert asked == [] and (again.scanned, again.kept) == (0, 3)
    assert again.rows == first.rows and (tmp_path / "scorecard.csv").read_text() == csv_before


def test_retry_failed_refresh_and_changed_targets_scan_again(tmp_path):
    systems = parse(SYSTEMS)
    asked: list[str] = []
    survey(tmp_path, answers_for(systems), asked)
    asked.clear()
    fixed = answers_for(systems) | {"gamma": Outcome("gamma", report_of(systems[2].targets[0], 30.0))}
    retried = survey(tmp_path, fixed, asked, retry_failed=True)
    assert asked == ["gamma"] and retried.rows[2].score == 30.0
    assert not (tmp_path / "errors" / "gamma.json").exists()  # a report and an error never both stand
    asked.clear()
    moved = parse("system,target\nalpha,anvil:0x" + "12" * 20 + "\nbeta,anvil:0x" + "cd" * 20 + "\ngamma,anvil:0x" + "ef" * 20 + "\n")
    survey(tmp_path, answers_for(moved), asked, systems=moved)
    assert asked == ["alpha"]  # its targets changed: the report in DIR is of another system
    asked.clear()
    broken_now = answers_for(systems)
    survey(tmp_path, broken_now, asked, refresh=True)
    assert asked == ["alpha", "beta", "gamma"]
    assert not (tmp_path / "reports" / "gamma.json").exists()  # it fails now: its old report is not what is true


def test_an_interrupted_survey_keeps_what_it_finished(tmp_path):
    systems = parse(SYSTEMS)
    asked: list[str] = []
    with pytest.raises(Interrupted) as stopped:
        survey(tmp_path, answers_for(systems), asked, interrupt_after=1)
    assert stopped.value.cause == "interrupted after 1 of 3 systems"
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["alpha.json"]
    assert not (tmp_path / "scorecard.csv").exists()
    asked.clear()
    survey(tmp_path, answers_for(systems), asked)
    assert asked == ["beta", "gamma"]


def test_a_report_that_is_not_whole_is_scanned_again(tmp_path):
    systems = parse(SYSTEMS)
    survey(tmp_path, answers_for(systems), [])
    (tmp_path / "reports" / "beta.json").write_text('{"targets": [')
    asked: list[str] = []
    survey(tmp_path, answers_for(systems), asked)
    assert asked == ["beta"]


def test_two_surveys_cannot_write_one_folder(tmp_path):
    import fcntl

    with open(tmp_path / ".survey.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ConfigError) as refused:
            survey(tmp_path, answers_for(parse(SYSTEMS)), [])
    assert refused.value.cause == f"another survey is writing to {tmp_path}"


def test_progress_says_done_of_total_rate_and_time_left():
    now = [100.0]
    stream = io.StringIO()
    progress = SurveyProgress(stream, total=10, done=4, clock=lambda: now[0])
    now[0] += 30.0
    progress.finished(Outcome("alpha", "{}", "", 12.4))
    now[0] += 30.0
    progress.finished(Outcome("be\x1bta", None, "no RPC", 3.0))
    assert stream.getvalue().splitlines() == [
        "5/10 systems, 2.0 systems/min, ETA 3 min: alpha scanned in 12 s",
        "6/10 systems, 2.0 systems/min, ETA 2 min: be\\x1bta failed: no RPC",
    ]


# -- the shared cache under parallel writers ---------------------------------------------------

def _hammer(path: str, worker: int, count: int) -> list[str]:
    from inspector.store import Store

    notes: list[str] = []
    store = Store(Path(path), note=notes.append)
    for i in range(count):
        store.put_build(f"build-{worker}-{i}", "0.8.24", f"output {worker} {i}".encode() * 50)
        store.put_response(f"chain|1|h|{worker}|{i}", f"answer {worker} {i}")
        assert store.get_response(f"chain|1|h|{worker}|{i}") == f"answer {worker} {i}"
    store.close()
    return notes


def test_the_cache_stays_whole_under_parallel_writers(tmp_path):
    """A survey's workers share one SQLite cache: WAL and a busy timeout make each writer wait
    for the others, so no write is lost and none is refused."""
    import multiprocessing

    from inspector.store import Store

    path = str(tmp_path / "inspector.db")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        notes = pool.starmap(_hammer, [(path, worker, 150) for worker in range(4)])
    assert notes == [[], [], [], []]
    store = Store(Path(path))
    assert all(store.get_build(f"build-{w}-{i}") == ("0.8.24", f"output {w} {i}".encode() * 50) for w in range(4) for i in range(150))
    assert store._db.execute("SELECT COUNT(*) FROM responses").fetchone() == (600,)
    store.close()


@pytest.mark.parametrize("args, line", [
    (["--scheduler", "foo"], "error: --scheduler 'foo' is not a Dask scheduler address (pass PROTOCOL://HOST:PORT, e.g. "
                             "tcp://10.0.0.5:8786 (tcp, tls, ws, wss, ucx))"),
    (["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"],
     "error: --workers and --scheduler both given (--workers starts a local cluster; --scheduler uses an existing one)"),
    (["--scheduler", "tls://127.0.0.1:1"], "error: cannot use the Dask scheduler at tls://127.0.0.1:1: "),
])
def test_a_survey_the_engine_cannot_run_is_one_line(tmp_path, run_process, args, line):
    (tmp_path / "s.csv").write_text("system,target\na,fixtures/contracts/economic-mint/positive\n")
    done = run_process(["survey", tmp_path / "s.csv", "--out", tmp_path / "out", *args])
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(line)


def test_a_bad_systems_file_is_one_line_before_any_cluster_starts(tmp_path, run_process):
    (tmp_path / "s.csv").write_text("system,target\na,fixtures/contracts/economic-mint/positive\nb,mainnet:0x12\n")
    done = run_process(["survey", tmp_path / "s.csv", "--out", tmp_path / "out"])
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"error: {tmp_path / 's.csv'} line 3: mainnet:0x12: '0x12' is not an address (0x and 40 hex digits) (check the address)\n"
    assert not (tmp_path / "out").exists()
