"""How facts name a place in the sources.

A file under the working directory is shown by its path from there, so a terminal or an
editor can open it; a dependency keeps its import name (`@openzeppelin/contracts/...`),
which says more than a path into node_modules.
"""
from __future__ import annotations


def source_file(mapping) -> str:
    filename = mapping.filename
    if "/node_modules/" in filename.absolute or filename.relative.startswith("../"):
        return filename.used
    return filename.relative


def source_line(mapping) -> int:
    return mapping.lines[0] if mapping.lines else 0
