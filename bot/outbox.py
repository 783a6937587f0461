"""The outbox: every proactive message is a row, delivered by one paced sender per channel.

Reminders, digests and broadcasts are written with `enqueue` in the same transaction as what
caused them, so a message exists exactly when its cause does. `Outbox` runs one
`ChannelSender` per channel; each keeps a window of due rows in memory, rebuilt from one
indexed query per read (no transaction held, nothing claimed in the table), and sends them:

* **in order** — reminders and digests before broadcasts (the table's order, kept by every
  read: a reminder queued during a 10,000-person broadcast is the next one sent), in row order
  per chat; a row cancelled meanwhile (a broadcast stopped) leaves the window at the next read;
* **paced** — at most `[outbox].<channel>_per_second` messages overall (a long text that the
  adapter splits counts once per part) and one a second to one chat, kept as the platform
  keeps them: a sliding window over when the platform may have seen each send, not a fixed
  spacing, so a link's jitter never puts 31 sends in one second (`PlatformWindow`); the replies the
  router sent count in it too (`Outbox.observe`), so a busy chat slows the broadcast, not the
  other way round;
* **429** — the whole channel waits: `retry_after` when the platform says (Telegram), else a
  backoff doubling from 1 s to a minute (Zalo says nothing); the window leaves the platform a
  little more room from then on (it was stricter than we knew);
* **timeouts, 5xx** — the row is tried again after a capped exponential backoff (its attempts
  counted and `not_before` pushed, so a restart keeps the schedule), and after `max_attempts` it
  is `failed` with its last error; the channel pauses briefly too, so an outage is not hammered
  by every row in turn;
* **blocked / chat gone** — the row is `unreachable` and so is its member (`members.reachable
  = 0`): their other rows are ended without a try, until they write again (the router resets it);
* **refused** (400) — `failed` at once: the same request would be refused again.

Replies to people never come through here: the router sends them directly, and the Telegram
adapter gives outbox sends a lane of their own, so a backlog never delays an answer.

Crash safety: the bound on duplicates
-------------------------------------
A SIGKILL (or a power cut after the last commit reached the disk) skips nobody and sends at
most as many messages twice per channel as it had lanes open: `ChannelSender.lanes()`, which is
the pace times a slow recent round trip plus one (3 at 30/s over a 50 ms link, 5 at 100 ms,
8 at 250 ms), never more than `Pace.in_flight` (8) — whatever the size of the broadcast. Why:

* a row leaves `pending` only by a committed transaction that says what became of it (sent,
  failed, unreachable, cancelled); the window is memory only, so a new process reads every
  pending row again — nothing is skipped;
* each send is recorded as `sent` in its own short transaction right after the platform
  accepted it, and the sending lane is held from the start of the request until that commit.
  So at any moment the rows the platform may have taken without the table saying so are those
  holding a lane: at most the lanes open, and only those can go twice;
* a committed transaction survives the process (SQLite WAL: it is in the log before COMMIT
  returns); `synchronous = NORMAL` can lose the last commits only to an OS crash or power cut,
  and those rows, sent but no longer recorded, would then go twice as well.

Three things the bound does not cover, by nature of at-least-once: a send that timed out
after the platform took it is tried again (a hiccup, not a crash); a row whose `sent` could not
be written (disk full) is never resent by this process but would be after a restart; a row
split into parts is resent whole. The person who gets a copy twice gets it within seconds of
the first (a restart's second), and Telegram may answer the second with a per-chat 429, which
only delays it. tests/test_broadcast_crash.py kills `thidua run` mid-broadcast and checks.

Platform pacing is in real seconds (`time.monotonic`); which rows are due is decided by the
project's clock, which may be simulated and run fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
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
from bot.metrics import OUTBOX
from bot.transport import BackgroundSender, Counted, Sender, Senders
from storage.db import Database
from storage.models import OutboxKind, OutboxMessage, OutboxState
from storage.repos import Repos

log = logging.getLogger("thidua.outbox")

ERROR_PAUSE = 1.0  # seconds the sender rests after an unexpected error before going on
MIN_READ_GAP = 0.01  # seconds between two reads of a backlog, whatever happens
CATCH_UP = 0.1  # seconds of spacing a sender held back by the window may make up, at most
ROUND_TRIPS = 64  # recent round trips whose quickest sets the stamps (a link may slow down)
LEARN_FROM = 8  # round trips known before the quickest is trusted (more than the lanes' first)
MIN_LANES = 2  # sends in flight at least: one waiting for its answer while the next goes
WIDEN = 0.05  # seconds the window grows by after a 429 all the same (adapting to the platform)
WIDEST = 1.0  # at most: half the pace of a one-second window
CALM = 60.0  # seconds without a 429 after which a widened window halves its extra again

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
    # At most this many sends at once. The sender opens only as many lanes as the link needs
    # for the pace (`PlatformWindow.lanes`: 2-3 on a quick link, more on a slow one), so that the few
    # messages a crash may send twice stay as few as the link allows.
    in_flight: int = 8
    # Seconds added to the platform's window, for what the stamps cannot see (a way back
    # quicker than the quickest round trip's). benchmarks/broadcast.py --jitter 0.05: without
    # it a 429 in the first seconds, with it none, for 1% of the pace.
    margin: float = 0.005


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


class PlatformWindow:
    """The platform's sliding window of sends, as well as this sender can know it.

    Telegram allows 30 messages in any one second, Zalo its account's rate. Read as "one every
    1/30 s", such a limit is broken by any jitter: a send held up on the way (a busy event loop
    on either side, the network) arrives next to the one after it, and 31 land within a second
    (benchmarks/broadcast.py, `--jitter`). So the sender keeps the platform's own rule — at most
    `limit` sends in any `seconds` — over *stamps*. The platform counted a send somewhere
    between our start and its answer; its stamp is the answer's moment minus the quickest
    round trip seen (of the last ROUND_TRIPS, and of those when it ended: whichever is
    quicker), a send in flight counting as in the window until it is answered. A steady link
    thus costs nothing, a jittery one what it jitters; until a few round trips are known the
    stamp is the answer itself (a first call's connection set-up is no round trip to learn
    from). A send may start only when the `limit`-th latest stamp is more than `seconds` +
    `margin` old. A 429 all the same (a platform stricter than configured, another program on
    the token) widens the margin by WIDEN; a quiet minute halves the extra again.
    """

    def __init__(self, per_second: float, margin: float) -> None:
        self.per_second = per_second
        self.limit = max(1, math.floor(per_second))
        self.seconds = self.limit / per_second  # one second, unless slower than 1 a second
        self.base_margin = margin
        self.margin = margin
        # (started, answered, quickest round trip then) of each send still maybe in the window.
        self._sends: deque[tuple[float, float, float]] = deque()
        self._notes: deque[float] = deque()  # messages sent outside this sender (replies)
        self._open = 0  # platform messages in flight, not yet answered
        self._round_trips: deque[float] = deque(maxlen=ROUND_TRIPS)
        self._widened_at = 0.0

    def quickest(self) -> float:
        """The quickest recent round trip; 0 (no credit) until LEARN_FROM of them are known."""
        if len(self._round_trips) < LEARN_FROM:
            return 0.0
        return min(self._round_trips)

    def wait(self, now: float, parts: int) -> float:
        """Seconds until `parts` more messages may start: 0 now, inf when only a send in
        flight ending can make room."""
        if self.margin > self.base_margin and now - self._widened_at >= CALM:
            self.margin = self.base_margin + (self.margin - self.base_margin) / 2
            self._widened_at = now
        span = self.seconds + self.margin
        # A stamp is never later than its answer: older answers are out of the window for good.
        while self._sends and self._sends[0][1] <= now - span:
            self._sends.popleft()
        while self._notes and self._notes[0] <= now - span:
            self._notes.popleft()
        quickest = self.quickest()
        stamps = sorted(
            [max(began, ended - min(then, quickest)) for began, ended, then in self._sends]
            + list(self._notes)
        )
        stamps = [stamp for stamp in stamps if stamp > now - span]
        over = len(stamps) + self._open + min(parts, self.limit) - self.limit
        if over <= 0:
            return 0.0
        if over > len(stamps):
            return math.inf
        return stamps[over - 1] + span - now

    def lanes(self, most: int) -> int:
        """How many sends to keep in flight for the pace: the pace times a slow recent round
        trip (its 90th percentile), plus one for the gaps, between MIN_LANES and `most`;
        MIN_LANES until the first answer (a slow first call only opens lanes early)."""
        if not self._round_trips:
            return min(MIN_LANES, most)
        trips = sorted(self._round_trips)
        slow = trips[min(len(trips) - 1, int(len(trips) * 0.9))]
        needed = math.ceil(self.per_second * slow - 1e-9) + 1  # 3.0000001 is 3
        return max(min(MIN_LANES, most), min(needed, most))

    def begin(self, parts: int) -> None:
        """`parts` messages start."""
        self._open += parts

    def end(self, parts: int, started: float, now: float) -> float:
        """They were answered (or failed): keep them for the window; return their stamp."""
        self._open -= parts
        self._round_trips.append(now - started)
        quickest = self.quickest()
        for _ in range(parts):
            self._sends.append((started, now, quickest))
        return max(started, now - quickest)

    def note(self, now: float, count: int) -> None:
        """`count` messages went on the same token outside this sender (replies): count them."""
        self._notes.extend([now] * count)

    def widen(self, now: float) -> None:
        """The platform refused a send with 429: leave it more room from now on."""
        self.margin = min(self.margin + WIDEN, self.base_margin + WIDEST)
        self._widened_at = now


@dataclass
class _Item:
    """A claimed row in the sender's window, with its message parsed."""

    row: OutboxMessage
    message: Outbound
    parts: int
    ready_at: float = 0.0  # monotonic: a retry is not tried before this
    tried: bool = False  # this process tried it once already (it keeps its place in the window)


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
        self._platform = PlatformWindow(pace.per_second, pace.margin)
        self._held_until = 0.0  # the whole channel waits until then (429, an outage)
        self._rate_limits = 0  # consecutive 429s without retry_after
        self._hiccups = 0  # consecutive timeouts / 5xx
        self._last_read = -1e9
        self._backlog = False  # the last read found as many due rows as it asked for
        self._woken = asyncio.Event()
        self._changed = asyncio.Event()  # a send finished: a slot or a chat may be free
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

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

    def note_reply(self, chat_id: str, messages: int = 1) -> None:
        """The router just sent `messages` to this chat: keep the chat's one-a-second pace
        with them, and count them in the platform's window (replies go first)."""
        now = time.monotonic()
        ready = now + self.pace.per_chat
        self._chat_ready[chat_id] = max(self._chat_ready.get(chat_id, 0.0), ready)
        self._platform.note(now, messages)

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
        elif await self._wait_turn(item):
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
        """Rebuild the window from the table's due rows, in its order (reminders and digests
        before broadcasts): a reminder queued behind a broadcast goes next, and rows cancelled
        meanwhile leave the window without being sent. Rows tried here already keep their place
        at the front, whatever the table says of them (a retry's `not_before` moved on)."""
        self._last_read = time.monotonic()
        held = set(self._in_flight) | self._unrecorded
        limit = self.tuning.batch + len(held)
        async with self.db.read() as repos:
            rows = await repos.outbox.due(self.channel, self.clock.now(), limit)
        self._backlog = len(rows) >= limit
        tried = [item for item in self._window if item.tried]
        kept = {item.row.id: item for item in self._window if not item.tried}
        window = deque(tried)
        taken = {item.row.id for item in tried} | held
        skipped: list[int] = []
        broken: list[int] = []
        for row in rows:
            if row.id in taken or len(window) >= self.tuning.batch:
                continue
            item = kept.get(row.id)
            if item is not None:
                window.append(item)
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
            window.append(_Item(row, message, max(parts, 1)))
        self._window = window
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

    async def _wait_turn(self, item: _Item) -> bool:
        """Wait for the channel's next slot, room in the platform's window and a free sending
        lane; False when stopping."""
        while not self._stopping:
            now = time.monotonic()
            wait = max(self._next_slot, self._held_until) - now
            wait = max(wait, self._platform.wait(now, item.parts))
            if wait <= 0 and len(self._in_flight) < self.lanes():
                return True
            if wait <= 0 or wait == math.inf:
                await self._until_changed(self.tuning.idle_poll)  # a send ending makes room
            else:
                await self._sleep(wait)
        return False

    def lanes(self) -> int:
        """How many sends may be in flight now (the link's need, at most `Pace.in_flight`)."""
        return self._platform.lanes(self.pace.in_flight)

    async def _until_changed(self, seconds: float) -> None:
        """Sleep until a send ends (or a stop), at most `seconds`."""
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._changed.wait()

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
            return
        self._window.remove(item)
        chat = item.row.chat_id
        self._busy_chats.add(chat)
        self._chat_ready[chat] = now + self.pace.per_chat * item.parts
        # Evenly spaced, but a send the window held back a little may be caught up on (else
        # every such delay is lost for good and the pace sinks below the platform's); after a
        # longer pause (idle, a 429) the spacing starts again from now, without a burst.
        behind = now - self._next_slot
        start = self._next_slot if 0 < behind <= CATCH_UP else max(now, self._next_slot)
        self._next_slot = start + item.parts / self.pace.per_second
        self._platform.begin(item.parts)
        item.tried = True
        task = asyncio.create_task(self._deliver(item, now), name=f"outbox-send-{item.row.id}")
        self._in_flight[item.row.id] = task

    async def _deliver(self, item: _Item, started: float) -> None:
        row = item.row
        try:
            send = (
                self.sender.send_background
                if isinstance(self.sender, BackgroundSender)
                else self.sender.send
            )
            try:
                try:
                    await send(row.chat_id, item.message)
                finally:
                    self._answered(item, started)
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
            self._changed.set()

    def _answered(self, item: _Item, started: float) -> None:
        """The platform answered (or the send failed): stamp it in the window, and keep the
        chat's next message a full `per_chat` after the moment the platform may have seen
        this one, not after we started it (the link's jitter would eat into the pause)."""
        stamp = self._platform.end(item.parts, started, time.monotonic())
        chat = item.row.chat_id
        ready = stamp + self.pace.per_chat
        self._chat_ready[chat] = max(self._chat_ready.get(chat, 0.0), ready)

    async def _sent(self, item: _Item) -> None:
        self.sent += 1
        self._hiccups = self._rate_limits = 0
        OUTBOX.labels(self.channel, item.row.kind.value, OutboxState.SENT.value).inc()
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
            self._platform.widen(now)
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
        OUTBOX.labels(self.channel, item.row.kind.value, OutboxState.FAILED.value).inc()
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
        OUTBOX.labels(self.channel, item.row.kind.value, OutboxState.UNREACHABLE.value).inc()
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

    def alive(self) -> dict[str, bool]:
        """Each channel's sender: True while its task runs (for /healthz)."""
        return {
            name: sender.task is not None and not sender.task.done()
            for name, sender in self.senders.items()
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

    def note_reply(self, channel: str, chat_id: str, messages: int = 1) -> None:
        """Replies just went to this chat: keep its one-a-second pace with the outbox's, and
        count them against the channel's rate."""
        sender = self.senders.get(channel)
        if sender is not None:
            sender.note_reply(chat_id, messages)

    def observe(self, inbound: Inbound, handled: Any) -> None:
        """`note_reply` as a router observer (called after each inbound's replies went)."""
        replies = getattr(handled, "replies", None)
        count = len(replies) if isinstance(replies, list | tuple) else 1
        if count:
            self.note_reply(inbound.channel, inbound.chat_id, count)
