"""A block explorer on 127.0.0.1 that answers in the real APIs' formats (TOOLCHAIN.md):
Etherscan API v2 (`/v2/api`) and Sourcify API v2 (`/server/v2/contract/...`), including
their error answers. Tests register what each address has and count the requests."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

UNVERIFIED = {"SourceCode": "", "ABI": "Contract source code not verified", "ContractName": "", "CompilerVersion": "",
              "OptimizationUsed": "", "Runs": "", "ConstructorArguments": "", "EVMVersion": "Default", "Library": "",
              "LicenseType": "Unknown", "Proxy": "0", "Implementation": "", "SwarmSource": ""}


@dataclass
class Contract:
    name: str
    compiler: str  # "0.8.24+commit.e11b9ed9"
    sources: dict[str, str]
    form: str = "standard-json"  # standard-json | multi-file | single-file
    settings: dict = field(default_factory=lambda: {"optimizer": {"enabled": False, "runs": 200}})
    target: str = ""  # the unit declaring `name`


class LocalServer:
    """A threaded HTTP server on 127.0.0.1, on a free port, for as long as a `with` lasts."""

    def serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def stopped(self) -> None:
        """Tell handlers still at work to end."""


class ExplorerStub(LocalServer):
    def __init__(self, api_key: str = "test-key", chains: tuple[int, ...] = (1, 31337)) -> None:
        self.api_key = api_key
        self.chains = chains
        self.etherscan: dict[tuple[int, str], Contract] = {}
        self.sourcify: dict[tuple[int, str], Contract] = {}
        self.requests: list[str] = []
        self.rate_limited = 0  # answer this many Etherscan calls with the rate-limit error first
        self.broken = 0  # answer this many calls with a Cloudflare-style HTML page
        self.seen_keys: list[str] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                return None

            def do_GET(self):
                stub.requests.append(self.path.split("?")[0])
                parts = urlsplit(self.path)
                if stub.broken > 0:
                    stub.broken -= 1
                    return self._send(503, "<html>Cloudflare: Attention Required</html>", "text/html")
                if parts.path.endswith("/v2/api"):
                    return self._send(200, json.dumps(stub._etherscan(parse_qs(parts.query))))
                if "/v2/contract/" in parts.path:
                    status, body = stub._sourcify(parts.path)
                    return self._send(status, json.dumps(body))
                return self._send(404, json.dumps({"message": "Page not found"}))

            def _send(self, status: int, body: str, kind: str = "application/json"):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.serve(Handler)

    # -- Etherscan v2 ----------------------------------------------------------------------
    def _etherscan(self, query: dict) -> dict:
        get = lambda k: (query.get(k) or [""])[0]  # noqa: E731
        self.seen_keys.append(get("apikey"))
        if self.rate_limited > 0:
            self.rate_limited -= 1
            return {"status": "0", "message": "NOTOK", "result": "Max rate limit reached, please use API Key for higher rate limit"}
        if get("apikey") != self.api_key:
            return {"status": "0", "message": "NOTOK", "result": "Invalid API Key"}
        if not get("chainid").isdigit() or int(get("chainid")) not in self.chains:
            return {"status": "0", "message": "NOTOK", "result": "Missing or unsupported chainid parameter (required for v2 api), "
                    "please see https://api.etherscan.io/v2/chainlist for the list of supported chainids"}
        if get("module") != "contract" or get("action") != "getsourcecode":
            return {"status": "0", "message": "NOTOK", "result": "Error! Missing Or invalid Action name"}
        contract = self.etherscan.get((int(get("chainid")), get("address").lower()))
        if contract is None:
            return {"status": "1", "message": "OK", "result": [UNVERIFIED]}
        if contract.form == "standard-json":
            code = "{" + json.dumps({"language": "Solidity", "sources": {k: {"content": v} for k, v in contract.sources.items()},
                                     "settings": contract.settings}) + "}"
        elif contract.form == "multi-file":
            code = json.dumps({k: {"content": v} for k, v in contract.sources.items()})
        else:
            code = next(iter(contract.sources.values()))
        optimizer = contract.settings.get("optimizer", {})
        return {"status": "1", "message": "OK", "result": [{
            "SourceCode": code, "ABI": "[]", "ContractName": contract.name, "CompilerVersion": f"v{contract.compiler}",
            "OptimizationUsed": "1" if optimizer.get("enabled") else "0", "Runs": str(optimizer.get("runs", 200)),
            "ConstructorArguments": "", "EVMVersion": contract.settings.get("evmVersion", "Default"), "Library": "",
            "LicenseType": "MIT", "Proxy": "0", "Implementation": "", "SwarmSource": ""}]}

    # -- Sourcify v2 ---------------------------------------------------------------------------
    def _sourcify(self, path: str) -> tuple[int, dict]:
        chain, address = path.rstrip("/").split("/")[-2:]
        if not chain.isdigit() or int(chain) not in self.chains:
            return 400, {"customCode": "unsupported_chain", "message": f"Chain {chain} is not supported", "errorId": "8b5e1b8e-0000-4000-8000-000000000000"}
        contract = self.sourcify.get((int(chain), address.lower()))
        if contract is None:
            return 404, {"match": None, "creationMatch": None, "runtimeMatch": None, "chainId": chain, "address": address}
        return 200, {
            "match": "exact_match", "creationMatch": "exact_match", "runtimeMatch": "exact_match", "chainId": chain,
            "address": address, "verifiedAt": "2026-01-01T00:00:00Z", "matchId": "1",
            "compilation": {"language": "Solidity", "compiler": "solc", "compilerVersion": contract.compiler,
                            "compilerSettings": contract.settings, "name": contract.name,
                            "fullyQualifiedName": f"{contract.target}:{contract.name}"},
            "stdJsonInput": {"language": "Solidity", "sources": {k: {"content": v} for k, v in contract.sources.items()},
                             "settings": contract.settings},
            "sources": {k: {"content": v} for k, v in contract.sources.items()},
            "proxyResolution": {"isProxy": False, "proxyType": None, "implementations": []},
        }
