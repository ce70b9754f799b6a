"""Reads from a chain over JSON-RPC: code, storage, calls and logs, all at one pinned block,
through a provider with a byte cap and deadlines (provider.py), and cached in the store by
(chain, block, what was read). The RPC URL is only ever shown masked: it often carries an
API key."""
from __future__ import annotations

import json

from eth_abi import decode, encode
from eth_abi.exceptions import DecodingError
from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.exceptions import ContractLogicError, Web3Exception

from inspector.chain.provider import CappedProvider
from inspector.chains import Chain, mask_url
from inspector.errors import ChainError, InspectorError
from inspector.store import Store

__all__ = ["ChainError", "ChainReader", "selector"]


def selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


class ChainReader:
    def __init__(self, url: str, chain: Chain, store: Store, block: int | None = None, refresh: bool = False) -> None:
        self.shown = mask_url(url)
        self.chain = chain
        self.store = store
        self.refresh = refresh
        self.w3 = Web3(CappedProvider(url, self.shown))
        try:
            actual = self.w3.eth.chain_id
            head = self.w3.eth.block_number
            self.block = block if block is not None else head
            header = self.w3.eth.get_block(self.block) if actual == chain.chain_id and self.block <= head else None
        except InspectorError:
            raise
        except Exception as exc:  # connection refused, timeout, bad JSON: all one answer for the user
            raise ChainError(f"RPC at {self.shown} did not answer ({type(exc).__name__})", "check --rpc and that the node runs") from None
        if actual != chain.chain_id:
            raise ChainError(f"RPC at {self.shown} serves chain {actual}, not {chain} ({chain.chain_id})",
                             "pass the RPC of the target's chain, or fix the target's chain")
        if header is None:
            raise ChainError(f"block {self.block} is beyond {chain}'s head ({head})", "pass a block the chain has reached")
        # cached reads are keyed by the block's hash, not its number: a restarted devnet
        # reaches the same numbers with other states
        self.block_hash = bytes(header["hash"]).hex()

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
        except (ContractLogicError, ValueError, DecodingError):
            value = None  # a revert or an answer that does not decode: this contract does not have that
        except Web3Exception as exc:
            raise ChainError(f"RPC at {self.shown} failed: {type(exc).__name__}", "retry, or check the node") from None
        except Exception as exc:  # network errors surface as requests' exceptions
            raise ChainError(f"RPC at {self.shown} did not answer ({type(exc).__name__})", "check --rpc and that the node runs") from None
        self.store.put_response(key, json.dumps(value))
        return value

    def code(self, address: str) -> bytes:
        value = self._cached(f"code|{address.lower()}", lambda: self.w3.eth.get_code(address, self.block).hex())
        return bytes.fromhex((value or "").removeprefix("0x"))

    def code_at(self, address: str, block: int) -> bool:
        """Whether the address had code at an earlier block (for finding its deployment)."""
        return bool(self._cached(f"hascode|{address.lower()}|{block}", lambda: len(self.w3.eth.get_code(address, block)) > 0))

    def storage(self, address: str, slot: int) -> bytes:
        value = self._cached(f"slot|{address.lower()}|{slot:x}",
                             lambda: self.w3.eth.get_storage_at(address, slot, self.block).hex())
        return bytes.fromhex((value or "").removeprefix("0x")).rjust(32, b"\0")

    def call(self, address: str, signature: str, returns: list[str], args: tuple = (), types: list[str] | None = None):
        """Call a view function; None when it reverts or does not exist."""
        data = selector(signature) + (encode(types or [], list(args)) if args else b"")

        def read():
            raw = self.w3.eth.call({"to": address, "data": "0x" + data.hex()}, self.block)
            if not raw:
                return None
            try:
                values = decode(returns, bytes(raw))
            except Exception:  # noqa: BLE001 - a contract's answer is untrusted bytes: a dynamic type whose
                # length overflows raises OverflowError, not a DecodingError; whatever does not decode is not there
                return None
            return [v.hex() if isinstance(v, bytes) else (list(v) if isinstance(v, tuple) else v) for v in values]

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
                    chunk = self.w3.eth.get_logs({"address": address, "topics": ["0x" + topic0.hex()],
                                                  "fromBlock": start, "toBlock": end})
                except Exception:
                    if span <= 1_000:
                        raise
                    span //= 10
                    continue
                found += [{"topics": [t.hex() for t in log["topics"]], "data": log["data"].hex(),
                           "block": log["blockNumber"], "index": log["logIndex"]} for log in chunk]
                start = end + 1
            return found

        return self._cached(f"logs|{address.lower()}|{topic0.hex()}|{from_block}", read) or []
