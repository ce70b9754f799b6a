"""Storage slots the proxy standards fix, with the preimages some code writes instead.
Static facts find them among a contract's constants; chain reads look in them."""
from __future__ import annotations

PROXY_SLOTS: dict[str, tuple[str, str]] = {
    "eip1967-implementation": ("0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc", "eip1967.proxy.implementation"),
    "eip1967-admin": ("0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103", "eip1967.proxy.admin"),
    "eip1967-beacon": ("0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50", "eip1967.proxy.beacon"),
    "eip1822": ("0xc5f16f0fcc639fa48a6947836d9850f504798523bf8c9a3a87d5876cf622bcf7", '"PROXIABLE"'),
    "zeppelinos": ("0x7050c9e0f4ca769c69bd3a8ef740bc37934f8e2c036e5a723fd8ee048ed3f8c3", "org.zeppelinos.proxy.implementation"),
    "diamond": ("0xc8fcad8db84d3cc18b4c41d551ea0ee66dd599cde068d998e57d5e09332c131c", "diamond.standard.diamond.storage"),
}

# Slots whose write replaces the code that runs.
UPGRADE_SLOTS = tuple(PROXY_SLOTS[k][0] for k in ("eip1967-implementation", "eip1967-beacon", "eip1822", "zeppelinos"))


def slot_number(name: str) -> int:
    return int(PROXY_SLOTS[name][0], 16)
