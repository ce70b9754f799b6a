"""Compile a source bundle with solc's standard-JSON interface, cached by content.

The cache key is a hash of the exact standard-JSON input (every source's text, the
remappings and settings) and the compiler version, so an unchanged project is never
compiled twice, whichever route provided the compiler.
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from functools import cached_property
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
    """A compiled bundle. Its output is parsed when first read: a scan whose facts the
    store holds (facts/analyse.py) never reads it."""

    bundle: SourceBundle
    key: str  # build_key(bundle): the store's key for it
    cached: bool
    route: str  # how the compiler was provided, or "cache"
    read: Callable[[], dict] = field(repr=False, compare=False)

    @cached_property
    def output(self) -> dict:
        """solc's standard-JSON output."""
        return self.read()


def build_key(bundle: SourceBundle) -> str:
    return bundle.key()


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
    if hit is not None:
        def read() -> dict:
            output = _stored(hit[1])
            return output if output is not None else _compiled(bundle, key, store, on_compile)[1]

        return Build(bundle, key, cached=True, route="cache", read=read)
    route, output = _compiled(bundle, key, store, on_compile)
    return Build(bundle, key, cached=False, route=route, read=lambda: output)


def _stored(data: bytes) -> dict | None:
    try:
        output = loads_json(data.decode())
    except ValueError:  # not UTF-8, not JSON, nested too deep: an entry inspector did not write, compile again
        return None
    return output if isinstance(output, dict) else None


def _compiled(bundle: SourceBundle, key: str, store: Store, on_compile: Callable[[SourceBundle], None] | None) -> tuple[str, dict]:
    """How the compiler was provided, and what it made (now in the store)."""
    compiler = find_compiler(bundle.version)
    if on_compile:
        on_compile(bundle)
    output = run_solc(compiler, bundle)
    store.put_build(key, str(bundle.version), json.dumps(output).encode())
    return compiler.route, output
