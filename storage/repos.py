"""Repositories: every SQL statement of the project lives here, each returning pydantic models."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.connection import LoopConnection
from storage.models import (
    Attempts,
    Broadcast,
    Conversation,
    Draft,
    Invite,
    Member,
    OutboxKind,
    OutboxMessage,
    OutboxState,
    Role,
    StoredCampaign,
    Submission,
    SubmissionVersion,
    Unit,
)
from storage.reads import LIVE, UNIT_COLUMNS
from storage.timefmt import parse_ts, parse_ts_or_none, ts

_MEMBER_COLUMNS = (
    "id, channel, user_id, chat_id, display_name, unit_code, role, enrolled_at, reachable"
)
_INVITE_COLUMNS = (
    "id, code_hash, unit_code, role, created_at, expires_at, created_by, used_at, used_by"
)


def _unit(row: Sequence[Any]) -> Unit:
    return Unit(
        code=row[0],
        name=row[1],
        level=row[2],
        parent_code=row[3],
        path=row[4],
        depth=row[5],
        merged_into=row[6] if len(row) > 6 else None,
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


def _invite(row: Sequence[Any]) -> Invite:
    return Invite(
        id=row[0],
        code_hash=row[1],
        unit_code=row[2],
        role=Role(row[3]),
        created_at=parse_ts(row[4]),
        expires_at=parse_ts(row[5]),
        created_by=row[6],
        used_at=parse_ts_or_none(row[7]),
        used_by=row[8],
    )


class _Repo:
    """Shared plumbing: run a query and fetch its rows in one call."""

    def __init__(self, conn: LoopConnection) -> None:
        self.conn = conn

    async def _all(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        return await self.conn.execute_fetchall(sql, params)

    async def _one(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        rows = await self._all(sql, params)
        return rows[0] if rows else None


# A unit with the unit it was merged into (NULL for the live tree); the session row keeps the
# six columns above, a member's unit being never a merged one (a merge moves its members).
_UNIT_ROW = f"{UNIT_COLUMNS}, merged_into"


class UnitRepo(_Repo):
    """The organisation tree."""

    async def get(self, code: str) -> Unit | None:
        """Return the unit with this code (a merged one too: see `merged_into`), or None."""
        row = await self._one(f"SELECT {_UNIT_ROW} FROM units WHERE code = ?", (code,))
        return _unit(row) if row else None

    async def find_nocase(self, code: str) -> list[Unit]:
        """Return the units whose code is `code` in any case (one, unless an old import made two)."""
        rows = await self._all(
            f"SELECT {_UNIT_ROW} FROM units WHERE code = ? COLLATE NOCASE ORDER BY code",
            (code,),
        )
        return [_unit(row) for row in rows]

    async def all(self, *, merged: bool = False) -> list[Unit]:
        """Return every unit of the live tree in tree order (`merged`: the merged ones too)."""
        where = "" if merged else f" WHERE {LIVE}"
        rows = await self._all(f"SELECT {_UNIT_ROW} FROM units{where} ORDER BY path")
        return [_unit(row) for row in rows]

    async def subtree(
        self, root: Unit, *, include_root: bool = True, merged: bool = False
    ) -> list[Unit]:
        """Return `root` (optionally) and every live unit below it, in tree order (`merged`:
        the merged ones too)."""
        live = "" if merged else f" AND {LIVE}"
        rows = await self._all(
            f"SELECT {_UNIT_ROW} FROM units WHERE path >= ? AND path < ?{live} ORDER BY path",
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

    async def by_id(self, member_id: int) -> Member | None:
        """Return the member with this id, or None."""
        row = await self._one(f"SELECT {_MEMBER_COLUMNS} FROM members WHERE id = ?", (member_id,))
        return _member(row) if row else None

    async def set_reachable(self, member_id: int, reachable: bool) -> None:
        """Mark a member reachable again (they wrote) or not (they blocked the bot)."""
        await self.conn.execute(
            "UPDATE members SET reachable = ? WHERE id = ?", (int(reachable), member_id)
        )

    async def set_reachable_by_user(self, channel: str, user_id: str, reachable: bool) -> None:
        """`set_reachable` for the member who is this person on this channel, if any."""
        await self.conn.execute(
            "UPDATE members SET reachable = ? WHERE channel = ? AND user_id = ?",
            (int(reachable), channel, user_id),
        )

    async def digest_readers(self) -> list[Member]:
        """The reachable secretaries and admins: who gets the scheduled digest."""
        rows = await self._all(
            f"SELECT {_MEMBER_COLUMNS} FROM members"
            " WHERE role IN ('secretary', 'admin') AND reachable = 1 ORDER BY id"
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
        return Attempts(failures=row[0], locked_until=parse_ts_or_none(row[1]))

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


def _prefixed(alias: str, columns: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in columns.split(","))


# One row with everything routing needs: the sender's member row and unit, the chat's
# conversation, the draft it points at, and the revision of every campaign (so cached campaign
# definitions can be trusted without another query). Parameters: channel, user_id, chat_id.
_SESSION_SELECT = (
    f"SELECT json_array({_prefixed('m', _MEMBER_COLUMNS)}, {_prefixed('u', UNIT_COLUMNS)},"
    " c.flow, c.step, c.data, d.id, d.member_id, d.draft_key, d.state, d.updated_at,"
    " (SELECT group_concat(code || ' ' || revision, ',') FROM campaigns))"
    " FROM (SELECT ? AS channel, ? AS user_id, ? AS chat_id) AS k"
    " LEFT JOIN members AS m ON m.channel = k.channel AND m.user_id = k.user_id"
    " LEFT JOIN units AS u ON u.code = m.unit_code"
    " LEFT JOIN conversations AS c ON c.channel = k.channel AND c.chat_id = k.chat_id"
    " LEFT JOIN drafts AS d ON d.id = json_extract(c.data, '$.draft') AND d.member_id = m.id"
)


@dataclass(frozen=True)
class Session:
    """What one inbound message is routed with."""

    member: Member | None
    unit: Unit | None
    conversation: Conversation
    draft: Draft | None
    campaign_revisions: dict[str, int]


def _conversation(flow: str | None, step: str | None, data: str | None) -> Conversation:
    """A conversation row's columns as a model (no row: the calm state)."""
    if flow is None:
        return Conversation()
    return Conversation(flow=flow, step=step or "", data=json.loads(data or "{}"))


def _session(packed: str) -> Session:
    values = json.loads(packed)
    member = _member(values[:9]) if values[0] is not None else None
    unit = _unit(values[9:15]) if values[9] is not None else None
    conversation = _conversation(*values[15:18])
    draft = _draft(values[18:23]) if values[18] is not None else None
    revisions = {
        code: int(revision)
        for code, _, revision in (
            item.partition(" ") for item in (values[23] or "").split(",") if item
        )
    }
    return Session(member, unit, conversation, draft, revisions)


class SessionRepo(_Repo):
    """Everything one inbound needs to be routed, read in a single query (one database hop)."""

    async def load(self, channel: str, user_id: str, chat_id: str) -> Session:
        """Return the session of a sender in a chat."""
        row = await self._one(_SESSION_SELECT, (channel, user_id, chat_id))
        assert row is not None  # the key row always exists
        return _session(row[0])

    async def record_and_load(
        self, key: str, now: datetime, channel: str, user_id: str, chat_id: str
    ) -> Session | None:
        """Record an inbound key and load the session in the same statement; None = a repeat."""
        row = await self._one(
            "INSERT INTO inbox (key, received_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"
            f" RETURNING ({_SESSION_SELECT})",
            (key, ts(now), channel, user_id, chat_id),
        )
        return _session(row[0]) if row is not None else None


class InboxRepo(_Repo):
    """Keys of the updates already taken, so a redelivered one is ignored."""

    async def record(self, key: str, now: datetime) -> bool:
        """Record an update key; False when it was seen before."""
        cursor = await self.conn.execute(
            "INSERT INTO inbox (key, received_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (key, ts(now)),
        )
        return cursor.rowcount == 1

    async def prune(self, before: datetime, *, limit: int) -> int:
        """Forget at most `limit` keys received before `before`; return how many went."""
        cursor = await self.conn.execute(
            "DELETE FROM inbox WHERE key IN"
            " (SELECT key FROM inbox WHERE received_at < ? ORDER BY received_at LIMIT ?)",
            (ts(before), limit),
        )
        return max(cursor.rowcount, 0)


class WebhookInboxRepo(_Repo):
    """Updates taken by webhook, kept until handled (a crash after the 200 loses none)."""

    async def record(self, key: str, channel: str, inbound: str, now: datetime) -> bool:
        """Keep one update; False when it is kept already or was handled (a redelivery)."""
        cursor = await self.conn.execute(
            "INSERT INTO webhook_inbox (key, channel, inbound, received_at)"
            " SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM inbox WHERE key = ?)"
            " ON CONFLICT (key) DO NOTHING",
            (key, channel, inbound, ts(now), key),
        )
        return cursor.rowcount == 1

    async def unhandled(self) -> list[str]:
        """The kept updates not handled yet (their key not in `inbox`), oldest first."""
        rows = await self._all(
            "SELECT w.inbound FROM webhook_inbox AS w"
            " WHERE NOT EXISTS (SELECT 1 FROM inbox AS i WHERE i.key = w.key) ORDER BY w.id"
        )
        return [str(row[0]) for row in rows]

    async def prune(self, before: datetime) -> int:
        """Forget the handled updates, and any received before `before`; return how many."""
        cursor = await self.conn.execute(
            "DELETE FROM webhook_inbox WHERE received_at < ?"
            " OR EXISTS (SELECT 1 FROM inbox AS i WHERE i.key = webhook_inbox.key)",
            (ts(before),),
        )
        return max(cursor.rowcount, 0)


class ReminderRepo(_Repo):
    """Which reminders were planned: the key that makes each one exactly-once."""

    async def claim(
        self,
        *,
        campaign_code: str,
        form_id: str,
        unit_code: str,
        offset_text: str,
        due_on: str,
        now: datetime,
    ) -> bool:
        """Record a reminder as planned; False when it already was (nothing to send again)."""
        cursor = await self.conn.execute(
            "INSERT INTO reminders_sent"
            " (campaign_code, form_id, unit_code, offset_text, due_on, planned_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (campaign_code, form_id, unit_code, offset_text, due_on, ts(now)),
        )
        return cursor.rowcount == 1


class ConversationRepo(_Repo):
    """Per-chat conversation state."""

    async def get(self, channel: str, chat_id: str) -> Conversation:
        """Return the chat's conversation (idle if none)."""
        row = await self._one(
            "SELECT flow, step, data FROM conversations WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        )
        return _conversation(*row) if row else Conversation()

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


@dataclass(frozen=True)
class FormRow:
    """The SQL-queryable facts of one form (the full definition is in the campaign JSON)."""

    form_id: str
    title: str
    kind: str
    level: str
    multiple: bool
    about: str | None
    opens_on: str
    due_on: str
    late: str


class CampaignRepo(_Repo):
    """Campaigns and their forms."""

    async def get(self, code: str) -> StoredCampaign | None:
        """Return a loaded campaign by code."""
        row = await self._one(
            "SELECT code, title, scope, definition, revision, loaded_at FROM campaigns"
            " WHERE code = ?",
            (code,),
        )
        return _campaign(row) if row else None

    async def all(self) -> list[StoredCampaign]:
        """Return every loaded campaign, oldest start first."""
        rows = await self._all(
            "SELECT code, title, scope, definition, revision, loaded_at FROM campaigns"
            " ORDER BY starts_on, code"
        )
        return [_campaign(row) for row in rows]

    async def save(
        self,
        *,
        code: str,
        title: str,
        scope: str,
        starts_on: str,
        ends_on: str,
        definition: dict[str, Any],
        source: str,
        forms: list[FormRow],
        now: datetime,
    ) -> int:
        """Insert or update a campaign and its forms; return its revision."""
        row = await self._one(
            "INSERT INTO campaigns (code, title, scope, starts_on, ends_on, definition, source,"
            " revision, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)"
            " ON CONFLICT (code) DO UPDATE SET title = excluded.title, scope = excluded.scope,"
            " starts_on = excluded.starts_on, ends_on = excluded.ends_on,"
            " definition = excluded.definition, source = excluded.source,"
            " revision = campaigns.revision + 1, loaded_at = excluded.loaded_at"
            " RETURNING revision",
            (code, title, scope, starts_on, ends_on, json.dumps(definition), source, ts(now)),
        )
        assert row is not None
        kept = [f.form_id for f in forms]
        marks = ",".join("?" for _ in kept)
        await self.conn.execute(
            f"DELETE FROM forms WHERE campaign_code = ? AND form_id NOT IN ({marks})"
            " AND NOT EXISTS (SELECT 1 FROM submissions AS s WHERE s.campaign_code ="
            " forms.campaign_code AND s.form_id = forms.form_id)",
            (code, *kept),
        )
        await self.conn.executemany(
            "INSERT INTO forms (campaign_code, form_id, title, kind, level, multiple, about,"
            " opens_on, due_on, late, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (campaign_code, form_id) DO UPDATE SET title = excluded.title,"
            " kind = excluded.kind, level = excluded.level, multiple = excluded.multiple,"
            " about = excluded.about, opens_on = excluded.opens_on, due_on = excluded.due_on,"
            " late = excluded.late, position = excluded.position",
            [
                (
                    code,
                    f.form_id,
                    f.title,
                    f.kind,
                    f.level,
                    int(f.multiple),
                    f.about,
                    f.opens_on,
                    f.due_on,
                    f.late,
                    index,
                )
                for index, f in enumerate(forms)
            ],
        )
        return int(row[0])

    async def forms_with_submissions(self, code: str) -> dict[str, int]:
        """Return form id -> number of submissions, for forms that have any."""
        rows = await self._all(
            "SELECT form_id, count(*) FROM submissions WHERE campaign_code = ? GROUP BY form_id",
            (code,),
        )
        return {row[0]: int(row[1]) for row in rows}


def _campaign(row: Sequence[Any]) -> StoredCampaign:
    return StoredCampaign(
        code=row[0],
        title=row[1],
        scope=row[2],
        definition=json.loads(row[3]),
        revision=row[4],
        loaded_at=parse_ts(row[5]),
    )


_SUBMISSION_SELECT = (
    "SELECT s.id, s.campaign_code, s.form_id, s.unit_code, s.work_id, s.current_version,"
    " s.first_submitted_at, v.submitted_at, s.late_days, v.answers"
    " FROM submissions AS s JOIN submission_versions AS v"
    " ON v.submission_id = s.id AND v.version = s.current_version"
)


def _submission(row: Sequence[Any]) -> Submission:
    return Submission(
        id=row[0],
        campaign_code=row[1],
        form_id=row[2],
        unit_code=row[3],
        work_id=row[4],
        version=row[5],
        first_submitted_at=parse_ts(row[6]),
        last_submitted_at=parse_ts(row[7]),
        late_days=row[8],
        answers=json.loads(row[9]),
    )


class SubmissionRepo(_Repo):
    """Submitted forms and every version of them (nothing is overwritten)."""

    async def create(
        self,
        *,
        campaign_code: str,
        form_id: str,
        unit_code: str,
        work_id: int | None,
        answers: dict[str, Any],
        member_id: int | None,
        now: datetime,
        late_days: int,
    ) -> int:
        """Store a new submission as version 1; return its id."""
        row = await self._one(
            "INSERT INTO submissions (campaign_code, form_id, unit_code, work_id,"
            " current_version, first_submitted_at, late_days) VALUES (?, ?, ?, ?, 1, ?, ?)"
            " RETURNING id",
            (campaign_code, form_id, unit_code, work_id, ts(now), late_days),
        )
        assert row is not None
        submission_id = int(row[0])
        await self._add_version(submission_id, 1, answers, member_id, now, late_days)
        return submission_id

    async def amend(
        self,
        submission_id: int,
        *,
        answers: dict[str, Any],
        member_id: int | None,
        now: datetime,
        late_days: int,
    ) -> int:
        """Add a new version to a submission; return its number."""
        row = await self._one(
            "UPDATE submissions SET current_version = current_version + 1 WHERE id = ?"
            " RETURNING current_version",
            (submission_id,),
        )
        assert row is not None
        version = int(row[0])
        await self._add_version(submission_id, version, answers, member_id, now, late_days)
        return version

    async def _add_version(
        self,
        submission_id: int,
        version: int,
        answers: dict[str, Any],
        member_id: int | None,
        now: datetime,
        late_days: int,
    ) -> None:
        await self.conn.execute(
            "INSERT INTO submission_versions (submission_id, version, answers, member_id,"
            " submitted_at, late_days) VALUES (?, ?, ?, ?, ?, ?)",
            (
                submission_id,
                version,
                json.dumps(answers, ensure_ascii=False),
                member_id,
                ts(now),
                late_days,
            ),
        )

    async def get(self, submission_id: int) -> Submission | None:
        """Return one submission with its current answers."""
        row = await self._one(f"{_SUBMISSION_SELECT} WHERE s.id = ?", (submission_id,))
        return _submission(row) if row else None

    async def for_unit(
        self, unit_code: str, campaign_code: str, form_id: str | None = None
    ) -> list[Submission]:
        """Return a unit's submissions in a campaign (one form, or all), oldest first."""
        if form_id is None:
            rows = await self._all(
                f"{_SUBMISSION_SELECT} WHERE s.unit_code = ? AND s.campaign_code = ? ORDER BY s.id",
                (unit_code, campaign_code),
            )
        else:
            rows = await self._all(
                f"{_SUBMISSION_SELECT} WHERE s.unit_code = ? AND s.campaign_code = ?"
                " AND s.form_id = ? ORDER BY s.id",
                (unit_code, campaign_code, form_id),
            )
        return [_submission(row) for row in rows]

    async def versions(self, submission_id: int) -> list[SubmissionVersion]:
        """Return every version of a submission, oldest first."""
        rows = await self._all(
            "SELECT submission_id, version, answers, member_id, submitted_at, late_days"
            " FROM submission_versions WHERE submission_id = ? ORDER BY version",
            (submission_id,),
        )
        return [
            SubmissionVersion(
                submission_id=row[0],
                version=row[1],
                answers=json.loads(row[2]),
                member_id=row[3],
                submitted_at=parse_ts(row[4]),
                late_days=row[5],
            )
            for row in rows
        ]


class DraftRepo(_Repo):
    """Unfinished answers, one per member and form (or amendment)."""

    async def get(self, member_id: int, draft_key: str) -> Draft | None:
        """Return the member's draft under this key."""
        row = await self._one(
            "SELECT id, member_id, draft_key, state, updated_at FROM drafts"
            " WHERE member_id = ? AND draft_key = ?",
            (member_id, draft_key),
        )
        return _draft(row) if row else None

    async def of_member(self, member_id: int) -> dict[str, Draft]:
        """Every draft of a member, by draft key."""
        rows = await self._all(
            "SELECT id, member_id, draft_key, state, updated_at FROM drafts WHERE member_id = ?",
            (member_id,),
        )
        return {draft.draft_key: draft for draft in map(_draft, rows)}

    async def by_id(self, draft_id: int) -> Draft | None:
        """Return a draft by id."""
        row = await self._one(
            "SELECT id, member_id, draft_key, state, updated_at FROM drafts WHERE id = ?",
            (draft_id,),
        )
        return _draft(row) if row else None

    async def save(
        self, member_id: int, draft_key: str, state: dict[str, Any], now: datetime
    ) -> int:
        """Create or replace the member's draft under this key; return its id."""
        row = await self._one(
            "INSERT INTO drafts (member_id, draft_key, state, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (member_id, draft_key) DO UPDATE SET state = excluded.state,"
            " updated_at = excluded.updated_at RETURNING id",
            (member_id, draft_key, json.dumps(state, ensure_ascii=False), ts(now)),
        )
        assert row is not None
        return int(row[0])

    async def delete(self, draft_id: int) -> None:
        """Forget a draft (after it was submitted, or the person started over)."""
        await self.conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))


def _draft(row: Sequence[Any]) -> Draft:
    return Draft(
        id=row[0],
        member_id=row[1],
        draft_key=row[2],
        state=json.loads(row[3]),
        updated_at=parse_ts(row[4]),
    )


class AttachmentRepo(_Repo):
    """Photos and files people sent."""

    async def add(
        self,
        *,
        member_id: int | None,
        channel: str,
        file_ref: str,
        path: str | None,
        sha256: str | None,
        size: int | None,
        kind: str,
        name: str | None,
        now: datetime,
    ) -> int:
        """Store an attachment's record; return its id."""
        row = await self._one(
            "INSERT INTO attachments (member_id, channel, file_ref, path, sha256, size, kind,"
            " name, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (member_id, channel, file_ref, path, sha256, size, kind, name, ts(now)),
        )
        assert row is not None
        return int(row[0])

    async def get(self, attachment_id: int) -> dict[str, Any] | None:
        """Return an attachment's record as a dict."""
        row = await self._one(
            "SELECT id, member_id, channel, file_ref, path, sha256, size, kind, name"
            " FROM attachments WHERE id = ?",
            (attachment_id,),
        )
        if row is None:
            return None
        keys = ("id", "member_id", "channel", "file_ref", "path", "sha256", "size", "kind", "name")
        return dict(zip(keys, tuple(row), strict=True))


# A broadcast's rows may leave their payload empty (FROM_BROADCAST): it is the same for all
# of them and kept once, in broadcasts.payload. Ten thousand copies of a long text would make
# queueing a broadcast a transaction of tens of megabytes, on the event loop.
FROM_BROADCAST = ""
_OUTBOX_COLUMNS = (
    "o.id, o.channel, o.chat_id, o.member_id, o.kind, o.ref,"
    " CASE WHEN o.payload = '' AND o.kind = 'broadcast' THEN coalesce((SELECT b.payload"
    "   FROM broadcasts AS b WHERE b.id = CAST(o.ref AS INTEGER)), '') ELSE o.payload END,"
    " o.not_before, o.attempts, coalesce(m.reachable, 1)"
)


# Replies never come through the outbox; of what does, reminders and digests go first.
PRIORITY: dict[OutboxKind, int] = {
    OutboxKind.REMINDER: 0,
    OutboxKind.DIGEST: 0,
    OutboxKind.BROADCAST: 1,
}
PRIORITIES = sorted(set(PRIORITY.values()))

# One priority's due rows: a range of `outbox_due`, already in the index's order (no sort).
_DUE = (
    f"SELECT {_OUTBOX_COLUMNS} FROM outbox AS o"
    " LEFT JOIN members AS m ON m.id = o.member_id"
    " WHERE o.channel = ? AND o.state = 'pending' AND o.priority = ? AND o.not_before <= ?"
    " ORDER BY o.not_before, o.id LIMIT ?"
)


def _outbox(row: Sequence[Any]) -> OutboxMessage:
    return OutboxMessage(
        id=row[0],
        channel=row[1],
        chat_id=row[2],
        member_id=row[3],
        kind=OutboxKind(row[4]),
        ref=row[5],
        payload=row[6],
        not_before=parse_ts(row[7]),
        attempts=row[8],
        reachable=bool(row[9]),
    )


class OutboxRepo(_Repo):
    """Proactive messages (reminders, digests, broadcasts) and how their delivery went."""

    async def add(
        self,
        *,
        channel: str,
        chat_id: str,
        member_id: int | None,
        kind: OutboxKind,
        ref: str,
        payload: str,
        not_before: datetime,
        now: datetime,
    ) -> int:
        """Queue one message (its priority follows from `kind`); return its row id."""
        row = await self._one(
            "INSERT INTO outbox (channel, chat_id, member_id, kind, ref, payload, not_before,"
            " created_at, priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                channel,
                chat_id,
                member_id,
                kind.value,
                ref,
                payload,
                ts(not_before),
                ts(now),
                PRIORITY[kind],
            ),
        )
        assert row is not None
        return int(row[0])

    async def add_many(
        self,
        chats: Iterable[tuple[str, str, int | None]],
        *,
        kind: OutboxKind,
        ref: str,
        payload: str,
        not_before: datetime,
        now: datetime,
    ) -> int:
        """Queue one message to many (channel, chat_id, member_id); return how many rows were
        written. A broadcast passes `payload=FROM_BROADCAST` (its row holds the message).

        One INSERT … SELECT over a JSON array rather than executemany: the table's CHECK
        constraints build their IN-lists once per statement run, which executemany repeats per
        row (twice as slow). 10,000 rows take about 30 ms (tests/test_broadcast_core.py).
        """
        rows = json.dumps([[channel, chat_id, member_id] for channel, chat_id, member_id in chats])
        cursor = await self.conn.execute(
            "INSERT INTO outbox (channel, chat_id, member_id, kind, ref, payload, not_before,"
            " created_at, priority) SELECT json_extract(value, '$[0]'), json_extract(value,"
            " '$[1]'), json_extract(value, '$[2]'), ?, ?, ?, ?, ?, ? FROM json_each(?)",
            (kind.value, ref, payload, ts(not_before), ts(now), PRIORITY[kind], rows),
        )
        return max(cursor.rowcount, 0)

    async def due(self, channel: str, now: datetime, limit: int) -> list[OutboxMessage]:
        """The pending rows of a channel that are due, with their member's reachability:
        reminders and digests first, then broadcasts, each oldest first.

        One range of the `outbox_due` index (channel, state, priority, not_before, id) per
        priority, in its order; rows whose time has not come are outside both ranges.
        """
        rows: list[sqlite3.Row] = []
        for priority in PRIORITIES:
            if len(rows) >= limit:
                break
            rows += await self._all(_DUE, (channel, priority, ts(now), limit - len(rows)))
        return [_outbox(row) for row in rows]

    async def mark_sent(self, row_id: int, now: datetime) -> None:
        """The platform accepted the message."""
        await self.conn.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1,"
            " last_error = NULL WHERE id = ?",
            (ts(now), row_id),
        )

    async def retry_later(self, row_id: int, not_before: datetime, error: str) -> None:
        """An attempt failed in a way that may pass: count it, try again from `not_before`."""
        await self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, not_before = ?"
            " WHERE id = ? AND state = 'pending'",
            (error, ts(not_before), row_id),
        )

    async def finish(self, row_id: int, state: OutboxState, error: str) -> None:
        """An attempt ended the row for good: `failed` or `unreachable`, with the last error."""
        await self.conn.execute(
            "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?"
            " WHERE id = ? AND state = 'pending'",
            (state.value, error, row_id),
        )

    async def skip_unreachable(self, row_ids: Sequence[int]) -> None:
        """Rows whose member is unreachable: ended without a try."""
        if row_ids:
            marks = ",".join("?" for _ in row_ids)
            await self.conn.execute(
                "UPDATE outbox SET state = 'unreachable', last_error = 'member unreachable'"
                f" WHERE id IN ({marks}) AND state = 'pending'",
                tuple(row_ids),
            )

    async def backlog(self, now: datetime) -> dict[str, tuple[int, datetime]]:
        """Per channel: how many pending rows are due by `now`, and the oldest one's time."""
        rows = await self._all(
            "SELECT channel, count(*), min(not_before) FROM outbox"
            " WHERE state = 'pending' AND not_before <= ? GROUP BY channel",
            (ts(now),),
        )
        return {str(row[0]): (int(row[1]), parse_ts(row[2])) for row in rows}

    async def counts(self, kind: OutboxKind, ref: str) -> dict[OutboxState, int]:
        """How many rows of one cause (a broadcast id, a reminder key) are in each state."""
        rows = await self._all(
            "SELECT state, count(*) FROM outbox WHERE kind = ? AND ref = ? GROUP BY state",
            (kind.value, ref),
        )
        return {OutboxState(row[0]): int(row[1]) for row in rows}

    async def cancel(self, kind: OutboxKind, ref: str) -> int:
        """Stop the part of one cause not yet sent; return how many rows were cancelled."""
        cursor = await self.conn.execute(
            "UPDATE outbox SET state = 'cancelled' WHERE kind = ? AND ref = ? AND state = 'pending'",
            (kind.value, ref),
        )
        return max(cursor.rowcount, 0)

    async def get(self, row_id: int) -> dict[str, Any] | None:
        """One row as a dict, every column (for the command line and tests)."""
        rows = await self._all("SELECT * FROM outbox WHERE id = ?", (row_id,))
        return dict(rows[0]) if rows else None


_BROADCAST_COLUMNS = (
    "id, unit_code, audience, text, payload, photo_ref, created_by, created_at, scheduled_at,"
    " recipients, cancelled_at, done_reported_at"
)


def _broadcast(row: Sequence[Any]) -> Broadcast:
    return Broadcast(
        id=row[0],
        unit_code=row[1],
        audience=json.loads(row[2]),
        text=row[3],
        payload=row[4],
        photo_ref=row[5],
        created_by=row[6],
        created_at=parse_ts(row[7]),
        scheduled_at=parse_ts_or_none(row[8]),
        recipients=row[9],
        cancelled_at=parse_ts_or_none(row[10]),
        done_reported_at=parse_ts_or_none(row[11]),
    )


class BroadcastRepo(_Repo):
    """Admin broadcasts: what was sent to which audience, by whom, and when (never deleted)."""

    async def add(
        self,
        *,
        unit_code: str,
        audience: dict[str, str | list[str] | None],
        text: str,
        payload: str,
        photo_ref: str | None,
        created_by: int | None,
        now: datetime,
        scheduled_at: datetime | None,
        recipients: int,
    ) -> int:
        """Record a broadcast (its outbox rows go in the same transaction); return its id.

        `payload` is the Outbound JSON every recipient gets (their rows refer to it).
        """
        row = await self._one(
            "INSERT INTO broadcasts (unit_code, audience, text, payload, photo_ref, created_by,"
            " created_at, scheduled_at, recipients) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            (
                unit_code,
                json.dumps(audience, ensure_ascii=False),
                text,
                payload,
                photo_ref,
                created_by,
                ts(now),
                ts(scheduled_at) if scheduled_at is not None else None,
                recipients,
            ),
        )
        assert row is not None
        return int(row[0])

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """Return one broadcast, or None."""
        row = await self._one(
            f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return _broadcast(row) if row else None

    async def mark_cancelled(self, broadcast_id: int, now: datetime) -> bool:
        """Record that it was stopped (the first time counts); False if it already was."""
        cursor = await self.conn.execute(
            "UPDATE broadcasts SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL",
            (ts(now), broadcast_id),
        )
        return cursor.rowcount == 1

    async def mark_reported(self, broadcast_id: int, now: datetime) -> bool:
        """Record that its author was told it is done; False if that was already recorded."""
        cursor = await self.conn.execute(
            "UPDATE broadcasts SET done_reported_at = ? WHERE id = ? AND done_reported_at IS NULL",
            (ts(now), broadcast_id),
        )
        return cursor.rowcount == 1

    async def recent_of(self, member_id: int, limit: int = 3) -> list[Broadcast]:
        """The member's latest broadcasts, newest first (what `thongbao` offers to stop or
        to report on)."""
        rows = await self._all(
            f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts WHERE created_by = ?"
            " ORDER BY id DESC LIMIT ?",
            (member_id, limit),
        )
        return [_broadcast(row) for row in rows]

    async def unreported(self) -> list[Broadcast]:
        """The broadcasts sent from a chat whose author has not been told they are done."""
        rows = await self._all(
            f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts"
            " WHERE done_reported_at IS NULL AND created_by IS NOT NULL ORDER BY id"
        )
        return [_broadcast(row) for row in rows]


class DigestLogRepo(_Repo):
    """When each member last got a digest (digests_sent): "what is new" starts there."""

    async def last(self, member_id: int) -> datetime | None:
        """Return when the member last got a digest, or None."""
        row = await self._one("SELECT last_at FROM digests_sent WHERE member_id = ?", (member_id,))
        return parse_ts(row[0]) if row else None

    async def last_many(self, member_ids: Sequence[int]) -> dict[int, datetime]:
        """Return member id -> when they last got a digest, for those who ever got one."""
        ids = list(member_ids)
        found: dict[int, datetime] = {}
        # Bounded batches: SQLite limits the number of parameters of one statement.
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ",".join("?" for _ in batch)
            rows = await self._all(
                f"SELECT member_id, last_at FROM digests_sent WHERE member_id IN ({marks})",
                tuple(batch),
            )
            found.update({int(row[0]): parse_ts(row[1]) for row in rows})
        return found

    async def record(self, member_id: int, at: datetime) -> None:
        """Remember that the member got a digest at `at` (in the transaction that queued it)."""
        await self.conn.execute(
            "INSERT INTO digests_sent (member_id, last_at) VALUES (?, ?)"
            " ON CONFLICT (member_id) DO UPDATE SET last_at = excluded.last_at",
            (member_id, ts(at)),
        )


class Repos:
    """Every repository, sharing one connection inside one transaction.

    `memo` belongs to the database, not to the process: what is derived from its rows (parsed
    campaign definitions) is kept there, so two databases in one process never mix.
    """

    def __init__(self, conn: LoopConnection, memo: dict[str, Any] | None = None) -> None:
        self.memo: dict[str, Any] = memo if memo is not None else {}
        self.units = UnitRepo(conn)
        self.members = MemberRepo(conn)
        self.invites = InviteRepo(conn)
        self.attempts = AttemptRepo(conn)
        self.conversations = ConversationRepo(conn)
        self.meta = MetaRepo(conn)
        self.sessions = SessionRepo(conn)
        self.inbox = InboxRepo(conn)
        self.webhooks = WebhookInboxRepo(conn)
        self.reminders = ReminderRepo(conn)
        self.campaigns = CampaignRepo(conn)
        self.submissions = SubmissionRepo(conn)
        self.drafts = DraftRepo(conn)
        self.attachments = AttachmentRepo(conn)
        self.outbox = OutboxRepo(conn)
        self.broadcasts = BroadcastRepo(conn)
        self.digests = DigestLogRepo(conn)
