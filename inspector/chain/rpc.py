"""Reads from a chain over JSON-RPC: code, storage, calls and logs, all at one pinned block,
through a client with a byte cap and deadlines (provider.py), and cached in the store by
(chain, block, what was read). The RPC URL is only ever shown masked: it often carries an
API key. No web3: its import alone (eth_account, py_ecc) took seconds of a warm scan; and
eth_abi (with eth_utils and pydantic) is imported only to decode an answer not in the store."""
from __future__ import annotations

import json

from inspector.chain.provider import RpcClient, RpcError
from inspector.chains import Chain, mask_url
from inspector.errors import ChainError, InspectorError
from inspector.keccak import selector, to_checksum_address
from inspector.store import Store

__all__ = ["ChainError", "ChainReader"]


def _bytes(value: str) -> bytes:
    """A hex answer (0x and digits, checked by the client) as bytes; an odd digit count is
    read with a leading zero, as web3 read it."""
    digits = value[2:]
    return bytes.fromhex("0" * (len(digits) % 2) + digits)


def _quantity(value) -> int | None:
    return None if value is None else int(value, 16)


_WORD = 2 ** 256


def _word(kind: str, value) -> bytes | None:
    """One static argument as eth_abi encodes it, for the types the probes pass; None for
    anything else (eth_abi encodes it then)."""
    if kind == "bytes32" and isinstance(value, bytes) and len(value) == 32:
        return value
    if kind == "uint256" and type(value) is int and 0 <= value < _WORD:
        return value.to_bytes(32, "big")
    if kind == "address" and isinstance(value, str) and len(value) == 42 and value.startswith("0x") \
            and (value == value.lower() or value == to_checksum_address(value)):
        return bytes(12) + bytes.fromhex(value[2:])
    return None


def encode_arguments(types: list[str], args: list) -> bytes:
    words = [_word(kind, value) for kind, value in zip(types, args)] if len(types) == len(args) else [None]
    if all(word is not None for word in words):
        return b"".join(words)
    from eth_abi import encode

    return encode(types, args)


def _decoded(returns: list[str], raw: bytes) -> list | None:
    """A call's answer decoded as its return types, in the values the store keeps; None when
    it does not decode."""
    from eth_abi import decode

    try:
        values = decode(returns, raw)
    except Exception:  # noqa: BLE001 - a contract's answer is untrusted bytes: a dynamic type whose
        # length overflows raises OverflowError, not a DecodingError; whatever does not decode is not there
        return None
    return [v.hex() if isinstance(v, bytes) else (list(v) if isinstance(v, tuple) else v) for v in values]


class ChainReader:
    def __init__(self, url: str, chain: Chain, store: Store, block: int | None = None, refresh: bool = False) -> None:
        self.shown = mask_url(url)
        self.chain = chain
        self.store = store
        self.refresh = refresh
        self.rpc = RpcClient(url, self.shown)
        try:
            actual = _quantity(self.rpc.request("eth_chainId", []))
            if actual != chain.chain_id:
                raise ChainError(f"RPC at {self.shown} serves chain {actual}, not {chain} ({chain.chain_id})",
                                 "pass the RPC of the target's chain, or fix the target's chain")
            head = _quantity(self.rpc.request("eth_blockNumber", []))
            self.block = block if block is not None else head
            if self.block > head:
                raise ChainError(f"block {self.block} is beyond {chain}'s head ({head})", "pass a block the chain has reached")
            header = self.rpc.request("eth_getBlockByNumber", [hex(self.block), False])
            if not (header and header.get("hash")):
                raise ChainError(f"RPC at {self.shown} has no block {self.block}, below its head ({head})",
                                 "check --rpc and that the node runs")
        except InspectorError:
            raise
        except RpcError as exc:
            raise ChainError(f"RPC at {self.shown} failed: {exc}", "check --rpc and that the node runs") from None
        except (ValueError, TypeError):
            raise ChainError(f"RPC at {self.shown} answered something malformed: a number that is not one",
                             "check --rpc") from None
        # cached reads are keyed by the block's hash, not its number: a restarted devnet
        # reaches the same numbers with other states
        self.block_hash = _bytes(header["hash"]).hex()

    # -- cached primitive reads -------------------------------------------------------------
    def _cached(self, what: str, read):
        key = f"chain|{self.chain.chain_id}|{self.block_hash}|{what}"
        if not self.refresh:
            hit = self.store.get_response(key)
            if hit is not None:
                return json.loads(hit)
        try:
            value = read()
        except InspectorError:
            raise  # the transport's own errors: malformed, too slow, too large
        except RpcError as exc:
            if not (exc.method == "eth_call" and exc.is_revert()):
                raise ChainError(f"RPC at {self.shown} failed: {exc}", "retry, or check the node") from None
            value = None  # a revert: this contract does not have that
        except ValueError:
            value = None  # an answer that does not read: this contract does not have that
        except Exception as exc:  # noqa: BLE001 - whatever else went wrong, one answer for the user
            raise ChainError(f"RPC at {self.shown} did not answer ({type(exc).__name__})", "check --rpc and that the node runs") from None
        self.store.put_response(key, json.dumps(value))
        return value

    def code(self, address: str) -> bytes:
        value = self._cached(f"code|{address.lower()}",
                             lambda: _bytes(self.rpc.request("eth_getCode", [address, hex(self.block)])).hex())
        return bytes.fromhex((value or "").removeprefix("0x"))

    def code_at(self, address: str, block: int) -> bool:
        """Whether the address had code at an earlier block (for finding its deployment)."""
        return bool(self._cached(f"hascode|{address.lower()}|{block}",
                                 lambda: len(_bytes(self.rpc.request("eth_getCode", [address, hex(block)]))) > 0))

    def storage(self, address: str, slot: int) -> bytes:
        value = self._cached(f"slot|{address.lower()}|{slot:x}",
                             lambda: _bytes(self.rpc.request("eth_getStorageAt", [address, hex(slot), hex(self.block)])).hex())
        return bytes.fromhex((value or "").removeprefix("0x")).rjust(32, b"\0")

    def call(self, address: str, signature: str, returns: list[str], args: tuple = (), types: list[str] | None = None):
        """Call a view function; None when it reverts or does not exist."""
        data = selector(signature) + (encode_arguments(types or [], list(args)) if args else b"")

        def read():
            raw = _bytes(self.rpc.request("eth_call", [{"to": address, "data": "0x" + data.hex()}, hex(self.block)]))
            return _decoded(returns, raw) if raw else None

        value = self._cached(f"call|{address.lower()}|{data.hex()}|{','.join(returns)}", read)
        if value is None:
            return None
        return value[0] if len(returns) == 1 else value

    def address_call(self, address: str, signature: str) -> str | None:
        value = self.call(address, signature, ["address"])
        return to_checksum_address(value) if isinstance(value, str) and value.startswith("0x") else None

    def logs(self, address: str, topic0: bytes, from_block: int = 0) -> list[dict]:
        """Logs of one event, in ranges that shrink when the node refuses a range."""
        def read():
            found, start, span = [], from_block, 100_000
            while start <= self.block:
                end = min(self.block, start + span - 1)
                try:
                    chunk = self.rpc.request("eth_getLogs", [{"address": address, "topics": ["0x" + topic0.hex()],
                                                              "fromBlock": hex(start), "toBlock": hex(end)}])
                except Exception:
                    if span <= 1_000:
                        raise
                    span //= 10
                    continue
                found += [{"topics": [_bytes(t).hex() for t in log["topics"]], "data": _bytes(log["data"]).hex(),
                           "block": _quantity(log["blockNumber"]), "index": _quantity(log["logIndex"])} for log in chunk]
                start = end + 1
            return found

        return self._cached(f"logs|{address.lower()}|{topic0.hex()}|{from_block}", read) or []
