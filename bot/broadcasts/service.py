"""A broadcast's life: preview, queue, status, cancel and the report of who was not reached.

The recipients are read in a snapshot on a worker thread (a national audience is tens of
thousands of rows); the broadcast row and every outbox row are then written in ONE short
transaction (`OutboxRepo.add_many`): the running bot's senders deliver them, reminders and
digests first. Nothing is deleted: the broadcast row and its outbox rows are the audit.

`queue` and `cancel` open their own transaction: a chat handler calls them after its update's
transaction (`Context.later`), never inside it.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot import outbox
from bot.broadcasts import audience as audiences
from bot.broadcasts import message
from bot.broadcasts.model import (
    Audience,
    BroadcastRefused,
    Preview,
    Queued,
    Reason,
    Selection,
    State,
    Status,
)
from bot.broadcasts.timing import start_time
from bot.config import Settings
from storage import broadcast_reads
from storage.broadcast_reads import NotReached, Recipient
from storage.db import Database
from storage.models import Broadcast, OutboxKind, OutboxState, Unit
from storage.reads import UnitRow
from storage.repos import FROM_BROADCAST, Repos

KIND = OutboxKind.BROADCAST


async def preview(
    db: Database,
    settings: Settings,
    audience: Audience,
    *,
    at: datetime | None,
    now: datetime,
    inside: Unit | UnitRow | None = None,
) -> Preview:
    """Who `audience` reaches, per channel, how long it takes and when it starts; nothing is
    written. BroadcastRefused for an unknown name, a unit outside `inside` (the admin's unit),
    or an `at` inside the quiet hours."""
    starts = _start(settings, at, now)
    chosen = await db.snapshot(lambda conn: audiences.select(conn, audience, inside))
    return _preview(settings, chosen, starts)


async def queue(
    db: Database,
    settings: Settings,
    audience: Audience,
    text: str,
    *,
    at: datetime | None,
    now: datetime,
    created_by: int | None = None,
    photo_ref: str | None = None,
    inside: Unit | UnitRow | None = None,
) -> Queued:
    """Queue `text` for everyone `audience` reaches, from the start time on; return its id.

    One transaction writes the broadcast row (with the message: the text under its header
    line) and one outbox row per recipient (priority 1, kind 'broadcast', ref = the id,
    not_before = the start; the sender reads the message from the broadcast's row).
    `photo_ref` must be a URL every channel can fetch. Refused as `preview` is, and
    for an empty or unprintable text or an audience of nobody.
    """
    body = message.clean(text)
    starts = _start(settings, at, now)
    chosen = await db.snapshot(lambda conn: audiences.select(conn, audience, inside))
    if not chosen.recipients:
        raise BroadcastRefused(
            Reason.NOBODY,
            chosen.unit.code,
            "không có ai nhận thông báo này, chưa xếp hàng gửi",
            "nobody is in this audience; nothing was queued",
        )
    # It comes from the admin's own body (the ward's committee writing to one khu phố), or,
    # from the command line, from the body that holds every subtree it goes to.
    author = inside if inside is not None else chosen.unit
    payload = message.compose(settings.org, author, body, photo_ref).model_dump_json(
        exclude_defaults=True
    )
    chats = [(p.channel, p.chat_id, p.member_id) for p in chosen.recipients]
    async with db.transaction() as repos:
        broadcast_id = await repos.broadcasts.add(
            unit_code=chosen.unit.code,
            audience=chosen.audience.as_json(),
            text=body,
            payload=payload,
            photo_ref=photo_ref,
            created_by=created_by,
            now=now,
            scheduled_at=starts,
            recipients=len(chats),
        )
        await repos.outbox.add_many(
            chats,
            kind=KIND,
            ref=str(broadcast_id),
            payload=FROM_BROADCAST,  # kept once, in the broadcast's row
            not_before=starts or now,
            now=now,
        )
        _wake(repos, {p.channel for p in chosen.recipients})
    return Queued(broadcast_id, _preview(settings, chosen, starts))


async def status(db: Database, broadcast_id: int, now: datetime | None = None) -> Status:
    """A broadcast's counts by state and where it stands; BroadcastRefused for an unknown id.

    With `now`, "scheduled" means nothing sent yet and the start still to come; without it,
    nothing sent yet and a start time was set.
    """
    async with db.read() as repos:
        return await status_in(repos, await _get(repos, broadcast_id), now)


async def status_in(repos: Repos, found: Broadcast, now: datetime | None = None) -> Status:
    """`status` inside the caller's transaction (a chat handler), for a broadcast it holds."""
    return _status(found, await repos.outbox.counts(KIND, str(found.id)), now)


async def cancel(db: Database, broadcast_id: int, now: datetime) -> Status:
    """Stop what is not yet sent: pending rows become cancelled, what was sent stays sent.

    A broadcast with nothing pending (done, or already stopped) is left as it is.
    """
    async with db.transaction() as repos:
        found = await _get(repos, broadcast_id)
        if await repos.outbox.cancel(KIND, str(broadcast_id)):
            await repos.broadcasts.mark_cancelled(broadcast_id, now)
            found = await _get(repos, broadcast_id)
        counts = await repos.outbox.counts(KIND, str(broadcast_id))
    return _status(found, counts, now)


async def not_reached(db: Database, broadcast_id: int) -> list[NotReached]:
    """Who was not reached (failed, unreachable, cancelled, still pending), by unit in tree
    order, for the delivery report; BroadcastRefused for an unknown id."""
    async with db.read() as repos:
        await _get(repos, broadcast_id)
    ref = str(broadcast_id)
    return await db.snapshot(lambda conn: broadcast_reads.not_reached(conn, ref))


async def get(db: Database, broadcast_id: int) -> Broadcast:
    """The broadcast row (text, audience, author, times); BroadcastRefused for an unknown id."""
    async with db.read() as repos:
        return await _get(repos, broadcast_id)


def seconds_for(settings: Settings, people: list[Recipient]) -> float:
    """How long the reachable ones take at the `[outbox]` pace: the slowest channel's count
    over its rate (each channel has its own sender, so they go side by side)."""
    counts = Counter(p.channel for p in people if p.reachable)
    rates = {
        channel: outbox.default_pace(channel, settings.outbox).per_second for channel in counts
    }
    return max((n / rates[channel] for channel, n in counts.items()), default=0.0)


def _start(settings: Settings, at: datetime | None, now: datetime) -> datetime | None:
    schedule = settings.schedule
    return start_time(at, now, schedule.quiet_window(), schedule.zone())


def _preview(settings: Settings, chosen: Selection, starts: datetime | None) -> Preview:
    channels = dict(sorted(Counter(p.channel for p in chosen.recipients).items()))
    return Preview(
        recipients=len(chosen.recipients),
        channels=channels,
        seconds=seconds_for(settings, chosen.recipients),
        starts_at=starts,
        unit=chosen.unit,
        audience=chosen.audience,
        people=chosen.recipients,
        units=chosen.units,
    )


def _wake(repos: Repos, channels: set[str]) -> None:
    """Rouse this process's senders of these channels (they read once the transaction commits);
    a bot in another process finds the rows at its next poll."""
    wake = repos.memo.get(outbox.WAKE_HOOK)
    if callable(wake):
        for channel in sorted(channels):
            wake(channel)


async def _get(repos: Repos, broadcast_id: int) -> Broadcast:
    found = await repos.broadcasts.get(broadcast_id)
    if found is None:
        raise BroadcastRefused(
            Reason.UNKNOWN,
            str(broadcast_id),
            f"không có thông báo số {broadcast_id}",
            f"no broadcast {broadcast_id}",
        )
    return found


def _status(found: Broadcast, counts: dict[OutboxState, int], now: datetime | None) -> Status:
    sent = counts.get(OutboxState.SENT, 0)
    failed = counts.get(OutboxState.FAILED, 0)
    unreachable = counts.get(OutboxState.UNREACHABLE, 0)
    pending = counts.get(OutboxState.PENDING, 0)
    ended = sent + failed + unreachable
    later = found.scheduled_at is not None and (now is None or found.scheduled_at > now)
    if found.cancelled_at is not None:
        state = State.CANCELLED
    elif not pending:
        state = State.DONE
    elif not ended and later:
        state = State.SCHEDULED
    else:
        state = State.SENDING
    return Status(
        id=found.id,
        state=state,
        recipients=found.recipients,
        sent=sent,
        failed=failed,
        unreachable=unreachable,
        pending=pending,
        cancelled=counts.get(OutboxState.CANCELLED, 0),
        scheduled_at=found.scheduled_at,
        cancelled_at=found.cancelled_at,
    )
