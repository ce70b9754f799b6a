"""Verified sources from block explorers: Etherscan API v2 (one key for every chain) and
Sourcify (no key). Both answer in the formats recorded in TOOLCHAIN.md; base URLs can be
pointed at Etherscan-compatible explorers, a self-hosted Sourcify, or the tests' stub.

Every answer is untrusted: it is read through inspector.net (a byte cap and a deadline),
parsed with bounded nesting (safe_json), checked against its schema (answers) and turned
into typed values here, file names included (unit_names). Only an answer that has parsed
is cached in the store, by (explorer, chain, address), never with the key.
Errors the user can act on (not verified, bad key, rate limit that does not pass, unknown
chain, explorer down, a malformed answer) are ExplorerErrors, one line each; the key never
appears in them.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Callable, TypeVar

from inspector import net
from inspector.chains import Chain, mask_url
from inspector.errors import ConfigError, InspectorError
from inspector.safe_json import JSONError, loads as safe_loads
from inspector.sources.answers import (ETHERSCAN_ENVELOPE, ETHERSCAN_SOURCE, MULTI_FILE, SOURCIFY_CONTRACT, SOURCIFY_ERROR,
                                       STANDARD_JSON, Malformed, check, quote)
from inspector.sources.model import CompilerSettings, Remapping
from inspector.sources.unit_names import UnitNameError, disk_paths
from inspector.store import Store

ETHERSCAN_URL = "https://api.etherscan.io/v2/api"
SOURCIFY_URL = "https://sourcify.dev/server"
SOURCIFY_FIELDS = "compilation,stdJsonInput,sources,proxyResolution"  # not `all`: bytecodes and outputs are most of it
RETRIES = 4
# Seconds before the n-th retry are BACKOFF * 2**n; tests shrink it.
BACKOFF = float(os.environ.get("INSPECTOR_BACKOFF", "1.0"))
T = TypeVar("T")


class ExplorerError(InspectorError):
    """An explorer could not give verified sources."""


class NotVerified(ExplorerError):
    """The explorer answered: this address has no verified source."""


class MalformedAnswer(ExplorerError):
    """The explorer's answer does not have the shape its API documents."""


@dataclass(frozen=True)
class VerifiedFile:
    unit: str  # the source unit name as verified (Etherscan's leading '/' removed)
    path: PurePosixPath  # where it is written below the address's sources folder (unit_names)
    content: str


@dataclass(frozen=True)
class VerifiedSource:
    """What an explorer knows of one address: its sources as verified, and how they were compiled."""

    chain_id: int
    address: str
    explorer: str
    contract_name: str
    compiler_version: str  # as the explorer gives it, e.g. "0.8.19+commit.7dd6d404"
    files: tuple[VerifiedFile, ...]
    settings: CompilerSettings = CompilerSettings()
    remappings: tuple[Remapping, ...] = ()
    target_file: str = ""  # the unit that declares contract_name, when known
    proxy_hint: str = ""  # the implementation an explorer believes in; informational only

    @property
    def sources(self) -> dict[str, str]:
        return {f.unit: f.content for f in self.files}


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


def _answer(store: Store, key: str, refresh: bool, fetch: Callable[[], tuple[str, Any]], parse: Callable[[Any], T]) -> T:
    """An explorer's answer as typed values: from the store, or asked for, parsed, and only
    then stored. A stored answer that no longer parses (kept by an older inspector) is asked again."""
    if not refresh:
        hit = store.get_response(key)
        if hit is not None:
            try:
                return parse(safe_loads(hit))
            except (ValueError, MalformedAnswer):
                pass
    text, body = fetch()
    value = parse(body)
    store.put_response(key, text)
    return value


def _malformed(explorer: str, address: str, why: str) -> MalformedAnswer:
    return MalformedAnswer(f"{explorer}'s answer for {address} is malformed: {why}", "retry later, or try the other explorer with --explorer")


def _body(reply: net.Reply, explorer: str, where: str) -> tuple[str, Any] | None:
    """The reply as (text, JSON value); None when it is not JSON at all (an HTML error
    page: worth asking again). JSON inspector refuses is an error at once."""
    try:
        text = reply.body.decode("utf-8")
        return text, safe_loads(text)
    except JSONError as exc:
        raise ExplorerError(f"{explorer} at {where} answered {exc}", "retry later, or use another explorer") from None
    except ValueError:  # UnicodeDecodeError and JSONDecodeError
        return None


def _unreachable(explorer: str, where: str, exc: net.NetError, hint: str) -> ExplorerError:
    return ExplorerError(f"{explorer} at {where} {exc.reason}", hint)


# -- Etherscan -----------------------------------------------------------------------------
class Etherscan:
    name = "etherscan"

    def __init__(self, store: Store, base_url: str | None = None, api_key: str | None = None, refresh: bool = False,
                 deadline: float | None = None) -> None:
        self.store = store
        self.base_url = base_url or os.environ.get("INSPECTOR_ETHERSCAN_URL") or ETHERSCAN_URL
        self.api_key = api_key if api_key is not None else os.environ.get("ETHERSCAN_API_KEY", "")
        self.refresh = refresh
        self.deadline = deadline  # monotonic time by which every explorer read of the scan ends

    def _get(self, params: dict) -> tuple[str, Any]:
        """One API call: rate limited, retried with backoff on rate limits and on answers
        that are not the API's JSON (Cloudflare pages, 5xx), bounded in time and size."""
        where = mask_url(self.base_url)
        hint = "check the network or --etherscan-url"
        for attempt in range(RETRIES + 1):
            _ETHERSCAN_LIMIT.wait()
            try:
                reply = net.request("GET", self.base_url, net.explorer_limits(), params={**params, "apikey": self.api_key},
                                    deadline=self.deadline)
            except net.NetError as exc:
                if not exc.retry or attempt == RETRIES:
                    raise _unreachable("Etherscan", where, exc, hint) from None
                time.sleep(BACKOFF * (2 ** attempt))
                continue
            answer = _body(reply, "Etherscan", where) if reply.status == 200 else None
            if answer is not None:
                try:
                    body = check(answer[1], ETHERSCAN_ENVELOPE, "its envelope")
                except Malformed as exc:
                    raise _malformed("Etherscan", str(params.get("address")), str(exc)) from None
                result = body.get("result")
                text = quote(result) if isinstance(result, str) else ""
                if str(body.get("status")) == "1" or body.get("message") == "No transactions found":
                    return answer
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
                    raise ExplorerError(f"Etherscan answered: {text or quote(str(body.get('message', '')))}", "check the address and chain")
            elif attempt == RETRIES:
                raise ExplorerError(f"Etherscan at {where} did not give a JSON answer", "check --etherscan-url, or retry later")
            time.sleep(BACKOFF * (2 ** attempt))
        raise AssertionError("unreachable")

    def source(self, chain: Chain, address: str) -> VerifiedSource:
        if not self.api_key:
            raise ExplorerError("ETHERSCAN_API_KEY is not set", "set it (one key serves every chain), or use --explorer sourcify")
        key = f"etherscan|{chain.chain_id}|{address.lower()}|getsourcecode"
        params = {"chainid": chain.chain_id, "module": "contract", "action": "getsourcecode", "address": address}
        found = _answer(self.store, key, self.refresh, lambda: self._get(params), lambda body: parse_etherscan(chain, address, body))
        if found is None:
            raise NotVerified(f"{address} is not verified on Etherscan (chain {chain.chain_id})", "try --explorer sourcify")
        if found.compiler_version.startswith("vyper"):
            raise ExplorerError(f"{address} is a Vyper contract", "inspector reads Solidity only")
        return found


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true")


def parse_etherscan(chain: Chain, address: str, body: Any) -> VerifiedSource | None:
    """A getsourcecode answer as typed values; None when the address is not verified."""
    try:
        item = check(body, ETHERSCAN_SOURCE, "the answer")["result"][0]
        code = item["SourceCode"]
        if not code or item.get("ABI") == "Contract source code not verified":
            return None
        name = item.get("ContractName", "")
        settings: dict = {}
        target = ""
        if code.startswith("{{"):  # standard-JSON input wrapped in double braces
            data = check(_inner_json(code[1:-1]), STANDARD_JSON, "SourceCode")
            sources = _stripped(data["sources"])
            settings = data.get("settings", {})
        elif code.startswith("{"):  # older multi-file: {"A.sol": {"content": ...}} or {"sources": {...}}
            data = check(_inner_json(code), MULTI_FILE, "SourceCode")
            sources = _stripped(data.get("sources", data) if isinstance(data.get("sources"), dict) else data)
        else:  # a single file
            target = f"{name or 'Contract'}.sol"
            sources = {target: code}
        if not settings:
            runs = item.get("Runs", item.get("OptimizationRuns", ""))
            settings = {"optimizer": {"enabled": _flag(item.get("OptimizationUsed")), "runs": int(runs or 200)}}
            evm = item.get("EVMVersion", "").strip()
            if evm and evm.lower() != "default":
                settings["evmVersion"] = evm
        proxy = _flag(item.get("Proxy", item.get("IsProxy")))
        return _verified(chain, address, "etherscan", name, item.get("CompilerVersion", "").lstrip("v"), sources, settings,
                         target or _declaring_file(sources, name), item.get("Implementation", "") if proxy else "")
    except (Malformed, UnitNameError, ValueError) as exc:
        raise _malformed("Etherscan", address, str(exc).strip()) from None


def _inner_json(text: str) -> Any:
    """The JSON Etherscan keeps in SourceCode, a string in its answer."""
    try:
        return safe_loads(text, unique_keys=True)
    except json.JSONDecodeError as exc:
        raise Malformed(f"SourceCode is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except JSONError as exc:
        raise Malformed(f"SourceCode is {exc}") from None


def _stripped(entries: dict) -> dict[str, str]:
    """Unit name -> content, without Etherscan's leading '/': two names that become one are refused."""
    sources: dict[str, str] = {}
    for unit, entry in entries.items():
        name = unit.lstrip("/")
        if name in sources:
            raise Malformed(f"two files are named '{quote(name)}'")
        sources[name] = entry["content"]
    return sources


def _verified(chain: Chain, address: str, explorer: str, name: str, compiler: str, sources: dict[str, str], settings: dict,
              target: str, proxy_hint: str) -> VerifiedSource:
    """The typed source: files at injective paths, settings checked by the schema, remappings parsed."""
    paths = disk_paths(sources)
    optimizer = settings.get("optimizer", {})
    try:
        remappings = tuple(Remapping.parse(r) for r in settings.get("remappings", []))
    except ConfigError as exc:
        raise Malformed(f"a remapping {exc.cause.removeprefix('bad remapping ')} is not PREFIX=PATH") from None
    return VerifiedSource(
        chain_id=chain.chain_id, address=address, explorer=explorer, contract_name=name, compiler_version=compiler,
        files=tuple(VerifiedFile(unit, paths[unit], content) for unit, content in sorted(sources.items())),
        settings=CompilerSettings(optimize=bool(optimizer.get("enabled")), optimize_runs=int(optimizer.get("runs", 200)),
                                  evm_version=settings["evmVersion"].lower() if settings.get("evmVersion") else None,
                                  via_ir=bool(settings.get("viaIR"))),
        remappings=remappings, target_file=target, proxy_hint=proxy_hint,
    )


def _declaring_file(sources: dict[str, str], name: str) -> str:
    """The unit that declares `contract Name`, `abstract contract Name` or `library Name`."""
    pattern = re.compile(rf"\b(contract|library|interface)\s+{re.escape(name)}\b")
    hits = [unit for unit, content in sources.items() if pattern.search(content)]
    return hits[0] if hits else ""


# -- Sourcify ------------------------------------------------------------------------------
class Sourcify:
    name = "sourcify"

    def __init__(self, store: Store, base_url: str | None = None, refresh: bool = False, deadline: float | None = None) -> None:
        self.store = store
        self.base_url = (base_url or os.environ.get("INSPECTOR_SOURCIFY_URL") or SOURCIFY_URL).rstrip("/")
        self.refresh = refresh
        self.deadline = deadline

    def _get(self, url: str, chain: Chain) -> tuple[str, Any]:
        where = mask_url(self.base_url)
        hint = "check the network or --sourcify-url"
        for attempt in range(RETRIES + 1):
            try:
                reply = net.request("GET", url, net.explorer_limits(), params={"fields": SOURCIFY_FIELDS}, deadline=self.deadline)
            except net.NetError as exc:
                if not exc.retry or attempt == RETRIES:
                    raise _unreachable("Sourcify", where, exc, hint) from None
                time.sleep(BACKOFF * (2 ** attempt))
                continue
            answer = _body(reply, "Sourcify", where)
            if reply.status == 200 and answer is not None:
                return answer
            if reply.status == 200 and attempt == RETRIES:
                raise ExplorerError(f"Sourcify at {where} did not give a JSON answer", "check --sourcify-url, or retry later")
            if reply.status == 404:
                return '{"match": null}', {"match": None}
            error = answer[1] if answer is not None and isinstance(answer[1], dict) else {}
            try:
                check(error, SOURCIFY_ERROR, "")
            except Malformed:
                error = {}
            if reply.status == 400 and error.get("customCode") == "unsupported_chain":
                raise ExplorerError(f"Sourcify does not support chain {chain.chain_id}", "use --explorer etherscan")
            if reply.status in (200, 429, 500, 502, 503, 504) and attempt < RETRIES:
                time.sleep(BACKOFF * (2 ** attempt))
                continue
            message = quote(error.get("message") or "") or f"HTTP {reply.status}"
            raise ExplorerError(f"Sourcify answered: {message}", "retry later, or use --explorer etherscan")
        raise AssertionError("unreachable")

    def source(self, chain: Chain, address: str) -> VerifiedSource:
        key = f"sourcify|{chain.chain_id}|{address.lower()}|v2"
        url = f"{self.base_url}/v2/contract/{chain.chain_id}/{address}"
        found = _answer(self.store, key, self.refresh, lambda: self._get(url, chain), lambda body: parse_sourcify(chain, address, body))
        if found is None:
            raise NotVerified(f"{address} is not verified on Sourcify (chain {chain.chain_id})", "try --explorer etherscan")
        return found


def parse_sourcify(chain: Chain, address: str, body: Any) -> VerifiedSource | None:
    """A v2 lookup answer as typed values; None when the address is not verified."""
    try:
        check(body, SOURCIFY_CONTRACT, "the answer")
        if not body.get("match"):
            return None
        std = body.get("stdJsonInput") or {}
        compilation = body.get("compilation") or {}
        if compilation.get("language", "Solidity") != "Solidity":
            raise ExplorerError(f"{address} is a {quote(compilation['language'], 40)} contract", "inspector reads Solidity only")
        sources = {unit: entry["content"] for unit, entry in (std.get("sources") or body.get("sources") or {}).items()}
        target, _, name = compilation.get("fullyQualifiedName", "").rpartition(":")
        name = compilation.get("name") or name
        proxy = body.get("proxyResolution") or {}
        implementations = proxy.get("implementations") or []
        return _verified(chain, address, "sourcify", name if re.fullmatch(r"[A-Za-z0-9_$]*", name) else "",
                         compilation.get("compilerVersion", "").lstrip("v"), sources,
                         std.get("settings") or compilation.get("compilerSettings") or {},
                         target if target in sources else _declaring_file(sources, name),
                         implementations[0].get("address", "") if proxy.get("isProxy") and implementations else "")
    except (Malformed, UnitNameError, ValueError) as exc:
        raise _malformed("Sourcify", address, str(exc).strip()) from None


def fetch_source(chain: Chain, address: str, store: Store, explorer: str = "auto", etherscan_url: str | None = None,
                 sourcify_url: str | None = None, refresh: bool = False, deadline: float | None = None) -> VerifiedSource:
    """Verified sources for one address. `auto` asks Etherscan when a key is set, then
    Sourcify; a source verified on neither is NotVerified. `deadline` (monotonic) bounds all
    the explorer reads of a scan (INSPECTOR_EXPLORER_DEADLINE)."""
    etherscan = Etherscan(store, etherscan_url, refresh=refresh, deadline=deadline)
    sourcify = Sourcify(store, sourcify_url, refresh=refresh, deadline=deadline)
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
    raise next(e for e in errors if not isinstance(e, NotVerified))  # what went wrong, not where it was not found
