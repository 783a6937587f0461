"""A sqlite3 connection used directly on the event loop, behind an awaitable interface.

Point queries take microseconds; a hop to a database thread and back (as aiosqlite does for
every statement) costs more than the query and, under load, more than everything else an update
does (docs/ARCHITECTURE.md, "Performance notes"). So the request path runs statements inline.
The methods stay `async` so repositories read the same whichever connection serves them, and a
long read (digests, exports) can be given a threaded connection without touching them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any


class LoopConnection:
    """The subset of aiosqlite's Connection the repositories use, run synchronously."""

    def __init__(self, path: str, *, busy_timeout_ms: int) -> None:
        self._conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000
        )
        self._conn.row_factory = sqlite3.Row

    @property
    def raw(self) -> sqlite3.Connection:
        """The underlying sqlite3 connection."""
        return self._conn

    @property
    def in_transaction(self) -> bool:
        """True while a transaction is open."""
        return self._conn.in_transaction

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run one statement."""
        return self._conn.execute(sql, params)

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run one statement and return all its rows."""
        return self._conn.execute(sql, params).fetchall()

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        """Run one statement for each parameter row."""
        return self._conn.executemany(sql, rows)

    async def executescript(self, script: str) -> sqlite3.Cursor:
        """Run several statements."""
        return self._conn.executescript(script)

    async def backup(self, target: str) -> None:
        """Copy the database to `target` with SQLite's online backup API."""
        destination = sqlite3.connect(target)
        try:
            self._conn.backup(destination)
        finally:
            destination.close()

    async def close(self) -> None:
        """Close the connection."""
        self._conn.close()
