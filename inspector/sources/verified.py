"""Turn an explorer's verified source into a compilation unit: its files written under the
cache (at safe paths: the names come from the network), its exact compiler and settings."""
from __future__ import annotations

import re
from pathlib import Path

from inspector.errors import SourceError
from inspector.paths import cache_dir
from inspector.sources.explorer import VerifiedSource
from inspector.sources.model import CompilerSettings, Remapping, SourceBundle, SourceFile
from inspector.sources.pragma import Version, find_pragmas


def safe_relative(unit_name: str) -> Path:
    """A path inside the sources folder for a source unit name from an explorer. Absolute
    names are made relative, `..` can never climb out, and nothing else changes: the unit
    name given to solc stays as verified, so metadata hashes still match."""
    parts = [p for p in re.split(r"[\\/]+", unit_name) if p not in ("", ".")]
    parts = ["__up__" if p == ".." else p.replace(":", "_") for p in parts]
    if not parts:
        raise SourceError(f"explorer source has an empty file name '{unit_name}'", "report the address")
    return Path(*parts)


def sources_folder(source: VerifiedSource) -> Path:
    return cache_dir() / "sources" / str(source.chain_id) / source.address.lower()


def write_sources(source: VerifiedSource, folder: Path) -> dict[str, Path]:
    paths = {}
    for unit, content in source.sources.items():
        path = folder / safe_relative(unit)
        resolved = path.resolve()
        if folder.resolve() not in resolved.parents:  # belt and braces: never outside
            raise SourceError(f"explorer file name '{unit}' escapes its folder", "report the address")
        resolved.parent.mkdir(parents=True, exist_ok=True)
        if not resolved.is_file() or resolved.read_text(encoding="utf-8") != content:
            resolved.write_text(content, encoding="utf-8")
        paths[unit] = resolved
    return paths


def bundle_from_verified(source: VerifiedSource) -> SourceBundle:
    try:
        version = Version.parse(source.compiler_version.split("+")[0].split("-")[0])
    except ValueError:
        raise SourceError(f"{source.address}: unknown compiler version '{source.compiler_version}'", "report the address") from None
    folder = sources_folder(source)
    paths = write_sources(source, folder)
    settings = source.settings
    optimizer = settings.get("optimizer") or {}
    compiler = CompilerSettings(
        optimize=bool(optimizer.get("enabled")),
        optimize_runs=int(optimizer.get("runs", 200) or 200),
        evm_version=settings.get("evmVersion") or None,
        via_ir=bool(settings.get("viaIR")),
    )
    files = tuple(
        SourceFile(unit_name=unit, path=paths[unit], content=content, pragmas=tuple(find_pragmas(content)))
        for unit, content in sorted(source.sources.items())
    )
    target = source.target_file if source.target_file in source.sources else next(iter(sorted(source.sources)))
    return SourceBundle(
        root=folder,
        files=files,
        targets=(target,),
        version=version,
        settings=compiler,
        remappings=tuple(Remapping.parse(r) for r in settings.get("remappings", []) if "=" in r),
        contracts=(source.contract_name,) if source.contract_name else (),
    )
