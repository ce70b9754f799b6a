"""Which contract of a local project (`--project`) deployed code is, as Sourcify defines it:

- a **full** match: the runtime code is the compiled code, CBOR metadata included (its hash
  covers every source and setting, so the sources are those deployed);
- a **partial** match: the code is equal once the CBOR metadata is stripped (a source path,
  a comment or the metadata settings differ, the code does not).

Either way the bytes the chain fills in are masked first: immutables (solc's
`immutableReferences`) and linked library addresses (`linkReferences`).

The candidates come, in this order, from the build artifacts the project keeps
(sources/build_info.py: the exact input of the deployment, nothing compiled), then from the
project compiled with the compiler the deployed code names in its CBOR metadata and the
settings of foundry.toml, the command line winning where it gives one. Each (version,
settings) is compiled once per scan, when first needed. What matches nothing is refused with
what differs: the versions, the settings tried, the closest contract's size."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import evmole

from inspector.compile.solc import compile_bundle
from inspector.errors import InspectorError, SourceError
from inspector.options import SourceOptions
from inspector.sources.build_info import BuildInfo, build_infos, bundle_from_build_info
from inspector.sources.collect import plan_bundles
from inspector.sources.model import CompilerSettings, SourceBundle
from inspector.sources.pragma import Version, known_releases
from inspector.sources.project import Project, foundry_config, load_project
from inspector.store import Store
from inspector.vocabulary import MatchKind

_BYTECODE = ("abi", "evm.deployedBytecode.object", "evm.deployedBytecode.immutableReferences",
             "evm.deployedBytecode.linkReferences")


def cbor_length(code: bytes) -> int:
    """How many bytes of CBOR metadata end the code, its two length bytes included (0: none)."""
    if len(code) < 3:
        return 0
    length = int.from_bytes(code[-2:], "big")
    if not 0 < length <= len(code) - 2 or not 0xA0 <= code[-length - 2] <= 0xBF:  # a CBOR map starts it
        return 0
    return length + 2


def solc_version(code: bytes) -> Version | None:
    """The compiler version solc writes in the CBOR metadata (`solc`: three bytes for a
    release), or None when the code holds none."""
    try:
        metadata = evmole.contract_info(code, metadata=True).metadata
    except Exception:  # evmole's own errors on bytes it cannot read: no metadata to read
        return None
    for entry in (metadata.entries if metadata is not None else ()):
        value = entry.value.value
        if entry.key == "solc" and isinstance(value, (bytes, bytearray)) and len(value) == 3:
            return Version(*value)
    return None


@dataclass(frozen=True)
class Runtime:
    """One contract's runtime code as compiled: link placeholders zeroed, and the spans the
    chain fills in (immutables, library addresses)."""

    unit: str
    name: str
    code: bytes
    masks: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, unit: str, name: str, info: dict) -> "Runtime | None":
        evm = info.get("evm")
        deployed = evm.get("deployedBytecode") if isinstance(evm, dict) else None
        text = deployed.get("object") if isinstance(deployed, dict) else None
        if not isinstance(text, str) or not text:
            return None  # an interface or abstract contract
        spans = [*_spans(deployed.get("immutableReferences")),
                 *(s for lib in _values(deployed.get("linkReferences")) for s in _spans(lib))]
        chars = list(text.removeprefix("0x"))
        spans = [(start, length) for start, length in spans if 2 * (start + length) <= len(chars)]
        for start, length in spans:
            chars[2 * start: 2 * (start + length)] = "0" * (2 * length)
        try:
            code = bytes.fromhex("".join(chars))
        except ValueError:  # a placeholder linkReferences does not name
            return None
        if code[:1] == b"\x73" and code[1:21] == bytes(20) and code[21:23] == b"\x30\x14":
            spans.append((1, 20))  # a library's call protection: PUSH20 its own address, written at deployment
        return cls(unit, name, code, tuple(spans))

    def compare(self, deployed: bytes) -> MatchKind | None:
        """FULL, PARTIAL or None, as Sourcify defines them: the metadata may differ in length
        too (another bytecodeHash setting), so the partial match compares the code before it."""
        masked = bytearray(deployed)
        for start, length in self.masks:
            if start + length <= len(masked):
                masked[start: start + length] = bytes(length)
        ours, theirs = cbor_length(self.code), cbor_length(bytes(masked))
        if ours and masked == self.code:
            return MatchKind.FULL
        if masked[: len(masked) - theirs] == self.code[: len(self.code) - ours]:
            return MatchKind.PARTIAL
        return None


def _values(mapping: object) -> list:
    return list(mapping.values()) if isinstance(mapping, dict) else []


def _spans(references: object) -> list[tuple[int, int]]:
    """(start, length) of each reference in solc's {name: [{start, length}]}."""
    spans = []
    for refs in _values(references):
        for ref in refs if isinstance(refs, list) else ():
            start, length = (ref.get("start"), ref.get("length")) if isinstance(ref, dict) else (None, None)
            if isinstance(start, int) and isinstance(length, int) and start >= 0 and 0 < length <= 64:
                spans.append((start, length))
    return spans


def _runtimes(build, store: Store) -> list[Runtime]:
    """The runtime code of each contract of a build, kept in the store by the build's key: a
    warm scan reads this short list, not the build's whole output."""
    key = f"runtimes|{build.key}"
    try:
        kept = json.loads(store.get_facts(key) or "null")
        if isinstance(kept, list):
            return [Runtime(unit, name, bytes.fromhex(code), tuple((start, length) for start, length in masks))
                    for unit, name, code, masks in kept]
    except (ValueError, TypeError):  # an entry inspector did not write: read the build again
        pass
    runtimes = [runtime for unit, contracts in build.output.get("contracts", {}).items() for name, info in contracts.items()
                if (runtime := Runtime.of(unit, name, info)) is not None]
    store.put_facts(key, json.dumps([[r.unit, r.name, r.code.hex(), [list(m) for m in r.masks]] for r in runtimes]))
    return runtimes


def describe(version: Version | None, settings: CompilerSettings) -> str:
    """The compiler and settings in words: 'solc 0.8.20, optimizer 200 runs, evm paris'."""
    words = [f"solc {version}" if version else "solc (newest the pragmas allow)",
             f"optimizer {settings.optimize_runs} runs" if settings.optimize else "optimizer off",
             f"evm {settings.evm_version or 'default'}"]
    return ", ".join(words + (["via-ir"] if settings.via_ir else []))


@dataclass(frozen=True)
class ProjectMatch:
    """The contract deployed code is, how it matched, and from what (the build-info file, or
    the compiler and settings)."""

    bundle: SourceBundle
    match: MatchKind
    detail: str


@dataclass(frozen=True)
class _Compiled:
    """The project compiled with one version and settings: its contracts' runtime code, or why it did not compile."""

    candidates: tuple[tuple[SourceBundle, Runtime], ...]
    version: Version | None
    failure: str = ""


class ProjectIndex:
    """The local project's contracts, read from its build-info and compiled per (version,
    settings), each once, when first asked."""

    def __init__(self, options: SourceOptions, store: Store, cwd: Path) -> None:
        self.options, self.store, self.cwd = options, store, cwd
        self.passed_over: list[tuple[Path, str]] = []  # build-info files not read, and why
        self._project: Project | None = None
        self._artifacts: list[tuple[BuildInfo, Runtime]] | None = None
        self._build_infos = 0
        self._compiled: dict[tuple[Version | None, CompilerSettings], _Compiled] = {}

    @property
    def project(self) -> Project:
        if self._project is None:
            self._project = load_project(self.options.project, self.cwd, self.options.remaps)
        return self._project

    def match(self, code: bytes, address: str) -> ProjectMatch:
        """The contract whose runtime code `code` is; a SourceError saying what differs when none is."""
        found = self._from_artifacts(code)
        if found is not None:
            return found
        version = solc_version(code) or self.options.solc_version
        settings = self.settings()
        compiled = self._compile(version, settings)
        for kind in (MatchKind.FULL, MatchKind.PARTIAL):
            for bundle, runtime in compiled.candidates:
                if runtime.compare(code) is kind:
                    return ProjectMatch(bundle, kind, describe(bundle.version, settings))
        raise SourceError(f"no contract of {self.options.project} matches the code at {address}: "
                          f"{self._differs(code, compiled, settings)}",
                          "compile with the settings it was deployed with (--optimize, --optimize-runs, --evm-version, "
                          "--via-ir), or keep the build's build-info (artifacts/build-info, out/build-info)")

    def known(self, code: bytes) -> ProjectMatch | None:
        """The contract `code` is among those already read or compiled for this scan, or None:
        naming a contract the graph reaches never compiles the project once more (its code
        may name another compiler than any target's)."""
        found = self._from_artifacts(code)
        if found is not None:
            return found
        for kind in (MatchKind.FULL, MatchKind.PARTIAL):
            for (_, settings), compiled in self._compiled.items():
                for bundle, runtime in compiled.candidates:
                    if runtime.compare(code) is kind:
                        return ProjectMatch(bundle, kind, describe(bundle.version, settings))
        return None

    def settings(self) -> CompilerSettings:
        """foundry.toml's settings (its profile), the command line's where it gives them."""
        given = self.options.settings_given
        if given is None:
            return self.options.settings
        config = foundry_config(self.project.root) if self.project.kind == "foundry" else None
        values = {}
        if config is not None:
            values = {key: value for key, value in (("optimize", config.optimizer), ("optimize_runs", config.optimizer_runs),
                                                    ("evm_version", config.evm_version), ("via_ir", config.via_ir))
                      if value is not None}
        values.update({key: getattr(self.options.settings, key) for key in given})
        return CompilerSettings(**values)

    def _from_artifacts(self, code: bytes) -> ProjectMatch | None:
        if self._artifacts is None:
            self._artifacts = []
            for info in build_infos(self.project, self.passed_over):  # its output (ASTs, mostly) is dropped once its code is read
                self._build_infos += 1
                runtimes = [runtime for unit, name, out in info.contracts() if (runtime := Runtime.of(unit, name, out)) is not None]
                self._artifacts.extend((replace(info, output={}), runtime) for runtime in runtimes)
        for kind in (MatchKind.FULL, MatchKind.PARTIAL):
            for info, runtime in self._artifacts:
                if runtime.compare(code) is kind:
                    bundle = bundle_from_build_info(info, runtime.unit, runtime.name, self.project.root)
                    return ProjectMatch(bundle, kind, info.shown)
        return None

    def _compile(self, version: Version | None, settings: CompilerSettings) -> _Compiled:
        key = (version, settings)
        if key not in self._compiled:
            try:
                candidates = []
                for bundle in self._plan(version, settings):
                    build = compile_bundle(replace(bundle, outputs=_BYTECODE), self.store)
                    candidates += [(replace(build.bundle, targets=(r.unit,), contracts=(r.name,)), r)
                                   for r in _runtimes(build, self.store)]
                self._compiled[key] = _Compiled(tuple(candidates), version)
            except InspectorError as exc:  # the version is the CBOR's, which the user did not type
                failure = exc.cause.replace(f"--solc-version {version}", f"solc {version}") if version else exc.cause
                self._compiled[key] = _Compiled((), version, failure=failure)
        return self._compiled[key]

    def _plan(self, version: Version | None, settings: CompilerSettings) -> list[SourceBundle]:
        """The project's units at `version`: the files whose pragmas refuse it are left out (a
        project may hold code for other compilers than the deployed contract's)."""
        try:
            return plan_bundles(self.project, known_releases(), settings, version)
        except InspectorError:
            if version is None or len(self.project.targets) < 2:
                raise
        kept = []
        for path in self.project.targets:
            try:
                plan_bundles(replace(self.project, targets=(path,)), known_releases(), settings, version)
                kept.append(path)
            except InspectorError:
                continue
        if not kept:
            return plan_bundles(self.project, known_releases(), settings, version)  # raises the first file's reason
        return plan_bundles(replace(self.project, targets=tuple(kept)), known_releases(), settings, version)

    def _differs(self, code: bytes, compiled: _Compiled, settings: CompilerSettings) -> str:
        """What differs, in words: the versions, the settings tried, the closest contract's size."""
        deployed = solc_version(code)
        count = self._build_infos
        words = [f"{count} build-info file{' holds' if count == 1 else 's hold'} no such code"] if count else []
        origin = f"deployed by solc {deployed} (CBOR)" if deployed else "deployed by a solc its code does not name (no CBOR version)"
        if compiled.failure:
            return "; ".join(words + [f"{origin}; {describe(compiled.version, settings)} does not compile the project: {compiled.failure}"])
        versions = sorted({bundle.version for bundle, _ in compiled.candidates})
        tried = describe(versions[0] if len(versions) == 1 else compiled.version, settings)
        runtimes = [runtime for _, runtime in compiled.candidates]
        if runtimes:
            closest = min(runtimes, key=lambda r: (abs(len(r.code) - len(code)), r.name, r.unit))
            nearest = f"closest {closest.name} ({len(code)} bytes deployed, {len(closest.code)} compiled)"
        else:
            nearest = "no contract of it has code"
        return "; ".join(words + [f"{origin}, compiled with {tried}", nearest])
