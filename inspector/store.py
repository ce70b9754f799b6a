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
from typing import Callable
from urllib.parse import quote

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
CREATE TABLE IF NOT EXISTS facts (
    key TEXT PRIMARY KEY,        -- sha256 of the builds, targets and the code that extracts facts (facts/analyse.py)
    created REAL NOT NULL,
    body BLOB NOT NULL           -- zlib-compressed JSON of the facts (never pickle)
);
"""


class Store:
    """`note` hears, once each, what the cache could not do: a read-only cache is read and
    stores nothing; a full disk or an I/O error stops storing for the rest of the scan; an
    entry that cannot be read is a miss. None of them fails the scan: the cache only saves time."""

    def __init__(self, path: Path, note: Callable[[str], None] = lambda message: None) -> None:
        self.path, self._note, self._writable, self._told = path, note, True, set()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            if not path.is_file():
                raise ConfigError(f"cannot open the cache at {path}: {exc}", "set INSPECTOR_CACHE_DIR to a writable folder, or pass --no-cache") from exc
            self._db = self._read_only(path, exc)
            self._writable = False
            self._tell("read-only", f"the cache at {path} cannot be written ({_reason(exc)}): it is read, and nothing new is stored")

    @staticmethod
    def _read_only(path: Path, first: BaseException) -> sqlite3.Connection:
        """The cache as it is, read without locks or a journal (a read-only folder has no room for either)."""
        try:
            db = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", uri=True, isolation_level=None)
            db.execute("SELECT 1 FROM builds LIMIT 1").fetchall()
            return db
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open the cache at {path}: {_reason(first)}; read-only: {_reason(exc)}",
                              "set INSPECTOR_CACHE_DIR to a writable folder, or pass --no-cache") from None

    def _tell(self, kind: str, message: str) -> None:
        if kind not in self._told:
            self._told.add(kind)
            self._note(message)

    def _get(self, sql: str, key: str) -> tuple | None:
        try:
            return self._db.execute(sql, (key,)).fetchone()
        except sqlite3.Error as exc:
            self._tell("read", f"the cache at {self.path} cannot be read ({_reason(exc)}): what it holds is made again")
            return None

    def _put(self, sql: str, values: tuple) -> None:
        if not self._writable:
            return
        try:
            self._db.execute(sql, values)
        except sqlite3.Error as exc:  # database or disk is full, disk I/O error, readonly database
            self._writable = False
            self._tell("write", f"cannot store in the cache at {self.path} ({_reason(exc)}): nothing more is stored in this scan")

    def _unpack(self, blob: bytes) -> bytes | None:
        try:
            return zlib.decompress(blob)
        except (zlib.error, TypeError) as exc:
            self._tell("entry", f"the cache at {self.path} holds an entry that is not what inspector wrote ({exc}): it is made again")
            return None

    def get_build(self, key: str) -> tuple[str, bytes] | None:
        row = self._get("SELECT compiler, output FROM builds WHERE key = ?", key)
        output = self._unpack(row[1]) if row else None
        return (row[0], output) if output is not None else None

    def put_build(self, key: str, compiler: str, output: bytes) -> None:
        self._put("INSERT OR REPLACE INTO builds (key, compiler, created, output) VALUES (?, ?, ?, ?)",
                  (key, compiler, time.time(), zlib.compress(output, 6)))

    def get_response(self, key: str) -> str | None:
        return self._text("SELECT body FROM responses WHERE key = ?", key)

    def put_response(self, key: str, body: str) -> None:
        self._put("INSERT OR REPLACE INTO responses (key, created, body) VALUES (?, ?, ?)",
                  (key, time.time(), zlib.compress(body.encode(), 6)))

    def get_facts(self, key: str) -> str | None:
        return self._text("SELECT body FROM facts WHERE key = ?", key)

    def put_facts(self, key: str, body: str) -> None:
        self._put("INSERT OR REPLACE INTO facts (key, created, body) VALUES (?, ?, ?)",
                  (key, time.time(), zlib.compress(body.encode(), 6)))

    def _text(self, sql: str, key: str) -> str | None:
        row = self._get(sql, key)
        body = self._unpack(row[0]) if row else None
        try:
            return body.decode() if body is not None else None
        except UnicodeDecodeError as exc:
            self._tell("entry", f"the cache at {self.path} holds an entry that is not what inspector wrote ({exc.reason}): it is made again")
            return None

    def close(self) -> None:
        self._db.close()


def _reason(exc: BaseException) -> str:
    return (getattr(exc, "strerror", None) or str(exc)).lower()


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

    def get_facts(self, key: str) -> str | None:
        return None

    def put_facts(self, key: str, body: str) -> None:
        return None

    def close(self) -> None:
        return None
