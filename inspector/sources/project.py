"""Find the project a target belongs to: its root, layout, remappings and the
node_modules folders its imports may come from."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspector.errors import ConfigError, TargetError
from inspector.sources.model import Remapping
from inspector.userfile import loads_json, loads_toml, not_regular, read_text, tomllib

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")

HARDHAT_CONFIGS = ("hardhat.config.js", "hardhat.config.ts", "hardhat.config.cjs", "hardhat.config.mjs")
PROJECT_MARKERS = ("foundry.toml", "remappings.txt", *HARDHAT_CONFIGS, "package.json")
# Folders that hold dependencies, build output or tooling, never the user's own contracts.
SKIPPED_DIRS = {"node_modules", "lib", "out", "cache", "artifacts", "build", "crytic-export"}


@dataclass(frozen=True)
class Project:
    kind: str  # "foundry" | "hardhat" | "plain"
    root: Path  # solc's base path: unit names are relative to it
    remappings: tuple[Remapping, ...]
    include_paths: tuple[Path, ...]  # node_modules folders, nearest first
    targets: tuple[Path, ...]  # the .sol files the user asked about
    passed_over: tuple[tuple[Path, str], ...] = ()  # *.sol in a scanned folder that are not readable sources, and why


def _inside_node_modules(path: Path) -> bool:
    return "node_modules" in path.parts


def find_root(start: Path, cwd: Path) -> Path:
    """The nearest folder above `start` that marks a project, outside node_modules;
    else the working directory when `start` lies in it; else `start` itself.

    The search stops at a git repository's top and at the home folder: a stray
    package.json in a parent of the user's checkout is not part of the project."""
    for folder in (start, *start.parents):
        if _inside_node_modules(folder):
            continue
        if any((folder / marker).is_file() for marker in PROJECT_MARKERS):
            return folder
        if (folder / ".git").exists() or folder == Path.home():
            break
    if start == cwd or cwd in start.parents:
        return cwd
    return start


def project_kind(root: Path) -> str:
    if (root / "foundry.toml").is_file():
        return "foundry"
    if any((root / name).is_file() for name in HARDHAT_CONFIGS) or (root / "node_modules").is_dir():
        return "hardhat"
    return "plain"


def node_modules_dirs(*starts: Path) -> tuple[Path, ...]:
    """Every node_modules folder above each start, nearest first, as Node looks them up."""
    found: list[Path] = []
    for start in starts:
        for folder in (start, *start.parents):
            candidate = folder / "node_modules"
            if folder.name != "node_modules" and candidate.is_dir() and candidate not in found:
                found.append(candidate)
    return tuple(found)


@dataclass(frozen=True)
class FoundryConfig:
    """What inspector reads of foundry.toml: the default profile, under the profile
    FOUNDRY_PROFILE names (forge merges it over the default). The compiler settings are None
    where the file leaves them to forge's defaults."""

    src: str = "src"
    libs: tuple[str, ...] = ("lib",)
    remappings: tuple[str, ...] = ()
    out: str = "out"
    optimizer: bool | None = None
    optimizer_runs: int | None = None
    evm_version: str | None = None
    via_ir: bool | None = None


_FOUNDRY_TYPES = {"src": (str, "a string"), "out": (str, "a string"), "optimizer": (bool, "true or false"),
                  "optimizer_runs": (int, "an integer"), "evm_version": (str, "a string"), "via_ir": (bool, "true or false")}


def _foundry_config(root: Path) -> FoundryConfig:
    path = root / "foundry.toml"
    try:
        data = loads_toml(read_text(path))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}", "fix foundry.toml") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", "fix foundry.toml") from None

    def bad(key: str, kind: str, value: Any) -> ConfigError:
        return ConfigError(f"{path}: '{key}' must be {kind}, not {type(value).__name__}", "fix foundry.toml")

    profiles = data.get("profile", {})
    if not isinstance(profiles, dict):
        raise bad("profile", "a table", profiles)
    chosen = os.environ.get("FOUNDRY_PROFILE") or "default"
    merged: dict[str, Any] = {}
    names = ["default"] + ([chosen] if chosen != "default" else [])
    for name in names:
        table = profiles.get(name, {})
        if not isinstance(table, dict):
            raise bad(f"profile.{name}", "a table", table)
        merged.update(table)
    where = f"profile.{chosen}"
    values: dict[str, Any] = {}
    for key, (kind, words) in _FOUNDRY_TYPES.items():
        if key in merged:
            value = merged[key]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise bad(f"{where}.{key}", words, value)
            values[key] = value.lower() if key == "evm_version" else value
    for key in ("libs", "remappings"):
        value = merged.get(key, getattr(FoundryConfig, key))
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise bad(f"{where}.{key}", "a list of strings", value)
        values[key] = tuple(value)
    return FoundryConfig(**values)


def foundry_config(root: Path) -> FoundryConfig | None:
    """The project's foundry.toml as inspector reads it, or None when it has none."""
    return _foundry_config(root) if (root / "foundry.toml").is_file() else None


def _read_remappings_file(path: Path) -> list[Remapping]:
    try:
        lines = read_text(path).splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}", "fix remappings.txt") from None
    return [Remapping.parse(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _foundry_lib_remappings(root: Path, libs: list[str]) -> list[Remapping]:
    """Remappings forge derives from lib/ when none are written down: `name/` points at the
    library's src/ (or the library itself), and a `contracts/` folder that is an npm package
    (OpenZeppelin's layout) is reachable under its package name."""
    found: list[Remapping] = []
    for lib in libs:
        lib_dir = root / lib
        if not lib_dir.is_dir():
            continue
        for dep in sorted(p for p in lib_dir.iterdir() if p.is_dir()):
            rel = dep.relative_to(root).as_posix()
            target = f"{rel}/src/" if (dep / "src").is_dir() else f"{rel}/"
            found.append(Remapping(prefix=f"{dep.name}/", target=target))
            package = dep / "contracts" / "package.json"
            if package.is_file():
                try:
                    name = loads_json(read_text(package)).get("name")
                except (OSError, ValueError, AttributeError):  # not read, not JSON, not an object
                    name = None
                if isinstance(name, str) and name:
                    found.append(Remapping(prefix=f"{name}/", target=f"{rel}/contracts/"))
    return found


def _merge(*layers: list[Remapping]) -> tuple[Remapping, ...]:
    """Later layers win over earlier ones for the same context and prefix."""
    merged: dict[tuple[str, str], Remapping] = {}
    for layer in layers:
        for remap in layer:
            merged[(remap.context, remap.prefix)] = remap
    return tuple(merged.values())


def _user_remapping(text: str, root: Path, cwd: Path) -> Remapping:
    """A --remap target is a path as the user typed it, from the working directory."""
    remap = Remapping.parse(text)
    target = Path(remap.target)
    absolute = target if target.is_absolute() else (cwd / target)
    trailing = "/" if remap.target.endswith("/") else ""
    try:
        rel = absolute.resolve().relative_to(root).as_posix()
    except ValueError:
        rel = absolute.resolve().as_posix()
    return Remapping(prefix=remap.prefix, target=rel + trailing, context=remap.context)


def _undecodable(path: Path) -> bool:
    """A name that is not UTF-8 (Python keeps its bytes as lone surrogates): solc names source
    units in UTF-8, so it cannot be compiled under that name."""
    return any("\udc80" <= c <= "\udcff" for c in str(path))


def _solidity_files(folder: Path, skip: set[str]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The regular *.sol files below `folder`, and what was passed over and why: a FIFO,
    socket or device named *.sol (reading one would hang or read a terminal), a dangling link
    or a link loop, a name that is not UTF-8, a folder that cannot be listed. A folder named
    x.sol is only a folder. Links to folders are not followed, so a loop cannot recur."""
    files: list[Path] = []
    passed: list[tuple[Path, str]] = []

    def unlisted(exc: OSError) -> None:
        passed.append((Path(exc.filename), f"cannot list the folder ({exc.strerror.lower()})"))

    for top, dirs, names in os.walk(folder, onerror=unlisted):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.startswith("."))
        for name in sorted(n for n in names + dirs if n.endswith(".sol")):
            path = Path(top) / name
            try:
                kind = not_regular(path.stat().st_mode)
            except OSError as exc:  # dangling link, link loop
                passed.append((path, exc.strerror.lower()))
                continue
            if kind == "a folder":
                continue
            if kind:
                passed.append((path, f"it is {kind}, not a regular file"))
            elif _undecodable(path):
                passed.append((path, "its name is not UTF-8"))
            else:
                files.append(path)
    return sorted(files), passed


def _targets_in_folder(folder: Path, root: Path, kind: str) -> tuple[list[Path], list[tuple[Path, str]]]:
    if folder == root and kind == "foundry":
        src = root / _foundry_config(root).src
        if src.is_dir():
            return _solidity_files(src, SKIPPED_DIRS)
    if folder == root and kind == "hardhat" and (root / "contracts").is_dir():
        return _solidity_files(root / "contracts", SKIPPED_DIRS)
    skip = set() if _inside_node_modules(folder) else SKIPPED_DIRS
    return _solidity_files(folder, skip)


def check_target(target: Path, cwd: Path) -> Path:
    """The resolved path of a path target that can be scanned: a .sol file or a folder. The
    command line asks this of every path target before it imports the analysis stack, so a
    mistyped path is refused at once."""
    path = (cwd / target).resolve() if not target.is_absolute() else target.resolve()
    if not path.exists():
        if _ADDRESS.fullmatch(str(target)):
            raise TargetError(f"{target}: an address needs its chain", f"scan mainnet:{target} (or another chain name) with --rpc")
        raise TargetError(f"{target}: no such file or folder", "check the path")
    file_kind = not_regular(path.stat().st_mode)
    if file_kind and file_kind != "a folder":
        raise TargetError(f"{target}: it is {file_kind}, not a regular file", "pass a .sol file, a folder or a project root")
    if path.is_file() and _undecodable(path):
        raise TargetError(f"{target}: its name is not UTF-8, which solc needs", "rename the file")
    if path.is_file() and path.suffix != ".sol":
        raise TargetError(f"{target}: not a Solidity file (expected a .sol file or a folder)", "pass a .sol file, a folder or a project root")
    return path


def load_project(target: Path, cwd: Path, user_remaps: tuple[str, ...] = ()) -> Project:
    """Describe the project around one path target (a .sol file or a folder)."""
    cwd = cwd.resolve()  # so that paths through symlinks compare equal
    path = check_target(target, cwd)
    start = path.parent if path.is_file() else path
    root = find_root(start, cwd)
    kind = project_kind(root)

    remaps: list[Remapping] = []
    if kind == "foundry":
        config = _foundry_config(root)
        remaps = _foundry_lib_remappings(root, list(config.libs))
        remaps = list(_merge(remaps, [Remapping.parse(r) for r in config.remappings]))
    remap_file = root / "remappings.txt"
    if remap_file.is_file():
        remaps = list(_merge(remaps, _read_remappings_file(remap_file)))
    remaps = list(_merge(remaps, [_user_remapping(r, root, cwd) for r in user_remaps]))

    targets, passed_over = ([path], []) if path.is_file() else _targets_in_folder(path, root, kind)
    if not targets:
        why = f"; passed over {passed_over[0][0].name}: {passed_over[0][1]}" if passed_over else ""
        raise TargetError(f"{target}: no Solidity files found{why}", "pass a folder that holds .sol files")
    return Project(
        kind=kind,
        root=root,
        remappings=tuple(remaps),
        include_paths=node_modules_dirs(start, root, cwd),
        targets=tuple(targets),
        passed_over=tuple(passed_over),
    )
