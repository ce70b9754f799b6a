"""Issue 11, the local half: every answer from outside is untrusted. Files the user hands
over (config, foundry.toml, remappings.txt, baselines, reports given to diff), what a
scanned folder holds, names that reach the terminal, the output path, the environment (HOME,
the cache, npm). Each bad input ends as exit 2 with one clear line on stderr and no
traceback; nothing is left half-written."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import FIXTURES
from inspector.compile import solc as compile_module

TOKEN = FIXTURES / "admin-key-single-owner" / "positive" / "OwnedToken.sol"
HUGE = "9" * 5000  # past Python's int-string conversion limit (4300 digits)


def short(value) -> str | None:
    """Test ids: the expected message says what a case is; the file texts are too long."""
    return value[:60] if isinstance(value, str) and not value.startswith(("[", "{", "x =")) and "\n" not in value else ""


def one_line(code: int, err: str, expected: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert expected in err, err


@pytest.fixture
def no_compile(monkeypatch):
    """Errors in what the user hands over come before any compiler is looked for."""
    monkeypatch.setattr(compile_module, "find_compiler", lambda v: pytest.fail("compiled anyway"))


# -- 6. parsers whose errors nobody caught -------------------------------------------------------

@pytest.mark.parametrize("name, text, expected", [
    ("inspector.toml", f"[thresholds]\nmultisig_min_owners = {HUGE}\n",
     "inspector.toml is not valid TOML: a number has more than 4300 digits"),
    ("inspector.toml", "[thresholds]\ntimelock_min_delay_hours = nan\n",
     "'thresholds.timelock_min_delay_hours' must be a finite number of at least 0, not nan"),
    ("inspector.toml", "[thresholds]\ntimelock_min_delay_hours = inf\n",
     "'thresholds.timelock_min_delay_hours' must be a finite number of at least 0, not inf"),
    ("inspector.toml", "[score]\ncouncil_min_threshold = -nan\n",
     "'score.council_min_threshold' must be a finite number from 0 to 1, not nan"),
    ("inspector.toml", "[thresholds]\n# caf\xe9\n", "cannot read inspector.toml: not UTF-8 text (byte 0xe9 on line 2)"),
    ("inspector.toml", "rules = 1\n", "inspector.toml: 'rules' must be a table"),
    ("inspector.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n", "inspector.toml is not valid TOML"),
    ("setup.cfg", "[inspector.thresholds]\ntimelock_min_delay_hours = nan\n",
     "'timelock_min_delay_hours' in [inspector.thresholds] must be a finite number of at least 0, not 'nan'"),
    ("setup.cfg", "[inspector.score]\nstage1_exit_window_days = -inf\n",
     "'stage1_exit_window_days' in [inspector.score] must be a finite number of at least 0, not '-inf'"),
    ("setup.cfg", f"[inspector.thresholds]\nmultisig_min_owners = {HUGE}\n",
     "'multisig_min_owners' in [inspector.thresholds] must be a whole number of at least 1, not '" + "9" * 37 + "...'"),
], ids=short)
def test_bad_config_file_is_one_line(run_cli, tmp_path, no_compile, name, text, expected):
    (tmp_path / name).write_bytes(text.encode("latin-1"))
    code, _, err = run_cli(["scan", TOKEN], cwd=tmp_path)
    one_line(code, err, expected)
    assert len(err) < 300


@pytest.mark.parametrize("value", ["nan", "NaN", "-nan"])
def test_min_score_nan_is_refused_so_the_gate_can_fail(run_process, value):
    done = run_process(["scan", TOKEN, "--min-score", value])
    one_line(done.returncode, done.stderr, f"Invalid value for '--min-score': {value.lower().lstrip('-')} is not a number from 0 to 100")


@pytest.mark.parametrize("text, expected", [
    ('{"version": 1, "findings": [' + HUGE + "]}", "is not JSON: a number has more than 4300 digits"),
    ('{"version": 1, "findings": [NaN]}', "is not JSON: NaN is not a JSON number"),
    ("[" * 100000 + "]" * 100000, "JSON nested 100000 levels deep, more than the 200 inspector accepts"),
    (b"{\"version\": 1, \"findings\": [\"\xe9\"]}", "cannot read baseline known.json: not UTF-8 text (byte 0xe9 on line 1)"),
], ids=short)
def test_bad_baseline_is_one_line(run_cli, tmp_path, no_compile, text, expected):
    (tmp_path / "known.json").write_bytes(text if isinstance(text, bytes) else text.encode())
    code, _, err = run_cli(["scan", TOKEN, "--baseline", "known.json"], cwd=tmp_path)
    one_line(code, err, expected)


def _report(**changes) -> str:
    report = {"schema_version": "2.0", "targets": ["a.sol"], "findings": [],
              "score": {"total": 50, "grade": "C", "stage": 0, "axes": {"governance_concentration": 1, "offchain_dependency": 1,
                                                                           "economic_control": 1}}}
    report.update(changes)
    return json.dumps(report)


@pytest.mark.parametrize("text, expected", [
    ('{"schema_version": ' + HUGE + "}", "old.json: not JSON: a number has more than 4300 digits"),
    (_report().replace('"total": 50', '"total": NaN'), "old.json: not JSON: NaN is not a JSON number"),
    (_report().replace('"total": 50', '"total": 1e999'), "old.json: not an inspector report: score.total is not a finite number"),
    (_report().replace('"total": 50', '"total": 1' + "0" * 400), "old.json: not an inspector report: score.total is too large a number"),
    (_report(holders=[{"token": "0x1", "holders": 1, "supply": HUGE, "top1": 1, "top10": 1, "hhi": 1, "gini": 0, "nakamoto": 1}]),
     "old.json: not an inspector report: holders[0].supply is not a token amount (up to 78 digits)"),
    (_report(holders=[{"token": "0x1", "holders": 1, "supply": "lots", "top1": 1, "top10": 1, "hhi": 1, "gini": 0, "nakamoto": 1}]),
     "old.json: not an inspector report: holders[0].supply is not a token amount"),
], ids=short)
def test_bad_report_given_to_diff_is_one_line(run_cli, tmp_path, text, expected):
    (tmp_path / "old.json").write_text(text)
    (tmp_path / "new.json").write_text(_report())
    code, out, err = run_cli(["diff", "old.json", "new.json"], cwd=tmp_path)
    one_line(code, err, expected)
    assert out == ""


def _foundry(tmp_path: Path, toml: bytes, remappings: bytes | None = None) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "Token.sol").write_bytes(TOKEN.read_bytes())
    (tmp_path / "foundry.toml").write_bytes(toml)
    if remappings is not None:
        (tmp_path / "remappings.txt").write_bytes(remappings)
    return tmp_path


@pytest.mark.parametrize("toml, remappings, expected", [
    (b"profile = 1\n", None, "foundry.toml: 'profile' must be a table, not int"),
    (b"[profile]\ndefault = 3\n", None, "foundry.toml: 'profile.default' must be a table, not int"),
    (b"[profile.default]\nsrc = 3\n", None, "foundry.toml: 'profile.default.src' must be a string, not int"),
    (b"[profile.default]\nlibs = 5\n", None, "foundry.toml: 'profile.default.libs' must be a list of strings, not int"),
    (b"[profile.default]\nremappings = [1]\n", None, "foundry.toml: 'profile.default.remappings' must be a list of strings, not list"),
    (b"[profile.default]\n# caf\xe9\n", None, "foundry.toml: not UTF-8 text (byte 0xe9 on line 2)"),
    (b"[profile.default]\nx = " + HUGE.encode() + b"\n", None, "foundry.toml is not valid TOML: a number has more than 4300 digits"),
    (b"[profile.default]\n", b"caf\xe9/=src/\n", "remappings.txt: not UTF-8 text (byte 0xe9 on line 1)"),
], ids=short)
def test_bad_foundry_files_are_one_line(run_cli, tmp_path, no_compile, toml, remappings, expected):
    project = _foundry(tmp_path, toml, remappings)
    code, _, err = run_cli(["scan", "."], cwd=project)
    one_line(code, err, expected)


# -- 7. what a scanned folder holds ------------------------------------------------------------

def run_bounded(args: list, cwd: Path, timeout: float = 120):
    """The CLI in a child process that may not hang: a FIFO read blocks forever."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "inspector", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=os.environ.copy())


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "Token.sol").write_bytes(TOKEN.read_bytes())
    return folder


def test_a_fifo_named_sol_in_a_folder_is_skipped_not_read(tmp_path):
    folder = _folder(tmp_path)
    os.mkfifo(folder / "pipe.sol")
    done = run_bounded(["scan", "contracts", "--format", "json", "--fail-on", "none"], tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["skipped"] == [{"target": "contracts/pipe.sol", "reason": "it is a FIFO, not a regular file"}]
    assert [c["name"] for c in report["facts"]["contracts"]] == ["OwnedToken"]


def test_special_files_given_directly_are_one_line(tmp_path):
    os.mkfifo(tmp_path / "pipe.sol")
    done = run_bounded(["scan", "pipe.sol"], tmp_path)
    one_line(done.returncode, done.stderr, "error: pipe.sol: it is a FIFO, not a regular file")
    done = run_bounded(["scan", "/dev/null"], tmp_path)
    one_line(done.returncode, done.stderr, "error: /dev/null: it is a character device, not a regular file")


def test_an_import_of_a_fifo_is_one_line(tmp_path):
    """Imports are located among regular files only (a guard: this held before issue 11)."""
    (tmp_path / "A.sol").write_text('pragma solidity ^0.8.0;\nimport "./pipe.sol";\ncontract A {}\n')
    os.mkfifo(tmp_path / "pipe.sol")
    done = run_bounded(["scan", "A.sol"], tmp_path)
    one_line(done.returncode, done.stderr, "error: A.sol:2: import './pipe.sol' not found")


@pytest.mark.parametrize("args, expected", [
    (["scan", TOKEN, "--config", "pipe.toml"], "cannot read pipe.toml: it is a FIFO, not a regular file"),
    (["scan", TOKEN, "--baseline", "pipe.toml"], "cannot read baseline pipe.toml: it is a FIFO, not a regular file"),
    (["scan", "--targets", "pipe.toml"], "cannot read --targets pipe.toml: it is a FIFO, not a regular file"),
    (["diff", "pipe.toml", "pipe.toml"], "cannot read pipe.toml: it is a FIFO, not a regular file"),
])
def test_a_fifo_as_an_input_file_is_one_line(tmp_path, args, expected):
    os.mkfifo(tmp_path / "pipe.toml")
    done = run_bounded(args, tmp_path, timeout=60)
    one_line(done.returncode, done.stderr, expected)


def test_folders_named_sol_dangling_links_link_loops_and_undecodable_names(run_cli, tmp_path):
    folder = _folder(tmp_path)
    (folder / "x.sol").mkdir()  # a folder: only looked into
    (folder / "x.sol" / "Inner.sol").write_text("pragma solidity ^0.8.0;\ncontract Inner {}\n")
    (folder / "dangling.sol").symlink_to(folder / "nowhere.sol")
    (folder / "self.sol").symlink_to("self.sol")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")  # a loop of folders: links to folders are not followed
    (folder / os.fsdecode(b"caf\xe9.sol")).write_bytes(TOKEN.read_bytes())
    code, out, err = run_cli(["scan", "contracts", "--format", "json", "--fail-on", "none"], cwd=tmp_path)
    assert code == 0, err
    report = json.loads(out)
    assert sorted(c["name"] for c in report["facts"]["contracts"]) == ["Inner", "OwnedToken"]
    assert {s["target"]: s["reason"] for s in report["skipped"]} == {
        "contracts/caf\udce9.sol": "its name is not UTF-8",
        "contracts/dangling.sol": "no such file or directory",
        "contracts/self.sol": "too many levels of symbolic links",
    }


def test_an_unreadable_source_is_one_line(run_cli, tmp_path, monkeypatch):
    """Permission bits do not stop root, so the refusal is injected where the file is opened."""
    import inspector.userfile as userfile

    folder = _folder(tmp_path)
    real_open = userfile.os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("Token.sol"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(userfile.os, "open", refuse)
    code, _, err = run_cli(["scan", "contracts"], cwd=tmp_path)
    one_line(code, err, "error: contracts/Token.sol: cannot read (Permission denied)")


# -- 7. writing reports ------------------------------------------------------------------------

def test_output_through_a_link_writes_the_target_and_keeps_the_link(run_cli, tmp_path):
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "latest.json"
    target.write_text("old\n")
    (tmp_path / "r.json").symlink_to(target)
    code, _, err = run_cli(["scan", TOKEN, "--format", "json", "--fail-on", "none", "--output", "r.json"], cwd=tmp_path)
    assert code == 0, err
    assert (tmp_path / "r.json").is_symlink() and os.readlink(tmp_path / "r.json") == str(target)
    assert json.loads(target.read_text())["schema_version"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "reports"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["latest.json"]  # no temporary file left


def test_output_to_a_fifo_is_written_to_not_replaced(run_cli, tmp_path):
    """A device or FIFO (`-o /dev/null`, `-o /dev/stdout`) is written to as the shell writes:
    renamed over, /dev/null would have become a file for every program on the machine."""
    import threading

    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    code, _, err = run_cli(["scan", TOKEN, "--format", "json", "--fail-on", "none", "--output", str(fifo)], cwd=tmp_path)
    reader.join(timeout=60)
    assert code == 0, err
    assert json.loads(got[0])["schema_version"] == "3.1"
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["report.pipe"]


def test_output_to_a_fifo_nobody_reads_is_one_line_not_a_hang(run_cli, tmp_path, no_compile):
    os.mkfifo(tmp_path / "report.pipe")
    code, _, err = run_cli(["scan", TOKEN, "--output", "report.pipe"], cwd=tmp_path)
    one_line(code, err, "error: cannot write report.pipe: no process reads it")
    assert (tmp_path / "report.pipe").is_fifo()


@pytest.mark.parametrize("make, expected", [
    (lambda link, tmp: link.symlink_to(tmp / "gone" / "r.json"), "it is a symbolic link to {tmp}/gone/r.json, which does not exist"),
    (lambda link, tmp: link.symlink_to(tmp / "r.json"), "it is a symbolic link loop"),
    (lambda link, tmp: link.symlink_to(tmp), "it is a folder"),
])
def test_output_links_that_lead_nowhere_are_refused_before_scanning(run_cli, tmp_path, no_compile, make, expected):
    make(tmp_path / "r.json", tmp_path)
    before = sorted(tmp_path.iterdir())
    code, _, err = run_cli(["scan", TOKEN, "--output", "r.json"], cwd=tmp_path)
    one_line(code, err, f"error: cannot write r.json: {expected.format(tmp=tmp_path)}")
    assert sorted(tmp_path.iterdir()) == before and (tmp_path / "r.json").is_symlink()


def test_output_link_owned_by_another_user_is_refused(run_cli, tmp_path, no_compile, monkeypatch):
    """Someone else's link in a shared folder would have us overwrite the file it names; the
    test runs as one user, so it is that user who becomes another."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (tmp_path / "r.json").symlink_to(victim)
    monkeypatch.setattr(os, "geteuid", lambda: os.lstat(tmp_path / "r.json").st_uid + 1)
    code, _, err = run_cli(["scan", TOKEN, "--output", "r.json"], cwd=tmp_path)
    one_line(code, err, "error: cannot write r.json: it is a symbolic link owned by another user")
    assert victim.read_text() == "keep me\n"


def test_a_write_that_fails_midway_leaves_no_temporary_file(tmp_path):
    from inspector.output import write_atomic

    with pytest.raises(UnicodeEncodeError):
        write_atomic(tmp_path / "r.txt", "a name that is not UTF-8: caf\udce9.sol\n")
    assert list(tmp_path.iterdir()) == []


# -- 9. terminal escapes in names ------------------------------------------------------------------

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\u202eevil\x9b"
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def _hostile_result():
    from dataclasses import replace

    import report_samples
    from inspector.findings import Finding

    finding = report_samples.FINDINGS[0]
    named = replace(finding, contract=f"Token{ESCAPES}", function=f"mint{ESCAPES}()", file=f"contracts/{ESCAPES}.sol",
                    message=f"the key {ESCAPES} can mint")
    assert isinstance(named, Finding)
    return replace(report_samples.result(), findings=(named,), skipped=((f"contracts/{ESCAPES}.sol", "it is a FIFO"),))


@pytest.mark.parametrize("fmt", ["text", "text-colour", "markdown", "html", "json", "sarif"])
def test_no_report_carries_raw_control_or_bidi_characters(fmt):
    from inspector.report import html_report, json_report, markdown_report, sarif_report, text_report

    result = _hostile_result()
    text = {"text": lambda: text_report.render(result), "text-colour": lambda: text_report.render(result, colour=True),
            "markdown": lambda: markdown_report.render(result), "html": lambda: html_report.render(result),
            "json": lambda: json_report.render(result), "sarif": lambda: sarif_report.render(result)}[fmt]()
    without_our_colours = text.replace("\x1b[0m", "").replace("\x1b[1m", "")
    for code in ("35", "31", "33", "36", "37"):
        without_our_colours = without_our_colours.replace(f"\x1b[{code}m", "")
    assert not any(c in without_our_colours for c in RAW), [c for c in RAW if c in without_our_colours]
    if fmt.startswith("text") or fmt == "markdown":
        assert "\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil\\x9b" in text


def test_a_hostile_file_name_is_escaped_in_the_scan_report_and_in_error_lines(run_cli, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / f"A{ESCAPES}.sol").write_bytes(TOKEN.read_bytes())
    code, out, err = run_cli(["scan", "c", "--fail-on", "none"], cwd=tmp_path)
    assert code == 0, err
    assert "c/A\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil\\x9b.sol:20" in out
    assert not any(c in out + err for c in RAW)
    (folder / f"B{ESCAPES}.sol").write_text("contract {")
    code, out, err = run_cli(["scan", f"c/B{ESCAPES}.sol"], cwd=tmp_path)
    assert code == 2 and not any(c in err for c in RAW)
    assert err.startswith("error: c/B\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil\\x9b.sol:1: ParserError"), err


def test_a_file_name_that_is_not_utf8_is_shown_by_its_byte():
    from inspector.printable import visible

    assert visible(os.fsdecode(b"caf\xe9.sol")) == "caf\\xe9.sol"
    assert visible("a\nb\tc", lines=True) == "a\nb\tc" and visible("a\nb") == "a\\x0ab"


# -- 10. the environment ---------------------------------------------------------------------------

def test_a_read_only_home_is_not_a_crash(tmp_path):
    """solc-select makes ~/.solc-select/artifacts when Slither imports it. /proc refuses new
    folders even to root, so this HOME is read-only whoever runs the tests."""
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "inspector", "scan", str(TOKEN), "--fail-on", "none", "--format", "json"],
                          capture_output=True, text=True, timeout=300, env={**env, "HOME": "/proc/1/fdinfo"}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and json.loads(done.stdout)["findings"]
    done = subprocess.run([sys.executable, "-m", "inspector", "scan", str(TOKEN)], capture_output=True, text=True, timeout=300,
                          env={**env, "HOME": "/proc/1/fdinfo", "INSPECTOR_CACHE_DIR": "/proc/1/fdinfo/cache"}, cwd=tmp_path)
    one_line(done.returncode, done.stderr, "error: cannot create solc-select's folder /proc/1/fdinfo/.solc-select/artifacts")


def _filled_store(path: Path):
    from inspector.store import Store

    store = Store(path)
    store.put_build("k", "0.8.28", b'{"contracts": {}}')
    store.put_response("r", "answer")
    store.close()


def test_a_read_only_cache_is_read_and_stores_nothing(tmp_path, monkeypatch):
    """A read-only cache, as sqlite meets it: the read-write open fails (injected, so that
    it fails as root too), the read-only one works."""
    import sqlite3

    from inspector import store as store_module

    _filled_store(tmp_path / "inspector.db")
    real = sqlite3.connect

    def connect(target, *args, **kwargs):
        if not str(target).startswith("file:"):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real(target, *args, **kwargs)

    monkeypatch.setattr(store_module.sqlite3, "connect", connect)
    notes: list[str] = []
    store = store_module.Store(tmp_path / "inspector.db", note=notes.append)
    assert store.get_build("k") == ("0.8.28", b'{"contracts": {}}') and store.get_response("r") == "answer"
    store.put_build("k2", "0.8.28", b"{}")
    assert store.get_build("k2") is None
    assert notes == [f"the cache at {tmp_path / 'inspector.db'} cannot be written (attempt to write a readonly database): "
                     "it is read, and nothing new is stored"]


def test_a_full_disk_while_caching_is_one_note_and_the_scan_goes_on(run_cli, fresh_cache):
    """A cache that can grow no more (PRAGMA max_page_count), as a full disk looks to sqlite."""
    import sqlite3

    db = sqlite3.connect(fresh_cache / "inspector.db")
    db.executescript(__import__("inspector.store", fromlist=["SCHEMA"]).SCHEMA)
    db.execute("INSERT INTO builds VALUES ('filler', '', 0, randomblob(3900))")  # no room left in the table's page
    db.commit()
    db.close()
    from inspector import store as store_module

    real_init = store_module.Store.__init__

    def small(self, path, note=lambda m: None):
        real_init(self, path, note)
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        self._db.execute(f"PRAGMA max_page_count = {pages}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_module.Store, "__init__", small)
        code, out, err = run_cli(["scan", TOKEN, "--fail-on", "none"])
    assert code == 0 and "OwnedToken" in out
    assert err == f"note: cannot store in the cache at {fresh_cache / 'inspector.db'} (database or disk is full): nothing more is stored in this scan\n"


def test_a_corrupt_cache_entry_is_a_miss(tmp_path):
    import sqlite3

    from inspector.store import Store

    _filled_store(tmp_path / "inspector.db")
    db = sqlite3.connect(tmp_path / "inspector.db")
    db.execute("UPDATE builds SET output = x'00ff'")
    db.commit()
    db.close()
    notes: list[str] = []
    assert Store(tmp_path / "inspector.db", note=notes.append).get_build("k") is None
    assert len(notes) == 1 and "holds an entry that is not what inspector wrote" in notes[0]


def test_an_unknown_compiler_version_is_refused_before_any_install(monkeypatch, tmp_path):
    import subprocess

    from inspector.compile import compilers
    from inspector.errors import CompilerError
    from inspector.sources.pragma import Version

    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail(f"ran {a[0]}"))
    with pytest.raises(CompilerError, match=r"solc 0\.8\.99 is not a known release"):
        compilers.find_compiler(Version(0, 8, 99))


NPM_LOG = "npm error A complete log of this run can be found in: /root/.npm/_logs/2025-01-01T00_00_00_000Z-debug-0.log\n"


@pytest.mark.parametrize("stderr, cause", [
    ("npm error code ENOTFOUND\nnpm error syscall getaddrinfo\nnpm error errno ENOTFOUND\nnpm error network request to "
     "https://registry.npmjs.org/solc failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org\n",
     "ENOTFOUND: the npm registry cannot be reached (no such host)"),
    ("npm error code EACCES\nnpm error syscall mkdir\nnpm error path /cache/solcjs/x\nnpm error errno -13\n",
     "EACCES: permission denied: /cache/solcjs/x"),
    ("npm ERR! code ENOSPC\nnpm ERR! syscall write\nnpm ERR! errno -28\n", "ENOSPC: no space left on device"),
    ("npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/solc/-/solc-0.8.99.tgz\n",
     "E404: the registry has no such package version"),
    ("npm error code EWHATEVER\nnpm error something new\n", "EWHATEVER: npm error something new"),
], ids=["ENOTFOUND", "EACCES", "ENOSPC", "E404", "other"])
def test_npm_failure_is_reported_by_its_cause(monkeypatch, tmp_path, stderr, cause):
    """npm's last line only points at its log file; the cause is in its `code` line."""
    import subprocess

    from inspector.compile import compilers
    from inspector.errors import CompilerError
    from inspector.sources.pragma import Version

    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(compilers.subprocess, "run",
                        lambda *a, **k: subprocess.CompletedProcess(a[0], 1, "", stderr + NPM_LOG))
    with pytest.raises(CompilerError) as caught:
        compilers.install_solcjs(Version(0, 8, 20))
    assert str(caught.value).startswith(f"npm install solc@0.8.20 failed: {cause}")
    assert "complete log" not in str(caught.value)
    assert list((tmp_path / "solcjs").iterdir()) == []  # the staging folder is gone
