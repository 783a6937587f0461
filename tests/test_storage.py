"""Storage: pragmas, numbered migrations that keep old rows, transactions that roll back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.db import Database, Migration, bundled_migrations, open_database
from storage.models import Conversation


async def test_pragmas(tmp_path: Path) -> None:
    async with open_database(tmp_path / "t.sqlite3") as db:
        for pragma, expected in (
            ("journal_mode", "wal"),
            ("foreign_keys", 1),
            ("busy_timeout", 0),
        ):
            rows = await db.conn.execute_fetchall(f"PRAGMA {pragma}")
            assert rows[0][0] == expected


async def test_init_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    async with open_database(path, migrate=False) as db:
        first = await db.migrate()
        second = await db.migrate()
        assert first == [m.number for m in bundled_migrations()]
        assert second == []
        assert await db.schema_version() == len(first)


async def test_migrating_an_old_database_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    migrations = bundled_migrations()
    async with open_database(path, migrate=False) as db:
        await db.migrate(migrations[:1])  # a database from before conversations existed
        assert await db.schema_version() == 1
        await db.conn.execute(
            "INSERT INTO units (code, name, level, parent_code, path, depth)"
            " VALUES ('X', 'Phường X', 'xa', NULL, '/X/', 0)"
        )
    async with open_database(path) as db:
        assert await db.schema_version() == len(migrations)
        async with db.read() as repos:
            unit = await repos.units.get("X")
            assert unit is not None and unit.name == "Phường X"
            assert (await repos.conversations.get("zalo", "1")).idle


async def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    broken = [
        *bundled_migrations(),
        Migration(99, "broken", "CREATE TABLE extra (x INTEGER);\nTHIS IS NOT SQL;"),
    ]
    async with open_database(tmp_path / "t.sqlite3") as db:
        version = await db.schema_version()
        with pytest.raises(sqlite3.Error):
            await db.migrate(broken)
        assert await db.schema_version() == version
        rows = await db.conn.execute_fetchall("SELECT name FROM sqlite_master WHERE name = 'extra'")
        assert rows == []


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    async with open_database(tmp_path / "t.sqlite3") as db:
        with pytest.raises(RuntimeError):
            async with db.transaction() as repos:
                await repos.meta.put("k", "v")
                raise RuntimeError("boom")
        async with db.read() as repos:
            assert await repos.meta.get("k") is None


async def test_conversation_round_trip(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    async with open_database(tmp_path / "t.sqlite3") as db:
        conv = Conversation(flow="moi", step="role", data={"unit": "KP-01", "số": [1, 2]})
        async with db.transaction() as repos:
            await repos.conversations.save("zalo", "abc", conv, datetime.now(UTC))
        async with db.read() as repos:
            assert await repos.conversations.get("zalo", "abc") == conv


async def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    async with open_database(tmp_path / "t.sqlite3") as db:
        async with db.transaction() as repos:
            await repos.meta.put("k", "v")
        await db.backup(tmp_path / "copy.sqlite3")
    copy = Database(tmp_path / "copy.sqlite3")
    async with copy, copy.read() as repos:
        assert await repos.meta.get("k") == "v"
