"""The outbox: every proactive message is a row, delivered by one paced sender per channel.

Reminders, digests and broadcasts are written with `enqueue` in the same transaction as what
caused them, so a message exists exactly when its cause does. `Outbox` runs one
`ChannelSender` per channel; each takes due rows in batches (one indexed query per batch, no
transaction held) and sends them:

* **paced** — at most `[outbox].<channel>_per_second` messages overall (a long text that the
  adapter splits counts once per part), at most one a second to one chat, in row order per chat;
* **429** — the whole channel waits: `retry_after` when the platform says (Telegram), else a
  backoff doubling from 1 s to a minute (Zalo says nothing);
* **timeouts, 5xx** — the row is tried again after a capped exponential backoff (its attempts
  counted and `not_before` pushed, so a restart keeps the schedule), and after `max_attempts` it
  is `failed` with its last error; the channel pauses briefly too, so an outage is not hammered
  by every row in turn;
* **blocked / chat gone** — the row is `unreachable` and so is its member (`members.reachable
  = 0`): their other rows are ended without a try, until they write again (the router resets it);
* **refused** (400) — `failed` at once: the same request would be refused again.

Each delivery is recorded in its own short transaction right after the platform accepted it,
so a crash resends at most the messages that were in flight (at-least-once per row) and skips
none. Replies to people never come through here: the router sends them directly, and the
Telegram adapter gives outbox sends a lane of their own, so a backlog never delays an answer.

Platform pacing is in real seconds (`time.monotonic`); which rows are due is decided by the
project's clock, which may be simulated and run fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.config import OutboxConfig
from bot.delivery import Outcome, classify
from bot.errors import ChannelError, RateLimited, TransientError, Unauthorized
from bot.logs import logfmt
from bot.messages import Inbound, Outbound
from bot.transport import BackgroundSender, Counted, Sender, Senders
from storage.db import Database
from storage.models import OutboxKind, OutboxMessage, OutboxState
from storage.repos import Repos

log = logging.getLogger("thidua.outbox")

ERROR_PAUSE = 1.0  # seconds the sender rests after an unexpected error before going on
MIN_READ_GAP = 0.01  # seconds between two reads of a backlog, whatever happens

# The key under the database's memo where a running Outbox leaves its wake-up call, so that
# `enqueue` (which only has the transaction's repos) can rouse the sender of its channel.
WAKE_HOOK = "outbox.wake"


async def enqueue(
    repos: Repos,
    *,
    channel: str,
    chat_id: str,
    member_id: int | None,
    kind: OutboxKind | str,
    ref: str,
    message: Outbound,
    not_before: datetime,
    now: datetime,
) -> int:
    """Queue `message` for one chat inside the caller's transaction; return the row id.

    `kind` is reminder, digest or broadcast; `ref` names the cause (a reminder key, a
    broadcast id) so counts per cause can be read back (`repos.outbox.counts`). Nothing is
    sent before `not_before` (quiet hours, `--at`), read on the project clock. A running
    sender of `channel` in this process is woken and reads the row once the transaction
    commits; rows written by another process are found by its next poll (about a second).
    """
    row_id = await repos.outbox.add(
        channel=channel,
        chat_id=chat_id,
        member_id=member_id,
        kind=OutboxKind(kind),
        ref=ref,
        payload=message.model_dump_json(exclude_defaults=True),
        not_before=not_before,
        now=now,
    )
    wake = repos.memo.get(WAKE_HOOK)
    if callable(wake):
        wake(channel)
    return row_id


@dataclass(frozen=True)
class Pace:
    """How fast one channel may send: overall, per chat, and how many sends at once."""

    per_second: float
    per_chat: float = 1.0  # least seconds between two messages to one chat
    in_flight: int = 4  # enough to keep the pace over a slow link (Telegram ~100-250 ms a call)


@dataclass(frozen=True)
class Tuning:
    """The sender's knobs that are not configuration (tests shrink them)."""

    batch: int = 100  # rows read per query
    idle_poll: float = 1.0  # seconds between looks at the table (sooner when woken)
    retry_first: float = 2.0  # first backoff after a timeout or 5xx, doubling
    retry_cap: float = 600.0
    max_attempts: int = 10  # then `failed`: about 17 minutes of a platform's outage
    hold_first: float = 1.0  # channel-wide pause after a 429 without retry_after (Zalo), doubling
    hold_cap: float = 60.0
    refused_hold: float = 60.0  # the token was refused: look again after this long


def default_pace(channel: str, config: OutboxConfig) -> Pace:
    """The pace of a channel from `[outbox]`."""
    if channel == "telegram":
        return Pace(config.telegram_per_second)
    if channel == "zalo":
        return Pace(config.zalo_per_second)
    return Pace(10.0)


@dataclass
class _Item:
    """A claimed row in the sender's window, with its message parsed."""

    row: OutboxMessage
    message: Outbound
    parts: int
    ready_at: float = 0.0  # monotonic: a retry is not tried before this


class ChannelSender:
    """Sends the due rows of one channel at the platform's pace, until stopped."""

    def __init__(
        self,
        db: Database,
        channel: str,
        sender: Sender,
        clock: Clock,
        pace: Pace,
        tuning: Tuning | None = None,
    ) -> None:
        self.db = db
        self.channel = channel
        self.sender = sender
        self.clock = clock
        self.pace = pace
        self.tuning = tuning or Tuning()
        self.sent = 0  # messages delivered by this sender (logs, tests)
        self._window: deque[_Item] = deque()
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._unrecorded: set[int] = set()  # sent, but the database would not say so
        self._chat_ready: dict[str, float] = {}  # chat -> monotonic time of its next message
        self._busy_chats: set[str] = set()
        self._next_slot = 0.0  # monotonic time of the channel's next message
        self._held_until = 0.0  # the whole channel waits until then (429, an outage)
        self._rate_limits = 0  # consecutive 429s without retry_after
        self._hiccups = 0  # consecutive timeouts / 5xx
        self._last_read = -1e9
        self._backlog = False  # the last read found as many due rows as it asked for
        self._woken = asyncio.Event()
        self._changed = asyncio.Event()  # a send finished: a slot or a chat may be free
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(pace.in_flight)

    # ------------------------------------------------------------------ control

    def start(self) -> None:
        """Run in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name=f"outbox-{self.channel}")

    async def stop(self) -> None:
        """Send nothing more; let the messages in flight finish and be recorded."""
        self._stopping = True
        self._woken.set()
        self._changed.set()
        if self._task is not None:
            await asyncio.wait({self._task})  # never raises: a crashed task is already logged

    def wake(self) -> None:
        """Rows were added: look at the table now rather than at the next poll."""
        self._woken.set()

    def note_reply(self, chat_id: str) -> None:
        """The router just answered this chat: keep the chat's one-a-second pace with it."""
        ready = time.monotonic() + self.pace.per_chat
        self._chat_ready[chat_id] = max(self._chat_ready.get(chat_id, 0.0), ready)

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The running task (tests cancel it to play a crash)."""
        return self._task

    # ------------------------------------------------------------------ the loop

    async def run(self) -> None:
        """Claim, pace and send until stopped; cancelled, it abandons what is in flight."""
        log.info(logfmt("outbox_started", channel=self.channel))
        try:
            while not self._stopping:
                try:
                    await self._step()
                except Exception:
                    # A database hiccup (disk full, a bad row) must not end the sending for good.
                    log.exception(logfmt("outbox_error", channel=self.channel))
                    await self._sleep(ERROR_PAUSE)
            await self._finish_in_flight()
        except asyncio.CancelledError:
            for task in self._in_flight.values():
                task.cancel()
            raise
        log.info(logfmt("outbox_stopped", channel=self.channel, sent=self.sent))

    async def _step(self) -> None:
        """Read when due, then send the next row that may go, or wait for one."""
        if self._should_read():
            await self._read()
        item = self._pick(time.monotonic())
        if item is None:
            await self._nap(self._until_something())
        elif await self._wait_turn():
            await self._launch(item)

    def _should_read(self) -> bool:
        """Read when woken, when a backlog runs low, else once every `idle_poll`."""
        if self._woken.is_set():
            self._woken.clear()
            return True
        if self._hungry():
            return True
        return time.monotonic() - self._last_read >= self.tuning.idle_poll

    def _hungry(self) -> bool:
        """The table had more due rows than the window took, and the window runs low."""
        return (
            self._backlog
            and len(self._window) < self.tuning.batch // 2
            and time.monotonic() - self._last_read >= MIN_READ_GAP
        )

    async def _read(self) -> None:
        """Take the next due rows into the window (rows already held here are left out)."""
        self._last_read = time.monotonic()
        room = self.tuning.batch - len(self._window)
        if room <= 0:
            return
        known = {item.row.id for item in self._window} | set(self._in_flight) | self._unrecorded
        limit = room + len(known)
        async with self.db.read() as repos:
            rows = await repos.outbox.due(self.channel, self.clock.now(), limit)
        self._backlog = len(rows) >= limit
        skipped: list[int] = []
        broken: list[int] = []
        for row in rows:
            if row.id in known or len(self._window) >= self.tuning.batch:
                continue
            if not row.reachable:
                skipped.append(row.id)
                continue
            try:
                message = Outbound.model_validate_json(row.payload)
            except ValueError:
                broken.append(row.id)
                continue
            parts = self.sender.parts(message) if isinstance(self.sender, Counted) else 1
            self._window.append(_Item(row, message, max(parts, 1)))
        if skipped or broken:
            async with self.db.transaction() as repos:
                await repos.outbox.skip_unreachable(skipped)
                for row_id in broken:  # written by a newer or broken program: never sendable
                    await repos.outbox.finish(row_id, OutboxState.FAILED, "unreadable payload")
        # Chats whose pause is over need no entry; this keeps the map as small as the traffic.
        now = time.monotonic()
        self._chat_ready = {c: t for c, t in self._chat_ready.items() if t > now}

    def _pick(self, now: float) -> _Item | None:
        """The first row in order whose chat may get a message now (earlier rows of a chat first)."""
        if now < self._held_until:
            return None
        passed: set[str] = set()
        for item in self._window:
            chat = item.row.chat_id
            if chat in passed:
                continue
            passed.add(chat)  # later rows of this chat wait for this one
            if (
                item.ready_at <= now
                and chat not in self._busy_chats
                and self._chat_ready.get(chat, 0.0) <= now
            ):
                return item
        return None

    def _until_something(self) -> float:
        """Seconds until a row in the window may be sent, or until the next look at the table.

        Only the first row of each chat counts, and not for a chat with a send in flight: the
        end of that send wakes the loop by itself.
        """
        if self._backlog and len(self._window) < self.tuning.batch // 2:
            return MIN_READ_GAP  # time for the next batch
        wait = self.tuning.idle_poll
        soonest = float("inf")
        seen: set[str] = set()
        for item in self._window:
            chat = item.row.chat_id
            if chat in seen:
                continue
            seen.add(chat)
            if chat not in self._busy_chats:
                soonest = min(soonest, max(item.ready_at, self._chat_ready.get(chat, 0.0)))
        if soonest != float("inf"):
            wait = min(wait, max(soonest, self._held_until) - time.monotonic())
        return max(wait, 0.0)

    async def _nap(self, seconds: float) -> None:
        """Sleep up to `seconds`, waking early when rows are added, a send ends, or on stop."""
        self._changed.clear()
        waiters = [
            asyncio.ensure_future(self._woken.wait()),
            asyncio.ensure_future(self._changed.wait()),
        ]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _wait_turn(self) -> bool:
        """Wait for the channel's next slot and a free sending lane; False when stopping."""
        while not self._stopping:
            now = time.monotonic()
            wait = max(self._next_slot, self._held_until) - now
            if wait <= 0:
                break
            await self._sleep(wait)
        if self._stopping:
            return False
        await self._slots.acquire()
        if self._stopping or time.monotonic() < self._held_until:
            self._slots.release()  # a 429 arrived while we waited: pick again afterwards
            return False
        return True

    async def _sleep(self, seconds: float) -> None:
        """Sleep, cut short only by a stop."""
        if self._stopping:
            return
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                while not self._stopping:
                    await self._changed.wait()
                    self._changed.clear()

    async def _launch(self, item: _Item) -> None:
        """Send one row in the background; the chat and the pace are booked now."""
        now = time.monotonic()
        # The row may have been picked before the pause; pick again to be sure it still may go.
        if self._pick(now) is not item:
            self._slots.release()
            return
        self._window.remove(item)
        chat = item.row.chat_id
        self._busy_chats.add(chat)
        self._chat_ready[chat] = now + self.pace.per_chat * item.parts
        self._next_slot = max(now, self._next_slot) + item.parts / self.pace.per_second
        task = asyncio.create_task(self._deliver(item), name=f"outbox-send-{item.row.id}")
        self._in_flight[item.row.id] = task

    async def _deliver(self, item: _Item) -> None:
        row = item.row
        try:
            send = (
                self.sender.send_background
                if isinstance(self.sender, BackgroundSender)
                else self.sender.send
            )
            try:
                await send(row.chat_id, item.message)
            except ChannelError as exc:
                await self._failed(item, exc)
            except Exception as exc:
                # A bug in an adapter must not lose the row or kill the sender: a hiccup.
                log.exception(logfmt("outbox_send_crashed", channel=self.channel))
                await self._failed(item, TransientError(type(exc).__name__))
            else:
                await self._sent(item)
        except Exception:
            # Recording the outcome failed (the database): the row stays pending and is tried
            # again later, which is the at-least-once the table promises.
            log.exception(logfmt("outbox_not_recorded", channel=self.channel))
        finally:
            self._in_flight.pop(row.id, None)
            self._busy_chats.discard(row.chat_id)
            self._slots.release()
            self._changed.set()

    async def _sent(self, item: _Item) -> None:
        self.sent += 1
        self._hiccups = self._rate_limits = 0
        try:
            async with self.db.transaction() as repos:
                await repos.outbox.mark_sent(item.row.id, self.clock.now())
        except Exception:
            # It went out: never send it again from this process, whatever the table says.
            self._unrecorded.add(item.row.id)
            log.exception(logfmt("outbox_not_recorded", channel=self.channel))

    async def _failed(self, item: _Item, exc: ChannelError) -> None:
        """Decide what a failed send means for the row, its member and the channel."""
        attempt = item.row.attempts + 1
        result = classify(exc, attempt).outcome
        error = f"{type(exc).__name__}: {exc}"[:500]
        now = time.monotonic()
        if isinstance(exc, RateLimited):
            if exc.retry_after is not None:
                wait = exc.retry_after
            else:
                self._rate_limits += 1
                wait = min(
                    self.tuning.hold_first * 2 ** (self._rate_limits - 1), self.tuning.hold_cap
                )
            self._hold(wait)
            item.ready_at = now + wait
            self._window.appendleft(item)  # not its fault: it goes first when the wait is over
            log.warning(logfmt("outbox_rate_limited", channel=self.channel, wait=f"{wait:g}"))
            return
        if isinstance(exc, Unauthorized):
            self._hold(self.tuning.refused_hold)
            item.ready_at = now + self.tuning.refused_hold
            self._window.appendleft(item)
            log.critical(logfmt("outbox_token_refused", channel=self.channel))
            return
        if result is Outcome.UNREACHABLE:
            await self._unreachable(item, error)
            return
        if result is Outcome.RETRY and attempt < self.tuning.max_attempts:
            self._hiccups += 1
            backoff = min(self.tuning.retry_first * 2 ** (attempt - 1), self.tuning.retry_cap)
            pause = min(self.tuning.retry_first * 2 ** (self._hiccups - 1), self.tuning.hold_cap)
            self._hold(pause)
            item.ready_at = now + backoff
            item.row = item.row.model_copy(update={"attempts": attempt})
            self._window.appendleft(item)
            async with self.db.transaction() as repos:
                later = self.clock.now() + timedelta(seconds=backoff)
                await repos.outbox.retry_later(item.row.id, later, error)
            log.warning(logfmt("outbox_retry", channel=self.channel, attempt=attempt))
            return
        async with self.db.transaction() as repos:
            await repos.outbox.finish(item.row.id, OutboxState.FAILED, error)
        log.warning(logfmt("outbox_failed", channel=self.channel, attempts=attempt))

    async def _unreachable(self, item: _Item, error: str) -> None:
        """The row's person cannot be reached: end it, mark them, end their other rows here."""
        member = item.row.member_id
        theirs = [
            other.row.id
            for other in self._window
            if other.row.chat_id == item.row.chat_id
            or (member is not None and other.row.member_id == member)
        ]
        for other_id in theirs:
            self._drop(other_id)
        async with self.db.transaction() as repos:
            await repos.outbox.finish(item.row.id, OutboxState.UNREACHABLE, error)
            await repos.outbox.skip_unreachable(theirs)
            if member is not None:
                await repos.members.set_reachable(member, False)
        log.warning(logfmt("outbox_unreachable", channel=self.channel))

    def _drop(self, row_id: int) -> None:
        for other in list(self._window):
            if other.row.id == row_id:
                self._window.remove(other)

    def _hold(self, seconds: float) -> None:
        """The whole channel sends nothing for `seconds`."""
        self._held_until = max(self._held_until, time.monotonic() + seconds)

    async def _finish_in_flight(self) -> None:
        if self._in_flight:
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)


class Outbox:
    """One paced sender per channel over the outbox table."""

    def __init__(
        self,
        db: Database,
        senders: Senders,
        clock: Clock,
        config: OutboxConfig,
        *,
        channels: Iterable[str] | None = None,
        tuning: Tuning | None = None,
        paces: dict[str, Pace] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        names = list(channels) if channels is not None else list(senders)
        self.senders: dict[str, ChannelSender] = {
            name: ChannelSender(
                db,
                name,
                senders[name],
                clock,
                (paces or {}).get(name) or default_pace(name, config),
                tuning,
            )
            for name in names
        }

    def start(self) -> None:
        """Start one sender task per channel, and let `enqueue` wake them."""
        self.db.memo[WAKE_HOOK] = self.wake
        for sender in self.senders.values():
            sender.start()

    async def stop(self) -> None:
        """Stop every sender: the messages in flight finish, nothing more is sent."""
        if self.db.memo.get(WAKE_HOOK) == self.wake:
            del self.db.memo[WAKE_HOOK]
        await asyncio.gather(*(sender.stop() for sender in self.senders.values()))

    def wake(self, channel: str | None = None) -> None:
        """Rows were added (for `channel`, or any): look now rather than at the next poll."""
        for name, sender in self.senders.items():
            if channel is None or name == channel:
                sender.wake()

    def note_reply(self, channel: str, chat_id: str) -> None:
        """A reply just went to this chat: keep its one-a-second pace with the outbox's."""
        sender = self.senders.get(channel)
        if sender is not None:
            sender.note_reply(chat_id)

    def observe(self, inbound: Inbound, _: Any) -> None:
        """`note_reply` as a router observer (called after each inbound's replies went)."""
        self.note_reply(inbound.channel, inbound.chat_id)
