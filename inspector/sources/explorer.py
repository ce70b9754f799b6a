"""Verified sources from block explorers: Etherscan API v2 (one key for every chain) and
Sourcify (no key). Both answer in the formats recorded in TOOLCHAIN.md; base URLs can be
pointed at Etherscan-compatible explorers, a self-hosted Sourcify, or the tests' stub.

Responses are cached in the store by (explorer, chain, address), never with the key.
Errors the user can act on (not verified, bad key, rate limit that does not pass, unknown
chain, explorer down) are ExplorerErrors, one line each; the key never appears in them.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import dataclass, field

import requests

from inspector.chains import Chain, mask_url
from inspector.errors import InspectorError
from inspector.store import Store

ETHERSCAN_URL = "https://api.etherscan.io/v2/api"
SOURCIFY_URL = "https://sourcify.dev/server"
TIMEOUT = float(os.environ.get("INSPECTOR_HTTP_TIMEOUT", "20"))
RETRIES = 4
# Seconds before the n-th retry are BACKOFF * 2**n; tests shrink it.
BACKOFF = float(os.environ.get("INSPECTOR_BACKOFF", "1.0"))


class ExplorerError(InspectorError):
    """An explorer could not give verified sources."""


class NotVerified(ExplorerError):
    """The explorer answered: this address has no verified source."""


@dataclass(frozen=True)
class VerifiedSource:
    """What an explorer knows of one address: its sources as verified, and how they were compiled."""

    chain_id: int
    address: str
    explorer: str
    contract_name: str
    compiler_version: str  # as the explorer gives it, e.g. "0.8.19+commit.7dd6d404"
    sources: dict[str, str]  # source unit name (as verified) -> content
    settings: dict = field(default_factory=dict)  # standard-JSON settings: optimizer, evmVersion, remappings, viaIR, libraries
    target_file: str = ""  # the unit that declares contract_name, when known
    proxy_hint: str = ""  # the implementation an explorer believes in; informational only


class RateLimiter:
    """At most `per_second` calls a second across threads (Etherscan's free tier allows 5)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self.next = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            delay = self.next - now
            self.next = max(now, self.next) + self.interval
        if delay > 0:
            time.sleep(delay)


_ETHERSCAN_LIMIT = RateLimiter(4)


def _cached(store: Store, key: str, refresh: bool, fetch) -> dict:
    if not refresh:
        hit = store.get_response(key)
        if hit is not None:
            return json.loads(hit)
    body = fetch()
    store.put_response(key, json.dumps(body))
    return body


# -- Etherscan -----------------------------------------------------------------------------
class Etherscan:
    name = "etherscan"

    def __init__(self, store: Store, base_url: str | None = None, api_key: str | None = None, refresh: bool = False) -> None:
        self.store = store
        self.base_url = base_url or os.environ.get("INSPECTOR_ETHERSCAN_URL") or ETHERSCAN_URL
        self.api_key = api_key if api_key is not None else os.environ.get("ETHERSCAN_API_KEY", "")
        self.refresh = refresh

    def _get(self, params: dict) -> dict:
        """One API call: rate limited, retried with backoff on rate limits and on answers
        that are not the API's JSON (Cloudflare pages, 5xx), bounded in time."""
        where = mask_url(self.base_url)
        for attempt in range(RETRIES + 1):
            _ETHERSCAN_LIMIT.wait()
            try:
                response = requests.get(self.base_url, params={**params, "apikey": self.api_key}, timeout=TIMEOUT)
                body = response.json() if response.status_code == 200 else None
            except (requests.RequestException, ValueError) as exc:
                if attempt == RETRIES:
                    raise ExplorerError(f"Etherscan at {where} did not answer ({type(exc).__name__})",
                                        "check the network or --etherscan-url") from None
                body = None
            if isinstance(body, dict) and "status" in body:
                result = body.get("result")
                text = result if isinstance(result, str) else ""
                if str(body.get("status")) == "1" or body.get("message") == "No transactions found":
                    return body
                if "rate limit" in text.lower():
                    if attempt == RETRIES:
                        raise ExplorerError("Etherscan rate limit reached and did not clear after retries",
                                            "wait a moment, or use a key with a higher limit")
                elif "invalid api key" in text.lower() or "too many invalid api key" in text.lower():
                    raise ExplorerError("Etherscan rejected the API key (Invalid API Key)", "check ETHERSCAN_API_KEY")
                elif "missing or unsupported chainid" in text.lower():
                    raise ExplorerError(f"Etherscan does not support chain {params.get('chainid')}",
                                        "use --explorer sourcify, or an Etherscan-compatible explorer with --etherscan-url")
                elif "not verified" in text.lower():
                    raise NotVerified(f"{params.get('address')} is not verified on Etherscan", "try --explorer sourcify")
                else:
                    raise ExplorerError(f"Etherscan answered: {text or body.get('message')}", "check the address and chain")
            elif attempt == RETRIES:
                raise ExplorerError(f"Etherscan at {where} did not give a JSON answer", "check --etherscan-url, or retry later")
            time.sleep(BACKOFF * (2 ** attempt))
        raise AssertionError("unreachable")

    def source(self, chain: Chain, address: str) -> VerifiedSource:
        if not self.api_key:
            raise ExplorerError("ETHERSCAN_API_KEY is not set", "set it (one key serves every chain), or use --explorer sourcify")
        key = f"etherscan|{chain.chain_id}|{address.lower()}|getsourcecode"
        params = {"chainid": chain.chain_id, "module": "contract", "action": "getsourcecode", "address": address}
        body = _cached(self.store, key, self.refresh, lambda: self._get(params))
        return parse_etherscan(chain, address, body)


def _flag(value) -> bool:
    return str(value).strip().lower() in ("1", "true")


def parse_etherscan(chain: Chain, address: str, body: dict) -> VerifiedSource:
    results = body.get("result")
    if not isinstance(results, list) or not results:
        raise ExplorerError("Etherscan's answer has no result", "retry later")
    item = results[0]
    code = item.get("SourceCode") or ""
    if not code or item.get("ABI") == "Contract source code not verified":
        raise NotVerified(f"{address} is not verified on Etherscan (chain {chain.chain_id})", "try --explorer sourcify")
    compiler = str(item.get("CompilerVersion", "")).lstrip("v")
    if compiler.startswith("vyper"):
        raise ExplorerError(f"{address} is a Vyper contract", "inspector reads Solidity only")
    name = item.get("ContractName", "")
    settings: dict = {}
    target = ""
    if code.startswith("{{"):  # standard-JSON input wrapped in double braces
        data = json.loads(code[1:-1])
        sources = {k.lstrip("/"): v.get("content", "") for k, v in data.get("sources", {}).items()}
        settings = dict(data.get("settings", {}))
    elif code.startswith("{"):  # older multi-file: {"A.sol": {"content": ...}} or {"sources": {...}}
        data = json.loads(code)
        data = data.get("sources", data)
        sources = {k.lstrip("/"): v.get("content", "") for k, v in data.items()}
    else:  # a single file
        target = f"{name or 'Contract'}.sol"
        sources = {target: code}
    if not settings:
        runs = item.get("Runs", item.get("OptimizationRuns", "200"))
        if _flag(item.get("OptimizationUsed")):
            settings["optimizer"] = {"enabled": True, "runs": int(runs or 200)}
        evm = str(item.get("EVMVersion", "")).strip()
        if evm and evm.lower() != "default":
            settings["evmVersion"] = evm.lower()
    libraries = str(item.get("Library", "")).strip()
    if libraries and "libraries" not in settings:
        settings["libraries"] = {"": dict(pair.split(":", 1) for pair in libraries.split(";") if ":" in pair)}
    if not target:
        target = _declaring_file(sources, name)
    return VerifiedSource(
        chain_id=chain.chain_id, address=address, explorer="etherscan", contract_name=name,
        compiler_version=compiler, sources=sources, settings=settings, target_file=target,
        proxy_hint=item.get("Implementation", "") if _flag(item.get("Proxy", item.get("IsProxy"))) else "",
    )


def _declaring_file(sources: dict[str, str], name: str) -> str:
    """The unit that declares `contract Name`, `abstract contract Name` or `library Name`."""
    pattern = re.compile(rf"\b(contract|library|interface)\s+{re.escape(name)}\b")
    hits = [unit for unit, content in sources.items() if pattern.search(content)]
    return hits[0] if len(hits) == 1 else (hits[0] if hits else "")


# -- Sourcify ------------------------------------------------------------------------------
class Sourcify:
    name = "sourcify"

    def __init__(self, store: Store, base_url: str | None = None, refresh: bool = False) -> None:
        self.store = store
        self.base_url = (base_url or os.environ.get("INSPECTOR_SOURCIFY_URL") or SOURCIFY_URL).rstrip("/")
        self.refresh = refresh

    def _get(self, url: str) -> dict:
        where = mask_url(self.base_url)
        for attempt in range(RETRIES + 1):
            try:
                response = requests.get(url, timeout=TIMEOUT)
            except requests.RequestException as exc:
                if attempt == RETRIES:
                    raise ExplorerError(f"Sourcify at {where} did not answer ({type(exc).__name__})",
                                        "check the network or --sourcify-url") from None
                time.sleep(BACKOFF * (2 ** attempt))
                continue
            try:
                body = response.json()
            except ValueError:
                body = {}
            if response.status_code == 200:
                return body
            if response.status_code == 404:
                return {"match": None}
            if response.status_code == 400 and body.get("customCode") == "unsupported_chain":
                raise ExplorerError(f"Sourcify does not support chain {url.split('/')[-2]}", "use --explorer etherscan")
            if response.status_code in (429, 500, 502, 503, 504) and attempt < RETRIES:
                time.sleep(BACKOFF * (2 ** attempt))
                continue
            message = body.get("message") or f"HTTP {response.status_code}"
            raise ExplorerError(f"Sourcify answered: {message}", "retry later, or use --explorer etherscan")
        raise AssertionError("unreachable")

    def source(self, chain: Chain, address: str) -> VerifiedSource:
        key = f"sourcify|{chain.chain_id}|{address.lower()}|v2"
        url = f"{self.base_url}/v2/contract/{chain.chain_id}/{address}?fields=all"
        body = _cached(self.store, key, self.refresh, lambda: self._get(url))
        return parse_sourcify(chain, address, body)


def parse_sourcify(chain: Chain, address: str, body: dict) -> VerifiedSource:
    if not body.get("match"):
        raise NotVerified(f"{address} is not verified on Sourcify (chain {chain.chain_id})", "try --explorer etherscan")
    std = body.get("stdJsonInput") or {}
    compilation = body.get("compilation") or {}
    if compilation.get("language", "Solidity") != "Solidity":
        raise ExplorerError(f"{address} is a {compilation.get('language')} contract", "inspector reads Solidity only")
    sources = {k: v.get("content", "") for k, v in (std.get("sources") or body.get("sources") or {}).items()}
    qualified = compilation.get("fullyQualifiedName", "")
    target, _, name = qualified.rpartition(":")
    proxy = body.get("proxyResolution") or {}
    implementations = proxy.get("implementations") or []
    return VerifiedSource(
        chain_id=chain.chain_id, address=address, explorer="sourcify",
        contract_name=compilation.get("name") or name, compiler_version=str(compilation.get("compilerVersion", "")).lstrip("v"),
        sources=sources, settings=dict(std.get("settings") or compilation.get("compilerSettings") or {}),
        target_file=target or _declaring_file(sources, compilation.get("name", "")),
        proxy_hint=implementations[0].get("address", "") if proxy.get("isProxy") and implementations else "",
    )


def fetch_source(chain: Chain, address: str, store: Store, explorer: str = "auto", etherscan_url: str | None = None,
                 sourcify_url: str | None = None, refresh: bool = False) -> VerifiedSource:
    """Verified sources for one address. `auto` asks Etherscan when a key is set, then
    Sourcify; a source verified on neither is NotVerified."""
    etherscan = Etherscan(store, etherscan_url, refresh=refresh)
    sourcify = Sourcify(store, sourcify_url, refresh=refresh)
    if explorer == "etherscan":
        return etherscan.source(chain, address)
    if explorer == "sourcify":
        return sourcify.source(chain, address)
    errors: list[ExplorerError] = []
    for client in ([etherscan] if etherscan.api_key else []) + [sourcify]:
        try:
            return client.source(chain, address)
        except ExplorerError as exc:  # NotVerified included: try the next explorer
            errors.append(exc)
    if all(isinstance(e, NotVerified) for e in errors):
        asked = " or ".join(["Etherscan"] * bool(etherscan.api_key) + ["Sourcify"])
        raise NotVerified(f"{address} is not verified on {asked} (chain {chain.chain_id})",
                          "set ETHERSCAN_API_KEY to ask Etherscan too, or scan local sources with --project" if not etherscan.api_key
                          else "scan local sources with --project")
    raise errors[-1]
