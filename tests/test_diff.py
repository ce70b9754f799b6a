"""`inspector diff OLD.json NEW.json`: every kind of change between two reports of one
deployed system, written by hand as small valid documents, and the errors a user can make."""
from __future__ import annotations

import copy
import json
import jsonschema
import pytest

from conftest import REPO

SAFE, OWNER_A, OWNER_B, OWNER_C = ("0x" + d * 20 for d in ("5a", "a1", "b2", "c3"))
ADMIN, TOKEN, IMPL_1, IMPL_2 = ("0x" + d * 20 for d in ("ad", "70", "11", "22"))
DEPLOYER, ROLE_TOKEN, MINTER, TIMELOCK, STRANGER = ("0x" + d * 20 for d in ("de", "7e", "e1", "71", "ee"))
TARGET = f"anvil:{TOKEN}"
MINT_ID, TAX_ID, NEW_ID = "0123456789abcdef", "fedcba9876543210", "00000000000000aa"


def short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


def node(address, kind, label, threshold=None, owners=(), delay=None, **details):
    return {"address": address, "kind": kind, "label": label, "threshold": threshold, "owners": list(owners),
            "delay": delay, "details": details}


def edge(source, target, capability, function="", delay=0):
    return {"from": source, "to": target, "capability": capability, "function": function, "delay": delay}


def entry(function, capability, *guards):
    return {"function": function, "declared_in": "X", "file": "X.sol", "line": 1, "guards": list(guards),
            "capabilities": [{"name": capability, "detail": "", "file": "X.sol", "line": 2, "bound": ""}]}


def finding(id_, rule, severity, contract, function, line):
    return {"id": id_, "rule": rule, "category": "admin-key", "severity": severity, "confidence": "high",
            "contract": contract, "function": function, "file": "contracts/Token.sol", "line": line,
            "message": f"{rule} message", "principal": "_owner", "holder": "", "evidence": []}


def axes(governance, offchain, economic):
    return {"governance_concentration": governance, "offchain_dependency": offchain, "economic_control": economic}


def base() -> dict:
    """A deployed system: a token behind an EIP-1967 proxy whose ProxyAdmin a Safe 2-of-3
    owns, a role token with one minter, and a timelock the deployer proposes to."""
    owner = {"kind": "owner", "detail": "_owner"}
    return {
        "schema_version": "3.0",
        "tool": {"name": "inspector", "version": "0.1.0"},
        "targets": [{"target": t, "match": "verified", "codes": []} for t in (TARGET, f"anvil:{ROLE_TOKEN}", f"anvil:{TIMELOCK}")],
        "compilation": [{"solc": "0.8.28", "route": "solcjs", "files": 3, "targets": ["Token.sol"]}],
        "summary": {"findings": 2, "by_severity": {"critical": 0, "high": 1, "medium": 1, "low": 0, "info": 0}},
        "skipped": [],
        "control_graph": {
            "chain": "anvil (31337)",
            "block": 100,
            "nodes": [
                node(SAFE, "multisig", "Safe", 2, (OWNER_A, OWNER_B, OWNER_C)),
                *(node(a, "eoa", "EOA") for a in (OWNER_A, OWNER_B, OWNER_C, DEPLOYER, MINTER, STRANGER)),
                node(ADMIN, "contract", "ProxyAdmin", owner=SAFE),
                node(TOKEN, "token", "ProxiedToken via EIP-1967 proxy", implementations=[IMPL_1], owner=DEPLOYER),
                node(ROLE_TOKEN, "token", "RoleToken"),
                node(TIMELOCK, "timelock", "TimelockController", delay=172800, cancellers=[DEPLOYER]),
            ],
            "edges": [
                *(edge(a, SAFE, "sign (2-of-3)") for a in (OWNER_A, OWNER_B, OWNER_C)),
                edge(SAFE, ADMIN, "owner"),
                edge(ADMIN, TOKEN, "upgrade", "fallback()"),
                edge(DEPLOYER, TOKEN, "mint", "mint(address,uint256)"),
                edge(DEPLOYER, TOKEN, "change_owner", "transferOwnership(address)"),
                edge(MINTER, ROLE_TOKEN, "mint", "mint(address,uint256)"),
                edge(DEPLOYER, TIMELOCK, "propose", "", 172800),
            ],
            "unresolved": [],
            "powers": [],
        },
        "holders": [{"token": ROLE_TOKEN, "holders": 10, "supply": "1000", "top1": 0.4, "top10": 0.9, "hhi": 0.2,
                     "gini": 0.5, "nakamoto": 2, "top": []}],
        "findings": [finding(MINT_ID, "economic-mint", "high", "ProxiedToken", "mint(address,uint256)", 12),
                     finding(TAX_ID, "economic-fee-settable", "medium", "ProxiedToken", "setTax(uint256)", 20)],
        "facts": {"contracts": [
            {"name": "TransparentUpgradeableProxy", "file": "Proxy.sol", "line": 1, "kinds": ["proxy"],
             "entry_points": [entry("fallback()", "upgrade", {"kind": "address", "detail": "_admin"})]},
            {"name": "ProxiedToken", "file": "Token.sol", "line": 1, "kinds": ["token"],
             "entry_points": [entry("mint(address,uint256)", "mint", owner),
                              entry("transferOwnership(address)", "change_owner", owner)]},
            {"name": "RoleToken", "file": "RoleToken.sol", "line": 1, "kinds": ["token"],
             "entry_points": [entry("mint(address,uint256)", "mint", {"kind": "role", "detail": "MINTER_ROLE", "admin": "DEFAULT_ADMIN_ROLE"})]},
        ]},
        "score": {"total": 62.5, "grade": "C", "grade_cap": "B", "grade_note": "", "stage": 1,
                  "stage_reasons": ["upgrades wait 7 days"], "complete": True,
                  "coverage": {"analysed": 3, "skipped": [], "unmatched": [], "unresolved_powers": []},
                  "axes": axes(55.0, 100.0, 40.0), "deductions": [],
                  "contracts": [{"contract": "ProxiedToken", "total": 50.0, "axes": axes(50.0, 100.0, 30.0)}],
                  "unresolved_note": "", "unreported_powers": [], "custom_settings": []},
    }


def nodes(doc) -> dict:
    return {n["address"]: n for n in doc["control_graph"]["nodes"]}


def edges(doc) -> list:
    return doc["control_graph"]["edges"]


@pytest.fixture
def diff(run_cli, tmp_path):
    """Write OLD and NEW to old.json and new.json and run `inspector diff` on them."""

    def run(old: dict, new: dict, *args) -> tuple[int, str, str]:
        (tmp_path / "old.json").write_text(json.dumps(old))
        (tmp_path / "new.json").write_text(json.dumps(new))
        return run_cli(["diff", "old.json", "new.json", *args], cwd=tmp_path)

    return run


def changed(diff, new: dict, *args) -> list[str]:
    """The change lines (the header dropped) of base() against NEW."""
    code, out, err = diff(base(), new, *args)
    assert (code, err) == (0, ""), err
    return out.splitlines()[1:]


def test_hand_written_reports_follow_the_schema():
    schema = json.loads((REPO / "inspector" / "report" / "schema" / "report.schema.json").read_text())
    jsonschema.validate(base(), schema)


def test_identical_reports_have_no_changes(diff):
    assert diff(base(), base()) == (0, "old.json (block 100) -> new.json (block 100): no changes\n", "")


def test_owner_transfer_is_one_replaced_holder_of_all_its_powers(diff):
    new = base()
    new["control_graph"]["block"] = 180
    for e in edges(new):
        if e["from"] == DEPLOYER and e["to"] == TOKEN:
            e["from"] = STRANGER
    code, out, err = diff(base(), new)
    assert (code, err) == (0, "")
    assert out == (
        "old.json (block 100) -> new.json (block 180): 1 change (1 high)\n"
        f"high     holder-replaced         owner of ProxiedToken via EIP-1967 proxy {short(TOKEN)} (change_owner, mint) "
        f"moved from EOA {short(DEPLOYER)} to EOA {short(STRANGER)}\n"
    )


def test_power_moving_from_a_safe_to_an_eoa_is_critical(diff):
    new = base()
    edges(new)[3]["from"] = STRANGER  # the ProxyAdmin's owner
    assert changed(diff, new) == [
        f"critical holder-replaced         owner of ProxyAdmin {short(ADMIN)} (own) moved from Safe 2-of-3 {short(SAFE)} "
        f"to EOA {short(STRANGER)}"]


def test_renounced_ownership_is_info(diff):
    new = base()
    dead = "0x000000000000000000000000000000000000dEaD"
    new["control_graph"]["nodes"].append(node(dead, "renounced", "nobody"))
    for e in edges(new):
        if e["from"] == DEPLOYER and e["to"] == TOKEN:
            e["from"] = dead
    assert changed(diff, new) == [
        f"info     holder-replaced         owner of ProxiedToken via EIP-1967 proxy {short(TOKEN)} (change_owner, mint) "
        f"moved from EOA {short(DEPLOYER)} to nobody (renounced to 0x0000…dEaD)"]


def test_new_and_removed_holders_of_a_power(diff):
    new = base()
    new["control_graph"]["edges"] = [e for e in edges(new) if e["to"] != ADMIN]
    edges(new).append(edge(STRANGER, TOKEN, "upgrade", "fallback()"))
    assert changed(diff, new) == [
        f"high     holder-added            EOA {short(STRANGER)} can now upgrade ProxiedToken via EIP-1967 proxy {short(TOKEN)}",
        f"low      holder-removed          Safe 2-of-3 {short(SAFE)} can no longer own ProxyAdmin {short(ADMIN)}",
    ]


def test_a_power_opened_to_anyone_is_critical(diff):
    new = base()
    edges(new).append(edge("anyone", TOKEN, "mint", "mint(address,uint256)"))
    code, out, _ = diff(base(), new, "--format", "json")
    assert json.loads(out)["changes"] == [{
        "kind": "holder-added", "subject": f"owner of ProxiedToken via EIP-1967 proxy {short(TOKEN)}", "old": None,
        "new": "anyone", "severity": "critical",
        "message": f"anyone can now mint ProxiedToken via EIP-1967 proxy {short(TOKEN)}"}]


def test_role_members_joining_and_leaving(diff):
    new = base()
    for e in edges(new):
        if e["to"] == ROLE_TOKEN:
            e["from"] = STRANGER
    assert changed(diff, new) == [
        f"high     role-member-added       EOA {short(STRANGER)} joined MINTER_ROLE of RoleToken {short(ROLE_TOKEN)}: can now mint",
        f"low      role-member-removed     EOA {short(MINTER)} left MINTER_ROLE of RoleToken {short(ROLE_TOKEN)}: can no longer mint",
    ]


def test_a_holder_gaining_a_power_after_an_upgrade(diff):
    new = base()
    edges(new).append(edge(DEPLOYER, TOKEN, "pause", "pause()"))
    new["facts"]["contracts"][1]["entry_points"].append(entry("pause()", "pause", {"kind": "owner", "detail": "_owner"}))
    assert changed(diff, new) == [
        f"medium   power-added             EOA {short(DEPLOYER)} can now also pause ProxiedToken via EIP-1967 proxy {short(TOKEN)}"]


def test_multisig_threshold_and_signers(diff):
    new = base()
    safe = nodes(new)[SAFE]
    safe["threshold"], safe["owners"] = 1, [OWNER_A, OWNER_B, STRANGER]
    new["control_graph"]["edges"] = [e for e in edges(new) if e["to"] != SAFE]
    new["control_graph"]["edges"] += [edge(a, SAFE, "sign (1-of-3)") for a in (OWNER_A, OWNER_B, STRANGER)]
    assert changed(diff, new) == [
        f"high     threshold-lowered       Safe {short(SAFE)} now needs 1 of 3 signatures (was 2 of 3)",
        f"medium   signer-added            EOA {short(STRANGER)} can now sign for Safe {short(SAFE)}",
        f"low      signer-removed          EOA {short(OWNER_C)} can no longer sign for Safe {short(SAFE)}",
    ]
    back = diff(new, base(), "--format", "json")[1]
    assert [(c["kind"], c["old"], c["new"], c["severity"]) for c in json.loads(back)["changes"]] == [
        ("signer-added", None, OWNER_C, "medium"), ("signer-removed", STRANGER, None, "low"), ("threshold-raised", "1", "2", "low")]


def test_timelock_delay_shortened_and_lengthened(diff):
    new = base()
    nodes(new)[TIMELOCK]["delay"] = 3600
    edges(new)[-1]["delay"] = 3600
    assert changed(diff, new) == [
        f"high     delay-shortened         delay of TimelockController {short(TIMELOCK)} shortened from 2 days to 1 hour"]
    code, out, _ = diff(new, base())
    assert out.splitlines()[1:] == [
        f"low      delay-lengthened        delay of TimelockController {short(TIMELOCK)} lengthened from 1 hour to 2 days"]


def test_a_delay_on_one_power_changing_on_its_own(diff):
    new = base()
    edges(new)[-1]["delay"] = 86400  # the timelock's own delay stays two days
    assert changed(diff, new) == [
        f"high     delay-shortened         delay of EOA {short(DEPLOYER)} to propose TimelockController (2 days delay) "
        f"{short(TIMELOCK)} shortened from 2 days to 1 day"]


def test_implementation_changed(diff):
    new = base()
    nodes(new)[TOKEN]["details"]["implementations"] = [IMPL_2]
    assert changed(diff, new) == [
        f"high     implementation-changed  ProxiedToken via EIP-1967 proxy {short(TOKEN)} was upgraded: its code is now at "
        f"{short(IMPL_2)} (was {short(IMPL_1)})"]


def test_implementation_changed_seen_in_the_label_of_an_older_report(diff):
    old, new = base(), base()
    del nodes(old)[TOKEN]["details"]["implementations"]
    del nodes(new)[TOKEN]["details"]["implementations"]
    nodes(new)[TOKEN]["label"] = "ProxiedTokenV2 via EIP-1967 proxy"
    new["facts"]["contracts"][1]["name"] = "ProxiedTokenV2"
    code, out, _ = diff(old, new)
    assert out.splitlines()[1:] == [
        f"high     implementation-changed  {short(TOKEN)} was upgraded: it now runs ProxiedTokenV2 via EIP-1967 proxy "
        "(was ProxiedToken via EIP-1967 proxy)"]


def test_other_settings_and_kinds_of_an_address(diff):
    new = base()
    nodes(new)[TIMELOCK]["details"]["cancellers"] = [DEPLOYER, STRANGER]
    nodes(new)[STRANGER].update(label="EOA (EIP-7702)", details={"delegate": IMPL_2})
    nodes(new)[MINTER].update(kind="contract", label="contract")
    assert changed(diff, new) == [
        f"medium   kind-changed            {short(MINTER)} was EOA {short(MINTER)}, is now contract {short(MINTER)}",
        f"medium   setting-changed         cancellers of TimelockController {short(TIMELOCK)} changed from {DEPLOYER} to {DEPLOYER}, {STRANGER}",
        f"medium   setting-changed         delegate of EOA (EIP-7702) {short(STRANGER)} changed from none to {IMPL_2}",
    ]


def test_new_and_resolved_findings(diff):
    new = base()
    new["findings"] = [new["findings"][0], finding(NEW_ID, "upgrade-no-timelock", "critical", "ProxiedToken", "", 3)]
    assert changed(diff, new) == [
        "critical finding-new             new critical finding upgrade-no-timelock at contracts/Token.sol:3 ProxiedToken: "
        "upgrade-no-timelock message",
        "info     finding-resolved        resolved medium finding economic-fee-settable at contracts/Token.sol:20 "
        "ProxiedToken.setTax(uint256)",
    ]


def test_score_grade_stage_and_axes(diff):
    new = base()
    new["score"].update(total=48.0, grade="D", stage=0, stage_reasons=["upgrades skip the exit window"],
                        axes=axes(35.0, 100.0, 42.5))
    new["score"]["contracts"][0]["total"] = 45.0
    assert changed(diff, new) == [
        "high     score-lowered           score fell from 62.5 to 48",
        "high     stage-lowered           stage fell from 1 to 0: upgrades skip the exit window",
        "medium   grade-lowered           grade fell from C to D",
        "low      score-lowered           governance concentration score fell from 55 to 35",
        "low      score-lowered           score of ProxiedToken fell from 50 to 45",
        "info     score-raised            economic control score rose from 40 to 42.5",
    ]
    code, out, _ = diff(new, base())
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["score-lowered", "grade-raised"] + ["score-raised"] * 3 + ["stage-raised"]


def test_a_report_without_a_score_compares_the_rest(diff):
    old = base()
    del old["score"]
    assert diff(old, base())[1] == "old.json (block 100) -> new.json (block 100): no changes\n"


def test_holder_concentration(diff):
    new = base()
    new["holders"][0].update(top1=0.55, nakamoto=1)
    assert changed(diff, new) == [
        f"high     concentration-increased 1 holder(s) of RoleToken {short(ROLE_TOKEN)} now hold a majority (was 2)",
        f"medium   concentration-increased the largest holder of RoleToken {short(ROLE_TOKEN)} holds 55.0% (was 40.0%)",
    ]
    small = base()
    small["holders"][0]["top1"] = 0.405  # a transfer's worth: not a change
    assert changed(diff, small) == []


def test_lost_visibility_is_said_before_the_powers_it_hides(diff):
    new = base()
    new["skipped"] = [{"target": f"anvil:{ROLE_TOKEN}", "reason": "RPC down"}]
    new["control_graph"]["edges"] = [e for e in edges(new) if e["to"] != ROLE_TOKEN]
    new["control_graph"]["unresolved"] = [{"contract": TOKEN, "principal": "_pauser", "reason": "no getter for '_pauser'"}]
    assert changed(diff, new) == [
        f"medium   holder-unresolved       who holds _pauser of ProxiedToken via EIP-1967 proxy {short(TOKEN)} could not be read: "
        "no getter for '_pauser'",
        f"medium   target-skipped          anvil:{ROLE_TOKEN} could not be scanned: RPC down",
        f"low      role-member-removed     EOA {short(MINTER)} left MINTER_ROLE of RoleToken {short(ROLE_TOKEN)}: can no longer mint",
    ]
    code, out, _ = diff(new, base())
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["role-member-added", "holder-resolved", "target-scanned"]


def test_the_graph_names_the_code_behind_each_proxy():
    """What an upgrade is seen by: every implementation a proxy's node runs (a diamond has several)."""
    from inspector.chain.graph import Deployment, build_graph
    from inspector.facts.model import ContractFacts

    class Chain:  # every address holds code that answers no getter
        block = 1

        def code(self, address):
            return b"\x60"

        def call(self, *args):
            return None

        def address_call(self, *args):
            return None

        def storage(self, *args):
            return bytes(32)

    def deployment(name, address, code_address, via):
        return Deployment(ContractFacts(name, f"{name}.sol", 1, ("token",), ()), address, code_address, via)

    graph = build_graph(Chain(), [deployment("Facet1", TOKEN, IMPL_2, "EIP-2535 diamond proxy"),
                                  deployment("Facet2", TOKEN, IMPL_1, "EIP-2535 diamond proxy"),
                                  deployment("RoleToken", ROLE_TOKEN, ROLE_TOKEN, "")])
    assert graph.nodes[TOKEN].details == {"implementations": [IMPL_1, IMPL_2]}
    assert graph.nodes[ROLE_TOKEN].details == {}


def test_fail_on_change_gates_the_exit_code(diff):
    new = base()
    nodes(new)[TIMELOCK]["delay"] = 3600  # high
    assert diff(base(), new, "--fail-on-change", "high")[0] == 1
    assert diff(base(), new, "--fail-on-change", "critical")[0] == 0
    assert diff(base(), new)[0] == 0
    assert diff(base(), base(), "--fail-on-change", "info")[0] == 0


def test_output_file(diff, tmp_path):
    new = base()
    nodes(new)[TIMELOCK]["delay"] = 3600
    code, out, err = diff(base(), new, "--format", "json", "-o", tmp_path / "changes.json")
    assert (code, out, err) == (0, "", "")
    document = json.loads((tmp_path / "changes.json").read_text())
    assert document["old"] == {"file": "old.json", "targets": [TARGET, f"anvil:{ROLE_TOKEN}", f"anvil:{TIMELOCK}"],
                               "chain": "anvil (31337)", "block": 100}
    assert [c["kind"] for c in document["changes"]] == ["delay-shortened"]


def test_a_schema_2_report_names_its_targets_as_strings(diff):
    """Reports written before schema 3 (targets as strings) are still compared."""
    old = {**base(), "schema_version": "2.0", "targets": [TARGET, f"anvil:{ROLE_TOKEN}", f"anvil:{TIMELOCK}"]}
    new = base()
    nodes(new)[TIMELOCK]["delay"] = 3600
    code, out, err = diff(old, new, "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["old"]["targets"] == [TARGET, f"anvil:{ROLE_TOKEN}", f"anvil:{TIMELOCK}"]


def test_reports_of_different_systems_need_force(diff):
    other = base()
    other["targets"] = [{"target": "mainnet:0x" + "99" * 20, "match": "verified", "codes": []}]
    code, out, err = diff(base(), other)
    assert (code, out) == (2, "")
    assert err == ("error: old.json and new.json share no target: they are reports of different systems "
                   "(compare two scans of the same targets, or pass --force)\n")
    assert diff(base(), other, "--force")[0] == 0


def test_a_real_scan_of_the_example_against_itself_changed(run_cli, tmp_path):
    """A report the scanner wrote, read back: the reader and the schema agree."""
    code, out, err = run_cli(["scan", "examples/token-launch", "--format", "json", "--fail-on", "none"])
    assert code == 0, err
    old = json.loads(out)
    new = copy.deepcopy(old)
    new["findings"] = new["findings"][1:]
    (tmp_path / "old.json").write_text(out)
    (tmp_path / "new.json").write_text(json.dumps(new))
    code, out, err = run_cli(["diff", "old.json", "new.json"], cwd=tmp_path)
    first = old["findings"][0]
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        f"info     finding-resolved        resolved high finding {first['rule']} at {first['file']}:{first['line']} "
        f"{first['contract']}.{first['function']}"]


_HINT = " (pass a file written by 'inspector scan --format json')"


@pytest.mark.parametrize("text, message", [
    ("{not json", "old.json: not JSON: Expecting property name enclosed in double quotes at line 1 column 2 "
                  "(pass a JSON report written by 'inspector scan --format json')"),
    ("[]", "old.json: not an inspector report: the document is not an object" + _HINT),
    (json.dumps({**base(), "schema_version": "4.0"}),
     "old.json: schema_version 4.0 is not supported (this inspector reads 1.x, 2.x and 3.x reports; scan again with it)"),
    (json.dumps({k: v for k, v in base().items() if k != "findings"}), "old.json: not an inspector report: findings is missing" + _HINT),
    (json.dumps({**base(), "targets": "anvil:0x"}), "old.json: not an inspector report: targets is not a list" + _HINT),
    (json.dumps({**base(), "findings": [{**base()["findings"][0], "severity": "urgent"}]}),
     "old.json: not an inspector report: findings[0].severity 'urgent' is not a severity" + _HINT),
    (json.dumps({**base(), "control_graph": {**base()["control_graph"], "nodes": [{"address": 5}]}}),
     "old.json: not an inspector report: control_graph.nodes[0].address is not a string" + _HINT),
    (json.dumps({**base(), "facts": {"contracts": [{**base()["facts"]["contracts"][1], "entry_points": [
        entry("pause()", "pause", {"kind": "ownr", "detail": "_owner"})]}]}}),
     "old.json: not an inspector report: facts.contracts[0].entry_points[0].guards[0].kind 'ownr' is not a guard kind" + _HINT),
], ids=["not-json", "not-object", "schema-4", "no-findings", "targets-string", "bad-severity", "bad-address", "bad-guard-kind"])
def test_invalid_reports_are_one_line_and_exit_2(run_cli, tmp_path, text, message):
    (tmp_path / "old.json").write_text(text)
    (tmp_path / "new.json").write_text(json.dumps(base()))
    assert run_cli(["diff", "old.json", "new.json"], cwd=tmp_path) == (2, "", f"error: {message}\n")


def test_missing_report_file(run_cli, tmp_path):
    (tmp_path / "new.json").write_text(json.dumps(base()))
    code, out, err = run_cli(["diff", "old.json", "new.json"], cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == "error: cannot read old.json: No such file or directory (pass a JSON report written by 'inspector scan --format json')\n"
