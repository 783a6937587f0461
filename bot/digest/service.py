"""The digest's entry points: `tonghop` (read before its transaction), the scheduler, the CLI.

Every read goes through `Database.snapshot`: a worker thread with its own read-only connection,
so a province's or the nation's digest never stalls the loop nor holds the writer's lock.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot import roles
from bot.config import Settings
from bot.digest.collect import collect
from bot.digest.model import Digest
from bot.digest.render import ZALO_LIMIT, render
from bot.messages import Outbound
from bot.texts import VI, Texts
from bot.words import Command
from storage import reads
from storage.db import Database
from storage.models import Role, Unit
from storage.timefmt import parse_ts


def _collect_in(
    conn: sqlite3.Connection,
    settings: Settings,
    unit_code: str,
    now: datetime,
    since: datetime | None,
    campaign: str | None,
    summary: bool = False,
) -> Digest:
    return collect(
        conn,
        unit_code=unit_code,
        at=now,
        since=since,
        zone=settings.schedule.zone(),
        lowest_level=settings.org.levels[-1].id,
        campaign=campaign,
        summary=summary,
    )


async def gather(
    db: Database,
    settings: Settings,
    unit_code: str,
    now: datetime,
    since: datetime | None = None,
    *,
    campaign: str | None = None,
    summary: bool = False,
) -> Digest:
    """The digest of a unit's subtree at `now` (open campaigns, or only `campaign`), as data.

    `summary=True` for messages: a big subtree is counted per group in SQL (see collect).
    """
    return await db.snapshot(
        lambda conn: _collect_in(conn, settings, unit_code, now, since, campaign, summary)
    )


async def digest_for(
    db: Database,
    settings: Settings,
    unit: Unit | str,
    now: datetime,
    since: datetime | None,
    texts: Texts = VI,
    *,
    limit: int = ZALO_LIMIT,
) -> list[Outbound]:
    """A scheduled digest for a secretary of `unit`: the messages, or [] when nothing is open.

    `since` is when the member last got one (DigestLogRepo.last), for "what is new"; `limit`
    is the channel's message size in UTF-16 units (render.limit_for(channel)).
    """
    code = unit if isinstance(unit, str) else unit.code
    digest = await gather(db, settings, code, now, since, summary=True)
    if not digest.campaigns:
        return []  # no daily "nothing is open" message: it would teach people to ignore digests
    zone = settings.schedule.zone()
    return [Outbound(text=text) for text in render(digest, texts, settings.org, zone, limit=limit)]


@dataclass(frozen=True)
class Prepared:
    """`tonghop`'s digest, read before the router's transaction, and whom it was read for."""

    member_id: int
    unit_code: str
    digest: Digest


def _prepare_in(
    conn: sqlite3.Connection, settings: Settings, channel: str, user_id: str, now: datetime
) -> Prepared | None:
    member = reads.member_facts(conn, channel, user_id)
    if member is None or not roles.allowed(Command.TONGHOP, Role(member.role)):
        return None  # the router refuses them; nothing to read
    since = parse_ts(member.last_digest_at) if member.last_digest_at else None
    digest = _collect_in(conn, settings, member.unit_code, now, since, None, summary=True)
    return Prepared(member.member_id, member.unit_code, digest)


async def prepare(
    db: Database, settings: Settings, channel: str, user_id: str, now: datetime
) -> Prepared | None:
    """The digest of the sender's subtree, for `tonghop`; None when they may not have one."""
    return await db.snapshot(lambda conn: _prepare_in(conn, settings, channel, user_id, now))


async def last_digest_of_unit(db: Database, unit_code: str) -> datetime | None:
    """When a secretary or admin of the unit last got a digest (for `thidua digest`)."""
    found = await db.snapshot(lambda conn: reads.last_digest_of_unit(conn, unit_code))
    return parse_ts(found) if found else None
