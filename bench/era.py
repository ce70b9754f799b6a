"""Findings on older real code against the hand judgements of a sampled era.

    .venv/bin/python bench/era.py [--judgements tests/data/corpus/era-judgements.json]
                                  [--mirror DIR] [--json] [--unjudged]

A judgements file (tests/data/corpus/era-judgements.json, tests/data/heldout/...) names a
seeded random sample of verified mainnet contracts of the SmartBugs Wild dataset and judges
every finding inspector gave on them by hand: (source, contract, rule, function) -> true or
false, with the reason. The sources are not in this repository: they are read from a local
mirror of smartbugs/smartbugs-wild (a bare git directory; by default the workplace's
/work/.mirror/smartbugs+smartbugs-wild/repo/.git, or $SMARTBUGS_WILD). Each sampled file is
copied alone to a scratch folder and scanned as a user would scan it.

Prints precision over the judged findings still reported, the critical false positives, the
judged-true findings no longer reported (lost), and the findings nobody judged yet (new:
judge them by hand and add them to the file before quoting a precision that includes them).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_JUDGEMENTS = REPO / "tests" / "data" / "corpus" / "era-judgements.json"
DEFAULT_MIRROR = Path(os.environ.get("SMARTBUGS_WILD", "/work/.mirror/smartbugs+smartbugs-wild/repo/.git"))
CRITICAL = "critical"


def _source(mirror: Path, source: str) -> str:
    path = source.split(":", 1)[1]
    result = subprocess.run(["git", "--git-dir", str(mirror), "show", f"HEAD:{path}"], capture_output=True, timeout=60)
    if result.returncode != 0:
        raise SystemExit(f"error: {path} is not in the mirror at {mirror}")
    return result.stdout.decode("utf-8", "replace")


def _report(folder: Path) -> dict:
    result = subprocess.run([str(REPO / ".venv" / "bin" / "inspector"), "scan", ".", "--format", "json", "--fail-on", "none"],
                            cwd=folder, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        return {"findings": [], "facts": {"contracts": []}}
    return json.loads(result.stdout)


def _scanned(mirror: Path, source: str) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        name = Path(source.split(":", 1)[1]).name
        (Path(scratch) / name).write_text(_source(mirror, source))
        return _report(Path(scratch))


def measure_expected(sample: dict, mirror: Path) -> dict:
    """Against the powers an auditor read in each sampled source before any scan ("expected":
    contract, function, guard, caps, critical): the recall of privileged entry points, the
    capabilities found, and every critical finding that was not expected (a false alarm)."""
    sys.path.insert(0, str(REPO / "bench"))
    from corpus import predicted_caps, predicted_guards

    expected: dict[str, list[dict]] = {}
    for item in sample["expected"]:
        expected.setdefault(item["source"], []).append(item)
    privileged = {"tp": 0, "fn": 0}
    caps = {"tp": 0, "fn": 0}
    missed, false_critical, missing = [], [], []
    for item in sample["sampled"]:
        report = _scanned(mirror, item["source"])
        entries = {(c["name"], e["function"]): e for c in report["facts"]["contracts"] for e in c["entry_points"]}
        wanted = {(x["contract"], x["function"]) for x in expected.get(item["source"], []) if x.get("critical")}
        for finding in report["findings"]:
            if finding["severity"] == CRITICAL and (finding["contract"], finding["function"]) not in wanted:
                false_critical.append((finding["contract"], finding["function"], finding["rule"], item["source"].rsplit("/", 1)[-1]))
        for x in expected.get(item["source"], []):
            entry = entries.get((x["contract"], x["function"]))
            if entry is None:
                missing.append((x["contract"], x["function"]))
                continue
            if x["guard"] != "anyone" and not isinstance(x["guard"], list):
                if predicted_guards(entry):
                    privileged["tp"] += 1
                else:
                    privileged["fn"] += 1
                    missed.append((x["contract"], x["function"], x["guard"]))
            said = predicted_caps(entry)
            for cap in x.get("caps", []):
                if said & set(cap.split("|")):
                    caps["tp"] += 1
                else:
                    caps["fn"] += 1
    recall = lambda c: round(c["tp"] / (c["tp"] + c["fn"]), 3) if c["tp"] + c["fn"] else 1.0  # noqa: E731
    return {"privileged_recall": recall(privileged), "privileged": privileged, "capability_recall": recall(caps),
            "capabilities": caps, "critical_false": false_critical, "missed": missed, "not_found": missing}


def measure(judgements: dict, mirror: Path) -> dict:
    verdicts = {(j["source"], j["contract"], j["rule"], j["function"]): j for j in judgements["judgements"]}
    skipped = {s["source"] for s in judgements.get("skipped", [])}
    seen: set[tuple] = set()
    new: list[dict] = []
    for item in judgements["sampled"]:
        if item["source"] in skipped:
            continue
        for finding in _scanned(mirror, item["source"])["findings"]:
            key = (item["source"], finding["contract"], finding["rule"], finding["function"])
            if key in seen:
                continue
            seen.add(key)
            if key not in verdicts:
                new.append({"source": item["source"], "contract": finding["contract"], "rule": finding["rule"],
                            "function": finding["function"], "severity": finding["severity"], "line": finding["line"]})
    kept = [verdicts[k] for k in seen if k in verdicts]
    true = [j for j in kept if j["verdict"] == "true"]
    false = [j for j in kept if j["verdict"] == "false"]
    lost = [j for k, j in verdicts.items() if k not in seen and j["verdict"] == "true"]
    return {
        "judged_reported": len(kept), "true": len(true), "false": len(false),
        "precision": round(len(true) / len(kept), 3) if kept else 1.0,
        "critical_false": sorted((j["contract"], j["function"], j["rule"]) for j in false if j["severity"] == CRITICAL),
        "false_removed": sum(1 for k, j in verdicts.items() if k not in seen and j["verdict"] == "false"),
        "lost": [(j["contract"], j["function"], j["rule"]) for j in lost],
        "unjudged": new,
        "false_left": [(j["contract"], j["function"], j["rule"], j.get("reason", "")) for j in false],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--judgements", type=Path, default=DEFAULT_JUDGEMENTS)
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--unjudged", action="store_true", help="list the findings nobody judged yet")
    parser.add_argument("--expected", type=Path, help="a sample with the powers read from each source (heldout2/era-sample.json)")
    args = parser.parse_args(argv)
    if not args.mirror.is_dir():
        print(f"error: no SmartBugs Wild mirror at {args.mirror} (set SMARTBUGS_WILD or --mirror)", file=sys.stderr)
        return 2
    if args.expected:
        print(json.dumps(measure_expected(json.loads(args.expected.read_text()), args.mirror), indent=1))
        return 0
    result = measure(json.loads(args.judgements.read_text()), args.mirror)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"judged findings still reported: {result['judged_reported']} (true {result['true']}, false {result['false']}),"
          f" precision {result['precision']:.3f}")
    print(f"false findings no longer reported: {result['false_removed']}; true ones lost: {len(result['lost'])}")
    print(f"critical false positives: {len(result['critical_false'])}")
    for item in result["critical_false"]:
        print("  ", *item)
    for item in result["lost"]:
        print("  lost", *item)
    for item in result["false_left"]:
        print("  false", *item)
    print(f"unjudged findings: {len(result['unjudged'])}")
    if args.unjudged:
        for item in result["unjudged"]:
            print("  ", item["severity"], item["contract"], item["function"], item["rule"], item["line"], item["source"].rsplit("/", 1)[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
