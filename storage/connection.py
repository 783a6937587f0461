"""A sqlite3 connection used directly on the event loop, behind an awaitable interface.

Point queries take microseconds; a hop to a database thread and back (as aiosqlite does for
every statement) costs more than the query and, under load, more than everything else an update
does (docs/ARCHITECTURE.md, "Performance notes"). So the request path runs statements inline.
The methods stay `async` so repositories read the same whichever connection serves them, and a
long read (digests, exports) can be given a threaded connection without touching them.

Waiting for another process's lock must not block the loop either: SQLite's own busy handler
sleeps inside the call, freezing every chat. So the connection's busy timeout is zero and a
statement that finds the database locked is retried after an `asyncio.sleep` — for as long as
it takes: a busy database delays a message, it never drops it.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

log = logging.getLogger("thidua.storage")

T = TypeVar("T")

# Backoff between tries while another connection holds the lock: short at first (most writes
# take milliseconds), then capped so a long import is noticed within a quarter of a second.
FIRST_WAIT = 0.002
MAX_WAIT = 0.25
# How often a long wait is reported in the log.
REPORT_EVERY = 10.0


def is_busy(exc: sqlite3.Error) -> bool:
    """True when `exc` means another connection holds a lock we need (SQLITE_BUSY/LOCKED)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


async def retry_busy(call: Callable[[], T], *, what: str = "statement") -> T:
    """Run `call`, sleeping on the loop and trying again while the database is busy."""
    wait = FIRST_WAIT
    started = time.monotonic()
    reported = started
    while True:
        try:
            return call()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
        now = time.monotonic()
        if now - reported >= REPORT_EVERY:
            reported = now
            log.warning("database_busy waiting=%.0fs what=%s", now - started, what)
        await asyncio.sleep(wait)
        wait = min(wait * 2, MAX_WAIT)


class LoopConnection:
    """The subset of aiosqlite's Connection the repositories use, run synchronously."""

    def __init__(self, path: str, *, busy_timeout_ms: int = 0, uri: bool = False) -> None:
        # A zero timeout never lets SQLite sleep on the loop; retry_busy waits instead.
        self._conn = sqlite3.connect(
            path,
            isolation_level=None,
            check_same_thread=False,
            timeout=busy_timeout_ms / 1000,
            uri=uri,
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
        return await retry_busy(lambda: self._conn.execute(sql, params))

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run one statement and return all its rows."""
        return await retry_busy(lambda: self._conn.execute(sql, params).fetchall())

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        """Run one statement for each parameter row."""
        batch = rows if isinstance(rows, list) else list(rows)  # a retry needs the rows again
        return await retry_busy(lambda: self._conn.executemany(sql, batch))

    async def executescript(self, script: str) -> sqlite3.Cursor:
        """Run several statements (the script must start its own transaction to be retryable)."""
        return await retry_busy(lambda: self._conn.executescript(script), what="script")

    async def backup(self, target: str) -> None:
        """Copy the database to `target` with SQLite's online backup API."""
        destination = sqlite3.connect(target)
        try:
            await retry_busy(lambda: self._conn.backup(destination), what="backup")
        finally:
            destination.close()

    async def close(self) -> None:
        """Close the connection."""
        self._conn.close()
