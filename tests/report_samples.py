"""A hand-made scan result for the report tests: a control graph (a token whose mint sits
behind a timelock proposed by a 2-of-3 Safe, and a pause held by one key), a score, and a
finding whose contract name and message try to break out of Markdown, Mermaid and HTML."""
from __future__ import annotations

from inspector.chain.accounts import Account
from inspector.chain.graph import ControlGraph, Edge
from inspector.vocabulary import EdgeKind
from inspector.rules.catalogue import load_rules
from inspector.facts.model import Facts
from inspector.findings import Evidence, Finding, Severity
from inspector.result import ScanResult, UnitSummary
from inspector.config import Config
from inspector.score.compute import compute
from inspector.score.model import Acknowledged, Coverage, Holder, Power

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
        Edge(SAFE, TIMELOCK, EdgeKind.PROPOSE, "", 2 * 86400),
        *(Edge(owner, SAFE, EdgeKind.SIGN, "", threshold=(2, 3)) for owner in OWNERS),
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

SKIPPED = (("mainnet:0x00000000000000000000000000000000000000ff", "not verified on Etherscan or Sourcify"),)
POWERS = (
    Power("Token", "mint", ("mint(address,uint256)",), "", (Holder(SAFE, "multisig", 2 * 86400, 2, 3),), token=True,
          finding_ids=(FINDINGS[0].id,)),
    Power(HOSTILE, "pause", ("pause()",), "", (), unresolved=True, finding_ids=(FINDINGS[1].id,),
          acknowledged=(Acknowledged("economic-pausable", "0123456789abcdef", "line", "contracts/Token.sol", 3),)),
)
SCORE = compute(POWERS, Config(), Coverage(2, SKIPPED, (), (POWERS[1].name,)), chain_read=True, contracts=("Token", HOSTILE))


def result(with_graph: bool = True, with_score: bool = True) -> ScanResult:
    return ScanResult(
        targets=("mainnet:" + TOKEN,),
        units=(UnitSummary("0.8.28", "solcjs", 1, ("contracts/Token.sol",)),),
        facts=Facts(contracts=()),
        findings=FINDINGS,
        skipped=SKIPPED,
        graph=graph() if with_graph else None,
        chain="mainnet",
        block=19000000,
        score=SCORE if with_score else None,
        sources={"contracts/Token.sol": SOURCE},
        rules=tuple(load_rules()),
    )
