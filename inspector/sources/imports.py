"""Solidity imports: read them from source and resolve them to source units the way solc
does (relative paths against the importing unit's name, then remappings), finding the
files on disk under the project root or a node_modules folder."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from inspector.errors import SourceError
from inspector.sources.lexer import line_of, strip_comments
from inspector.sources.model import Remapping
from inspector.sources.project import Project

_IMPORT = re.compile(
    r"(?<![\w.$])import\s*"
    r"(?:\{[^}]*\}\s*from\s*|\*\s*as\s+[\w$]+\s+from\s*|[\w$]+\s+from\s*)?"
    r"([\"'])(?P<path>(?:\\.|(?!\1).)*)\1"
)


@dataclass(frozen=True)
class ImportStatement:
    path: str
    line: int


def find_imports(source: str) -> list[ImportStatement]:
    code = strip_comments(source)
    return [ImportStatement(m.group("path"), line_of(code, m.start())) for m in _IMPORT.finditer(code)]


def unit_name_for(path: Path, project: Project) -> str:
    """The source unit name of a file on disk: relative to the project root, or for a file
    inside node_modules, the package path after the last node_modules (the name an
    `import "@scope/pkg/..."` gives it)."""
    parts = path.parts
    if "node_modules" in parts:
        last = len(parts) - 1 - parts[::-1].index("node_modules")
        return "/".join(parts[last + 1 :])
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return path.as_posix()


def _apply_remappings(name: str, importer: str, remappings: tuple[Remapping, ...]) -> str:
    """solc's rule: among remappings whose context prefixes the importer, the longest
    context wins, then the longest prefix."""
    best: Remapping | None = None
    for remap in remappings:
        if not importer.startswith(remap.context) or not name.startswith(remap.prefix):
            continue
        if best is None or (len(remap.context), len(remap.prefix)) > (len(best.context), len(best.prefix)):
            best = remap
    if best is None:
        return name
    return best.target + name[len(best.prefix) :]


def resolve_unit_name(import_path: str, importer: str, remappings: tuple[Remapping, ...]) -> str:
    if import_path.startswith("./") or import_path.startswith("../"):
        joined = posixpath.join(posixpath.dirname(importer), import_path)
        import_path = posixpath.normpath(joined)
    return _apply_remappings(import_path, importer, remappings)


def locate(unit_name: str, project: Project) -> Path | None:
    """Where a unit's file is: under the root, then each node_modules folder."""
    candidate = Path(unit_name)
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    for base in (project.root, *project.include_paths):
        path = base / unit_name
        if path.is_file():
            return path
    return None


def missing_import_error(statement: ImportStatement, importer: str, unit_name: str) -> SourceError:
    hint = "add a remapping (--remap PREFIX=PATH or remappings.txt)"
    if not statement.path.startswith("."):
        package = "/".join(statement.path.split("/")[:2] if statement.path.startswith("@") else statement.path.split("/")[:1])
        hint = f"install the package ('npm install {package}' or 'forge install'), or {hint}"
    looked = f" (looked for '{unit_name}')" if unit_name != statement.path else ""
    return SourceError(f"{importer}:{statement.line}: import '{statement.path}' not found{looked}", hint)
