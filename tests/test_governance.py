"""Does the vote decide? The governance section of a scan (chain/governors.py, chain/votes.py)
and the governance rules, on anvil, with the example system's DaoToken, DaoGovernor,
TimelockController and MintableToken:

- `governed`: holders delegated unevenly; the governor's 7-day timelock owns one token, an
  EOA owns another;
- three systems the rules' fixtures (fixtures/contracts/governance-*/) describe: decorative
  (an EOA owns the token; the governor owns nothing), whale (one delegate has 60% of the
  votes; the timelock owns the token), healthy (the timelock owns the token; votes spread
  over 20 delegates)."""
from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner
from web3 import Web3

from conftest import DEPLOYED, FIXTURES

sys.path.insert(0, str(DEPLOYED))
from devnet import EVM_VERSION, Devnet, compile_system  # noqa: E402

WEEK = 7 * 24 * 3600
E18 = 10**18


class _Chain:
    """A devnet to deploy the example system's contracts on, and a cache for the scans of it."""

    def __init__(self, tmp_path_factory, name: str) -> None:
        from conftest import SHARED_CACHE

        cache = tmp_path_factory.mktemp(name)
        (cache / "solcjs").symlink_to(SHARED_CACHE / "solcjs")
        self.env = {"INSPECTOR_CACHE_DIR": str(cache), "NO_PROXY": "127.0.0.1,localhost"}
        self.artifacts, _ = compile_system()
        self.devnet = Devnet(accounts=25)  # the healthy system spreads its votes over 20 holders

    def __enter__(self) -> "_Chain":
        self.devnet.__enter__()
        self.w3 = Web3(Web3.HTTPProvider(self.devnet.url, request_kwargs={"timeout": 30}))
        return self

    def __exit__(self, *exc) -> None:
        self.devnet.__exit__(*exc)

    def send(self, call, sender=None) -> None:
        tx = call.transact({"from": sender or self.w3.eth.accounts[0]})
        assert self.w3.eth.wait_for_transaction_receipt(tx).status == 1

    def new(self, name: str, *args):
        artifact = self.artifacts[name]
        tx = self.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode).constructor(*args).transact({"from": self.w3.eth.accounts[0]})
        return self.w3.eth.contract(address=self.w3.eth.wait_for_transaction_receipt(tx).contractAddress, abi=artifact.abi)


@pytest.fixture(scope="module")
def governed(tmp_path_factory):
    """(rpc url, addresses, CLI environment)."""
    with _Chain(tmp_path_factory, "governance-cache") as chain:
        w3, send, new = chain.w3, chain.send, chain.new
        deployer, whale, second, third, outsider = w3.eth.accounts[:5]
        token = new("DaoToken", deployer)  # 10,000,000 DAO to the deployer
        for holder, amount in ((whale, 6_000_000), (second, 2_500_000), (third, 1_000_000)):
            send(token.functions.transfer(holder, amount * E18))
        send(token.functions.delegate(whale), whale)
        send(token.functions.delegate(second), second)
        send(token.functions.delegate(second), third)  # the third holder lends its votes: 3,500,000 for `second`
        # the deployer keeps 500,000 undelegated: they vote for nobody
        timelock = new("TimelockController", WEEK, [], ["0x" + "00" * 20], deployer)
        governor = new("DaoGovernor", token.address, timelock.address)
        send(timelock.functions.grantRole(timelock.functions.PROPOSER_ROLE().call(), governor.address))
        send(timelock.functions.renounceRole(timelock.functions.DEFAULT_ADMIN_ROLE().call(), deployer))
        governed_token = new("MintableToken", timelock.address)
        keyed_token = new("MintableToken", outsider)
        addresses = dict(deployer=deployer, whale=whale, second=second, outsider=outsider, token=token.address,
                         timelock=timelock.address, governor=governor.address, governed_token=governed_token.address,
                         keyed_token=keyed_token.address)
        yield chain.devnet.url, addresses, chain.env


def scan(governed, *labels, form: str = "json"):
    from inspector.cli import cli

    url, a, env = governed
    args = ["scan", *(f"anvil:{a[label]}" for label in labels), "--rpc", url, "--project", str(DEPLOYED), "--optimize",
            "--evm-version", EVM_VERSION, "--format", form, "--fail-on", "none"]
    result = CliRunner(mix_stderr=False).invoke(cli, args, env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout) if form == "json" else result.stdout


def test_the_governor_s_rules_votes_and_reach(governed):
    _, a, _ = governed
    report = scan(governed, "governor", "governed_token", "keyed_token")
    [entry] = report["governance"]
    assert entry == {
        "governor": a["governor"], "token": a["token"], "timelock": a["timelock"],
        "quorum": str(400_000 * E18),  # 4% of the supply
        "proposal_threshold": "0", "voting_delay": 7200, "voting_period": 50400, "clock": "blocks",
        "votes_source": "DelegateVotesChanged logs, checked against getVotes",
        "delegates": 2, "delegated_votes": str(9_500_000 * E18), "supply": str(10_000_000 * E18), "delegated_share": 0.95,
        "holders_to_quorum": 1, "holders_to_majority": 1,
        "top_delegates": [
            {"address": a["whale"], "votes": str(6_000_000 * E18), "share": 6 / 9.5, "label": ""},
            {"address": a["second"], "votes": str(3_500_000 * E18), "share": 3.5 / 9.5, "label": ""},
        ],
        # the governed token's mint, ownership transfer and renouncement, through the timelock;
        # not the keyed token's three, which its EOA owner holds
        "powers_reachable": 3, "powers_total": 6,
    }


def _system(w3, new, send, shares: list[int], governed: bool, delay: int = WEEK) -> dict:
    """A DaoToken whose supply the devnet's accounts 1.. hold and self-delegate by `shares`
    (per cent; the deployer keeps the rest, undelegated), its governor and timelock (7 days
    unless `delay` says; admin renounced), and a MintableToken owned by the timelock or by
    the deployer."""
    deployer, holders = w3.eth.accounts[0], w3.eth.accounts[1:1 + len(shares)]
    assert len(holders) == len(shares), "the devnet has too few accounts"
    token = new("DaoToken", deployer)
    for holder, share in zip(holders, shares):
        send(token.functions.transfer(holder, share * 100_000 * E18))
        send(token.functions.delegate(holder), holder)
    timelock = new("TimelockController", delay, [], ["0x" + "00" * 20], deployer)
    governor = new("DaoGovernor", token.address, timelock.address)
    send(timelock.functions.grantRole(timelock.functions.PROPOSER_ROLE().call(), governor.address))
    send(timelock.functions.renounceRole(timelock.functions.DEFAULT_ADMIN_ROLE().call(), deployer))
    owned = new("MintableToken", timelock.address if governed else deployer)
    return dict(token=token.address, timelock=timelock.address, governor=governor.address, owned=owned.address,
                deployer=deployer, first=holders[0])


SYSTEMS = {"decorative": ([20, 20, 20, 20, 15], False), "whale": ([60, 10, 10, 10, 5], True), "healthy": ([4] * 20, True)}
HASTY = ([30, 30, 30], True, 24 * 3600)  # three delegates, two of them a majority; a 1-day timelock


@pytest.fixture(scope="module")
def systems(tmp_path_factory):
    """name -> (rpc url, addresses, CLI environment) for the three systems, on one chain."""
    with _Chain(tmp_path_factory, "governance-systems-cache") as chain:
        deployed = {name: (chain.devnet.url, _system(chain.w3, chain.new, chain.send, shares, owned), chain.env)
                    for name, (shares, owned) in SYSTEMS.items()}
        deployed["hasty"] = (chain.devnet.url, _system(chain.w3, chain.new, chain.send, *HASTY), chain.env)
        yield deployed


def _expected(rule: str, kind: str, a: dict) -> list[dict]:
    """The fixture's expected findings, its addresses filled in from the deployment."""
    from inspector.chain.accounts import short

    spec = json.loads((FIXTURES / rule / kind / "expected.json").read_text())
    assert spec["chain"] == "tests/test_governance.py" and spec["rules"] == [rule]
    names = {**a, **{f"{label}_short": short(address) for label, address in a.items()}}
    return [{k: (v.format(**names) if isinstance(v, str) else v) for k, v in f.items()} for f in spec["findings"]]


WHOLE = ("governor", "token", "owned")


@pytest.mark.parametrize("rule, kind, system, targets", [
    ("governance-decorative", "positive", "decorative", WHOLE), ("governance-decorative", "negative", "healthy", WHOLE),
    ("governance-majority-holder", "positive", "whale", WHOLE), ("governance-majority-holder", "negative", "healthy", WHOLE),
    # the decorative system's governor reaches nothing the token and its owned token lead to;
    # the healthy one's owns the token through its timelock
    ("governance-offchain-votes", "positive", "decorative", ("token", "owned")),
    ("governance-offchain-votes", "negative", "healthy", ("token", "owned")),
])
def test_governance_rule_fixtures_on_anvil(systems, rule, kind, system, targets):
    report = scan(systems[system], *targets)
    _, a, _ = systems[system]
    got = [{k: f[k] for k in ("rule", "severity", "confidence", "contract", "function", "principal", "holder", "message")}
           for f in report["findings"] if f["rule"] == rule]
    assert got == _expected(rule, kind, a)


def test_markdown_and_html_show_the_rules_the_holder_counts_and_the_spread(governed):
    from inspector.chain.accounts import short

    _, a, _ = governed
    markdown = scan(governed, "governor", "governed_token", "keyed_token", form="markdown")
    section = markdown.split("## Governance\n\n")[1].split("\n## ")[0]
    assert section.splitlines()[:13] == [
        "| | |", "| --- | --- |", f"| governor | `{a['governor']}` |", f"| voting token | `{a['token']}` |",
        f"| timelock | `{a['timelock']}` |", f"| quorum | {400_000 * E18} |", "| proposal threshold | 0 |",
        "| voting delay | 7200 blocks |", "| voting period | 50400 blocks |",
        "| delegates | 2 (95.0% of the supply delegated; DelegateVotesChanged logs, checked against getVotes) |",
        "| holders to reach the quorum | 1 |", "| holders to a majority | 1 |", "| powers it reaches | 3 of 6 |"]
    assert ("```mermaid\npie showData title voting power (share of the supply)\n"
            f'  "{short(a["whale"])}" : 60.00\n  "{short(a["second"])}" : 35.00\n  "not delegated" : 5.00\n```') in section
    html = scan(governed, "governor", "governed_token", "keyed_token", form="html")
    chart = html.split('<section id="governance">')[1].split("</section>")[0]
    assert "<td>holders to a majority</td><td>1</td>" in chart
    # one bar a slice, its length its share of the 360-pixel track
    bars = [part.rsplit('width="', 1)[1].split('"')[0] for part in chart.split('" height="14" fill="#3d7bd9"/>')[:-1]]
    assert bars == ["216.0", "126.0", "18.0"]
    assert [label.split("<")[0] for label in chart.split('font-size="12">')[1:]] == [
        short(a["whale"]), "60.0%", short(a["second"]), "35.0%", "not delegated", "5.0%"]


def test_the_text_report_says_the_same(governed):
    _, a, _ = governed
    out = scan(governed, "governor", "governed_token", "keyed_token", form="text")
    section = out.split(f"Governance of {a['governor']}:\n")[1].split("\n\n")[0]
    assert section.splitlines() == [
        f"  voting token: {a['token']}", f"  timelock: {a['timelock']}", f"  quorum: {400_000 * E18}", "  proposal threshold: 0",
        "  voting delay: 7200 blocks", "  voting period: 50400 blocks",
        "  delegates: 2 (95.0% of the supply delegated; DelegateVotesChanged logs, checked against getVotes)",
        "  holders to reach the quorum: 1", "  holders to a majority: 1", "  powers it reaches: 3 of 6"]


def test_no_governor_no_governance_section(governed):
    assert scan(governed, "keyed_token")["governance"] == []


def test_scores_order_healthy_over_whale_over_decorative(systems):
    """The whale's governor is one account: its mint counts as that account's, after the
    timelock's 7 days; the decorative system's mint is an EOA's at once."""
    scores = {name: scan(systems[name], *WHOLE)["score"] for name in SYSTEMS}
    assert scores["healthy"]["total"] > scores["whale"]["total"] > scores["decorative"]["total"]
    mint = {name: next(d for d in s["deductions"] if d["power"] == "MintableToken.mint") for name, s in scores.items()}
    assert mint["healthy"]["reason"] == "can mint (uncapped); held by on-chain governance, after 7 days"
    assert mint["whale"]["reason"] == ("can mint (uncapped); held by one account holding the majority of the governor's votes, "
                                       "after 7 days")
    assert mint["decorative"]["reason"] == "can mint (uncapped); held by one key (EOA), no delay"
    assert (scores["healthy"]["stage"], scores["whale"]["stage"], scores["decorative"]["stage"]) == (1, 1, 0)
    assert ("MintableToken.mint: held by one account holding the majority of the governor's votes, after 7 days; stage 2 needs "
            "30 days through on-chain governance") in scores["whale"]["stage_reasons"]


def test_a_governor_with_no_exit_window_counts_as_the_delegates_that_win_its_votes(systems):
    """A 1-day timelock leaves no exit window: the two delegates that make a majority act like a
    2-of-3 multisig (0.6), not like governance (0.35), and the reasons say so."""
    score = scan(systems["hasty"], *WHOLE)["score"]
    mint = next(d for d in score["deductions"] if d["power"] == "MintableToken.mint")
    assert mint["reason"] == "can mint (uncapped); held by on-chain governance with no exit window (2 delegates win a vote), after 1 day"
    assert mint["holder_factor"] == 0.6
    assert score["stage"] == 0
    assert ("MintableToken.mint: held by on-chain governance with no exit window (2 delegates win a vote), after 1 day; stage 1 "
            "needs a 7-day exit window or a qualifying security council") in score["stage_reasons"]


@pytest.mark.parametrize("system, delegates, share, majority, reachable", [
    ("decorative", 5, 0.95, 3, 0),  # 20+20+20 of 95 is a majority; the governor reaches none of the token's 3 powers
    ("whale", 5, 0.95, 1, 3),
    ("healthy", 20, 0.80, 11, 3),  # 11 delegates of 4% make 44% of the supply, more than half of the 80% delegated
])
def test_the_governance_numbers_of_each_system(systems, system, delegates, share, majority, reachable):
    [entry] = scan(systems[system], *WHOLE)["governance"]
    assert (entry["delegates"], entry["delegated_share"], entry["holders_to_quorum"], entry["holders_to_majority"],
            entry["powers_reachable"], entry["powers_total"], entry["quorum"]) == (
        delegates, pytest.approx(share), 1, majority, reachable, 3, str(400_000 * E18))
