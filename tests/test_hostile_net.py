"""Every answer from outside is untrusted: explorers, RPC nodes and the JSON files inspector
reads back. A hostile server on 127.0.0.1 (hostile_stub) answers with malformed types,
non-JSON, deep nesting, bodies that trickle or never end, colliding and impossible file
names; each must end as one clear line and exit 2, or a named skip in a multi-target scan,
within seconds, writing nothing it did not check, showing no secret."""
from __future__ import annotations

import json
import os
import sqlite3
import time

import pytest

from hostile_stub import (HostileStub, answer, deep, endless, etherscan_item, etherscan_ok, etherscan_standard_json, lie, raw,
                          sourcify_ok, trickle)

from test_explorer import ADDRESS, EXECUTOR, OTHER, SWEEPER

DEEP = "[" * 200_000 + "]" * 200_000
THIRD = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
KEY = "hostile-secret-key-0123"


def one_error_line(err: str, message: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert message in err, err


# -- deep JSON: the C parser overflows the stack once web3 has raised the recursion limit ------
def test_deep_baseline_is_refused_in_one_line(run_process, tmp_path):
    (tmp_path / "baseline.json").write_text(DEEP)
    done = run_process(["scan", "missing.sol", "--baseline", "baseline.json"], cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-500:]
    one_error_line(done.stderr, "baseline baseline.json: JSON nested 200000 levels deep, more than the 200 inspector accepts")


def test_deep_report_given_to_diff_is_refused_in_one_line(run_process, tmp_path):
    (tmp_path / "old.json").write_text(DEEP)
    (tmp_path / "new.json").write_text("{}")
    done = run_process(["diff", "old.json", "new.json"], cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-500:]
    one_error_line(done.stderr, "old.json: JSON nested 200000 levels deep")


def test_nesting_is_measured_outside_strings_only():
    from inspector.safe_json import depth, loads

    assert depth('{"a": "[[[[{{{{", "b": [[1]], "c": "\\"]]]"}') == 3
    assert loads('["' + "[" * 10_000 + '"]') == ["[" * 10_000]
    with pytest.raises(ValueError, match="the key 'x' appears twice"):
        loads('{"x": 1, "x": 2}', unique_keys=True)
