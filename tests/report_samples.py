"""A hand-made scan result for the report tests: a control graph (a token whose mint sits
behind a timelock proposed by a 2-of-3 Safe, and a pause held by one key), a score, and a
finding whose contract name and message try to break out of Markdown, Mermaid and HTML."""
from __future__ import annotations

from inspector.chain.accounts import Account
from inspector.chain.graph import ControlGraph, Edge
from inspector.catalogue import load_rules
from inspector.facts.model import Facts
from inspector.findings import Evidence, Finding, Severity
from inspector.scan import ScanResult, UnitSummary
from inspector.score.model import Axes, ContractScore, Deduction, Score

TOKEN = "0x1000000000000000000000000000000000000001"
TIMELOCK = "0x2000000000000000000000000000000000000002"
SAFE = "0x3000000000000000000000000000000000000003"
OWNERS = ("0x4000000000000000000000000000000000000004", "0x5000000000000000000000000000000000000005",
          "0x6000000000000000000000000000000000000006")
PAUSER = "0x7000000000000000000000000000000000000007"
HOSTILE = '<script>alert(1)</script>"] --> x["|#'

SOURCE = "\n".join([
    "// SPDX-License-Identifier: MIT",
    "pragma solidity ^0.8.20;",
    "",
    "contract Token {",
    "    address public owner;",
    "    function mint(address to, uint256 amount) external {",
    "        require(msg.sender == owner); // the line the finding points at",
    "        balances[to] += amount;",
    "    }",
    "}",
])


def graph() -> ControlGraph:
    nodes = [
        Account(TOKEN, "token", "Token"),
        Account(TIMELOCK, "timelock", "TimelockController", delay=2 * 86400),
        Account(SAFE, "multisig", "Safe", threshold=2, owners=list(OWNERS)),
        *(Account(owner, "eoa", "EOA") for owner in OWNERS),
        Account(PAUSER, "contract", HOSTILE),
    ]
    edges = [
        Edge(TIMELOCK, TOKEN, "mint", "mint(address,uint256)"),
        Edge(SAFE, TIMELOCK, "propose", "", 2 * 86400),
        *(Edge(owner, SAFE, "sign (2-of-3)", "") for owner in OWNERS),
        Edge(PAUSER, TOKEN, "pause", "pause()"),
    ]
    return ControlGraph(nodes={a.address: a for a in nodes}, edges=edges,
                        unresolved=[(TOKEN, "_guardian", "no getter or known slot for '_guardian'")])


FINDINGS = (
    Finding("admin-key-single-owner", "admin-key", Severity.HIGH, "high", "Token", "mint(address,uint256)", "contracts/Token.sol", 7,
            "the single key in 'owner' can mint", (Evidence("contracts/Token.sol", 8, "mint: balances"),), "owner",
            "TimelockController (2 days delay) 0x2000…0002"),
    Finding("economic-pausable", "economic-control", Severity.MEDIUM, "high", HOSTILE, "pause()", "contracts/Token.sol", 4,
            f"{HOSTILE} can pause <b>everything</b> | `tick` ```", principal="pauser"),
)

SCORE = Score(
    total=61.5, grade="C", stage=0,
    stage_reasons=("mint(address,uint256) takes effect after 2 days, under the 7 days stage 1 asks",),
    axes=Axes(governance_concentration=55.0, offchain_dependency=100.0, economic_control=29.5),
    deductions=(
        Deduction("governance_concentration", 45.0, "admin-key-single-owner", (FINDINGS[0].id,), "mint held by a timelock of 2 days"),
        Deduction("economic_control", 25.5, "economic-pausable", (FINDINGS[1].id,), "pause held by one key", unresolved=True),
    ),
    contracts=(ContractScore("Token", 61.5, Axes(55.0, 100.0, 29.5)),),
    unresolved_note="1 power was counted as held by one key; --rpc would read its holder",
)


def result(with_graph: bool = True, with_score: bool = True) -> ScanResult:
    return ScanResult(
        targets=("mainnet:" + TOKEN,),
        units=(UnitSummary("0.8.28", "solcjs", 1, ("contracts/Token.sol",)),),
        facts=Facts(contracts=()),
        findings=FINDINGS,
        skipped=(("mainnet:0x00000000000000000000000000000000000000ff", "not verified on Etherscan or Sourcify"),),
        graph=graph() if with_graph else None,
        chain="mainnet",
        block=19000000,
        score=SCORE if with_score else None,
        sources={"contracts/Token.sol": SOURCE},
        rules=tuple(load_rules()),
    )
