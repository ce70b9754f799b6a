"""examples/survey/survey.py end to end: anvil, thirteen systems deployed, `inspector survey` on a
local Dask cluster of one worker; each system's scorecard row is what the example's docstring says."""
from __future__ import annotations

import csv
import subprocess
import sys

from conftest import REPO

SURVEY = REPO / "examples" / "survey"

# system -> (targets, score, grade, stage, strongest power, the kind of key holding it)
EXPECTED = {
    "founder-mint": (1, 31.1, "F", 0, "MintableToken.mint", "eoa"),
    "multisig-owned": (2, 59.7, "F", 0, "MintableToken.mint", "multisig 2-of-3"),
    "short-timelock-upgradeable": (2, 17.1, "F", 0, "ProxiedToken.mint", "eoa"),
    "decorative-governor": (3, 35.6, "F", 0, "MintableToken.mint", "eoa"),
    "whale-governance": (4, 57.9, "F", 1, "MintableToken.mint", "voter"),
    "healthy-governor": (4, 87.8, "B", 1, "MintableToken.mint", "governor"),
    "hasty-governor": (4, 51.8, "F", 0, "MintableToken.mint", "governor"),
    "bridged-token": (2, 38.1, "F", 0, "RoleToken.mint", "unresolved"),
    "oracle-reward": (2, 36.3, "F", 0, "RewardToken.mint", "eoa"),
    "renounced-fixed": (1, 100.0, "A", 2, "", ""),
    "freezable-stablecoin": (1, 21.7, "F", 0, "Stablecoin.mint", "eoa"),
    "fee-on-transfer": (1, 64.4, "D", 0, "FeeToken.set_fee", "eoa"),
    "uups-eoa": (1, 33.9, "F", 0, "UUPSToken.upgrade", "eoa"),
}


def test_the_example_surveys_every_system_and_says_where_the_leaderboard_is(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(SURVEY / "survey.py"), "--out", str(out), "--workers", "1"], cwd=REPO,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[0].startswith("deployed 13 systems (28 targets) on http://127.0.0.1:")
    assert done.stdout.splitlines()[-1] == (f"scorecard: {out / 'scorecard.csv'} (and .parquet); leaderboard: {out / 'index.html'}; "
                                            f"each system's report: {out / 'reports'}")
    with (out / "scorecard.csv").open(newline="") as rows:
        found = {row["system"]: (int(row["targets"]), float(row["score"]), row["grade"], int(row["stage"]), row["strongest_power"],
                                 row["strongest_power_key"].rsplit(" 0x", 1)[0], row["error"]) for row in csv.DictReader(rows)}
    assert found == {name: (*expected, "") for name, expected in EXPECTED.items()}
    assert sorted(p.name for p in (out / "reports").iterdir()) == sorted(f"{name}.json" for name in EXPECTED)
    assert (out / "index.html").is_file() and (out / "scorecard.parquet").is_file()
