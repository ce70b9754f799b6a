"""Names for what the control graph reaches (inspector/chain/names.py), without a chain: the
fingerprints on the runtime code solc made of examples/deployed-system, and on code written
here. On anvil, with the project and without: tests/test_chain.py."""
from __future__ import annotations

import json
import sys

import pytest

from inspector.chain.accounts import Account
from inspector.chain.names import FINGERPRINTS, Fingerprint, Namer, code_selectors, fingerprint
from inspector.report import json_report, view
from inspector.report.reader import parse_report

from conftest import DEPLOYED
from report_samples import result

sys.path.insert(0, str(DEPLOYED))
from devnet import compile_system  # noqa: E402


@pytest.fixture(scope="module")
def runtime() -> dict[str, bytes]:
    """Contract name -> runtime code, as the demo deploys it (optimizer on, cancun)."""
    from inspector.compile.solc import compile_bundle
    from inspector.paths import cache_dir
    from inspector.store import Store

    _, bundle = compile_system()
    store = Store(cache_dir() / "inspector.db")
    output = compile_bundle(bundle, store).output
    store.close()
    return {name: bytes.fromhex(info["evm"]["deployedBytecode"]["object"])
            for contracts in output["contracts"].values() for name, info in contracts.items()}


def test_well_known_implementations_are_recognised_from_their_selectors(runtime):
    found = {name: fingerprint(runtime[name]) for name in (
        "ProxyAdmin", "TimelockController", "TeamTimelock", "DaoGovernor", "DaoToken", "MintableToken", "Safe",
        "UpgradeableBeacon", "CompoundTimelock")}
    assert found == {
        "ProxyAdmin": "OpenZeppelin ProxyAdmin (5.x)",
        "TimelockController": "OpenZeppelin TimelockController",
        "TeamTimelock": "OpenZeppelin TimelockController",  # a contract of its own over it: the same interface
        "DaoGovernor": "OpenZeppelin Governor",
        "DaoToken": "ERC20Votes token",  # the most specific of the fingerprints it has every selector of
        "MintableToken": "ERC20 token",
        "Safe": "Safe singleton",
        "UpgradeableBeacon": "OpenZeppelin UpgradeableBeacon",
        "CompoundTimelock": "Compound Timelock",
    }


def test_code_of_no_well_known_implementation_is_not_named(runtime):
    # the demo's own contracts, and proxies whose dispatch has no selectors
    for name in ("FeeCollector", "Diamond", "BeaconVault", "TransactionGuard", "ERC1967Proxy", "SafeProxy"):
        assert fingerprint(runtime[name]) is None, name
    assert fingerprint(b"") is None


def test_a_fingerprint_needs_every_selector(runtime):
    # ProxyAdmin 5 without UPGRADE_INTERFACE_VERSION() is not it, whatever else it shares
    almost = Fingerprint("almost", ("upgradeAndCall(address,address,bytes)", "owner()", "notInTheCode(uint256)"))
    assert fingerprint(runtime["ProxyAdmin"], [almost]) is None
    assert fingerprint(runtime["ProxyAdmin"], [almost, Fingerprint("owned", ("owner()",))]) == "owned"
    # selectors come from the signature text: owner() is 0x8da5cb5b
    assert Fingerprint("owned", ("owner()",)).selectors == frozenset({"8da5cb5b"})
    assert "8da5cb5b" in code_selectors(runtime["ProxyAdmin"])
    assert len({f.name for f in FINGERPRINTS}) == len(FINGERPRINTS)


def test_the_project_names_before_a_fingerprint(runtime):
    project = {runtime["DaoToken"]: "DaoToken"}
    namer = Namer(project.get)
    assert (namer.code(runtime["DaoToken"]).name, namer.code(runtime["DaoToken"]).source) == ("DaoToken", "project")
    assert (namer.code(runtime["ProxyAdmin"]).name, namer.code(runtime["ProxyAdmin"]).source) == (
        "OpenZeppelin ProxyAdmin (5.x)", "bytecode fingerprint")
    assert namer.code(runtime["FeeCollector"]) is None


def test_graph_lines_say_the_name_and_where_it_came_from():
    admin = Account("0x856e4424f806D16E8d6B1Cf9d6ebEd1E6Bfe9eaE", "contract", "contract", name="ProxyAdmin", name_source="project")
    assert admin.describe() == "ProxyAdmin 0x856e…9eaE"
    assert view.graph_text(admin) == "ProxyAdmin 0x856e…9eaE (named by project)"
    assert view.node_lines(admin) == ["contract", "ProxyAdmin (by project)", "0x856e…9eaE"]
    unnamed = Account("0x856e4424f806D16E8d6B1Cf9d6ebEd1E6Bfe9eaE", "contract", "contract")
    assert view.graph_text(unnamed) == "contract 0x856e…9eaE (code unnamed)"
    assert view.node_lines(unnamed) == ["contract", "code unnamed", "0x856e…9eaE"]
    # a scanned target is labelled with its contract: neither named nor unnamed
    target = Account("0x856e4424f806D16E8d6B1Cf9d6ebEd1E6Bfe9eaE", "contract", "FeeCollector")
    assert view.graph_text(target) == "FeeCollector 0x856e…9eaE"


def test_reports_without_names_are_read():
    document = json.loads(json_report.render(result()))
    written = {n["address"]: n["name"] for n in document["control_graph"]["nodes"]}
    assert written and set(written.values()) == {None}  # the sample's nodes are targets or keys: none named

    for node in document["control_graph"]["nodes"]:  # a report written before names
        node.pop("name", None)
        node.pop("name_source", None)
    read = parse_report(document, "old.json")
    assert all((n.name, n.name_source) == ("", "") for n in read.nodes.values())
