"""Repositories: every SQL statement of the project lives here, each returning pydantic models."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from storage.models import Attempts, Conversation, Invite, Member, Role, Unit
from storage.timefmt import parse_ts, ts

_UNIT_COLUMNS = "code, name, level, parent_code, path, depth"
_MEMBER_COLUMNS = (
    "id, channel, user_id, chat_id, display_name, unit_code, role, enrolled_at, reachable"
)
_INVITE_COLUMNS = (
    "id, code_hash, unit_code, role, created_at, expires_at, created_by, used_at, used_by"
)


def _unit(row: aiosqlite.Row) -> Unit:
    return Unit(
        code=row[0], name=row[1], level=row[2], parent_code=row[3], path=row[4], depth=row[5]
    )


def _member(row: aiosqlite.Row) -> Member:
    return Member(
        id=row[0],
        channel=row[1],
        user_id=row[2],
        chat_id=row[3],
        display_name=row[4],
        unit_code=row[5],
        role=Role(row[6]),
        enrolled_at=parse_ts(row[7]),
        reachable=bool(row[8]),
    )


def _invite(row: aiosqlite.Row) -> Invite:
    return Invite(
        id=row[0],
        code_hash=row[1],
        unit_code=row[2],
        role=Role(row[3]),
        created_at=parse_ts(row[4]),
        expires_at=parse_ts(row[5]),
        created_by=row[6],
        used_at=parse_ts(row[7]) if row[7] else None,
        used_by=row[8],
    )


class UnitRepo:
    """The organisation tree."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, code: str) -> Unit | None:
        """Return the unit with this code, or None."""
        async with self.conn.execute(
            f"SELECT {_UNIT_COLUMNS} FROM units WHERE code = ?", (code,)
        ) as cur:
            row = await cur.fetchone()
        return _unit(row) if row else None

    async def all(self) -> list[Unit]:
        """Return every unit in tree order."""
        async with self.conn.execute(f"SELECT {_UNIT_COLUMNS} FROM units ORDER BY path") as cur:
            return [_unit(row) for row in await cur.fetchall()]

    async def subtree(self, root: Unit, *, include_root: bool = True) -> list[Unit]:
        """Return `root` (optionally) and every unit below it, in tree order."""
        async with self.conn.execute(
            f"SELECT {_UNIT_COLUMNS} FROM units WHERE path >= ? AND path < ? ORDER BY path",
            (root.path, root.path + "\uffff"),
        ) as cur:
            units = [_unit(row) for row in await cur.fetchall()]
        return units if include_root else [u for u in units if u.code != root.code]

    async def count(self) -> int:
        """Return how many units there are."""
        async with self.conn.execute("SELECT count(*) FROM units") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def upsert_many(self, units: Iterable[Unit]) -> None:
        """Insert or update units (parents must already exist or come earlier)."""
        await self.conn.executemany(
            "INSERT INTO units (code, name, level, parent_code, path, depth)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,"
            " parent_code = excluded.parent_code, path = excluded.path, depth = excluded.depth",
            [(u.code, u.name, u.level, u.parent_code, u.path, u.depth) for u in units],
        )


class MemberRepo:
    """People enrolled on a channel."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def find(self, channel: str, user_id: str) -> Member | None:
        """Return the member for this person on this channel, or None."""
        async with self.conn.execute(
            f"SELECT {_MEMBER_COLUMNS} FROM members WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        ) as cur:
            row = await cur.fetchone()
        return _member(row) if row else None

    async def get(self, member_id: int) -> Member | None:
        """Return a member by id."""
        async with self.conn.execute(
            f"SELECT {_MEMBER_COLUMNS} FROM members WHERE id = ?", (member_id,)
        ) as cur:
            row = await cur.fetchone()
        return _member(row) if row else None

    async def enrol(
        self,
        *,
        channel: str,
        user_id: str,
        chat_id: str,
        display_name: str,
        unit_code: str,
        role: Role,
        now: datetime,
    ) -> Member:
        """Bind this person to a unit and role (re-binding them if they were enrolled)."""
        async with self.conn.execute(
            "INSERT INTO members (channel, user_id, chat_id, display_name, unit_code, role,"
            " enrolled_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, user_id) DO UPDATE SET chat_id = excluded.chat_id,"
            " display_name = excluded.display_name, unit_code = excluded.unit_code,"
            " role = excluded.role, enrolled_at = excluded.enrolled_at, reachable = 1"
            f" RETURNING {_MEMBER_COLUMNS}",
            (channel, user_id, chat_id, display_name, unit_code, role.value, ts(now)),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return _member(row)

    async def in_unit(self, unit_code: str) -> list[Member]:
        """Return the members bound to one unit."""
        async with self.conn.execute(
            f"SELECT {_MEMBER_COLUMNS} FROM members WHERE unit_code = ? ORDER BY id", (unit_code,)
        ) as cur:
            return [_member(row) for row in await cur.fetchall()]


class InviteRepo:
    """Invite codes, stored by hash."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def create(
        self,
        *,
        code_hash: str,
        unit_code: str,
        role: Role,
        now: datetime,
        expires_at: datetime,
        created_by: int | None,
    ) -> Invite:
        """Store a new invite."""
        async with self.conn.execute(
            "INSERT INTO invites (code_hash, unit_code, role, created_at, expires_at, created_by)"
            f" VALUES (?, ?, ?, ?, ?, ?) RETURNING {_INVITE_COLUMNS}",
            (code_hash, unit_code, role.value, ts(now), ts(expires_at), created_by),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return _invite(row)

    async def by_hash(self, code_hash: str) -> Invite | None:
        """Return the invite whose code hashes to this, or None."""
        async with self.conn.execute(
            f"SELECT {_INVITE_COLUMNS} FROM invites WHERE code_hash = ?", (code_hash,)
        ) as cur:
            row = await cur.fetchone()
        return _invite(row) if row else None

    async def mark_used(self, invite_id: int, member_id: int, now: datetime) -> bool:
        """Mark an invite used; False if someone used it first."""
        async with self.conn.execute(
            "UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL",
            (ts(now), member_id, invite_id),
        ) as cur:
            return cur.rowcount == 1


class AttemptRepo:
    """Wrong invite codes per chat, for throttling."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, channel: str, chat_id: str) -> Attempts:
        """Return the chat's attempt record (empty if none)."""
        async with self.conn.execute(
            "SELECT failures, locked_until FROM enrol_attempts WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return Attempts()
        return Attempts(failures=row[0], locked_until=parse_ts(row[1]) if row[1] else None)

    async def save(self, channel: str, chat_id: str, attempts: Attempts) -> None:
        """Store the chat's attempt record."""
        locked = ts(attempts.locked_until) if attempts.locked_until else None
        await self.conn.execute(
            "INSERT INTO enrol_attempts (channel, chat_id, failures, locked_until)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE SET"
            " failures = excluded.failures, locked_until = excluded.locked_until",
            (channel, chat_id, attempts.failures, locked),
        )

    async def clear(self, channel: str, chat_id: str) -> None:
        """Forget the chat's wrong attempts (after a successful enrolment)."""
        await self.conn.execute(
            "DELETE FROM enrol_attempts WHERE channel = ? AND chat_id = ?", (channel, chat_id)
        )


class InboxRepo:
    """Keys of inbound updates already handled."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def record(self, key: str, now: datetime) -> bool:
        """Record an inbound key; False if it was seen before (a repeat)."""
        async with self.conn.execute(
            "INSERT INTO inbox (key, received_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (key, ts(now)),
        ) as cur:
            return cur.rowcount == 1


class ConversationRepo:
    """Per-chat conversation state."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, channel: str, chat_id: str) -> Conversation:
        """Return the chat's conversation (idle if none)."""
        async with self.conn.execute(
            "SELECT flow, step, data FROM conversations WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return Conversation()
        return Conversation(flow=row[0], step=row[1], data=json.loads(row[2]))

    async def save(self, channel: str, chat_id: str, conv: Conversation, now: datetime) -> None:
        """Store the chat's conversation."""
        await self.conn.execute(
            "INSERT INTO conversations (channel, chat_id, flow, step, data, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE SET"
            " flow = excluded.flow, step = excluded.step, data = excluded.data,"
            " updated_at = excluded.updated_at",
            (channel, chat_id, conv.flow, conv.step, json.dumps(conv.data), ts(now)),
        )


class MetaRepo:
    """Small key/value facts (e.g. the Telegram bot's username)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, key: str) -> str | None:
        """Return the value stored under `key`."""
        async with self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None

    async def put(self, key: str, value: str) -> None:
        """Store `value` under `key`."""
        await self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


class Repos:
    """Every repository, sharing one connection inside one transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.units = UnitRepo(conn)
        self.members = MemberRepo(conn)
        self.invites = InviteRepo(conn)
        self.attempts = AttemptRepo(conn)
        self.inbox = InboxRepo(conn)
        self.conversations = ConversationRepo(conn)
        self.meta = MetaRepo(conn)
