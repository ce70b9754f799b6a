"""The local store: one SQLite file that keeps what is costly to make again.

WAL mode lets a scan read while another writes; every write is one transaction, so a
killed process leaves either the old row or the new one, never half of one.
Nothing secret is ever a key or a value here: callers pass content hashes and outputs.
"""
from __future__ import annotations

import sqlite3
import time
import zlib
from pathlib import Path

from inspector.errors import ConfigError

SCHEMA = """
CREATE TABLE IF NOT EXISTS builds (
    key TEXT PRIMARY KEY,        -- sha256 of the standard-JSON input and the compiler version
    compiler TEXT NOT NULL,      -- the full version the compiler reported
    created REAL NOT NULL,
    output BLOB NOT NULL         -- zlib-compressed standard-JSON output
);
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,        -- explorer|chain|address|endpoint: never a key or an RPC URL
    created REAL NOT NULL,
    body BLOB NOT NULL           -- zlib-compressed response body
);
"""


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot open the cache at {path}: {exc}", "set INSPECTOR_CACHE_DIR to a writable folder, or pass --no-cache") from exc

    def get_build(self, key: str) -> tuple[str, bytes] | None:
        row = self._db.execute("SELECT compiler, output FROM builds WHERE key = ?", (key,)).fetchone()
        return (row[0], zlib.decompress(row[1])) if row else None

    def put_build(self, key: str, compiler: str, output: bytes) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO builds (key, compiler, created, output) VALUES (?, ?, ?, ?)",
            (key, compiler, time.time(), zlib.compress(output, 6)),
        )

    def get_response(self, key: str) -> str | None:
        row = self._db.execute("SELECT body FROM responses WHERE key = ?", (key,)).fetchone()
        return zlib.decompress(row[0]).decode() if row else None

    def put_response(self, key: str, body: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO responses (key, created, body) VALUES (?, ?, ?)",
            (key, time.time(), zlib.compress(body.encode(), 6)),
        )

    def close(self) -> None:
        self._db.close()


class NullStore(Store):
    """--no-cache: remembers nothing, so every scan compiles."""

    def __init__(self) -> None:
        self.path = Path("/dev/null")

    def get_build(self, key: str) -> tuple[str, bytes] | None:
        return None

    def put_build(self, key: str, compiler: str, output: bytes) -> None:
        return None

    def get_response(self, key: str) -> str | None:
        return None

    def put_response(self, key: str, body: str) -> None:
        return None

    def close(self) -> None:
        return None
