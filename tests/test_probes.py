"""Each on-chain fact read by its probe (inspector/chain/probes/) from a real local chain:
the deployed system of examples/deployed-system (the `system` fixture of test_chain), one
positive case with the exact values read and one address that is something else, and
contracts that answer every call with garbage or a revert, which no probe takes for
anything (or raises on)."""
from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest
from eth_utils import keccak, to_checksum_address
from web3 import Web3

from inspector.chain.edges import Edge
from inspector.chain.probes import (ACCOUNTS, PROXIES, Proxy, access_control, beacon, classify, clone, compound_timelock,
                                    detect_proxy, diamond, eip897, eip1822, eip1967, eoa, governor, ownable, renounced,
                                    safe, safe_proxy, timelock_controller, zeppelinos)
from inspector.chain.probes.common import Contract
from inspector.chain.rpc import ChainReader
from inspector.chains import parse_chain
from inspector.store import Store
from inspector.vocabulary import CapabilityName, EdgeKind

from test_chain import system  # noqa: F401 (the deployed system, reused)
from devnet import DELAY, deploy_contract  # noqa: E402 (test_chain puts examples/deployed-system on the path)

ZERO = "0x0000000000000000000000000000000000000000"
DEAD = "0x000000000000000000000000000000000000dEaD"


@pytest.fixture
def reader(system, tmp_path):  # noqa: F811
    url = system[0]
    return ChainReader(url, parse_chain("anvil"), Store(tmp_path / "store.db"))


@pytest.fixture
def a(system):  # noqa: F811
    return system[1]


def edges(found) -> list[tuple]:
    return [(e.source, e.target, e.kind, e.function, e.delay, e.threshold) for e in found.edges()]


# -- proxies ------------------------------------------------------------------------------

def test_clone_names_its_implementation_in_its_code(reader, a):
    assert clone.probe(reader, a["vault_clone"]) == Proxy("EIP-1167", (a["vault_impl"],))
    assert clone.probe(reader, a["vault_a"]) is None


def test_eip1967_reads_the_implementation_and_admin_slots(reader, a):
    assert eip1967.probe(reader, a["proxied_token"]) == Proxy("EIP-1967", (a["proxied_token_impl"],), admin=a["proxy_admin"])
    assert eip1967.probe(reader, a["uups_token"]) == Proxy("EIP-1967", (a["uups_token_impl"],))
    assert eip1967.probe(reader, a["vault_a"]) is None  # a beacon proxy: its implementation slot is empty


def test_beacon_proxy_runs_the_beacons_implementation_and_the_beacon_upgrades_it(reader, a):
    found = beacon.probe(reader, a["vault_b"])
    assert found == Proxy("EIP-1967 beacon", (a["vault_impl"],), beacon=a["beacon"])
    assert beacon.link(found, a["vault_b"], 31337) == Edge(a["beacon"], a["vault_b"], CapabilityName.UPGRADE,
                                                           "implementation() of the beacon", chain_id=31337)
    assert beacon.probe(reader, a["uups_token"]) is None


def test_eip1822_and_zeppelinos_read_their_own_slots(reader, a):
    assert eip1822.probe(reader, a["vault_1822"]) == Proxy("EIP-1822", (a["vault_impl"],))
    assert eip1822.probe(reader, a["vault_zos"]) is None
    assert zeppelinos.probe(reader, a["vault_zos"]) == Proxy("ZeppelinOS", (a["vault_impl"],))
    assert zeppelinos.probe(reader, a["vault_1822"]) is None


def test_safe_proxy_keeps_its_singleton_in_slot_0(reader, a):
    assert safe_proxy.probe(reader, a["safe"]) == Proxy("Safe", (a["safe_singleton"],))
    assert safe_proxy.probe(reader, a["council_safe"]) == Proxy("Safe", (a["safe_singleton"],))
    assert safe_proxy.probe(reader, a["safe_singleton"]) is None
    assert safe_proxy.probe(reader, a["proxied_token"]) is None


def test_diamond_facets_come_from_the_loupe(reader, a):
    assert diamond.probe(reader, a["diamond"]) == Proxy("EIP-2535 diamond", (a["ownership_facet"], a["mint_facet"]))
    assert diamond.probe(reader, a["safe"]) is None


def test_eip897_answers_proxy_type_and_implementation(reader, a):
    assert eip897.probe(reader, a["vault_897"]) == Proxy("EIP-897", (a["vault_impl"],))
    assert eip897.probe(reader, a["vault_1822"]) is None


def test_the_first_proxy_probe_that_recognises_an_address_decides(reader, a):
    kinds = {label: detect_proxy(reader, a[label]) for label in (
        "vault_clone", "proxied_token", "vault_a", "vault_1822", "vault_zos", "safe", "diamond", "vault_897", "mintable_token")}
    assert {label: found.kind if found else None for label, found in kinds.items()} == {
        "vault_clone": "EIP-1167", "proxied_token": "EIP-1967", "vault_a": "EIP-1967 beacon", "vault_1822": "EIP-1822",
        "vault_zos": "ZeppelinOS", "safe": "Safe", "diamond": "EIP-2535 diamond", "vault_897": "EIP-897", "mintable_token": None}
    assert PROXIES == (clone, eip1967, beacon, eip1822, zeppelinos, safe_proxy, diamond, eip897)


# -- accounts -----------------------------------------------------------------------------

def test_renounced_is_the_zero_or_a_dead_address(reader, a):
    assert renounced.probe(reader, ZERO) == renounced.Renounced(ZERO)
    assert renounced.probe(reader, DEAD.lower()) == renounced.Renounced(DEAD.lower())
    assert (renounced.Renounced(ZERO).account().kind, renounced.Renounced(ZERO).edges()) == ("renounced", ())
    assert renounced.probe(reader, a["deployer"]) is None


def test_eoa_has_no_code(reader, a):
    found = eoa.probe(reader, a["deployer"])
    assert found == eoa.ExternallyOwned(a["deployer"])
    assert (found.account().kind, found.account().label, found.account().details, found.edges()) == ("eoa", "EOA", {}, ())
    assert eoa.probe(reader, a["safe"]) is None


def test_safe_reads_threshold_owners_modules_and_guard(reader, a):
    found = safe.probe(reader, a["safe"])
    owners = (a["safe_owner_a"], a["safe_owner_b"], a["safe_owner_c"])
    assert found == safe.Safe(a["safe"], 2, owners, (), None)
    assert edges(found) == [(owner, a["safe"], EdgeKind.SIGN, "", 0, (2, 3)) for owner in owners]
    assert [e.capability for e in found.edges()] == ["sign (2-of-3)"] * 3
    council = safe.probe(reader, a["council_safe"])
    assert council == safe.Safe(a["council_safe"], 1, (a["deployer"], a["safe_owner_a"]), (a["holder"],), a["safe_guard"])
    assert edges(council)[-1] == (a["holder"], a["council_safe"], EdgeKind.EXECUTE_AS_MODULE, "", 0, None)
    account = council.account()
    assert (account.kind, account.label, account.threshold, account.owners, account.details) == (
        "multisig", "Safe", 1, [a["deployer"], a["safe_owner_a"]], {"modules": [a["holder"]], "guard": a["safe_guard"]})
    assert safe.probe(reader, a["timelock"]) is None


def test_timelock_controller_reads_its_delay_and_role_members(reader, a):
    found = timelock_controller.probe(reader, a["timelock"])
    assert found == timelock_controller.TimelockController(
        a["timelock"], DELAY, proposers=(a["governor"],), admins=(a["timelock"], a["deployer"]), executors=(ZERO,),
        cancellers=(a["governor"],))
    # the timelock, admin of itself, is left out of the edges
    assert edges(found) == [(a["governor"], a["timelock"], EdgeKind.PROPOSE, "", DELAY, None),
                            (a["deployer"], a["timelock"], EdgeKind.GRANT_ROLE, "", 0, None)]
    assert found.account().details == {"executors": [ZERO], "cancellers": [a["governor"]], "open_executor": True,
                                       "admins": [a["timelock"], a["deployer"]]}
    settled = timelock_controller.probe(reader, a["settled_timelock"])
    assert (settled.proposers, settled.admins, settled.executors) == ((a["safe"],), (a["settled_timelock"],), (a["safe"],))
    assert timelock_controller.probe(reader, a["compound_timelock"]) is None


def test_before_openzeppelin_5_the_timelock_admin_role_is_its_own():
    """An OpenZeppelin 4 TimelockController administers its roles with TIMELOCK_ADMIN_ROLE,
    not DEFAULT_ADMIN_ROLE: its members are the admins (read here from a chain in memory)."""
    timelock, deployer, proposer = (to_checksum_address("0x" + c * 40) for c in ("a", "b", "c"))
    roles = {name: keccak(text=name).hex() for name in ("TIMELOCK_ADMIN_ROLE", "PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE")}
    granted = [("TIMELOCK_ADMIN_ROLE", timelock), ("TIMELOCK_ADMIN_ROLE", deployer), ("PROPOSER_ROLE", proposer)]

    class Chain:  # answers the role getters an OpenZeppelin 4 timelock has, and its RoleGranted logs
        def call(self, address, signature, *args):
            return roles.get(signature.removesuffix("()"))

        def logs(self, address, topic):
            return [{"topics": ["", roles[role], "00" * 12 + member[2:].lower()], "block": 1, "index": i}
                    for i, (role, member) in enumerate(granted)] if topic == access_control.ROLE_GRANTED else []

    found = timelock_controller.read_roles(Chain(), timelock, 3600)
    assert [(e.source, e.kind, e.delay) for e in found.edges()] == [(proposer, EdgeKind.PROPOSE, 3600), (deployer, EdgeKind.GRANT_ROLE, 0)]
    assert found.admins == (timelock, deployer)


def test_compound_timelock_reads_its_delay_admin_and_pending_admin(reader, a):
    found = compound_timelock.probe(reader, a["compound_timelock"])
    assert found == compound_timelock.CompoundTimelock(a["compound_timelock"], DELAY, a["deployer"], a["holder"])
    assert edges(found) == [(a["deployer"], a["compound_timelock"], EdgeKind.QUEUE, "", DELAY, None),
                            (a["holder"], a["compound_timelock"], EdgeKind.ACCEPT_ADMIN_THEN_QUEUE, "", DELAY, None)]
    assert [e.capability for e in found.edges()] == ["queue", "accept admin, then queue"]
    assert compound_timelock.probe(reader, a["timelock"]) is None


def test_governor_reads_its_token_timelock_and_settings(reader, a):
    found = governor.probe(reader, a["governor"])
    assert found == governor.Governor(a["governor"], a["dao_token"], a["timelock"], 7200, 50400,
                                      str(10_000_000 * 10**18 * 4 // 100), 0)
    assert edges(found) == [(a["dao_token"], a["governor"], EdgeKind.VOTE, "", 0, None)]
    assert governor.probe(reader, a["timelock"]) is None


def test_a_compound_style_governor_names_its_token_comp_and_its_quorum_quorum_votes(system, a, tmp_path):  # noqa: F811
    url = system[0]
    bravo = deploy_contract(url, "BravoLikeGovernor", a["timelock"], a["dao_token"])
    reader = ChainReader(url, parse_chain("anvil"), Store(tmp_path / "after.db"))  # a block with the governor on it
    assert governor.probe(reader, bravo) == governor.Governor(bravo, a["dao_token"], a["timelock"], 13140, 40320,
                                                                          str(400_000 * 10**18), 25_000 * 10**18)


def test_access_control_reads_admin_roles_and_members(reader, a):
    found = access_control.probe(reader, a["role_token"])
    assert found == access_control.AccessControl(a["role_token"], (access_control.DEFAULT_ADMIN_ROLE,), (a["deployer"],))
    minter = access_control.role_id(reader, a["role_token"], "MINTER_ROLE")
    assert minter == keccak(text="MINTER_ROLE").hex()
    assert access_control.members(reader, a["role_token"], minter) == [a["minter_a"], a["minter_b"]]  # from the logs
    assert access_control.members(reader, a["enumerable_token"], minter) == [a["minter_a"], a["minter_b"]]  # enumerated
    # a role open to everyone: granted to address(0)
    executor = access_control.role_id(reader, a["timelock"], "EXECUTOR_ROLE")
    assert access_control.open_to_anyone(access_control.members(reader, a["timelock"], executor)) == ["anyone"]
    assert access_control.probe(reader, a["mintable_token"]) is None


def test_ownable_reads_owner_and_a_renounced_owner_acts_for_nobody(reader, a):
    found = ownable.probe(reader, a["mintable_token"])
    assert found == ownable.Owned(a["mintable_token"], a["holder"])
    assert edges(found) == [(a["holder"], a["mintable_token"], EdgeKind.OWNER, "", 0, None)]
    assert found.account().details == {"owner": a["holder"]}
    assert ownable.probe(reader, a["renounced_token"]).edges() == ()
    assert ownable.probe(reader, a["safe"]) is None


def test_the_first_account_probe_that_recognises_an_address_decides(reader, a):
    found = {label: type(classify(reader, a[label])).__name__ for label in (
        "deployer", "safe", "timelock", "team_timelock", "compound_timelock", "governor", "proxy_admin", "fee_collector")}
    assert found == {"deployer": "ExternallyOwned", "safe": "Safe", "timelock": "TimelockController",
                     "team_timelock": "TimelockController", "compound_timelock": "CompoundTimelock",
                     "governor": "Governor", "proxy_admin": "Owned", "fee_collector": "Contract"}
    assert classify(reader, ZERO) == renounced.Renounced(ZERO)
    assert classify(reader, a["fee_collector"]) == Contract(a["fee_collector"])
    assert ACCOUNTS == (renounced, eoa, safe, timelock_controller, compound_timelock, governor, ownable)


def test_what_probes_return_is_frozen(reader, a):
    with pytest.raises(FrozenInstanceError):
        safe.probe(reader, a["safe"]).threshold = 1
    with pytest.raises(FrozenInstanceError):
        detect_proxy(reader, a["proxied_token"]).admin = a["deployer"]


# -- odd and hostile contracts ------------------------------------------------------------

WORD = "ff" * 32
ODD_CODE = {
    "reverts": "60006000fd",  # REVERT(0, 0) on every call
    "one byte": "60016000f3",  # RETURN(0, 1): too short for any type
    "all ones": f"7f{WORD}60005260206000f3",  # 32 bytes of 0xff: a huge uint, an address with dirty high bits
    "huge array": f"60206000527f{WORD}60205260406000f3",  # an array at offset 32 of length 2**256 - 1
}


@pytest.fixture
def odd(system, tmp_path):  # noqa: F811
    """Addresses whose code answers every call oddly, and a reader of the block that has them."""
    url = system[0]
    w3 = Web3(Web3.HTTPProvider(url))
    found = {}
    for index, (name, code) in enumerate(ODD_CODE.items()):
        address = to_checksum_address(f"0x{index + 1:02x}" + "0d" * 19)
        w3.provider.make_request("anvil_setCode", [address, "0x" + code])
        found[name] = address
    w3.provider.make_request("evm_mine", [])
    yield ChainReader(url, parse_chain("anvil"), Store(tmp_path / "odd.db")), found
    for address in found.values():
        w3.provider.make_request("anvil_setCode", [address, "0x"])
    w3.provider.make_request("evm_mine", [])


def test_garbage_and_reverts_are_not_any_fact(odd):
    reader, addresses = odd
    every = (*PROXIES, *ACCOUNTS, access_control)
    for name in ("reverts", "one byte"):
        assert [module.__name__ for module in every if module.probe(reader, addresses[name]) is not None] == [], name
        assert classify(reader, addresses[name]) == Contract(addresses[name])
        assert detect_proxy(reader, addresses[name]) is None


def test_answers_that_decode_are_read_as_they_are_however_odd(odd):
    """A contract may answer anything: what decodes is what the chain says (a delay of
    2**256 - 1), what does not decode (an address with dirty high bits, an array longer than
    the answer) is not there. No probe raises. What the rules take for governance (a
    timelock, a governor) must also say what it is (a timelock's role constant, a governor's
    name, a Compound queue's bool): a contract answering every call with one word is none."""
    reader, addresses = odd
    every = (*PROXIES, *ACCOUNTS, access_control)
    ones, array = addresses["all ones"], addresses["huge array"]
    for module in every:
        module.probe(reader, ones), module.probe(reader, array)
    assert reader.call(ones, "getThreshold()", ["uint256"]) == 2**256 - 1
    assert reader.call(ones, "getMinDelay()", ["uint256"]) == 2**256 - 1
    assert reader.address_call(ones, "owner()") is None
    for module in (timelock_controller, compound_timelock, governor):
        assert module.probe(reader, ones) is None and module.probe(reader, array) is None, module.__name__
    assert classify(reader, ones) == Contract(ones)
    assert detect_proxy(reader, ones) is None
    assert reader.call(array, "getOwners()", ["address[]"]) is None
    # a string whose length overflows: eth_abi raises OverflowError, which is not there either
    assert reader.call(array, "name()", ["string"]) is None
    word = to_checksum_address("0x" + "00" * 19 + "20")  # its first word, 32, read as an address
    assert detect_proxy(reader, array) == Proxy("EIP-897", (word,))
    # owner() answers an address: an owned contract, whose owner is a key, never governance
    assert classify(reader, array) == ownable.Owned(array, word)


def test_eip_7702_delegated_account_is_an_eoa(system, tmp_path):  # noqa: F811
    url, a = system[0], system[1]
    w3 = Web3(Web3.HTTPProvider(url))
    account = to_checksum_address("0x" + "7e" * 20)
    w3.provider.make_request("anvil_setCode", [account, "0xef0100" + a["vault_impl"][2:].lower()])
    w3.provider.make_request("evm_mine", [])
    try:
        reader = ChainReader(url, parse_chain("anvil"), Store(tmp_path / "7702.db"))
        found = eoa.probe(reader, account)
        assert found == eoa.ExternallyOwned(account, a["vault_impl"])
        assert (found.account().label, found.account().details) == ("EOA (EIP-7702)", {"delegate": a["vault_impl"]})
    finally:
        w3.provider.make_request("anvil_setCode", [account, "0x"])
        w3.provider.make_request("evm_mine", [])


# -- the graph over the probes ------------------------------------------------------------

class MadeUpChain:
    """Contracts with code at `coded`, getters in `getters`; nothing else answers."""

    block = 1

    def __init__(self, coded: set[str], getters: dict[tuple[str, str], str]) -> None:
        self.coded, self.getters = coded, getters

    def code(self, address: str) -> bytes:
        return b"\x60\x00" if address in self.coded else b""

    def storage(self, address: str, slot: int) -> bytes:
        return bytes(32)

    def call(self, address: str, signature: str, returns, args=(), types=None):
        return None

    def address_call(self, address: str, signature: str) -> str | None:
        return self.getters.get((address, signature))

    def logs(self, address: str, topic, from_block: int = 0) -> list:
        return []


def test_an_owned_contract_acts_for_its_owner_unless_its_code_says_it_governs_by_rules_of_its_own():
    from inspector.chain.graph import Deployment, build_graph
    from inspector.facts.model import Capability, ContractFacts, EntryPoint, Guard

    token, vault, owner = (to_checksum_address("0x" + c * 40) for c in ("1", "2", "3"))
    chain = MadeUpChain({token, vault}, {(token, "owner()"): vault, (vault, "owner()"): owner})
    mint = EntryPoint("mint(address,uint256)", "Token", "T.sol", 3, (Guard("owner", "_owner"),),
                      (Capability("mint", "_balances", "T.sol", 4),))
    graph = build_graph(chain, [Deployment(ContractFacts("Token", "T.sol", 1, ("token",), (mint,)), token, token)])
    # the token's owner, a contract, is owned in turn: its owner acts for it
    assert [(e.source, e.target, e.kind, e.function) for e in graph.edges] == [
        (vault, token, "mint", "mint(address,uint256)"), (owner, vault, EdgeKind.OWNER, "")]
    # scanned itself, its code a timelock's that the chain shows as no timelock it knows: who
    # acts for it is not what owner() says
    graph = build_graph(chain, [Deployment(ContractFacts("Vault", "V.sol", 1, ("timelock",), ()), vault, vault)])
    assert (graph.nodes[vault].kind, graph.edges) == ("timelock", [])
