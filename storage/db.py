"""The SQLite connection: WAL, foreign keys, busy timeout, numbered migrations, transactions."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import os
import pickle
import re
import sqlite3
import stat
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from storage.connection import LoopConnection, retry_busy
from storage.repos import Repos

# Zero: SQLite must never sleep on the event loop; storage/connection.retry_busy waits instead.
BUSY_TIMEOUT_MS = 0
# A worker thread may wait inside SQLite (seconds): the loop is not blocked by it.
BUSY_WAIT_IN_THREAD = 30.0
T = TypeVar("T")


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


class DatabaseNotReady(Exception):
    """A read-only open found no database, or one older than the code: `thidua init` is needed."""

    def __init__(self, path: str, *, version: int | None, expected: int) -> None:
        super().__init__(path)
        self.path = path
        self.version = version  # None: the file does not exist
        self.expected = expected


class DatabaseTooNew(Exception):
    """The database was migrated by a newer program than this one: this code must not touch it.

    `program` is the thidua-bot version that applied its latest migration, when it recorded it.
    """

    def __init__(self, path: str, *, version: int, expected: int, program: str | None) -> None:
        super().__init__(path)
        self.path = path
        self.version = version
        self.expected = expected  # the newest schema this code knows
        self.program = program


# The meta key naming the program that applied the latest migration: the oldest one that can
# read the database, which an older program names when it refuses the database.
SCHEMA_PROGRAM_KEY = "schema_program"


def program_version() -> str:
    """Return the installed thidua-bot version ("unknown" when run from an uninstalled tree)."""
    try:
        return importlib.metadata.version("thidua-bot")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def refuse_newer_schema(conn: sqlite3.Connection, path: str) -> int:
    """Return the schema version of `conn`; raise DatabaseTooNew if newer than the code."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    expected = len(bundled_migrations())
    if version <= expected:
        return version
    program: str | None = None
    # Whatever a newer schema did to `meta`, failing to read it only loses the hint.
    with contextlib.suppress(sqlite3.Error):
        rows = conn.execute("SELECT value FROM meta WHERE key = ?", (SCHEMA_PROGRAM_KEY,))
        found = rows.fetchone()
        program = str(found[0]) if found else None
    raise DatabaseTooNew(path, version=version, expected=expected, program=program)


class ChildFailed(Exception):
    """A snapshot's child process ended without an answer (killed, out of memory)."""


def read_snapshot(path: str, work: Callable[[sqlite3.Connection], T]) -> T:
    """Run `work` on a new read-only connection to `path`, in one snapshot (any thread or
    process; see Database.snapshot)."""
    conn = sqlite3.connect(
        _read_only_uri(path), uri=True, timeout=BUSY_WAIT_IN_THREAD, isolation_level=None
    )
    try:
        conn.execute("BEGIN")  # one snapshot for every statement of `work`
        try:
            return work(conn)
        finally:
            conn.execute("COMMIT")
    finally:
        conn.close()


def _read_only_uri(path: str, *, immutable: bool = False) -> str:
    """Return a `file:` URI that opens `path` read-only (and, if asked, without any locking)."""
    uri = "file:" + quote(os.path.abspath(path), safe="/")
    return uri + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


class Database:
    """One connection shared by the process; every use goes through a short transaction.

    A single connection serialises its work anyway; the lock keeps one coroutine's transaction
    from interleaving with another's statements on the same connection.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: LoopConnection | None = None
        self._lock = asyncio.Lock()
        # Derived from this database's rows (parsed campaigns), shared by its transactions.
        self.memo: dict[str, Any] = {}

    async def open(self, *, read_only: bool = False) -> None:
        """Connect and set the pragmas every connection needs (read-only: write nothing at all)."""
        if read_only:
            self._conn = await self._open_read_only()
            return
        conn = LoopConnection(self.path, busy_timeout_ms=BUSY_TIMEOUT_MS)
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # WAL + NORMAL: a commit survives a process crash; only power loss may drop the last one.
        await conn.execute("PRAGMA synchronous = NORMAL")
        self._conn = conn

    async def _open_read_only(self) -> LoopConnection:
        """Open without creating, migrating or writing, for accounts that may only read.

        Reading a WAL database needs its -shm file, which SQLite creates beside it. When the
        folder is read-only and the database was closed cleanly (no -wal file, or an empty one:
        no changes live outside the main file), nothing is lost by reading it as immutable.
        """
        conn = LoopConnection(_read_only_uri(self.path), busy_timeout_ms=BUSY_TIMEOUT_MS, uri=True)
        try:
            # sqlite3 opens lazily: the first statement is where a missing -shm shows.
            await conn.execute_fetchall("PRAGMA user_version")
        except sqlite3.OperationalError as exc:
            await conn.close()
            name = getattr(exc, "sqlite_errorname", "")
            # Like every statement here, a stat runs on the loop by design (storage/connection.py).
            wal = f"{self.path}-wal"
            wal_pending = os.path.exists(wal) and os.path.getsize(wal) > 0  # noqa: ASYNC240
            if wal_pending or not name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
                raise
            conn = LoopConnection(
                _read_only_uri(self.path, immutable=True), busy_timeout_ms=BUSY_TIMEOUT_MS, uri=True
            )
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return conn

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
                    await self._rollback()
                    raise
                applied.append(migration.number)
            if applied:
                await self._record_schema_program()
        return applied

    async def _record_schema_program(self) -> None:
        """Note which program applied the latest migration (once `meta` exists)."""
        found = await self.conn.execute_fetchall(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        )
        if found:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                await Repos(self.conn, self.memo).meta.put(SCHEMA_PROGRAM_KEY, program_version())
                await self.conn.execute("COMMIT")
            except BaseException:
                await self._rollback()
                raise

    async def refuse_if_newer(self) -> int:
        """Return the schema version; DatabaseTooNew when a newer program has migrated it."""
        raw, path = self.conn.raw, self.path
        return await retry_busy(lambda: refuse_newer_schema(raw, path), what="schema version")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repos]:
        """Run a write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on error)."""
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield Repos(self.conn, self.memo)
                await self.conn.execute("COMMIT")
            except BaseException:
                await self._rollback()
                raise

    async def _rollback(self) -> None:
        """Roll back if a transaction is still open, keeping the error that caused it."""
        # SQLite ends the transaction itself on some errors (a full disk): a second ROLLBACK
        # would fail with "no transaction is active" and hide the real cause.
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                await self.conn.execute("ROLLBACK")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Repos]:
        """Run a read-only snapshot (BEGIN … COMMIT)."""
        async with self._lock:
            await self.conn.execute("BEGIN")
            try:
                yield Repos(self.conn, self.memo)
            finally:
                if self.conn.in_transaction:
                    await self.conn.execute("COMMIT")

    async def snapshot(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run a long read on a worker thread, on its own read-only connection.

        Digests and reminder ticks read across a whole tree: on the loop they would stall every
        chat. WAL lets this reader see one consistent snapshot beside the writer, and it never
        takes the writer's lock; the loop only waits for the thread's answer.
        """
        return await asyncio.to_thread(self._read_in_thread, work)

    def _read_in_thread(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return read_snapshot(self.path, work)

    async def snapshot_in_process(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run a long read and the heavy Python work on its rows in a fresh process.

        A thread shares the interpreter lock with the event loop: writing a national Excel file
        on one held every chat for half a second at a time (benchmarks/export.py). A process
        does not. `work` must pickle (a module-level function, or a partial of one), and so must
        what it returns or raises; it comes back as returned or raised. The child is a new
        interpreter (`python -m storage.snapshot_child`), not a fork: the bot's threads and
        sockets stay with the bot, and nothing of the caller's `__main__` is run again.
        Raises ChildFailed when the child dies without an answer.
        """
        path = os.pathsep.join(entry for entry in sys.path if entry)  # the modules we run
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "storage.snapshot_child",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        try:
            out, err = await child.communicate(pickle.dumps((self.path, work)))
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            await child.wait()
            raise
        if child.returncode != 0 or not out:
            tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise ChildFailed(f"exit {child.returncode}: {tail[0]}")
        ok, value = pickle.loads(out)  # our own child's answer
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    async def backup(self, target: str | Path) -> None:
        """Write an online, consistent copy of the database to `target` (replacing it).

        The copy goes to a temporary file beside `target` that is renamed only once complete,
        so a failure (a full disk) leaves no half-written file under the backup's name.
        """
        target = Path(target)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
        try:
            async with self._lock:
                await self.conn.backup(name)
            # mkstemp made it private; a copy gets the permissions of the original.
            os.chmod(name, stat.S_IMODE(os.stat(self.path).st_mode))
            os.replace(name, target)
        except BaseException:
            remove_with_journals(name)
            raise


def remove_with_journals(name: str | Path) -> None:
    """Delete a database file and the journal, WAL and shared-memory files SQLite keeps beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)


@asynccontextmanager
async def open_database(
    path: str | Path, *, migrate: bool = True, read_only: bool = False
) -> AsyncIterator[Database]:
    """Open (and by default migrate) the database for the duration of the block.

    `read_only` never creates, migrates or writes: it raises DatabaseNotReady when the file
    is missing or its schema is older than the code, and ignores `migrate`. Every mode raises
    DatabaseTooNew for a schema newer than the code: an older program would misread it, and
    could write rows its newer schema forbids.
    """
    db = Database(path)
    if read_only and not os.path.exists(db.path):  # noqa: ASYNC240 (see _open_read_only)
        raise DatabaseNotReady(db.path, version=None, expected=len(bundled_migrations()))
    await db.open(read_only=read_only)
    try:
        version = await db.refuse_if_newer()
        if read_only:
            expected = len(bundled_migrations())
            if version < expected:
                raise DatabaseNotReady(db.path, version=version, expected=expected)
        elif migrate:
            await db.migrate()
        yield db
    finally:
        await db.close()
