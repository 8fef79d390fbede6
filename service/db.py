"""SQLite storage of the example service (stdlib sqlite3).

Configuration comes from the environment:

- ``APIGEN_DB``: path of the database file (default ``var/team.db``; its folder is created), or
  ``:memory:`` for a process-wide in-memory database shared by every request. An anchor connection
  stays open for the life of the process so that the in-memory data survives between requests.

Handlers receive a connection through FastAPI dependency injection (``Depends(get_db)``), one per
request, in autocommit mode: a handler groups its writes with ``transaction()``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_PATH = "var/team.db"
_MEMORY_URI = "file:apigen-mem-{pid}?mode=memory&cache=shared"

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    display_name  TEXT,
    nickname      TEXT,
    labels        TEXT,            -- JSON object, NULL when never set
    password_hash TEXT NOT NULL,   -- scrypt$n$r$p$salt_hex$hash_hex
    created_at    TEXT NOT NULL    -- ISO 8601, UTC
);
CREATE TABLE IF NOT EXISTS avatars (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    data    BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS posts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id  INTEGER NOT NULL,
    content    TEXT NOT NULL,      -- JSON of PostContent
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,   -- sha256 of the bearer token; the token itself is never stored
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);
"""


class Database:
    """Where the data lives and how to open a connection to it."""

    def __init__(self, setting: str) -> None:
        self.in_memory = setting == ":memory:"
        if self.in_memory:
            # Per process: uvicorn workers never see each other's in-memory data anyway.
            self.target = _MEMORY_URI.format(pid=os.getpid())
        else:
            path = Path(setting)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.target = str(path)
        self._anchor: sqlite3.Connection | None = None
        self._ready = False
        self._lock = threading.Lock()

    def connect(self) -> sqlite3.Connection:
        # FastAPI opens the connection in a worker thread and the async handlers use it on the
        # event loop thread, one request at a time: check_same_thread must be off.
        conn = sqlite3.connect(
            self.target,
            uri=self.in_memory,
            timeout=10.0,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def initialise(self) -> None:
        """Create the schema (idempotent); for ``:memory:``, open the anchor connection."""
        with self._lock:
            if self._ready:
                return
            conn = self.connect()
            if not self.in_memory:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(SCHEMA)
            if self.in_memory:
                self._anchor = conn  # keeps the shared in-memory database alive
            else:
                conn.close()
            self._ready = True

    def close(self) -> None:
        with self._lock:
            if self._anchor is not None:
                self._anchor.close()
                self._anchor = None
            self._ready = False


_database: Database | None = None
_database_lock = threading.Lock()


def database() -> Database:
    """The process's database, configured from APIGEN_DB and initialised on first use."""
    global _database
    with _database_lock:
        if _database is None:
            _database = Database(os.environ.get("APIGEN_DB") or DEFAULT_PATH)
        db = _database
    db.initialise()
    return db


def get_db() -> Iterator[sqlite3.Connection]:
    """FastAPI dependency: one connection per request, closed when the response is done."""
    conn = database().connect()
    try:
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK when the block raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def now() -> datetime:
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
