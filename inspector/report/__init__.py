"""The report stage: one module per format, each rendering a `ScanResult` (inspector/result.py)
and nothing else. `FORMATS` names them for `inspector scan --format`; a new format is a module
with `render(result, colour)` and one entry here."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from inspector.result import ScanResult

# --format name -> the module that renders it (imported when asked for)
FORMATS = {
    "text": "text_report",
    "json": "json_report",
    "sarif": "sarif_report",
    "markdown": "markdown_report",
    "html": "html_report",
}


def renderer(name: str) -> Callable[["ScanResult", bool], str]:
    """The format's `render(result, colour)`; colour matters to the terminal's text only."""
    return importlib.import_module(f"inspector.report.{FORMATS[name]}").render
