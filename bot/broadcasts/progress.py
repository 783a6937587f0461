"""Telling an admin how their broadcast goes: progress while it is sent, then the report.

Every few seconds (`EVERY`, real time) the reporter looks at the broadcasts sent from a chat
whose author has not yet had the report (`broadcasts.done_reported_at`):

* while it goes out — on Telegram one message edited in place ("Đang gửi thông báo số 7:
  450/1.000"); on channels without editing (Zalo) a short message at 25, 50 and 75 %;
* once nothing is pending (or it was stopped) — the delivery report: sent, failed, unreachable,
  and how to see who was not reached; then `done_reported_at` is set, so it is said once.

These go straight to the admin's chat, not through the outbox: they are about the outbox and
must not wait behind it. The milestones already said are kept in memory; after a restart a
milestone may be said again, the report never (it is recorded).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.broadcasts.model import State, Status
from bot.broadcasts.service import status
from bot.clock import Clock
from bot.errors import ChannelError
from bot.logs import logfmt
from bot.messages import Outbound
from bot.parsers import render_int
from bot.texts import Texts
from bot.transport import Progressive, Senders
from storage.db import Database
from storage.models import Broadcast

log = logging.getLogger("thidua.broadcasts")

EVERY = 3.0  # seconds between looks: Telegram allows editing one message about once a second
MILESTONES = (25, 50, 75)  # percent, for channels that cannot edit a message


class ProgressReporter:
    """Keeps the authors of running broadcasts informed, until stopped."""

    def __init__(self, db: Database, senders: Senders, clock: Clock, texts: Texts) -> None:
        self.db, self.senders, self.clock, self.texts = db, senders, clock, texts
        self._said: dict[int, int] = {}  # broadcast id -> the last milestone said (percent)
        self._shown: dict[int, str] = {}  # broadcast id -> the progress text last shown
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    def start(self) -> None:
        """Run in the background."""
        self._task = asyncio.create_task(self._run(), name="broadcast-progress")

    async def stop(self) -> None:
        """Stop looking (what was said stays said)."""
        self._stop.set()
        if self._task is not None:
            await asyncio.wait({self._task})

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                await self.report_once()
            except Exception:  # telling the admin must never stop the bot
                log.exception(logfmt("broadcast_progress_failed"))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), EVERY)

    async def report_once(self) -> int:
        """Look at every unreported broadcast once; return how many reports were sent."""
        async with self.db.read() as repos:
            waiting = await repos.broadcasts.unreported()
        reported = 0
        for broadcast in waiting:
            now = self.clock.now()
            found = await status(self.db, broadcast.id, now)
            if found.state in (State.DONE, State.CANCELLED):
                reported += await self._report(broadcast, found)
            elif found.state is State.SENDING:
                await self._progress(broadcast, found)
        return reported

    async def _author(self, broadcast: Broadcast) -> tuple[str, str] | None:
        if broadcast.created_by is None:
            return None
        async with self.db.read() as repos:
            member = await repos.members.by_id(broadcast.created_by)
        return None if member is None else (member.channel, member.chat_id)

    async def _progress(self, broadcast: Broadcast, found: Status) -> None:
        author = await self._author(broadcast)
        if author is None or found.recipients == 0:
            return
        channel, chat = author
        sender = self.senders.get(channel)
        done = found.ended
        percent = done * 100 // found.recipients
        text = self.texts(
            "thongbao_progress",
            id=broadcast.id,
            done=render_int(done),
            total=render_int(found.recipients),
            percent=percent,
        )
        try:
            if isinstance(sender, Progressive):
                if self._shown.get(broadcast.id) != text:
                    await sender.post_or_edit(chat, f"broadcast-{broadcast.id}", text)
                    self._shown[broadcast.id] = text
                return
            reached = [m for m in MILESTONES if m <= percent]
            if sender is not None and reached and reached[-1] > self._said.get(broadcast.id, 0):
                self._said[broadcast.id] = reached[-1]
                await sender.send(chat, Outbound(text=text))
        except ChannelError as exc:
            log.warning(logfmt("broadcast_progress_not_sent", error=type(exc).__name__))

    async def _report(self, broadcast: Broadcast, found: Status) -> int:
        """The delivery report, said once (recorded before it is sent: at most once)."""
        async with self.db.transaction() as repos:
            if not await repos.broadcasts.mark_reported(broadcast.id, self.clock.now()):
                return 0
        author = await self._author(broadcast)
        self._said.pop(broadcast.id, None)
        self._shown.pop(broadcast.id, None)
        if author is None:
            return 0
        channel, chat = author
        sender = self.senders.get(channel)
        key = "thongbao_report_stopped" if found.state is State.CANCELLED else "thongbao_report"
        if key == "thongbao_report" and not (found.failed or found.unreachable):
            key = "thongbao_report_all"
        text = self.texts(
            key,
            id=broadcast.id,
            sent=render_int(found.sent),
            total=render_int(found.recipients),
            failed=render_int(found.failed),
            unreachable=render_int(found.unreachable),
            cancelled=render_int(found.cancelled),
        )
        if found.missed:
            text += "\n" + self.texts("thongbao_report_missed")
        if sender is None:
            return 0
        try:
            await sender.send(chat, Outbound(text=text))
        except ChannelError as exc:
            log.warning(logfmt("broadcast_report_not_sent", error=type(exc).__name__))
            return 0
        return 1
