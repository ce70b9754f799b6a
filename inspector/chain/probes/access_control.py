"""OpenZeppelin AccessControl: who holds a role (by enumeration where the contract has it,
else its RoleGranted/RoleRevoked logs replayed in order), and which roles administer
others (DEFAULT_ADMIN_ROLE, and each role a RoleAdminChanged log makes an admin).

A guard names one role at a time, so the graph asks `members` for it; `probe` reads what
grantRole and revokeRole are guarded by: the members of every admin role."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.chain.accounts import ZERO
from inspector.keccak import keccak, to_checksum_address

if TYPE_CHECKING:
    from inspector.chain.rpc import ChainReader

ROLE_GRANTED = keccak(text="RoleGranted(bytes32,address,address)")
ROLE_REVOKED = keccak(text="RoleRevoked(bytes32,address,address)")
ROLE_ADMIN_CHANGED = keccak(text="RoleAdminChanged(bytes32,bytes32,bytes32)")
DEFAULT_ADMIN_ROLE = "00" * 32
ANYONE = "anyone"  # a pseudo-address: a role granted to address(0) is open to every account
ENUMERATED = 100  # members read by enumeration, at most


@dataclass(frozen=True)
class AccessControl:
    address: str
    admin_roles: tuple[str, ...]  # role ids (hex, no 0x), DEFAULT_ADMIN_ROLE first
    admins: tuple[str, ...]  # the members of any of them: who may grant and revoke roles


def role_id(reader: ChainReader, address: str, role: str) -> str | None:
    """The id of a role by its getter's name (`MINTER_ROLE()`), as hex without 0x."""
    if role == "DEFAULT_ADMIN_ROLE":
        return DEFAULT_ADMIN_ROLE
    value = reader.call(address, f"{role}()", ["bytes32"])
    return value.removeprefix("0x") if isinstance(value, str) else None


def members(reader: ChainReader, address: str, role: str) -> list[str]:
    """Members of a role (its id): enumeration where the contract has it, else the logs."""
    count = reader.call(address, "getRoleMemberCount(bytes32)", ["uint256"], (bytes.fromhex(role),), ["bytes32"])
    if isinstance(count, int):
        found = []
        for index in range(min(count, ENUMERATED)):
            member = reader.call(address, "getRoleMember(bytes32,uint256)", ["address"], (bytes.fromhex(role), index),
                                 ["bytes32", "uint256"])
            if member:
                found.append(to_checksum_address(member))
        return found
    events = [(e, True) for e in reader.logs(address, ROLE_GRANTED)] + [(e, False) for e in reader.logs(address, ROLE_REVOKED)]
    held: dict[str, bool] = {}
    for event, granted in sorted(events, key=lambda pair: (pair[0]["block"], pair[0]["index"])):
        topics = [t.removeprefix("0x") for t in event["topics"]]
        if len(topics) >= 3 and topics[1] == role:
            held[to_checksum_address("0x" + topics[2][-40:])] = granted
    return [m for m, kept in held.items() if kept]


def members_of(reader: ChainReader, address: str, *roles: str) -> list[str]:
    """Members of any of the roles (by getter name) the contract has, in order, once each."""
    ids = [found for role in roles if (found := role_id(reader, address, role))]
    return list(dict.fromkeys(m for found in ids for m in members(reader, address, found)))


def admin_roles(reader: ChainReader, address: str) -> list[str]:
    """The roles that administer another role: DEFAULT_ADMIN_ROLE, and each new admin role
    a RoleAdminChanged(role, previousAdminRole, newAdminRole) log names."""
    roles = {DEFAULT_ADMIN_ROLE: None}
    for event in sorted(reader.logs(address, ROLE_ADMIN_CHANGED), key=lambda e: (e["block"], e["index"])):
        topics = [t.removeprefix("0x") for t in event["topics"]]
        if len(topics) >= 4:
            roles[topics[3]] = None
    return list(roles)


def open_to_anyone(holders) -> list[str]:
    """Role members as holders: address(0) stands for everyone (OpenZeppelin's timelock
    opens a role so)."""
    return [ANYONE if m == ZERO else m for m in holders]


def admins(reader: ChainReader, address: str, roles: list[str]) -> list[str]:
    """The members of the admin roles, once each."""
    return list(dict.fromkeys(m for role in roles for m in open_to_anyone(members(reader, address, role))))


def probe(reader: ChainReader, address: str) -> AccessControl | None:
    """None unless the contract answers getRoleAdmin(bytes32), which every AccessControl has."""
    if reader.call(address, "getRoleAdmin(bytes32)", ["bytes32"], (bytes.fromhex(DEFAULT_ADMIN_ROLE),), ["bytes32"]) is None:
        return None
    roles = admin_roles(reader, address)
    return AccessControl(address, tuple(roles), tuple(admins(reader, address, roles)))
