"""The JSON-RPC transport the chain reader talks through (no web3: importing it costs a scan
seconds): every request goes through inspector.net (a byte cap and a deadline per request,
and one deadline for all the chain reads of a scan), every answer is parsed with bounded
nesting and checked against the JSON-RPC envelope and the type its method returns before
the reader sees it. The URL is never logged or shown unmasked.
"""
from __future__ import annotations

import itertools
import json
import time
from typing import Any

import requests

from inspector import net
from inspector.errors import ChainError
from inspector.safe_json import loads as safe_loads
from inspector.sources.answers import Malformed, check

_HEX = {"type": "string", "pattern": r"^0x[0-9a-fA-F]*$"}
_LOG = {"type": "object", "required": ["topics", "data"], "properties": {"topics": {"type": "array", "items": _HEX}, "data": _HEX}}
RESULTS = {  # what inspector's reads return; other methods are only checked for the envelope
    "eth_chainId": _HEX, "eth_blockNumber": _HEX, "eth_getCode": _HEX, "eth_getStorageAt": _HEX, "eth_call": _HEX,
    "eth_getBlockByNumber": {"type": ["object", "null"], "properties": {"hash": _HEX, "number": _HEX}},
    "eth_getLogs": {"type": "array", "items": _LOG},
}
ENVELOPE = {
    "type": "object", "required": ["jsonrpc"],
    "oneOf": [{"required": ["result"]},
              {"required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"],
                                                                "properties": {"code": {"type": "integer"},
                                                                               "message": {"type": "string"}}}}}],
}
_MISSING = object()  # an error without a `data` member (not the same as `"data": null`)


class RpcError(Exception):
    """The node answered a request with a JSON-RPC error (its envelope checked: an integer
    code and a string message; data is whatever the node put there, or _MISSING)."""

    def __init__(self, method: str, code: int, message: str, data: Any = _MISSING) -> None:
        super().__init__(method, code, message)
        self.method, self.code, self.message, self.data = method, code, message, data

    def __str__(self) -> str:
        return f"JSON-RPC error {self.code} to {self.method}"

    def is_revert(self) -> bool:
        """Whether an eth_call's error says the call reverted, the way geth, anvil, erigon and
        nethermind word it, classified as web3 7's ContractLogicError is (a revert reads as
        nothing, not as a failed node): `data` null, an object beside a message, a revert
        payload (a string that is not a bare Error(string) selector), code 3 with a message,
        or "revert" in a -32000/-32015 message or "execution reverted" in any."""
        data, message = self.data, self.message
        if data is None or (isinstance(data, dict) and message):
            return True
        if isinstance(data, str) and (data.startswith("Reverted ") or (len(data) >= 10 and data[:10] != "0x08c379a0")):
            return True
        if not message:
            return False
        return self.code == 3 or "execution reverted" in message or \
            (self.code in (-32000, -32015) and "revert" in message.lower())


class RpcClient:
    """One node's JSON-RPC endpoint; `request` returns a method's checked result."""

    def __init__(self, url: str, shown: str) -> None:
        self.url = url
        self.shown = shown
        self.session = requests.Session()
        self.ids = itertools.count(1)
        # all the chain reads of one scan together (a reader lives as long as its scan)
        self.budget = net.setting("INSPECTOR_CHAIN_DEADLINE", 900.0)
        self.deadline = time.monotonic() + self.budget

    def __str__(self) -> str:
        return f"RPC at {self.shown}"

    def request(self, method: str, params: list) -> Any:
        """The method's result; RpcError when the node answers with an error."""
        body = self.exchange(method, params)
        if "error" in body:
            error = body["error"]
            raise RpcError(method, error["code"], error["message"], error.get("data", _MISSING))
        return body["result"]

    def exchange(self, method: str, params: list) -> dict:
        """The node's whole answer (a checked envelope) to one request."""
        if time.monotonic() >= self.deadline:
            raise self._out_of_time()
        payload = json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": next(self.ids)}).encode()
        try:
            reply = net.request("POST", self.url, net.rpc_limits(), session=self.session, deadline=self.deadline,
                                data=payload, headers={"Content-Type": "application/json"})
        except net.NetError as exc:
            if time.monotonic() >= self.deadline:
                raise self._out_of_time() from None
            raise ChainError(f"RPC at {self.shown} {exc.reason}", "check --rpc and that the node runs") from None
        if reply.status != 200:
            raise ChainError(f"RPC at {self.shown} answered HTTP {reply.status}", "check --rpc and that the node runs")
        try:
            body = check(safe_loads(reply.body), ENVELOPE, "its answer")
            if "result" in body and method in RESULTS:
                check(body["result"], RESULTS[method], f"its {method} result")
        except (ValueError, Malformed) as exc:
            why = str(exc) if isinstance(exc, Malformed) or "nested" in str(exc) else "its answer is not JSON"
            raise ChainError(f"RPC at {self.shown} answered something malformed: {why}", "check --rpc") from None
        return body

    def _out_of_time(self) -> ChainError:
        return ChainError(f"the chain reads of this scan took longer than {self.budget:g} s (RPC at {self.shown})",
                          "use a faster RPC, pin --block, or raise INSPECTOR_CHAIN_DEADLINE")
