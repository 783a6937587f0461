"""The scheduler: a tick on the project's clock that plans reminders and digests into the outbox.

APScheduler 3.11 runs the tick every few real seconds; each tick reads the time from the one
clock (`[clock]`), so a simulated clock that runs fast plays weeks of reminders in minutes, and
what a tick finds due is decided by the data (deadlines, submissions, what was already sent),
never by when the process happened to be running.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot import outbox, reminders
from bot.clock import Clock
from bot.config import Settings
from bot.digest import digest_for
from bot.digest.render import limit_for
from bot.forms import catalogue
from bot.forms.catalogue import Slot
from bot.logs import logfmt
from bot.texts import VI, Texts
from storage import reminder_reads
from storage.db import Database
from storage.reminder_reads import Recipient
from storage.timefmt import ts

log = logging.getLogger("thidua.scheduling")

# A digest is sent for its scheduled time only this long after it (after an outage, the same
# day's digest still goes; yesterday's does not — today's comes at its time).
DIGEST_FRESH = timedelta(hours=12)
# Units claimed per write transaction: short transactions keep the loop free for replies.
BATCH_UNITS = 100
# Simulated minutes between ticks at most: a fast clock gets more frequent ticks.
SIMULATED_STEP = 60.0


async def tick_reminders(
    db: Database, settings: Settings, now: datetime, *, texts: Texts = VI
) -> int:
    """Plan the reminders due at `now` into the outbox; return how many messages were queued."""
    return await _tick_reminders(db, settings, now, texts)


async def _tick_reminders(db: Database, settings: Settings, now: datetime, texts: Texts) -> int:
    zone = settings.schedule.zone()
    async with db.read() as repos:
        campaigns = await catalogue.load_all(repos)
    queued = 0
    for slot in reminders.open_slots(campaigns):
        due = reminders.due_offset(slot, now, zone)
        if due is None:
            continue
        recipients = await db.snapshot(
            partial(
                reminder_reads.unreminded,
                campaign_code=slot.code,
                form_id=slot.form.id,
                scope_code=slot.campaign.campaign.scope,
                level=slot.form.level,
                offset_text=due.offset_text,
                due_on=slot.form.due_on.isoformat(),
            )
        )
        if not recipients:
            continue
        recent = await db.snapshot(
            partial(
                reminder_reads.recently_reminded,
                campaign_code=slot.code,
                form_id=slot.form.id,
                due_on=slot.form.due_on.isoformat(),
                since=ts(now - reminders.REPEAT_GAP),
                units=[recipient.unit_code for recipient in recipients],
            )
        )
        by_unit: dict[str, list[Recipient]] = defaultdict(list)
        for recipient in recipients:
            by_unit[recipient.unit_code].append(recipient)
        units = list(by_unit.items())
        queued += await _plan_units(db, settings, slot, due, units, recent, now, texts)
        reminders.log_planned(slot, due.offset_text, len(by_unit))
    return queued


async def _plan_units(
    db: Database,
    settings: Settings,
    slot: Slot,
    due: reminders.DueReminder,
    units: list[tuple[str, list[Recipient]]],
    recent: set[str],
    now: datetime,
    texts: Texts,
) -> int:
    """Claim each unit's reminder and queue it, a short transaction per batch of units."""
    zone = settings.schedule.zone()
    not_before = reminders.send_at(now, settings.schedule.quiet_window(), zone)
    body = settings.org.body(slot.form.level)
    key = {
        "campaign_code": slot.code,
        "form_id": slot.form.id,
        "offset_text": due.offset_text,
        "due_on": slot.form.due_on.isoformat(),
    }
    queued = 0
    for start in range(0, len(units), BATCH_UNITS):
        started = time.perf_counter()
        async with db.transaction() as repos:
            for unit_code, people in units[start : start + BATCH_UNITS]:
                if not await repos.reminders.claim(unit_code=unit_code, now=now, **key):
                    continue  # another tick (or process) planned it already
                if unit_code in recent:
                    continue  # reminded of this deadline hours ago: claimed, not repeated
                # Counted from when it will be read: held past midnight, "còn 1 ngày"
                # would be wrong on the deadline day itself.
                message = reminders.message_for(
                    texts, slot, body, people[0].unit_name, not_before, zone
                )
                for person in people:
                    await outbox.enqueue(
                        repos,
                        channel=person.channel,
                        chat_id=person.chat_id,
                        member_id=person.member_id,
                        kind="reminder",
                        ref=f"{slot.code}/{slot.form.id}/{due.offset_text}",
                        message=message,
                        not_before=not_before,
                        now=now,
                    )
                    queued += 1
        # Half the loop at most: after a batch, people's messages get as long again (measured in
        # benchmarks/stall.py: back to back, 510 batches pushed the form's p99 to 500 ms).
        await asyncio.sleep(time.perf_counter() - started)
    return queued


def latest_fire(cron: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The latest time at or before `now` the crontab fires (within the past eight days)."""
    trigger = CronTrigger.from_crontab(cron, timezone=zone)
    moment: datetime | None = now - timedelta(days=8)
    latest: datetime | None = None
    while moment is not None:
        moment = trigger.get_next_fire_time(None, moment)
        if moment is None or moment > now:
            break
        latest = moment
        moment = moment + timedelta(seconds=1)
    return latest


async def tick_digests(
    db: Database, settings: Settings, now: datetime, *, texts: Texts = VI
) -> int:
    """Queue the scheduled digest for every secretary and admin who has not had the latest one.

    The latest `digest_cron` time at or before `now` decides: after an outage each person gets
    one digest, never one per missed morning; `digests_sent` makes it once per person.
    """
    zone = settings.schedule.zone()
    fired = latest_fire(settings.schedule.digest_cron, zone, now)
    if fired is None or now - fired > DIGEST_FRESH:
        return 0  # a morning digest read at night is stale: the next morning's comes instead
    async with db.read() as repos:
        readers = await repos.members.digest_readers()
        last = await repos.digests.last_many([member.id for member in readers])
    due = [member for member in readers if (last.get(member.id) or fired - timedelta(1)) < fired]
    queued = 0
    not_before = reminders.send_at(now, settings.schedule.quiet_window(), zone)
    for member in due:
        messages = await digest_for(
            db, settings, member.unit_code, now, last.get(member.id), texts,
            limit=limit_for(member.channel),
        )  # fmt: skip
        async with db.transaction() as repos:
            for message in messages:
                await outbox.enqueue(
                    repos,
                    channel=member.channel,
                    chat_id=member.chat_id,
                    member_id=member.id,
                    kind="digest",
                    ref=f"digest/{fired.isoformat()}",
                    message=message,
                    not_before=not_before,
                    now=now,
                )
                queued += 1
            await repos.digests.record(member.id, now)
    return queued


class Scheduler:
    """Runs `tick` every few real seconds on an AsyncIOScheduler, reading the project's clock."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        clock: Clock,
        *,
        every: float = 30.0,
        on_queued: Callable[[], None] | None = None,
        extra: list[Callable[[datetime], Awaitable[int]]] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        # A clock that runs `speed` times faster ticks as often in simulated time.
        self.every = max(0.2, min(every, SIMULATED_STEP / settings.clock.speed))
        self.on_queued = on_queued
        self.extra = extra or []
        self.last_tick: datetime | None = None
        self._scheduler = AsyncIOScheduler()
        self._first: asyncio.Task[int] | None = None

    async def tick(self) -> int:
        """One tick: plan what is due now; wake the senders if anything was queued."""
        now = self.clock.now()
        try:
            queued = await tick_reminders(self.db, self.settings, now)
            queued += await tick_digests(self.db, self.settings, now)
            for job in self.extra:
                queued += await job(now)
        except Exception:  # a bad tick is logged and the next one tries again
            log.exception(logfmt("tick_failed"))
            return 0
        self.last_tick = now
        if queued and self.on_queued is not None:
            self.on_queued()
        return queued

    def start(self) -> None:
        """Tick now and then every `every` seconds (one tick at a time; late ticks coalesce)."""
        self._scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self.every),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        self._scheduler.start()
        self._first = asyncio.get_running_loop().create_task(self.tick(), name="first-tick")

    @property
    def running(self) -> bool:
        """True while the scheduler runs (for /healthz)."""
        return bool(self._scheduler.running)

    def stop(self) -> None:
        """Stop ticking (a tick in progress finishes on its own)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
