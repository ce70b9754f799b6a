"""A hostile server on 127.0.0.1 (a free port): Etherscan v2 (`GET /v2/api`), Sourcify v2
(`GET /server/v2/contract/{chain}/{address}`) and JSON-RPC (`POST /rpc/{mode}/...`), whose
answers tests choose per address (explorers) or per path (RPC): well formed, or malformed
types, non-JSON, deep nesting, bodies that trickle, never end, or lie about their length.

Every handler stops when the client goes away or the stub stops, so nothing outlives a test.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from explorer_stub import LocalServer

CHAIN_ID = 31337
# JSON-RPC errors as nodes word them, by path mode and method: reverts (geth and anvil with a
# reason, erigon without, OpenEthereum's "Reverted" data, a custom error's selector) and
# failures that are not (a node's internal error; a revert's wording to a read that is not a call)
_REASON = "0x08c379a0" + (32).to_bytes(32, "big").hex() + (4).to_bytes(32, "big").hex() + b"nope".hex().ljust(64, "0")
CALL_ERRORS = {
    "revert-reason": {"eth_call": {"code": 3, "message": "execution reverted: nope", "data": _REASON}},
    "revert-bare": {"eth_call": {"code": -32000, "message": "execution reverted"}},
    "revert-parity": {"eth_call": {"code": -32015, "message": "VM execution error.", "data": "Reverted 0x"}},
    "revert-custom": {"eth_call": {"code": -32000, "message": "VM Exception", "data": "0xdeadbeef00"}},
    "call-fails": {"eth_call": {"code": -32603, "message": "internal error"}},
    "code-fails": {"eth_getCode": {"code": -32000, "message": "execution reverted"}},
}
BLOCK = 16
BLOCK_HASH = "0x" + "ab" * 32


@dataclass(frozen=True)
class Answer:
    """What the stub sends: a status and body, and how the body is delivered."""

    body: bytes = b""
    status: int = 200
    mode: str = "plain"  # plain | trickle (one byte every `every` s) | endless | lie (Content-Length `length`, then silence)
    every: float = 1.0
    length: int = 0
    headers: tuple[tuple[str, str], ...] = field(default=())


def answer(value, status: int = 200) -> Answer:
    return Answer(json.dumps(value).encode(), status)


def raw(text: str | bytes, status: int = 200) -> Answer:
    return Answer(text.encode() if isinstance(text, str) else text, status)


def trickle(text: str = '{"status": "1", "message": "OK", "result": []}', every: float = 1.0) -> Answer:
    return Answer(text.encode(), mode="trickle", every=every)


def endless() -> Answer:
    return Answer(mode="endless")


def lie(length: int = 10 ** 12, text: str = "{}") -> Answer:
    return Answer(text.encode(), mode="lie", length=length)


def deep(levels: int = 200_000) -> Answer:
    return raw("[" * levels + "]" * levels)


def etherscan_item(**fields) -> dict:
    """One getsourcecode result item, well formed, with `fields` replacing its values."""
    item = {"SourceCode": "", "ABI": "[]", "ContractName": "C", "CompilerVersion": "v0.8.24+commit.e11b9ed9",
            "OptimizationUsed": "0", "Runs": "200", "ConstructorArguments": "", "EVMVersion": "Default", "Library": "",
            "LicenseType": "MIT", "Proxy": "0", "Implementation": "", "SwarmSource": ""}
    return {**item, **fields}


def etherscan_standard_json(sources: dict[str, str], name: str, settings: dict | None = None, **fields) -> Answer:
    code = "{" + json.dumps({"language": "Solidity", "sources": {k: {"content": v} for k, v in sources.items()},
                             "settings": settings or {"optimizer": {"enabled": False, "runs": 200}}}) + "}"
    return etherscan_ok(SourceCode=code, ContractName=name, **fields)


def etherscan_ok(**fields) -> Answer:
    return answer({"status": "1", "message": "OK", "result": [etherscan_item(**fields)]})


def sourcify_ok(address: str, files: dict[str, str], name: str, target: str, **fields) -> Answer:
    body = {"match": "exact_match", "creationMatch": "exact_match", "runtimeMatch": "exact_match", "chainId": str(CHAIN_ID),
            "address": address, "verifiedAt": "2026-01-01T00:00:00Z", "matchId": "1",
            "compilation": {"language": "Solidity", "compiler": "solc", "compilerVersion": "0.8.24+commit.e11b9ed9",
                            "compilerSettings": {}, "name": name, "fullyQualifiedName": f"{target}:{name}"},
            "stdJsonInput": {"language": "Solidity", "sources": {k: {"content": v} for k, v in files.items()},
                             "settings": {"optimizer": {"enabled": False, "runs": 200}}},
            "sources": {k: {"content": v} for k, v in files.items()},
            "proxyResolution": {"isProxy": False, "proxyType": None, "implementations": []}}
    return answer({**body, **fields})


class HostileStub(LocalServer):
    def __init__(self) -> None:
        self.etherscan: dict[str, Answer] = {}  # address (lower case) -> answer
        self.sourcify: dict[str, Answer] = {}
        self.requests: list[str] = []
        self.stopping = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                return None

            def do_GET(self):
                parts = urlsplit(self.path)
                stub.requests.append(parts.path)
                if parts.path.endswith("/v2/api"):
                    address = (parse_qs(parts.query).get("address") or [""])[0].lower()
                    return self._deliver(stub.etherscan.get(address, answer({"status": "0", "message": "NOTOK",
                                                                               "result": "Error! Invalid address format"})))
                if "/v2/contract/" in parts.path:
                    address = parts.path.rstrip("/").split("/")[-1].lower()
                    return self._deliver(stub.sourcify.get(address, answer({"match": None}, 404)))
                return self._deliver(answer({"message": "Page not found"}, 404))

            def do_POST(self):
                parts = urlsplit(self.path)
                stub.requests.append(parts.path)
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                mode = (parts.path.split("/") + ["", ""])[2]
                return self._deliver(stub.rpc(mode, request))

            def _deliver(self, reply: Answer):
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    for name, value in reply.headers:
                        self.send_header(name, value)
                    if reply.mode == "endless":
                        self.send_header("Connection", "close")
                        self.end_headers()
                        block = b" " * 65536
                        while not stub.stopping.is_set():
                            self.wfile.write(block)
                        return
                    length = reply.length if reply.mode == "lie" else len(reply.body)
                    self.send_header("Content-Length", str(length))
                    self.end_headers()
                    if reply.mode == "trickle":
                        for byte in reply.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            if stub.stopping.wait(reply.every):
                                return
                        return
                    self.wfile.write(reply.body)
                    self.wfile.flush()
                    if reply.mode == "lie":
                        stub.stopping.wait(60)  # the rest never comes
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        self.serve(Handler)

    def stopped(self) -> None:
        self.stopping.set()

    # -- JSON-RPC: a tiny chain, or a fault chosen by the path's first segment ----------------
    def rpc(self, mode: str, request: dict) -> Answer:
        method = request.get("method", "")
        if mode == "deep":
            return deep()
        if mode == "trickle":
            return trickle(json.dumps({"jsonrpc": "2.0", "id": request.get("id"), "result": hex(CHAIN_ID)}), every=1.0)
        if mode == "endless":
            return endless()
        if mode == "lie":
            return lie()
        if mode == "notjson":
            return raw("<html>502 Bad Gateway</html>")
        if mode == "slow":
            time.sleep(0.3)
        result = {
            "eth_chainId": hex(CHAIN_ID),
            "eth_blockNumber": hex(BLOCK),
            "eth_getBlockByNumber": {"number": hex(BLOCK), "hash": BLOCK_HASH, "parentHash": "0x" + "00" * 32,
                                     "timestamp": "0x1", "transactions": []},
            "eth_getCode": "0x6080604052",
            "eth_getStorageAt": "0x" + "00" * 32,
            "eth_call": "0x",
            "eth_getLogs": [],
        }.get(method)
        if mode == "wrongtype":
            result = {"eth_chainId": ["0x7a69"], "eth_blockNumber": {"n": 1}}.get(method, result)
        if mode == "noenvelope":
            return answer(["not", "an", "envelope"])
        if method in CALL_ERRORS.get(mode, {}):  # a node's JSON-RPC error to one method
            return answer({"jsonrpc": "2.0", "id": request.get("id"), "error": CALL_ERRORS[mode][method]})
        if result is None:
            return answer({"jsonrpc": "2.0", "id": request.get("id"), "error": {"code": -32601, "message": "method not found"}})
        return answer({"jsonrpc": "2.0", "id": request.get("id"), "result": result})
