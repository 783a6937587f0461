"""Repositories: every SQL statement of the project lives here, each returning pydantic models."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

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


def _unit(row: Sequence[Any]) -> Unit:
    return Unit(
        code=row[0], name=row[1], level=row[2], parent_code=row[3], path=row[4], depth=row[5]
    )


def _member(row: Sequence[Any]) -> Member:
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


class _Repo:
    """Shared plumbing: each query is one hop to aiosqlite's thread (execute and fetch together)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def _all(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def _one(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        rows = await self._all(sql, params)
        return rows[0] if rows else None


class UnitRepo(_Repo):
    """The organisation tree."""

    async def get(self, code: str) -> Unit | None:
        """Return the unit with this code, or None."""
        row = await self._one(f"SELECT {_UNIT_COLUMNS} FROM units WHERE code = ?", (code,))
        return _unit(row) if row else None

    async def all(self) -> list[Unit]:
        """Return every unit in tree order."""
        rows = await self._all(f"SELECT {_UNIT_COLUMNS} FROM units ORDER BY path")
        return [_unit(row) for row in rows]

    async def subtree(self, root: Unit, *, include_root: bool = True) -> list[Unit]:
        """Return `root` (optionally) and every unit below it, in tree order."""
        rows = await self._all(
            f"SELECT {_UNIT_COLUMNS} FROM units WHERE path >= ? AND path < ? ORDER BY path",
            (root.path, root.path + "\uffff"),
        )
        units = [_unit(row) for row in rows]
        return units if include_root else [u for u in units if u.code != root.code]

    async def count(self) -> int:
        """Return how many units there are."""
        row = await self._one("SELECT count(*) FROM units")
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


class MemberRepo(_Repo):
    """People enrolled on a channel."""

    async def find(self, channel: str, user_id: str) -> Member | None:
        """Return the member for this person on this channel, or None."""
        row = await self._one(
            f"SELECT {_MEMBER_COLUMNS} FROM members WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        return _member(row) if row else None

    async def get(self, member_id: int) -> Member | None:
        """Return a member by id."""
        row = await self._one(f"SELECT {_MEMBER_COLUMNS} FROM members WHERE id = ?", (member_id,))
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
        row = await self._one(
            "INSERT INTO members (channel, user_id, chat_id, display_name, unit_code, role,"
            " enrolled_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, user_id) DO UPDATE SET chat_id = excluded.chat_id,"
            " display_name = excluded.display_name, unit_code = excluded.unit_code,"
            " role = excluded.role, enrolled_at = excluded.enrolled_at, reachable = 1"
            f" RETURNING {_MEMBER_COLUMNS}",
            (channel, user_id, chat_id, display_name, unit_code, role.value, ts(now)),
        )
        assert row is not None
        return _member(row)

    async def in_unit(self, unit_code: str) -> list[Member]:
        """Return the members bound to one unit."""
        rows = await self._all(
            f"SELECT {_MEMBER_COLUMNS} FROM members WHERE unit_code = ? ORDER BY id", (unit_code,)
        )
        return [_member(row) for row in rows]


class InviteRepo(_Repo):
    """Invite codes, stored by hash."""

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
        row = await self._one(
            "INSERT INTO invites (code_hash, unit_code, role, created_at, expires_at, created_by)"
            f" VALUES (?, ?, ?, ?, ?, ?) RETURNING {_INVITE_COLUMNS}",
            (code_hash, unit_code, role.value, ts(now), ts(expires_at), created_by),
        )
        assert row is not None
        return _invite(row)

    async def by_hash(self, code_hash: str) -> Invite | None:
        """Return the invite whose code hashes to this, or None."""
        row = await self._one(
            f"SELECT {_INVITE_COLUMNS} FROM invites WHERE code_hash = ?", (code_hash,)
        )
        return _invite(row) if row else None

    async def mark_used(self, invite_id: int, member_id: int, now: datetime) -> bool:
        """Mark an invite used; False if someone used it first."""
        row = await self._one(
            "UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL"
            " RETURNING id",
            (ts(now), member_id, invite_id),
        )
        return row is not None


class AttemptRepo(_Repo):
    """Wrong invite codes per chat, for throttling."""

    async def get(self, channel: str, chat_id: str) -> Attempts:
        """Return the chat's attempt record (empty if none)."""
        row = await self._one(
            "SELECT failures, locked_until FROM enrol_attempts WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        )
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


class InboxRepo(_Repo):
    """Keys of inbound updates already handled."""

    async def record(self, key: str, now: datetime) -> bool:
        """Record an inbound key; False if it was seen before (a repeat)."""
        row = await self._one(
            "INSERT INTO inbox (key, received_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"
            " RETURNING key",
            (key, ts(now)),
        )
        return row is not None


class SessionRepo(_Repo):
    """Everything one inbound needs to be routed, read in a single query."""

    async def load(
        self, channel: str, user_id: str, chat_id: str
    ) -> tuple[Member | None, Unit | None, Conversation]:
        """Return the sender's member row, its unit, and the chat's conversation."""
        member_cols = ", ".join(f"m.{c.strip()}" for c in _MEMBER_COLUMNS.split(","))
        unit_cols = ", ".join(f"u.{c.strip()}" for c in _UNIT_COLUMNS.split(","))
        row = await self._one(
            f"SELECT {member_cols}, {unit_cols}, c.flow, c.step, c.data"
            " FROM (SELECT ? AS channel, ? AS user_id, ? AS chat_id) AS k"
            " LEFT JOIN members AS m ON m.channel = k.channel AND m.user_id = k.user_id"
            " LEFT JOIN units AS u ON u.code = m.unit_code"
            " LEFT JOIN conversations AS c ON c.channel = k.channel AND c.chat_id = k.chat_id",
            (channel, user_id, chat_id),
        )
        assert row is not None  # the key row always exists
        values = tuple(row)
        member = _member(values[:9]) if values[0] is not None else None
        unit = _unit(values[9:15]) if values[9] is not None else None
        flow, step, data = values[15:18]
        conversation = (
            Conversation(flow=flow, step=step, data=json.loads(data))
            if flow is not None
            else Conversation()
        )
        return member, unit, conversation


class ConversationRepo(_Repo):
    """Per-chat conversation state."""

    async def get(self, channel: str, chat_id: str) -> Conversation:
        """Return the chat's conversation (idle if none)."""
        row = await self._one(
            "SELECT flow, step, data FROM conversations WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        )
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


class MetaRepo(_Repo):
    """Small key/value facts (e.g. the Telegram bot's username)."""

    async def get(self, key: str) -> str | None:
        """Return the value stored under `key`."""
        row = await self._one("SELECT value FROM meta WHERE key = ?", (key,))
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
        self.sessions = SessionRepo(conn)
