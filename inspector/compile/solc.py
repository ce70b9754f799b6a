"""Compile a source bundle with solc's standard-JSON interface, cached by content.

The cache key is a hash of the exact standard-JSON input (every source's text, the
remappings and settings) and the compiler version, so an unchanged project is never
compiled twice, whichever route provided the compiler.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from typing import Callable

from inspector.compile.compilers import Compiler, find_compiler
from inspector.userfile import loads_json
from inspector.errors import CompilerError
from inspector.sources.lexer import line_of
from inspector.sources.model import SourceBundle
from inspector.store import Store

COMPILE_TIMEOUT = 900


@dataclass(frozen=True)
class Build:
    bundle: SourceBundle
    output: dict  # solc's standard-JSON output
    cached: bool
    route: str  # how the compiler was provided, or "cache"


def build_key(bundle: SourceBundle) -> str:
    payload = json.dumps({"input": bundle.standard_json(), "solc": str(bundle.version)}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _error_line(error: dict, bundle: SourceBundle) -> str:
    location = error.get("sourceLocation") or {}
    where = ""
    if location.get("file"):
        contents = {f.unit_name: f.content for f in bundle.files}
        text = contents.get(location["file"], "")
        # solc offsets count bytes, not characters
        offset = len(text.encode("utf-8")[: max(location.get("start", 0), 0)].decode("utf-8", "ignore"))
        where = f"{location['file']}:{line_of(text, offset)}: "
    return f"{where}{error.get('type', 'Error')}: {error.get('message', '').strip()}"


def run_solc(compiler: Compiler, bundle: SourceBundle) -> dict:
    try:
        done = subprocess.run(
            [str(compiler.path), "--standard-json"],
            input=json.dumps(bundle.standard_json()),
            capture_output=True,
            text=True,
            timeout=COMPILE_TIMEOUT,
            cwd=bundle.root,
        )
    except subprocess.TimeoutExpired as exc:
        raise CompilerError(f"solc {bundle.version} did not finish in {COMPILE_TIMEOUT} s", "scan fewer files at once") from exc
    except OSError as exc:
        raise CompilerError(f"cannot run {compiler.path}: {exc.strerror}", "run 'inspector compilers list' to check the compilers") from exc
    try:
        output = json.loads(done.stdout)
    except ValueError as exc:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise CompilerError(f"solc {bundle.version} ({compiler.route}) failed: {reason}", "run 'inspector compilers list' to check the compilers") from exc
    errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise CompilerError(f"{_error_line(errors[0], bundle)}{more}", f"the code does not compile with solc {bundle.version}; fix it or choose --solc-version")
    return output


def compile_bundle(bundle: SourceBundle, store: Store, on_compile: Callable[[SourceBundle], None] | None = None) -> Build:
    key = build_key(bundle)
    hit = store.get_build(key)
    try:
        output = loads_json(hit[1].decode()) if hit is not None else None
    except (UnicodeDecodeError, json.JSONDecodeError):  # a cache entry inspector did not write: compile again
        output = None
    if isinstance(output, dict):
        return Build(bundle=bundle, output=output, cached=True, route="cache")
    compiler = find_compiler(bundle.version)
    if on_compile:
        on_compile(bundle)
    output = run_solc(compiler, bundle)
    store.put_build(key, str(bundle.version), json.dumps(output).encode())
    return Build(bundle=bundle, output=output, cached=False, route=compiler.route)
