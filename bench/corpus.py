"""Accuracy on real code: inspector's facts and critical findings against hand labels.

    .venv/bin/python bench/corpus.py [--set dev|heldout|heldout2|heldout3] [--json] [--scan NAME]... [--errors]

The corpus is data, not code: tests/data/corpus/corpus.json says which files of which
pinned npm package (fixtures/corpus/package.json) are scanned together, and
tests/data/corpus/labels/<scan>.json holds, for each contract, what an auditor reads in its
source: every state-changing entry point, who may call it and what it can do. This script
scans each group with inspector (in process, the JSON report), compares, and prints:

  (a) privileged entry points: is the entry point restricted to someone (yes/no)
  (b) guard kind: for entry points both call privileged, are the alternatives the same
      kinds (owner, role, address, self, custom, ...), one for one
  (c) capabilities per rule family (the category of the rules that read them)
  (d) critical findings (admin-key-unguarded-power, economic-balance-manipulation,
      upgrade-unguarded): true and false positives against the labels

Label format, per contract:
  "anyone": [signatures]       user functions: no guard, no power
  "callbacks": [signatures]    only a fixed contract calls them (a token's onTokenTransfer, the
                               ERC-4337 EntryPoint's validateUserOp, an aToken's onlyPool
                               functions): driven by anyone through that contract, no power of
                               a key; left out of (a), (b) and (c): only their findings count
  "entries": {signature: {"guard": G, "caps": [...], "also": [...], "ambiguous": bool,
                          "initializer": bool, "why": "..."}}
      G is "anyone", "self" or "KIND:WHO" where KIND may list accepted kinds ("owner|address");
      a list of them is alternatives (A or B may call). An entry is privileged when no
      alternative is "anyone". Each of "caps" must be reported ("a|b": either one, where two
      readings are fair); "also" may be reported (neither counted right nor wrong). "ambiguous" leaves the entry out of (a) and (b).
  "critical": [{"rule": ..., "function": ...}]   the critical findings that should fire

An entry point counts as privileged for inspector when one of its guards is not anyone, or
when it has capabilities and every one of them carries its own (branch) guard.
Capabilities marked paid (a sale, a deposit) are not powers and are not compared.

Two sets, same format: `dev` (the default: tests/data/corpus, fixtures/corpus), which
inspector has been tuned on, and `heldout` (tests/data/heldout, fixtures/heldout), labelled
before inspector was first run on it and not to be tuned on (it since has been: no longer
blind), and `heldout2` (tests/data/heldout2, fixtures/heldout2), a second blind set labelled
the same way for the next measurement, and `heldout3` (tests/data/heldout3, fixtures/heldout3), a
third blind set labelled the same way. A scan may name `remap`s, passed to inspector as --remap.
"""
from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETS = {"dev": REPO / "tests" / "data" / "corpus", "heldout": REPO / "tests" / "data" / "heldout",
        "heldout2": REPO / "tests" / "data" / "heldout2", "heldout3": REPO / "tests" / "data" / "heldout3"}
DATA = SETS["dev"]
CRITICAL_RULES = ("admin-key-unguarded-power", "economic-balance-manipulation", "upgrade-unguarded")
# Each capability's rule family: the category of the rules that report it (rules/*.py).
FAMILIES = {
    "admin-key": ("change_owner", "grant_role", "renounce", "set_parameter"),
    "upgradeability": ("upgrade", "delegatecall", "selfdestruct"),
    "timelock": ("change_delay",),
    "multisig": ("change_threshold",),
    "economic-control": ("mint", "burn_from", "pause", "freeze", "set_fee", "set_limits", "set_balance",
                         "withdraw_funds", "set_minter"),
    "off-chain": ("set_oracle", "set_operator", "set_signer", "set_forwarder", "arbitrary_call"),
}
FAMILY_OF = {cap: family for family, caps in FAMILIES.items() for cap in caps}


def load_corpus(data: Path = DATA) -> dict:
    corpus = json.loads((data / "corpus.json").read_text())
    for entry in corpus["scans"]:
        entry["labels"] = json.loads((data / "labels" / f"{entry['name']}.json").read_text())
    return corpus


@contextlib.contextmanager
def _cwd(path: Path):
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def scan_report(project: Path, targets: list[str], remaps: list[str] = ()) -> dict:
    """inspector's JSON report of the targets, scanned together from the project root."""
    from click.testing import CliRunner
    from inspector.cli import cli

    options = [f"--remap={remap}" for remap in remaps]
    with _cwd(project):
        result = CliRunner(mix_stderr=False).invoke(cli, ["scan", *targets, *options, "--format", "json", "--fail-on", "none"])
    if result.exit_code != 0:
        raise RuntimeError(f"inspector scan {' '.join(targets)} failed ({result.exit_code}): {result.stderr.strip()}")
    return json.loads(result.stdout)


# -- labels ------------------------------------------------------------------------------
@dataclass
class Label:
    contract: str
    function: str
    guards: list[tuple[frozenset[str], str]]  # alternatives: (accepted kinds, who)
    caps: tuple[frozenset[str], ...] = ()  # each a requirement, met by any one of its names
    also: frozenset[str] = frozenset()
    ambiguous: bool = False
    callback: bool = False
    why: str = ""

    @property
    def privileged(self) -> bool:
        return all("anyone" not in kinds for kinds, _ in self.guards)


def _guard(text: str) -> tuple[frozenset[str], str]:
    kinds, _, who = text.partition(":")
    return frozenset(kinds.split("|")), who


def labels_of(contract: str, spec: dict) -> list[Label]:
    out = [Label(contract, sig, [_guard("anyone")]) for sig in spec.get("anyone", [])]
    out += [Label(contract, sig, [_guard("anyone")], callback=True) for sig in spec.get("callbacks", [])]
    for sig, entry in spec.get("entries", {}).items():
        guards = entry["guard"] if isinstance(entry["guard"], list) else [entry["guard"]]
        caps = tuple(frozenset(c.split("|")) for c in entry.get("caps", []))
        out.append(Label(contract, sig, [_guard(g) for g in guards], caps,
                         frozenset(entry.get("also", [])), entry.get("ambiguous", False), False, entry.get("why", "")))
    return out


# -- what inspector said -------------------------------------------------------------------
# Guards that are no key: the account a call is about acting on its own things
NOT_PRIVILEGED = ("anyone", "user")
# Kinds inspector refined after the labels' vocabulary was written: a check another contract
# answers (`external`) is a custom check; a fixed contract calling back (`callback`) an address
REFINES = {"external": "custom", "callback": "address", "creator": "owner"}


def predicted_guards(entry: dict) -> list[dict]:
    if any(g["kind"] == "user" for g in entry["guards"]):
        return []  # the account concerned may call it, a key may too: a user function (act_for_users says the rest)
    guards = [g for g in entry["guards"] if g["kind"] not in NOT_PRIVILEGED]
    if guards:
        return guards
    caps = [c for c in entry["capabilities"] if not c.get("paid")]
    if caps and all(any(g["kind"] not in NOT_PRIVILEGED for g in c.get("guards", [])) for c in caps):
        seen = {}
        for c in caps:
            for g in c["guards"]:
                if g["kind"] not in NOT_PRIVILEGED:
                    seen[(g["kind"], g.get("detail", ""))] = g
        return list(seen.values())
    return []


def predicted_caps(entry: dict) -> set[str]:
    return {c["name"] for c in entry["capabilities"] if not c.get("paid")}


def kinds_match(label: Label, guards: list[dict]) -> bool:
    """One inspector guard of an accepted kind for each alternative of the label, and no more."""
    if len(guards) != len(label.guards):
        return False
    return any(all(g["kind"] in kinds or REFINES.get(g["kind"]) in kinds for (kinds, _), g in zip(label.guards, order))
               for order in itertools.permutations(guards))


# -- scoring ---------------------------------------------------------------------------------
@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return round(self.tp / (self.tp + self.fp), 3) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return round(self.tp / (self.tp + self.fn), 3) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision, "recall": self.recall}


@dataclass
class Result:
    contracts: int = 0
    entries: int = 0
    privileged: Counts = field(default_factory=Counts)
    guard_kind_right: int = 0
    guard_kind_total: int = 0
    families: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FAMILIES})
    capabilities: Counts = field(default_factory=Counts)
    critical: Counts = field(default_factory=Counts)
    missing: list[str] = field(default_factory=list)  # labels naming what the facts do not have
    unlabelled: list[str] = field(default_factory=list)  # entry points in the facts with no label
    errors: list[dict] = field(default_factory=list)  # every disagreement, for people

    def as_dict(self) -> dict:
        return {
            "contracts": self.contracts,
            "entry_points": self.entries,
            "privileged": self.privileged.as_dict(),
            "guard_kind": {"right": self.guard_kind_right, "total": self.guard_kind_total,
                           "accuracy": round(self.guard_kind_right / self.guard_kind_total, 3) if self.guard_kind_total else 1.0},
            "families": {f: c.as_dict() for f, c in self.families.items()},
            "capabilities": self.capabilities.as_dict(),
            "critical": self.critical.as_dict(),
            "missing": self.missing,
            "unlabelled": self.unlabelled,
            "errors": self.errors,
        }


def describe(guards: list[dict]) -> str:
    return " | ".join(f"{g['kind']}:{g.get('detail', '')}".rstrip(":") for g in guards) or "anyone"


def score(corpus: dict, reports: dict[str, dict]) -> Result:
    result = Result()
    for scan in corpus["scans"]:
        report = reports[scan["name"]]
        contracts = {c["name"]: c for c in report["facts"]["contracts"]}
        findings = [f for f in report["findings"] if f["severity"] == "critical" and f["rule"] in CRITICAL_RULES]
        for name, spec in scan["labels"]["contracts"].items():
            if name not in contracts:
                result.missing.append(f"{scan['name']}: contract {name}")
                continue
            result.contracts += 1
            entries = {e["function"]: e for e in contracts[name]["entry_points"]}
            labels = labels_of(name, spec)
            labelled = {label.function for label in labels}
            result.unlabelled += [f"{name}.{sig}" for sig in entries if sig not in labelled]
            for label in labels:
                entry = entries.get(label.function)
                if entry is None:
                    result.missing.append(f"{scan['name']}: {name}.{label.function}")
                    continue
                result.entries += 1
                _compare_entry(result, scan["name"], label, entry)
            expected = {(c["rule"], c["function"]) for c in spec.get("critical", [])}
            found = {(f["rule"], f["function"]) for f in findings if f["contract"] == name}
            for rule, function in sorted(found | expected):
                hit, wanted = (rule, function) in found, (rule, function) in expected
                if hit and wanted:
                    result.critical.tp += 1
                elif hit:
                    result.critical.fp += 1
                    result.errors.append({"scan": scan["name"], "contract": name, "function": function, "kind": "critical-fp",
                                          "rule": rule, "why": _why(spec, function)})
                else:
                    result.critical.fn += 1
                    result.errors.append({"scan": scan["name"], "contract": name, "function": function, "kind": "critical-fn", "rule": rule})
    return result


def _why(spec: dict, function: str) -> str:
    entry = spec.get("entries", {}).get(function)
    if entry:
        return f"labelled {entry['guard']}: {entry.get('why', '')}".rstrip(": ")
    if function in spec.get("callbacks", []):
        return "labelled a callback only a fixed contract makes"
    return "labelled anyone, no power"


def _compare_entry(result: Result, scan: str, label: Label, entry: dict) -> None:
    where = {"scan": scan, "contract": label.contract, "function": label.function}
    guards = predicted_guards(entry)
    if not (label.ambiguous or label.callback):
        truth, said = label.privileged, bool(guards)
        if truth and said:
            result.privileged.tp += 1
            result.guard_kind_total += 1
            if kinds_match(label, guards):
                result.guard_kind_right += 1
            else:
                result.errors.append({**where, "kind": "guard-kind", "said": describe(guards),
                                      "truth": " | ".join(f"{'|'.join(sorted(k))}:{w}" for k, w in label.guards)})
        elif said:
            result.privileged.fp += 1
            result.errors.append({**where, "kind": "privileged-fp", "said": describe(guards), "truth": "anyone"})
        elif truth:
            result.privileged.fn += 1
            result.errors.append({**where, "kind": "privileged-fn", "said": "anyone",
                                  "truth": " | ".join(f"{'|'.join(sorted(k))}:{w}" for k, w in label.guards)})
    if label.callback:
        return  # what a callback does is the calling contract's business: only its findings count
    caps = predicted_caps(entry)
    allowed = set(label.also).union(*label.caps)
    for requirement in label.caps:
        if caps & requirement:
            result.capabilities.tp += 1
        else:
            result.capabilities.fn += 1
    result.capabilities.fp += len(caps - allowed)
    said = {FAMILY_OF.get(c, "admin-key") for c in caps}
    ok_families = {FAMILY_OF[c] for c in allowed}
    met, missed = set(), set()
    for requirement in label.caps:
        families = {FAMILY_OF[c] for c in requirement}
        if families & said:
            met |= families & said
        else:
            missed.add(FAMILY_OF[sorted(requirement)[0]])
    for family, counts in result.families.items():
        if family in met:
            counts.tp += 1
        elif family in said and family not in ok_families:
            counts.fp += 1
            result.errors.append({**where, "kind": "capability-fp", "family": family,
                                  "said": sorted(c for c in caps if FAMILY_OF.get(c, "admin-key") == family),
                                  "truth": [("|".join(sorted(r))) for r in label.caps] or "none"})
        if family in missed:
            counts.fn += 1
            result.errors.append({**where, "kind": "capability-fn", "family": family, "said": sorted(caps) or "none",
                                  "truth": ["|".join(sorted(r)) for r in label.caps if FAMILY_OF[sorted(r)[0]] == family]})


def below_floor(result: Result, floor: dict[str, tuple[float, float]], guard_kind_accuracy: float) -> list[str]:
    """The measures under their floor ((precision, recall) per measure, guard-kind accuracy): what a test asserts empty."""
    measured = result.as_dict()
    got = {"privileged": measured["privileged"], "capabilities": measured["capabilities"], **measured["families"]}
    under = [f"{measure}: {got[measure]}" for measure, (precision, recall) in floor.items()
             if got[measure]["precision"] < precision or got[measure]["recall"] < recall]
    if measured["guard_kind"]["accuracy"] < guard_kind_accuracy:
        under.append(f"guard kind: {measured['guard_kind']}")
    return under


def critical_over(result: Result, false_positives: int, missed: int) -> list[dict]:
    """The critical errors beyond the allowed counts (all of that kind, to read), or nothing."""
    fp = [e for e in result.errors if e["kind"] == "critical-fp"] if result.critical.fp > false_positives else []
    fn = [e for e in result.errors if e["kind"] == "critical-fn"] if result.critical.fn > missed else []
    return fp + fn


def evaluate(scans: list[str] | None = None, progress=lambda message: None, data: Path = DATA) -> Result:
    corpus = load_corpus(data)
    if scans:
        corpus["scans"] = [s for s in corpus["scans"] if s["name"] in scans]
    project = REPO / corpus["project"]
    reports = {}
    for scan in corpus["scans"]:
        progress(f"scanning {scan['name']} ({scan['package']})")
        reports[scan["name"]] = scan_report(project, [f"{scan['root']}/{t}" for t in scan["targets"]], scan.get("remap", []))
    return score(corpus, reports)


def table(result: Result) -> str:
    d = result.as_dict()
    lines = [f"{d['contracts']} contracts, {d['entry_points']} labelled entry points", "",
             f"{'measure':<34} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}"]

    def row(name, c):
        lines.append(f"{name:<34} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4} {c['precision']:>9.3f} {c['recall']:>7.3f}")

    row("(a) privileged entry points", d["privileged"])
    for family, c in d["families"].items():
        row(f"(c) capabilities: {family}", c)
    row("(c) capabilities: by name", d["capabilities"])
    row("(d) critical findings", d["critical"])
    g = d["guard_kind"]
    lines += ["", f"(b) guard kind right: {g['right']} of {g['total']} ({g['accuracy']:.3f})"]
    if d["missing"]:
        lines += ["", "labels naming what the facts do not have:"] + [f"  {m}" for m in d["missing"]]
    if d["unlabelled"]:
        lines += ["", "entry points with no label:"] + [f"  {m}" for m in d["unlabelled"]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the numbers and every disagreement as JSON")
    parser.add_argument("--errors", action="store_true", help="after the table, list every disagreement")
    parser.add_argument("--scan", action="append", help="only this scan of corpus.json (repeatable)")
    parser.add_argument("--set", choices=sorted(SETS), default="dev",
                        help="dev: tests/data/corpus (default); heldout: tests/data/heldout; heldout2: tests/data/heldout2, blind; heldout3: tests/data/heldout3, blind")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    result = evaluate(args.scan, progress=lambda m: print(m, file=sys.stderr), data=SETS[args.set])
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
        return 0
    print(table(result))
    if args.errors:
        print("\ndisagreements:")
        for e in result.errors:
            rest = {k: v for k, v in e.items() if k not in ("scan", "contract", "function", "kind")}
            print(f"  {e['kind']:<15} {e['contract']}.{e['function']}  {json.dumps(rest)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
