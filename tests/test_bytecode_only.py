"""Unverified contracts are analysed from their bytecode, not skipped: the selector table,
the facts read from bytecode (no chain), and scans by address on anvil of contracts the
explorer stub does not verify (fixtures/contracts/bytecode-only/Unverified.sol, compiled
here through inspector's compiler and deployed; never registered on the stub)."""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector.chain.probes.eip1967 import ADMIN_SLOT, IMPLEMENTATION_SLOT
from inspector.facts.bytecode import PROXY_ADMIN, ROLE_ADMIN, UNKNOWN, contract_from_bytecode, functions_of, unverified_name
from inspector.facts.model import Guard
from inspector.facts.selectors import NAMES, PRIVILEGED, selector
from inspector.vocabulary import CapabilityName, ContractKind, GuardKind

from conftest import DEPLOYED, REPO
from explorer_stub import ExplorerStub

sys.path.insert(0, str(DEPLOYED))
from devnet import Devnet, deploy_contract  # noqa: E402

FIXTURE = REPO / "fixtures" / "contracts" / "bytecode-only"
KEY = "bytecode-test-key"
OWNER = GuardKind.OWNER


# --- the selector table ---

def test_selectors_are_the_keccak_of_their_signatures():
    # the four bytes ERC-20, Ownable, UUPS, Pausable and AccessControl are known by
    assert selector("mint(address,uint256)") == "40c10f19"
    assert selector("transferOwnership(address)") == "f2fde38b"
    assert selector("upgradeTo(address)") == "3659cfe6"
    assert selector("upgradeToAndCall(address,bytes)") == "4f1ef286"
    assert selector("pause()") == "8456cb59"
    assert selector("grantRole(bytes32,address)") == "2f2ff15d"
    assert selector("owner()") == "8da5cb5b"
    assert PRIVILEGED["40c10f19"].signature == "mint(address,uint256)" and PRIVILEGED["3659cfe6"].signature == "upgradeTo(address)"


def test_privileged_selectors_map_to_their_capability():
    by_signature = {p.signature: p.capability for p in PRIVILEGED.values()}
    assert by_signature["mint(address,uint256)"] == by_signature["mint(uint256)"] == CapabilityName.MINT
    assert by_signature["burnFrom(address,uint256)"] == CapabilityName.BURN_FROM
    assert by_signature["pause()"] == by_signature["unpause()"] == CapabilityName.PAUSE
    assert by_signature["addBlackList(address)"] == CapabilityName.FREEZE
    assert by_signature["upgradeTo(address)"] == by_signature["upgradeToAndCall(address,bytes)"] == CapabilityName.UPGRADE
    assert by_signature["changeAdmin(address)"] == by_signature["transferOwnership(address)"] == CapabilityName.CHANGE_OWNER
    assert by_signature["renounceOwnership()"] == CapabilityName.RENOUNCE
    assert by_signature["grantRole(bytes32,address)"] == CapabilityName.GRANT_ROLE
    assert by_signature["setFee(uint256)"] == by_signature["setTaxes(uint256,uint256)"] == CapabilityName.SET_FEE
    assert by_signature["setMaxTxAmount(uint256)"] == CapabilityName.SET_LIMITS
    assert by_signature["withdraw()"] == CapabilityName.WITHDRAW_FUNDS
    # a user's own withdrawal and burn are no admin's power
    assert selector("withdraw(uint256)") not in PRIVILEGED and selector("burn(uint256)") not in PRIVILEGED
    assert len(PRIVILEGED) == len({p.signature for p in PRIVILEGED.values()})  # no two signatures share a selector


# --- facts from bytecode, no chain ---

@pytest.fixture(scope="module")
def compiled():
    """name -> (abi, creation code, runtime code) of the fixture, compiled by inspector."""
    from inspector.compile.solc import compile_bundle
    from inspector.paths import cache_dir
    from inspector.sources.collect import plan_bundles
    from inspector.sources.model import CompilerSettings
    from inspector.sources.pragma import known_releases
    from inspector.sources.project import load_project
    from inspector.store import Store

    project = load_project(FIXTURE, REPO)
    [bundle] = plan_bundles(project, known_releases(), CompilerSettings(optimize=True))
    bundle = replace(bundle, outputs=("abi", "evm.bytecode.object", "evm.deployedBytecode.object"))
    store = Store(cache_dir() / "inspector.db")
    try:
        build = compile_bundle(bundle, store)
    finally:
        store.close()
    return {name: (info["abi"], "0x" + info["evm"]["bytecode"]["object"], bytes.fromhex(info["evm"]["deployedBytecode"]["object"]))
            for contracts in build.output["contracts"].values() for name, info in contracts.items()}


AT = "0x00000000000000000000000000000000000000A1"


def _shape(contract):
    return [(e.function, e.guards, [(c.name, c.detail) for c in e.capabilities]) for e in contract.entry_points]


def test_owner_minted_token_from_bytecode(compiled):
    contract = contract_from_bytecode(compiled["OwnerMintedToken"][2], AT)
    assert (contract.name, contract.bytecode_only, contract.kinds) == ("Unverified@0x0000…00A1", True, (ContractKind.TOKEN,))
    owner = (Guard(OWNER, "owner"),)
    assert _shape(contract) == [
        ("totalSupply()", (), []),
        ("mint(address,uint256)", owner, [("mint", "mint(address,uint256) (bytecode only; writes slot 0x1, slot 0x2)")]),
        ("balanceOf(address)", (), []),
        ("owner()", (), []),
        ("transfer(address,uint256)", (), []),
        ("transferOwnership(address)", owner, [("change_owner", "transferOwnership(address) (bytecode only; writes slot 0x0)")]),
    ]
    assert {e.file for e in contract.entry_points} == {AT} and {e.line for e in contract.entry_points} == {0}


def test_functions_read_from_bytecode_have_arguments_mutability_and_writes(compiled):
    functions = {f.signature: f for f in functions_of(compiled["OwnerMintedToken"][2])}
    mint = functions["mint(address,uint256)"]
    assert (mint.selector, mint.arguments, mint.mutability, mint.writes, mint.reads) == ("40c10f19", "address,uint256", "nonpayable",
                                                                                         (1, 2), (0, 1, 2))
    assert (functions["owner()"].mutability, functions["owner()"].writes) == ("view", ())


def test_a_privileged_function_with_no_readable_seat_is_guarded_by_someone_unknown(compiled):
    contract = contract_from_bytecode(compiled["HiddenMinterToken"][2], AT)
    assert contract.kinds == (ContractKind.TOKEN,)
    assert contract.entry("mint(address,uint256)").guards == (UNKNOWN,)
    assert UNKNOWN.kind == GuardKind.CUSTOM and UNKNOWN.detail == "unknown (bytecode only)"


def test_an_access_controlled_token_is_guarded_by_the_roles_its_getters_name(compiled):
    contract = contract_from_bytecode(compiled["RoleMintedToken"][2], AT)
    assert [(e.function, e.guards, [c.name for c in e.capabilities]) for e in contract.entry_points if e.capabilities] == [
        ("grantRole(bytes32,address)", (ROLE_ADMIN,), ["grant_role"]),
        ("mint(address,uint256)", (Guard(GuardKind.ROLE, "MINTER_ROLE"),), ["mint"]),
    ]
    assert ROLE_ADMIN.detail.startswith("admin of")  # chain/graph.py reads the members of every admin role for it


def test_a_contract_without_privileged_functions_has_no_capability(compiled):
    contract = contract_from_bytecode(compiled["Tally"][2], AT)
    assert _shape(contract) == [(f"0x{selector('count()')}()", (), []), (f"0x{selector('increment()')}()", (), [])]
    assert contract.kinds == ()


def test_a_proxy_upgraded_by_its_eip1967_admin(compiled):
    contract = contract_from_bytecode(compiled["SlotProxy"][2], AT, proxy=True)
    assert contract.kinds == (ContractKind.PROXY,)
    assert _shape(contract) == [("upgradeTo(address)", (PROXY_ADMIN,),
                                 [("upgrade", "upgradeTo(address) (bytecode only; writes the EIP-1967 implementation slot)")])]
    [upgrade] = functions_of(compiled["SlotProxy"][2])
    assert upgrade.reads == tuple(sorted((IMPLEMENTATION_SLOT, ADMIN_SLOT)))
    # not known to be a proxy: code that upgrades is upgradeable
    assert contract_from_bytecode(compiled["SlotProxy"][2], AT).kinds == (ContractKind.UPGRADEABLE,)


def test_facts_from_bytecode_are_kept_in_the_store(compiled, tmp_path, monkeypatch):
    from inspector.facts import bytecode
    from inspector.facts.analyse import read_bytecode
    from inspector.sources.model import Bytecode
    from inspector.store import Store

    store = Store(tmp_path / "inspector.db")
    unverified = Bytecode(AT, compiled["OwnerMintedToken"][2], unverified_name(AT))
    first = read_bytecode(unverified, store)
    monkeypatch.setattr(bytecode, "contract_from_bytecode", lambda *args: pytest.fail("read again"))
    again = read_bytecode(unverified, store)
    assert _shape(again) == _shape(first) and (again.name, again.kinds, again.bytecode_only) == (first.name, first.kinds, True)
    with pytest.raises(pytest.fail.Exception, match="read again"):
        read_bytecode(unverified, store, refresh=True)
    store.close()


def test_known_names_cover_the_table():
    assert NAMES[selector("owner()")] == "owner()" and NAMES[selector("pause()")] == "pause()"
    assert unverified_name("0x1234567890AbcdEF1234567890aBcdef12345678") == "Unverified@0x1234…5678"


# --- scans by address on anvil ---

@pytest.fixture(scope="module")
def chain(compiled, tmp_path_factory):
    """(addresses by label, environment, rpc url) of the fixture deployed on anvil; the
    explorer stub verifies none of it."""
    from web3 import Web3

    from conftest import SHARED_CACHE

    cache = tmp_path_factory.mktemp("bytecode-cache")
    (cache / "solcjs").symlink_to(SHARED_CACHE / "solcjs")
    env = {"INSPECTOR_CACHE_DIR": str(cache), "NO_PROXY": "127.0.0.1,localhost", "ETHERSCAN_API_KEY": KEY}
    with Devnet() as devnet, ExplorerStub(api_key=KEY) as stub:
        w3 = Web3(Web3.HTTPProvider(devnet.url, request_kwargs={"timeout": 30}))
        accounts = w3.eth.accounts

        def new(name, *args, sender=accounts[0]):
            abi, code, _ = compiled[name]
            receipt = w3.eth.wait_for_transaction_receipt(
                w3.eth.contract(abi=abi, bytecode=code).constructor(*args).transact({"from": sender}))
            assert receipt.status == 1
            return w3.eth.contract(address=receipt.contractAddress, abi=abi)

        implementation = new("ProxiedMintable")
        initialize = implementation.encode_abi("initialize", [accounts[4]])
        addresses = {
            "token": new("OwnerMintedToken", sender=accounts[1]).address,
            "hidden": new("HiddenMinterToken").address,
            "tally": new("Tally").address,
            "roles": new("RoleMintedToken", accounts[5]).address,
            "implementation": implementation.address,
            "proxy": new("SlotProxy", implementation.address, accounts[3], initialize).address,
            "minter": accounts[1], "admin": accounts[3], "proxy_owner": accounts[4], "role_minter": accounts[5],
            "deployer": accounts[0],
        }
        # OpenZeppelin 5's transparent proxy, which creates its ProxyAdmin owned by accounts[6]
        oz_proxy = deploy_contract(devnet.url, "TransparentUpgradeableProxy", implementation.address, accounts[6],
                                   implementation.encode_abi("initialize", [accounts[7]]))
        addresses.update(oz_proxy=oz_proxy, oz_admin_owner=accounts[6], oz_proxy_owner=accounts[7],
                         oz_admin=Web3.to_checksum_address(w3.eth.get_storage_at(oz_proxy, ADMIN_SLOT)[-20:]))
        env.update(INSPECTOR_ETHERSCAN_URL=f"{stub.url}/v2/api", INSPECTOR_SOURCIFY_URL=f"{stub.url}/server")
        yield addresses, env, devnet.url


def run(env, *args):
    from inspector.cli import cli

    result = CliRunner(mix_stderr=False).invoke(cli, ["scan", *[str(a) for a in args]], env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def scan(chain, label):
    addresses, env, url = chain
    code, out, err = run(env, f"anvil:{addresses[label]}", "--rpc", url, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    return json.loads(out)


def short(address):
    return f"{address[:6]}…{address[-4:]}"


def edges(report, to):
    return sorted((e["from"], e["capability"], e["function"], e["delay"]) for e in report["control_graph"]["edges"] if e["to"] == to)


def deduction(report, capability):
    return next(d for d in report["score"]["deductions"] if d["capability"] == capability)


def test_a_scan_of_bytecode_alone_says_nothing_was_compiled_and_why(chain):
    from inspector import __version__

    addresses, env, url = chain
    code, out, err = run(env, f"anvil:{addresses['token']}", "--rpc", url, "--fail-on", "none")
    assert code == 0, err
    assert out.splitlines()[0] == f"inspector {__version__}: 1 contract(s) analysed; compiled with nothing (read from bytecode)"


def test_unverified_owner_minted_token_is_analysed_from_its_bytecode(chain):
    a, _, _ = chain
    report = scan(chain, "token")
    name = f"Unverified@{short(a['token'])}"
    [target] = report["targets"]
    assert target["match"] == "bytecode-only"
    assert target["codes"] == [{"address": a["token"], "via": "", "contract": name, "match": "bytecode-only", "detail": "no verified source"}]
    mint = next(f for f in report["findings"] if f["rule"] == "economic-mint")
    assert (mint["contract"], mint["function"], mint["confidence"], mint["principal"]) == (name, "mint(address,uint256)", "low", "owner")
    assert mint["holder"] == f"EOA {short(a['minter'])}, no delay"
    assert f"can mint {name} tokens (uncapped) through mint(address,uint256) (bytecode only)" in mint["message"]
    assert all(f["confidence"] == "low" and "(bytecode only)" in f["message"] for f in report["findings"])
    assert edges(report, a["token"]) == [(a["minter"], "change_owner", "transferOwnership(address)", 0),
                                         (a["minter"], "mint", "mint(address,uint256)", 0)]
    minted = deduction(report, "mint")
    assert (minted["power"], minted["unresolved"]) == (f"{name}.mint", False)
    assert minted["reason"] == "can mint (uncapped); held by one key (EOA), no delay; bytecode only"
    assert mint["id"] in minted["finding_ids"]


def test_unverified_proxy_over_unverified_implementation(chain):
    a, _, _ = chain
    report = scan(chain, "proxy")
    proxy, implementation = f"Unverified@{short(a['proxy'])}", f"Unverified@{short(a['implementation'])}"
    [target] = report["targets"]
    assert target["match"] == "bytecode-only"
    assert [(c["address"], c["via"], c["contract"], c["match"]) for c in target["codes"]] == [
        (a["proxy"], "", proxy, "bytecode-only"), (a["implementation"], "EIP-1967 proxy", implementation, "bytecode-only")]
    # the admin in the EIP-1967 slot upgrades; the owner the implementation's initialize set mints, in the proxy's state
    assert edges(report, a["proxy"]) == sorted([(a["admin"], "upgrade", "upgradeTo(address)", 0),
                                               (a["proxy_owner"], "mint", "mint(address,uint256)", 0)])
    upgrade = deduction(report, "upgrade")
    assert (upgrade["power"], upgrade["unresolved"]) == (f"{proxy}.upgrade", False)
    assert upgrade["reason"].endswith("held by one key (EOA), no delay; bytecode only")
    assert deduction(report, "mint")["power"] == f"{implementation}.mint"
    upgrades = [f for f in report["findings"] if f["function"] == "upgradeTo(address)"]
    assert upgrades and all(f["contract"] == proxy and f["confidence"] == "low" and "(bytecode only)" in f["message"]
                            and f["holder"] == f"EOA {short(a['admin'])}, no delay" for f in upgrades)


def test_unverified_role_token_names_the_role_members_read_on_chain(chain):
    a, _, _ = chain
    report = scan(chain, "roles")
    assert edges(report, a["roles"]) == sorted([(a["deployer"], "grant_role", "grantRole(bytes32,address)", 0),
                                                (a["role_minter"], "mint", "mint(address,uint256)", 0)])
    [mint] = [f for f in report["findings"] if f["rule"] == "economic-mint"]
    assert (mint["principal"], mint["holder"], mint["confidence"]) == ("MINTER_ROLE", f"EOA {short(a['role_minter'])}, no delay", "low")
    assert deduction(report, "mint")["reason"] == "can mint (uncapped); held by one key (EOA), no delay; bytecode only"


def test_unverified_openzeppelin_transparent_proxy_is_upgraded_by_its_proxy_admin(chain):
    """The proxy's admin calls reach upgradeToAndCall in its fallback, outside the dispatcher:
    the selector compared there shows it."""
    a, _, _ = chain
    report = scan(chain, "oz_proxy")
    proxy = f"Unverified@{short(a['oz_proxy'])}"
    assert edges(report, a["oz_proxy"]) == sorted([(a["oz_admin"], "upgrade", "upgradeToAndCall(address,bytes)", 0),
                                                   (a["oz_proxy_owner"], "mint", "mint(address,uint256)", 0)])
    [finding] = [f for f in report["findings"] if f["rule"] == "upgrade-no-timelock"]
    assert (finding["contract"], finding["principal"], finding["confidence"]) == (proxy, "admin", "low")
    # the ProxyAdmin the proxy made is named by its code's fingerprint (chain/names.py)
    assert finding["holder"] == f"OpenZeppelin ProxyAdmin (5.x) {short(a['oz_admin'])} owned by EOA {short(a['oz_admin_owner'])}, no delay"
    assert deduction(report, "upgrade")["reason"].endswith("; bytecode only")


def test_unverified_contract_without_privileged_functions_has_no_finding(chain):
    a, _, _ = chain
    report = scan(chain, "tally")
    assert report["targets"][0]["match"] == "bytecode-only"
    assert report["findings"] == [] and report["score"]["deductions"] == []
    [contract] = report["facts"]["contracts"]
    assert contract["name"] == f"Unverified@{short(a['tally'])}"
    assert [e["function"] for e in contract["entry_points"]] == [f"0x{selector('count()')}()", f"0x{selector('increment()')}()"]


def test_a_privileged_function_without_a_readable_owner_has_its_holder_unknown(chain):
    a, _, _ = chain
    report = scan(chain, "hidden")
    name = f"Unverified@{short(a['hidden'])}"
    [mint] = [f for f in report["findings"] if f["rule"] == "economic-mint"]
    assert (mint["principal"], mint["confidence"]) == ("unknown (bytecode only)", "low")
    assert mint["holder"] == "unresolved: custom guard 'unknown (bytecode only)' cannot be read from the chain"
    assert edges(report, a["hidden"]) == []
    minted = deduction(report, "mint")
    assert minted["unresolved"] is True
    assert minted["reason"] == "can mint (uncapped); held by one key, no delay (unresolved); bytecode only"
    assert report["score"]["coverage"]["unresolved_powers"] == [f"{name}.mint"]
    assert report["score"]["complete"] is False


def test_without_an_rpc_an_unverified_address_is_still_an_error(chain):
    a, env, _ = chain
    code, out, err = run(env, f"anvil:{a['token']}", "--format", "json")
    assert code == 2 and out == ""
    assert "not verified" in err.lower() and "Traceback" not in err
