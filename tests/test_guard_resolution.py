"""Who holds the guards issue 10 added, read on chain through a fake reader: an admin kept
at a slot read in assembly, an address another contract names, a callback's contract, and
the user side of a user's own function (nobody's power)."""
from __future__ import annotations

from eth_utils import to_checksum_address

from inspector.chain.graph import Deployment, build_graph, resolve_guard
from inspector.facts.model import Capability, ContractFacts, EntryPoint, Guard

PROXY = "0x00000000000000000000000000000000000000a1"
ADMIN = "0x00000000000000000000000000000000000000B2"
CONTROLLER = "0x00000000000000000000000000000000000000c3"
GOVERNOR = "0x00000000000000000000000000000000000000D4"
ADMIN_SLOT = "0x10d6a54a4754c8869d6886b5f5d7fbfa5b4522237ea5c60d11bc4e7a1ff9390b"


class Reader:
    """Storage and getters of a made-up chain."""

    def __init__(self, storage: dict[tuple[str, int], str], getters: dict[tuple[str, str], str]) -> None:
        self._storage, self._getters = storage, getters

    def storage(self, address: str, slot: int) -> bytes:
        return bytes.fromhex(self._storage.get((address.lower(), slot), "").removeprefix("0x").rjust(64, "0"))

    def address_call(self, address: str, signature: str) -> str | None:
        return self._getters.get((address.lower(), signature))

    def call(self, address: str, signature: str, returns: list[str], args: tuple = (), types=None):
        return None

    def code(self, address: str) -> bytes:
        return b""  # every holder here is an EOA


def _deployment(values: dict[str, str] | None = None) -> Deployment:
    facts = ContractFacts("Pool", "Pool.sol", 1, (), (), values=values or {})
    return Deployment(facts, PROXY, PROXY)


def test_an_admin_kept_at_a_slot_is_read_at_the_slot_its_constant_names():
    reader = Reader({(PROXY, int(ADMIN_SLOT, 16)): ADMIN}, {})
    holders, why = resolve_guard(reader, _deployment({"ADMIN_SLOT": ADMIN_SLOT}), Guard("owner", "slot ADMIN_SLOT"))
    assert (holders, why) == ([to_checksum_address(ADMIN)], "")


def test_an_address_another_contract_names_is_asked_of_that_contract():
    reader = Reader({}, {(PROXY, "controller()"): CONTROLLER, (CONTROLLER.lower(), "getGovernor()"): GOVERNOR})
    assert resolve_guard(reader, _deployment(), Guard("external", "controller.getGovernor()")) == ([GOVERNOR], "")
    holders, why = resolve_guard(reader, _deployment(), Guard("external", "aclManager.isPoolAdmin(msg.sender)"))
    assert holders == [] and "decided by another contract" in why


def test_the_user_side_of_a_users_function_is_nobodys_power():
    entry = EntryPoint("transfer(address,uint256)", "Pool", "Pool.sol", 5,
                       (Guard("owner", "cooAddress"), Guard("user", "ownerOf[]")),
                       (Capability("act_for_users", "ownerOf[]", "Pool.sol", 5, guards=(Guard("owner", "cooAddress"),)),))
    facts = ContractFacts("Pool", "Pool.sol", 1, (), (entry,))
    reader = Reader({}, {(PROXY, "cooAddress()"): ADMIN})
    graph = build_graph(reader, [Deployment(facts, PROXY, PROXY)], depth=0)
    assert [(e.source, e.capability) for e in graph.edges] == [(ADMIN, "act_for_users")]
    assert graph.unresolved == []
