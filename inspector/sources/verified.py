"""Turn an explorer's verified source into a compilation unit: its files written under the
cache (at the paths unit_names chose: the names come from the network), its exact compiler
and settings."""
from __future__ import annotations

from pathlib import Path

from inspector.errors import SourceError
from inspector.paths import cache_dir
from inspector.sources.answers import quote
from inspector.sources.explorer import VerifiedSource
from inspector.sources.model import SourceBundle, SourceFile
from inspector.sources.pragma import Version, find_pragmas


def sources_folder(source: VerifiedSource) -> Path:
    return cache_dir() / "sources" / str(source.chain_id) / source.address.lower()


def write_sources(source: VerifiedSource, folder: Path) -> dict[str, Path]:
    """Each file at the path unit_names gave it. Belt and braces: never outside the folder,
    and never two units in one file (a case-insensitive file system can still fold two names)."""
    paths: dict[str, Path] = {}
    written: dict[tuple[int, int], str] = {}
    top = folder.resolve()
    for file in source.files:
        path = (folder / file.path).resolve()
        if top not in path.parents:
            raise SourceError(f"{source.address}: explorer file name '{quote(file.unit)}' escapes its folder", "report the address")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_text(encoding="utf-8") != file.content:
                path.write_text(file.content, encoding="utf-8")
            identity = (path.stat().st_dev, path.stat().st_ino)
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"{source.address}: cannot write explorer file '{quote(file.unit)}': "
                              f"{getattr(exc, 'strerror', None) or type(exc).__name__}", "report the address") from None
        if identity in written:
            raise SourceError(f"{source.address}: explorer files '{quote(written[identity])}' and '{quote(file.unit)}' "
                              "are one file on this file system", "scan on a case-sensitive file system")
        written[identity] = file.unit
        paths[file.unit] = path
    return paths


def bundle_from_verified(source: VerifiedSource) -> SourceBundle:
    try:
        version = Version.parse(source.compiler_version.split("+")[0].split("-")[0])
    except ValueError:
        raise SourceError(f"{source.address}: unknown compiler version '{quote(source.compiler_version)}'", "report the address") from None
    folder = sources_folder(source)
    paths = write_sources(source, folder)
    files = tuple(
        SourceFile(unit_name=f.unit, path=paths[f.unit], content=f.content, pragmas=tuple(find_pragmas(f.content)))
        for f in source.files
    )
    target = source.target_file if source.target_file in paths else source.files[0].unit
    return SourceBundle(
        root=folder,
        files=files,
        targets=(target,),
        version=version,
        settings=source.settings,
        remappings=source.remappings,
        contracts=(source.contract_name,) if source.contract_name else (),
    )
