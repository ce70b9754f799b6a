"""The JSON-RPC transport web3 talks through: every request goes through inspector.net (a
byte cap and a deadline per request, and one deadline for all the chain reads of a scan),
every answer is parsed with bounded nesting and checked against the JSON-RPC envelope and
the type its method returns before web3 sees it. The URL is never logged or shown unmasked.
"""
from __future__ import annotations

import time
from typing import Any

import requests
from web3.providers.base import JSONBaseProvider
from web3.types import RPCEndpoint, RPCResponse

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




class CappedProvider(JSONBaseProvider):
    def __init__(self, url: str, shown: str) -> None:
        super().__init__()
        self.url = url
        self.shown = shown
        self.session = requests.Session()
        # all the chain reads of one scan together (a reader lives as long as its scan)
        self.budget = net.setting("INSPECTOR_CHAIN_DEADLINE", 900.0)
        self.deadline = time.monotonic() + self.budget

    def __str__(self) -> str:
        return f"RPC at {self.shown}"

    def is_connected(self, show_traceback: bool = False) -> bool:
        return True

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        if time.monotonic() >= self.deadline:
            raise self._out_of_time()
        try:
            reply = net.request("POST", self.url, net.rpc_limits(), session=self.session, deadline=self.deadline,
                                data=self.encode_rpc_request(method, params), headers={"Content-Type": "application/json"})
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
