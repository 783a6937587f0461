"""The SQLite connection: WAL, foreign keys, busy timeout, numbered migrations, transactions."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from storage.connection import LoopConnection
from storage.repos import Repos

BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Migration:
    """One numbered schema step."""

    number: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """Return the migrations shipped in storage/migrations, in order."""
    found: list[Migration] = []
    for entry in resources.files("storage.migrations").iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.number)
    numbers = [m.number for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {numbers}")
    return found


class Database:
    """One connection shared by the process; every use goes through a short transaction.

    A single connection serialises its work anyway; the lock keeps one coroutine's transaction
    from interleaving with another's statements on the same connection.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: LoopConnection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        """Connect and set the pragmas every connection needs."""
        conn = LoopConnection(self.path, busy_timeout_ms=BUSY_TIMEOUT_MS)
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # WAL + NORMAL: a commit survives a process crash; only power loss may drop the last one.
        await conn.execute("PRAGMA synchronous = NORMAL")
        self._conn = conn

    async def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def conn(self) -> LoopConnection:
        """The open connection."""
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def schema_version(self) -> int:
        """Return PRAGMA user_version."""
        rows = await self.conn.execute_fetchall("PRAGMA user_version")
        return int(rows[0][0]) if rows else 0

    async def migrate(self, migrations: list[Migration] | None = None) -> list[int]:
        """Apply every migration newer than the database; return the numbers applied."""
        applied: list[int] = []
        async with self._lock:
            current = await self.schema_version()
            for migration in migrations if migrations is not None else bundled_migrations():
                if migration.number <= current:
                    continue
                script = (
                    "BEGIN IMMEDIATE;\n"
                    f"{migration.sql}\n"
                    f"PRAGMA user_version = {migration.number};\n"
                    "COMMIT;"
                )
                try:
                    await self.conn.executescript(script)
                except sqlite3.Error:
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise
                applied.append(migration.number)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repos]:
        """Run a write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on error)."""
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield Repos(self.conn)
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Repos]:
        """Run a read-only snapshot (BEGIN … COMMIT)."""
        async with self._lock:
            await self.conn.execute("BEGIN")
            try:
                yield Repos(self.conn)
            finally:
                await self.conn.execute("COMMIT")

    async def backup(self, target: str | Path) -> None:
        """Write an online, consistent copy of the database to `target`."""
        async with self._lock:
            await self.conn.backup(str(target))


@asynccontextmanager
async def open_database(path: str | Path, *, migrate: bool = True) -> AsyncIterator[Database]:
    """Open (and by default migrate) the database for the duration of the block."""
    db = Database(path)
    await db.open()
    try:
        if migrate:
            await db.migrate()
        yield db
    finally:
        await db.close()
