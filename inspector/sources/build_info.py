"""The build artifacts a project already has: the standard-JSON input and output of each solc
run, as Hardhat (`artifacts/build-info/`) and Foundry (`<out>/build-info/`) keep them. They
are the exact sources, settings and compiler a deployment was built with, so deployed code is
matched against them before anything is compiled (compile/match.py).

Formats read: Hardhat 2 (`hh-sol-build-info-1`: id, solcVersion, solcLongVersion, input,
output), Hardhat 3 (`hh3-sol-build-info-1`, the output in `<id>.output.json`), ethers-solc
and foundry-compilers (`ethers-rs-sol-build-info-1`: solcVersion or compilerVersion and
inputVersion, with id, source_id_to_path and language beside input and output). A file
that cannot be read, is not one of these or holds no output is passed over with one line why.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from inspector.errors import ConfigError, SourceError
from inspector.paths import cache_dir
from inspector.safe_json import JSONError
from inspector.sources.answers import quote
from inspector.sources.explorer import VerifiedFile, VerifiedSource
from inspector.sources.model import CompilerSettings, Remapping, SourceBundle, SourceFile
from inspector.sources.pragma import Version, find_pragmas
from inspector.sources.project import Project, foundry_config
from inspector.sources.unit_names import UnitNameError, disk_paths
from inspector.sources.verified import write_sources
from inspector.userfile import loads_json, read_text

MAX_BUILD_INFO = 512 * 2**20  # a large project's build-info is tens of MiB; past this it is not read
_OUTPUT_SUFFIX = ".output.json"  # Hardhat 3 keeps the output beside the input
_VERSION_KEYS = ("solcLongVersion", "solcVersion", "compilerVersion", "inputVersionLong", "inputVersion")


@dataclass(frozen=True)
class BuildInfo:
    """One solc run of the project: where it is kept, its compiler, input and output."""

    path: Path
    shown: str  # the file, relative to the project root
    version: Version
    input: dict  # solc's standard-JSON input
    output: dict  # solc's standard-JSON output
    on_disk: dict  # unit name -> the project path it was read from, where they differ (Hardhat 3's `project/...`)

    def contracts(self) -> Iterator[tuple[str, str, dict]]:
        """(unit, contract name, its output) for every contract solc compiled."""
        units = self.output.get("contracts")
        for unit, contracts in (units.items() if isinstance(units, dict) else ()):
            for name, info in (contracts.items() if isinstance(contracts, dict) else ()):
                if isinstance(info, dict):
                    yield unit, name, info


class _Skip(Exception):
    """Why a build-info file is passed over (one line)."""


def build_info_folders(project: Project) -> list[Path]:
    """Where the project's tools keep build-info: Foundry's `out` (foundry.toml, profile
    default or FOUNDRY_PROFILE), then Hardhat's artifacts."""
    config = foundry_config(project.root)
    folders = [project.root / (config.out if config else "out") / "build-info", project.root / "artifacts" / "build-info"]
    return [folder for folder in dict.fromkeys(folders) if folder.is_dir()]


def build_infos(project: Project, passed: list[tuple[Path, str]]) -> Iterator[BuildInfo]:
    """Each build-info the project keeps, newest first (the last build is likeliest to be
    what was deployed), read one at a time (each can be tens of MiB); the files passed over
    are added to `passed` with why."""
    for folder in build_info_folders(project):
        try:
            paths = [p for p in folder.iterdir() if p.suffix == ".json" and not p.name.endswith(_OUTPUT_SUFFIX)]
        except OSError as exc:
            passed.append((folder, f"cannot list the folder ({(exc.strerror or type(exc).__name__).lower()})"))
            continue
        for path in sorted(paths, key=_mtime, reverse=True):
            try:
                info = _read(path, project.root)
            except _Skip as why:
                passed.append((path, f"build-info passed over: {why}"))
                continue
            yield info


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _load(path: Path) -> dict:
    try:
        data = loads_json(read_text(path, MAX_BUILD_INFO))
    except OSError as exc:
        raise _Skip(exc.strerror or type(exc).__name__) from None
    except (JSONError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise _Skip(f"not JSON ({getattr(exc, 'msg', None) or exc})") from None
    if not isinstance(data, dict):
        raise _Skip("not a JSON object")
    return data


def _read(path: Path, root: Path) -> BuildInfo:
    data = _load(path)
    standard = data.get("input")
    language = data.get("language") or (standard.get("language") if isinstance(standard, dict) else None)
    if language not in (None, "Solidity", "solidity"):
        raise _Skip(f"its language is {quote(str(language))}, not Solidity")
    if not isinstance(standard, dict) or not isinstance(standard.get("sources"), dict):
        raise _Skip("no standard-JSON input (Foundry writes it with `forge build --build-info`)")
    version = _version(data)
    output = data.get("output")
    if output is None:
        beside = path.with_name(path.name[: -len(".json")] + _OUTPUT_SUFFIX)
        if beside.is_file():
            output = _load(beside).get("output")
    if not isinstance(output, dict) or not isinstance(output.get("contracts", {}), dict):
        raise _Skip("no compiler output")
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = str(path)
    names = data.get("userSourceNameMap")
    on_disk = {unit: user for user, unit in names.items() if isinstance(unit, str) and isinstance(user, str)} if isinstance(names, dict) else {}
    return BuildInfo(path, shown, version, standard, output, on_disk)


def _version(data: dict) -> Version:
    for key in _VERSION_KEYS:
        text = data.get(key)
        if isinstance(text, str):
            try:
                return Version.parse(text.removeprefix("v").split("+")[0].split("-")[0])
            except ValueError:
                raise _Skip(f"unknown compiler version '{quote(text)}'") from None
    raise _Skip("no compiler version")


def settings_of(standard: dict) -> CompilerSettings:
    """The settings of a standard-JSON input that change the code (as inspector keeps them)."""
    settings = standard.get("settings") if isinstance(standard.get("settings"), dict) else {}
    optimizer = settings.get("optimizer") if isinstance(settings.get("optimizer"), dict) else {}
    runs = optimizer.get("runs", 200)
    evm = settings.get("evmVersion")
    return CompilerSettings(optimize=optimizer.get("enabled") is True,
                            optimize_runs=runs if isinstance(runs, int) and not isinstance(runs, bool) and runs > 0 else 200,
                            evm_version=evm.lower() if isinstance(evm, str) and evm else None,
                            via_ir=settings.get("viaIR") is True)


def bundle_from_build_info(info: BuildInfo, unit: str, contract: str, root: Path) -> SourceBundle:
    """The unit that declares `contract`, as the build-info holds it: its exact sources (a file
    whose text on disk is the same is read from the project, so findings point there; the
    others are written under the cache), compiler version and settings."""
    sources = {name: entry.get("content") for name, entry in info.input["sources"].items() if isinstance(entry, dict)}
    missing = sorted(name for name, text in sources.items() if not isinstance(text, str))
    if missing or not sources:
        raise SourceError(f"{info.shown}: the build-info holds no text for '{quote(missing[0] if missing else unit)}'",
                          "build again so that the build-info holds every source")
    settings = info.input.get("settings") if isinstance(info.input.get("settings"), dict) else {}
    try:
        paths = disk_paths(sources)
        remappings = tuple(Remapping.parse(r) for r in settings.get("remappings", []) if isinstance(r, str))
    except (UnitNameError, ConfigError) as exc:
        raise SourceError(f"{info.shown}: {exc}", "build again, or scan the project's sources") from None
    digest = hashlib.sha256(str(info.path.resolve()).encode()).hexdigest()[:16]
    verified = VerifiedSource(chain_id=0, address=info.shown, explorer="build-info", contract_name=contract,
                              compiler_version=str(info.version),
                              files=tuple(VerifiedFile(name, PurePosixPath(paths[name]), text) for name, text in sorted(sources.items())))
    written = write_sources(verified, cache_dir() / "sources" / "build-info" / digest)
    files = tuple(SourceFile(unit_name=name, path=_on_disk(root, info.on_disk.get(name, name), text) or written[name], content=text,
                             pragmas=tuple(find_pragmas(text))) for name, text in sorted(sources.items()))
    return SourceBundle(root=root, files=files, targets=(unit,), version=info.version, settings=settings_of(info.input),
                        remappings=remappings, contracts=(contract,))


def _on_disk(root: Path, unit: str, text: str) -> Path | None:
    """The project's own file for a unit, when it still holds the text that was built."""
    path = (root / unit)
    try:
        if root.resolve() not in path.resolve().parents or read_text(path, MAX_BUILD_INFO) != text:
            return None
    except (OSError, ValueError):
        return None
    return path

