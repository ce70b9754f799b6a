"""From a project to compilation units: read every target and, transitively, what it
imports; then group the targets into as few units as their pragmas allow, each with the
newest compiler release that every file in it accepts."""
from __future__ import annotations

from pathlib import Path

from inspector.errors import ConfigError, SourceError
from inspector.sources.imports import find_imports, locate, missing_import_error, resolve_unit_name, unit_name_for
from inspector.sources.model import CompilerSettings, SourceBundle, SourceFile
from inspector.sources.pragma import PragmaError, Version, VersionSpec, find_pragmas, parse_spec
from inspector.sources.project import Project
from inspector.userfile import Unreadable, read_text

# solcjs before 0.4.11 has no standard-JSON interface, so neither route can drive it.
MIN_SUPPORTED = Version(0, 4, 11)


def _read(path: Path, shown: str) -> str:
    try:
        return read_text(path)
    except Unreadable as exc:
        raise SourceError(f"{shown}: {exc.strerror}", "pass Solidity source files") from None
    except OSError as exc:
        raise SourceError(f"{shown}: cannot read ({exc.strerror})", "check the file's permissions") from None


def read_graph(project: Project) -> tuple[dict[str, SourceFile], list[str]]:
    """Every source unit reachable from the project's targets, and the targets' unit names."""
    files: dict[str, SourceFile] = {}
    targets = [unit_name_for(path, project) for path in project.targets]
    queue = list(zip(targets, project.targets))
    while queue:
        name, path = queue.pop()
        if name in files:
            continue
        content = _read(path, name)
        resolved = []
        for statement in find_imports(content):
            unit = resolve_unit_name(statement.path, name, project.remappings)
            found = locate(unit, project)
            if found is None:
                raise missing_import_error(statement, name, unit)
            resolved.append(unit)
            queue.append((unit, found))
        try:
            pragmas = tuple(find_pragmas(content))
        except PragmaError as exc:
            raise SourceError(f"{name}: {exc}", "end the pragma with ';'") from exc
        files[name] = SourceFile(unit_name=name, path=path, content=content, pragmas=pragmas, imports=tuple(resolved))
    return files, targets


def _closure(name: str, files: dict[str, SourceFile]) -> set[str]:
    seen: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(files[current].imports)
    return seen


def _specs(names: set[str], files: dict[str, SourceFile]) -> list[tuple[VersionSpec, str]]:
    specs = []
    for name in sorted(names):
        for text, line in files[name].pragmas:
            try:
                specs.append((parse_spec(text), f"{name}:{line}"))
            except PragmaError as exc:
                raise SourceError(f"{name}:{line}: bad version pragma '{text}'", "fix the pragma") from exc
    return specs


def _conflict(specs: list[tuple[VersionSpec, str]], releases: list[Version]) -> str:
    """Name two pragmas that no release satisfies together, for the error message."""
    for i, (a, where_a) in enumerate(specs):
        for b, where_b in specs[i + 1 :]:
            if not any(a.allows(v) and b.allows(v) for v in releases):
                return f"'{a.text}' at {where_a} and '{b.text}' at {where_b} allow no common release"
    shown = ", ".join(f"'{s.text}' at {where}" for s, where in specs)
    return f"no supported release satisfies {shown}"


def plan_bundles(
    project: Project,
    releases: list[Version],
    settings: CompilerSettings,
    solc_version: Version | None = None,
) -> list[SourceBundle]:
    files, targets = read_graph(project)
    supported = [v for v in releases if v >= MIN_SUPPORTED]
    allows: dict[VersionSpec, frozenset[Version]] = {}  # most files share a few pragmas
    allowed_by_target: dict[str, set[Version]] = {}
    for target in sorted(set(targets)):
        members = _closure(target, files)
        specs = _specs(members, files)
        if solc_version is not None:
            wrong = [(s, where) for s, where in specs if not s.allows(solc_version)]
            if wrong:
                spec, where = wrong[0]
                raise ConfigError(
                    f"--solc-version {solc_version} does not satisfy pragma '{spec.text}' at {where}",
                    "pick a version the pragmas allow, or drop --solc-version",
                )
            allowed_by_target[target] = {solc_version}
        else:
            for spec, _ in specs:
                if spec not in allows:
                    allows[spec] = frozenset(v for v in supported if spec.allows(v))
            allowed = set(supported).intersection(*(allows[spec] for spec, _ in specs))
            if not allowed:
                raise SourceError(f"{target}: {_conflict(specs, supported)}", "fix the pragmas, or scan the files separately")
            allowed_by_target[target] = allowed

    # Newest-first, each target joins the unit where it keeps the newest compiler, so a file
    # without a pragma lands with 0.8 code rather than with the 0.5 code scanned beside it.
    groups: list[tuple[list[str], set[Version]]] = []
    newest_first = sorted(sorted(allowed_by_target), key=lambda t: max(allowed_by_target[t]), reverse=True)
    for target in newest_first:
        allowed = allowed_by_target[target]
        best = max(groups, key=lambda g: max(g[1] & allowed, default=Version(0, 0, 0)), default=None)
        if best is not None and best[1] & allowed:
            best[0].append(target)
            best[1].intersection_update(allowed)
        else:
            groups.append(([target], set(allowed)))

    bundles = []
    for group_targets, allowed in sorted(groups, key=lambda g: max(g[1])):
        group_targets.sort()
        members: set[str] = set()
        for target in group_targets:
            members |= _closure(target, files)
        bundles.append(
            SourceBundle(
                root=project.root,
                files=tuple(files[name] for name in sorted(members)),
                targets=tuple(group_targets),
                version=max(allowed),
                settings=settings,
                remappings=project.remappings,
            )
        )
    return bundles
