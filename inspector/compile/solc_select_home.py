"""solc-select, which crytic-compile (and so Slither) imports, creates
$VIRTUAL_ENV/.solc-select/artifacts, else ~/.solc-select/artifacts, the moment it is
imported; under a read-only HOME that import fails with PermissionError or EROFS. inspector
never uses that folder (it passes every compiler's path), so where it cannot be made, the
import is done once more with VIRTUAL_ENV pointing into inspector's cache for that moment."""
from __future__ import annotations

import os
import sys

from inspector.errors import ConfigError
from inspector.paths import cache_dir


def import_solc_select() -> None:
    try:
        import solc_select.solc_select  # noqa: F401
        return
    except OSError as exc:
        first = exc
    for name in [m for m in sys.modules if m == "solc_select" or m.startswith("solc_select.")]:
        del sys.modules[name]
    saved = os.environ.get("VIRTUAL_ENV")
    os.environ["VIRTUAL_ENV"] = str(cache_dir() / "solc-select")
    try:
        import solc_select.solc_select  # noqa: F401,F811
    except OSError:
        raise ConfigError(f"cannot create solc-select's folder {first.filename}: {first.strerror.lower()}",
                          "make HOME writable, or set INSPECTOR_CACHE_DIR to a writable folder") from None
    finally:
        if saved is None:
            os.environ.pop("VIRTUAL_ENV", None)
        else:
            os.environ["VIRTUAL_ENV"] = saved
