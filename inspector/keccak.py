"""Keccak-256 and the EIP-55 address checksum it defines, without eth_utils: importing
eth_utils loads pydantic (~0.2 s), and a warm scan of a deployed system needs nothing else
from it. Same answers as eth_utils' keccak and to_checksum_address."""
from __future__ import annotations

import re

from Crypto.Hash import keccak as _keccak

__all__ = ["is_checksum_address", "keccak", "selector", "to_checksum_address"]

_HEX_ADDRESS = re.compile(r"(?:0[xX])?[0-9a-fA-F]{40}")


def keccak(data: bytes | None = None, *, text: str | None = None) -> bytes:
    """The Keccak-256 digest of bytes, or of a text's UTF-8."""
    if (data is None) == (text is None):
        raise TypeError("keccak takes bytes or text=, one of them")
    return _keccak.new(digest_bits=256, data=bytes(data) if text is None else text.encode("utf-8")).digest()


def selector(signature: str) -> bytes:
    """A function signature's 4-byte selector."""
    return keccak(text=signature)[:4]


def to_checksum_address(value: str | bytes) -> str:
    """An address (20 bytes, or 40 hex digits with or without 0x, any case) in EIP-55 case."""
    if isinstance(value, (bytes, bytearray)):
        if len(value) != 20:
            raise ValueError(f"an address is 20 bytes, not {len(value)}")
        digits = bytes(value).hex()
    elif isinstance(value, str) and _HEX_ADDRESS.fullmatch(value):
        digits = value[-40:].lower()
    else:
        raise ValueError(f"not an address: {value!r}")
    hashed = keccak(text=digits).hex()
    return "0x" + "".join(c.upper() if int(h, 16) > 7 else c for c, h in zip(digits, hashed))


def is_checksum_address(value: str) -> bool:
    return isinstance(value, str) and _HEX_ADDRESS.fullmatch(value) is not None and value.startswith("0x") \
        and to_checksum_address(value) == value
