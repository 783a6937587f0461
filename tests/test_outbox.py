"""The outbox against the real adapters and the fake servers, on a real SQLite file.

Timing bounds are generous: the machine is small and shared.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.clock import Clock, ManualClock, SystemClock
from bot.config import OutboxConfig
from bot.messages import Outbound
from bot.outbox import ChannelSender, Outbox, PlatformWindow, Tuning, default_pace, enqueue
from bot.transport import Senders
from storage.db import Database, open_database
from storage.models import OutboxKind, OutboxState, Role
from tests.driver import Stage, stage
from tests.fakes.zalo_server import id_for

# Retries and holds shrunk to test size; the pace itself is what is being tested.
FAST = Tuning(idle_poll=0.2, retry_first=0.1, retry_cap=0.5, hold_first=0.5, hold_cap=2)


@dataclass
class Rig:
    """Both fakes, both adapters open and registered, a database, a clock."""

    stage: Stage
    telegram: TelegramChannel
    zalo: ZaloChannel
    senders: Senders
    clock: Clock

    @property
    def db(self) -> Database:
        return self.stage.db

    def outbox(self, config: OutboxConfig | None = None, tuning: Tuning = FAST) -> Outbox:
        """An outbox over both channels (not started)."""
        return Outbox(self.db, self.senders, self.clock, config or OutboxConfig(), tuning=tuning)


@asynccontextmanager
async def rig(tmp_path: Path, clock: Clock | None = None) -> AsyncIterator[Rig]:
    """Serve the fakes, open both adapters (no receiving), and register them as senders."""
    async with stage(tmp_path) as ready:
        telegram = TelegramChannel(ready.settings.telegram, poll_timeout=1)
        zalo = ZaloChannel(ready.settings.zalo, poll_timeout=1)
        await telegram.open()
        await zalo.open()
        senders = Senders()
        senders.register("telegram", telegram)
        senders.register("zalo", zalo)
        try:
            yield Rig(ready, telegram, zalo, senders, clock or SystemClock())
        finally:
            await telegram.close()
            await zalo.close()


async def add_member(db: Database, channel: str, user: str, now: datetime) -> int:
    """Enrol one representative of KP-01 directly; return the member id."""
    async with db.transaction() as repos:
        member = await repos.members.enrol(
            channel=channel,
            user_id=user,
            chat_id=user,
            display_name=user,
            unit_code="KP-01",
            role=Role.REP,
            now=now,
        )
    return member.id


async def queue(
    db: Database,
    clock: Clock,
    channel: str,
    rows: Sequence[tuple[str, int | None, str]],
    *,
    kind: OutboxKind = OutboxKind.REMINDER,
    ref: str = "test",
    delay: timedelta = timedelta(0),
) -> list[int]:
    """Enqueue (chat, member, text) rows in one transaction; return their ids."""
    now = clock.now()
    async with db.transaction() as repos:
        return [
            await enqueue(
                repos,
                channel=channel,
                chat_id=chat,
                member_id=member,
                kind=kind,
                ref=ref,
                message=Outbound(text=text),
                not_before=now + delay,
                now=now,
            )
            for chat, member, text in rows
        ]


async def states(db: Database, ids: list[int]) -> list[str]:
    """The state of each row."""
    async with db.read() as repos:
        return [str((await repos.outbox.get(row_id) or {})["state"]) for row_id in ids]


async def until(check: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    """Wait until `check()` holds, or fail saying `what`."""
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        await asyncio.sleep(0.02)


def all_done(db: Database, ids: list[int]) -> Callable[[], Awaitable[bool]]:
    """A check: no row of `ids` is pending any more."""

    async def check() -> bool:
        return OutboxState.PENDING.value not in await states(db, ids)

    return check


async def test_telegram_is_paced_overall_and_per_chat(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        chats = [str(6000 + n) for n in range(10)]
        # Three rounds over ten chats: 30 messages, each chat gets three, in order.
        rows = [(chat, None, f"tin {round_}") for round_ in range(3) for chat in chats]
        ids = await queue(r.db, r.clock, "telegram", rows)
        outbox = r.outbox(OutboxConfig(telegram_per_second=10))
        started = time.monotonic()
        outbox.start()
        try:
            await until(all_done(r.db, ids), 20, "30 rows sent")
        finally:
            await outbox.stop()
        took = time.monotonic() - started
        sent = r.stage.telegram.sent
        assert len(sent) == 30
        assert await states(r.db, ids) == ["sent"] * 30
        # 10 a second: the first goes at once, 29 follow at least 0.1 s apart.
        assert took >= 2.5, f"30 messages at 10/s took only {took:.2f} s"
        times = [m.at for m in sent]
        gaps = [later - earlier for earlier, later in zip(times, times[10:], strict=False)]
        assert min(gaps) >= 0.9, f"11 messages within {min(gaps):.2f} s"
        for chat in chats:
            theirs = r.stage.telegram.sent_to(chat)
            assert [m.text for m in theirs] == ["tin 0", "tin 1", "tin 2"]
            chat_gaps = [b.at - a.at for a, b in itertools.pairwise(theirs)]
            assert min(chat_gaps) >= 0.95, f"chat {chat} got two within {min(chat_gaps):.2f} s"
        print(f"\n30 Telegram messages at 10/s: {took:.2f} s; tightest 11 in {min(gaps):.3f} s")


async def test_zalo_is_paced(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        chats = [id_for(f"zalo-{n}") for n in range(20)]
        ids = await queue(r.db, r.clock, "zalo", [(chat, None, "nhắc") for chat in chats])
        outbox = r.outbox(OutboxConfig(zalo_per_second=8))
        started = time.monotonic()
        outbox.start()
        try:
            await until(all_done(r.db, ids), 20, "20 Zalo rows sent")
        finally:
            await outbox.stop()
        took = time.monotonic() - started
        sent = r.stage.zalo.sent
        assert sorted(item.chat_id for item in sent) == sorted(chats)
        assert took >= 19 / 8 - 0.2, f"20 messages at 8/s took only {took:.2f} s"
        dates = [item.date for item in sent]
        gaps = [(later - earlier) / 1000 for earlier, later in zip(dates, dates[8:], strict=False)]
        assert min(gaps) >= 0.9, f"9 Zalo messages within {min(gaps):.2f} s"
        print(f"\n20 Zalo messages at 8/s: {took:.2f} s")


async def test_a_long_text_counts_once_per_part(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        long_text = "\n".join(f"Dòng {n}: " + "x" * 90 for n in range(60))  # ~5,900 UTF-16 units
        assert r.zalo.parts(Outbound(text=long_text)) == 3
        chats = [id_for(f"long-{n}") for n in range(3)]
        ids = await queue(r.db, r.clock, "zalo", [(chat, None, long_text) for chat in chats])
        outbox = r.outbox(OutboxConfig(zalo_per_second=6))
        started = time.monotonic()
        outbox.start()
        try:
            await until(all_done(r.db, ids), 20, "3 long rows sent")
        finally:
            await outbox.stop()
        took = time.monotonic() - started
        assert len(r.stage.zalo.sent) == 9
        # Nine platform messages at 6/s: the last row may start only after six slots.
        assert took >= 6 / 6 - 0.1, f"9 parts at 6/s took only {took:.2f} s"


async def test_telegram_429_holds_the_whole_channel(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        chats = [str(6100 + n) for n in range(5)]
        ids = await queue(r.db, r.clock, "telegram", [(c, None, "nhắc") for c in chats])
        r.stage.telegram.fail_next("sendMessage", status=429, retry_after=2)
        outbox = r.outbox(OutboxConfig(telegram_per_second=20))
        loop = asyncio.get_running_loop()
        started = loop.time()
        outbox.start()
        try:
            await until(all_done(r.db, ids), 15, "rows sent after the 429")
        finally:
            await outbox.stop()
        sent = r.stage.telegram.sent
        assert sorted(m.chat_id for m in sent) == sorted(chats)
        # Nothing at all went out while the platform asked us to wait, to any chat.
        first = min(m.at for m in sent)
        assert first - started >= 1.9, f"sent {first - started:.2f} s after a retry_after of 2"
        assert await states(r.db, ids) == ["sent"] * 5
        async with r.db.read() as repos:
            row = await repos.outbox.get(ids[0])
        assert row is not None and row["attempts"] == 1  # a rate limit is not the row's fault


async def test_zalo_429_backs_off_the_whole_channel(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        chats = [id_for(f"quota-{n}") for n in range(4)]
        ids = await queue(r.db, r.clock, "zalo", [(c, None, "nhắc") for c in chats])
        r.stage.zalo.fail_next("sendMessage", error_code=429, times=2)
        outbox = r.outbox(OutboxConfig(zalo_per_second=20))
        started = time.time()
        outbox.start()
        try:
            await until(all_done(r.db, ids), 15, "rows sent after two 429s")
        finally:
            await outbox.stop()
        dates = sorted(item.date / 1000 for item in r.stage.zalo.sent)
        assert len(dates) == 4
        # No retry_after from Zalo: we wait 0.5 s, then 1 s (FAST), for the whole channel.
        assert dates[0] - started >= 1.4, f"first sent {dates[0] - started:.2f} s in"


async def test_5xx_is_retried_with_backoff_then_sent(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        ids = await queue(r.db, r.clock, "telegram", [("6200", None, "nhắc")])
        r.stage.telegram.fail_next("sendMessage", status=502, times=2)
        outbox = r.outbox()
        outbox.start()
        try:
            await until(all_done(r.db, ids), 15, "the row sent after two 502s")
        finally:
            await outbox.stop()
        async with r.db.read() as repos:
            row = await repos.outbox.get(ids[0])
        assert row is not None
        assert (row["state"], row["attempts"], row["last_error"]) == ("sent", 3, None)
        assert [m.text for m in r.stage.telegram.sent_to("6200")] == ["nhắc"]
        assert len(r.stage.telegram.calls_of("sendMessage")) == 3


async def test_a_row_that_keeps_failing_is_failed_with_its_error(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        ids = await queue(r.db, r.clock, "zalo", [(id_for("down"), None, "nhắc")])
        r.stage.zalo.fail_next("sendMessage", error_code=500, times=50)
        tuning = Tuning(idle_poll=0.2, retry_first=0.05, retry_cap=0.2)
        outbox = r.outbox(tuning=Tuning(**{**tuning.__dict__, "max_attempts": 4}))
        outbox.start()
        try:
            await until(all_done(r.db, ids), 15, "the row given up")
        finally:
            await outbox.stop()
        async with r.db.read() as repos:
            row = await repos.outbox.get(ids[0])
        assert row is not None
        assert (row["state"], row["attempts"]) == ("failed", 4)
        assert "TransientError" in row["last_error"] and "500" in row["last_error"]
        assert r.stage.zalo.sent == []


async def test_a_bad_request_fails_at_once(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        ids = await queue(r.db, r.clock, "telegram", [("6250", None, "nhắc"), ("6251", None, "b")])
        r.stage.telegram.fail_next("sendMessage", status=400)
        outbox = r.outbox()
        outbox.start()
        try:
            await until(all_done(r.db, ids), 10, "both rows done")
        finally:
            await outbox.stop()
        assert sorted(await states(r.db, ids)) == ["failed", "sent"]


async def test_blocked_person_is_unreachable_and_their_rows_are_not_tried(
    tmp_path: Path,
) -> None:
    async with rig(tmp_path) as r:
        now = r.clock.now()
        blocked = await add_member(r.db, "telegram", "6301", now)
        other = await add_member(r.db, "telegram", "6302", now)
        r.stage.telegram.block("6301")
        ids = await queue(
            r.db,
            r.clock,
            "telegram",
            [
                ("6301", blocked, "một"),
                ("6301", blocked, "hai"),
                ("6302", other, "cho người khác"),
                ("6301", blocked, "ba"),
            ],
        )
        outbox = r.outbox()
        outbox.start()
        try:
            await until(all_done(r.db, ids), 10, "every row done")
            # A row queued later for the same person is ended without a try as well.
            later = await queue(r.db, r.clock, "telegram", [("6301", blocked, "bốn")])
            await until(all_done(r.db, later), 10, "the later row done")
        finally:
            await outbox.stop()
        assert await states(r.db, ids + later) == [
            "unreachable",
            "unreachable",
            "sent",
            "unreachable",
            "unreachable",
        ]
        tried = [p for p in r.stage.telegram.calls_of("sendMessage") if p["chat_id"] == "6301"]
        assert len(tried) == 1  # one 403, and nothing more for that person
        async with r.db.read() as repos:
            first = await repos.outbox.get(ids[0])
            assert first is not None and "Unreachable" in first["last_error"]
            member = await repos.members.find("telegram", "6301")
            assert member is not None and not member.reachable
            still = await repos.members.find("telegram", "6302")
            assert still is not None and still.reachable


async def test_unreachable_person_is_reachable_again_when_they_write(tmp_path: Path) -> None:
    from bot.router import Router

    async with rig(tmp_path) as r:
        now = r.clock.now()
        member = await add_member(r.db, "zalo", id_for("comeback"), now)
        chat = id_for("comeback")
        r.stage.zalo.block(chat)
        ids = await queue(r.db, r.clock, "zalo", [(chat, member, "nhắc 1")])
        router = Router(r.db, r.stage.settings, r.clock, senders=r.senders)
        outbox = r.outbox()
        router.observers.append(outbox.observe)
        outbox.start()
        try:
            await until(all_done(r.db, ids), 10, "the first reminder done")
            assert await states(r.db, ids) == ["unreachable"]
            # They unblock the bot and write: the reply reaches them, and so does the outbox.
            r.stage.zalo.unblock(chat)
            await r.zalo.start(router.submit)
            r.stage.zalo.inject_text(chat, "trogiup")
            await r.stage.zalo.wait_for_sent(chat, 1, timeout=10)
            async with r.db.read() as repos:
                found = await repos.members.find("zalo", chat)
            assert found is not None and found.reachable
            again = await queue(r.db, r.clock, "zalo", [(chat, member, "nhắc 2")])
            await until(all_done(r.db, again), 10, "the next reminder sent")
            assert await states(r.db, again) == ["sent"]
            assert r.stage.zalo.texts_to(chat)[-1] == "nhắc 2"
        finally:
            await outbox.stop()
            await r.zalo.stop()
            await router.drain()


async def test_a_reply_refused_with_403_marks_the_member_unreachable(tmp_path: Path) -> None:
    from bot.router import Router

    async with rig(tmp_path) as r:
        chat = id_for("blocks-after-writing")
        await add_member(r.db, "zalo", chat, r.clock.now())
        router = Router(r.db, r.stage.settings, r.clock, senders=r.senders)
        await r.zalo.start(router.submit)
        try:
            r.stage.zalo.block(chat)
            r.stage.zalo.inject_text(chat, "trogiup")

            async def marked() -> bool:
                async with r.db.read() as repos:
                    found = await repos.members.find("zalo", chat)
                return found is not None and not found.reachable

            await until(marked, 10, "the member marked unreachable")
        finally:
            await r.zalo.stop()
            await router.drain()


async def test_a_crash_mid_queue_resumes_without_skipping(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        chats = [str(6400 + n) for n in range(20)]
        ids = await queue(r.db, r.clock, "telegram", [(c, None, f"tin {c}") for c in chats])
        pace = default_pace("telegram", OutboxConfig(telegram_per_second=10))
        first = ChannelSender(r.db, "telegram", r.telegram, r.clock, pace, FAST)
        first.start()
        fake = r.stage.telegram
        fake.send_delay = 0.2  # so that sends are in flight when the process dies
        deadline = time.monotonic() + 10
        while len(fake.sent) < 8:
            assert time.monotonic() < deadline, "the first sender never got going"
            await asyncio.sleep(0.01)
        assert first.task is not None
        lanes = first.lanes()  # what the link needs at 10/s and 0.2 s a send: a few, not all
        assert lanes < pace.in_flight
        first.task.cancel()  # the process dies here, with sends in flight
        await asyncio.gather(first.task, return_exceptions=True)
        recorded = {
            i for i, state in zip(ids, await states(r.db, ids), strict=True) if state == "sent"
        }
        assert 0 < len(recorded) < 20
        # A new process: its own connection to the same file, a new sender.
        async with open_database(r.stage.settings.database.path) as db2:
            second = ChannelSender(db2, "telegram", r.telegram, r.clock, pace, FAST)
            second.start()
            try:
                await until(all_done(db2, ids), 15, "the rest sent")
            finally:
                await second.stop()
            assert await states(db2, ids) == ["sent"] * 20
        by_id = dict(zip(ids, chats, strict=True))
        for row_id, chat in by_id.items():
            got = [m.text for m in fake.sent_to(chat)]
            assert got, f"chat {chat} was skipped"
            if row_id in recorded:
                assert got == [f"tin {chat}"], f"chat {chat}, recorded as sent, got it again"
        # At least once: only what was in flight at the crash may have gone twice.
        assert len(fake.sent) - 20 <= lanes
        print(f"\ncrash after {len(recorded)} recorded; {len(fake.sent) - 20} sent twice")


async def test_a_clean_stop_finishes_in_flight_and_sends_nothing_late(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        chats = [str(6500 + n) for n in range(40)]
        ids = await queue(r.db, r.clock, "telegram", [(c, None, "nhắc") for c in chats])
        outbox = r.outbox(OutboxConfig(telegram_per_second=20))
        outbox.start()
        fake = r.stage.telegram

        async def some_sent() -> bool:
            return len(fake.sent) >= 5

        await until(some_sent, 10, "five sent")
        await outbox.stop()
        at_stop = len(fake.sent)
        await asyncio.sleep(0.5)
        assert len(fake.sent) == at_stop < 40  # nothing after the stop
        done = [s for s in await states(r.db, ids) if s == "sent"]
        assert len(done) == at_stop  # every message that went out is recorded as sent


async def test_rows_wait_for_not_before_on_the_project_clock(tmp_path: Path) -> None:
    clock = ManualClock(datetime.fromisoformat("2023-11-27T21:30:00+07:00"))
    async with rig(tmp_path, clock) as r:
        ids = await queue(
            r.db, clock, "telegram", [("6600", None, "sáng mai")], delay=timedelta(hours=10)
        )
        outbox = r.outbox()
        outbox.start()
        try:
            await asyncio.sleep(0.6)
            assert await states(r.db, ids) == ["pending"]  # quiet hours: held
            clock.advance(timedelta(hours=10))
            await until(all_done(r.db, ids), 5, "the row sent once its time came")
        finally:
            await outbox.stop()
        assert [m.text for m in r.stage.telegram.sent_to("6600")] == ["sáng mai"]
        async with r.db.read() as repos:
            row = await repos.outbox.get(ids[0])
        assert row is not None and row["sent_at"].startswith("2023-11-28T")


async def test_enqueue_wakes_the_sender_and_is_part_of_the_transaction(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        slow_poll = Tuning(idle_poll=30)
        outbox = r.outbox(tuning=slow_poll)
        outbox.start()
        try:
            await asyncio.sleep(0.2)  # the sender has looked once and is idle for 30 s
            try:
                async with r.db.transaction() as repos:
                    await enqueue(
                        repos,
                        channel="telegram",
                        chat_id="6700",
                        member_id=None,
                        kind="digest",
                        ref="rolled-back",
                        message=Outbound(text="không bao giờ"),
                        not_before=r.clock.now(),
                        now=r.clock.now(),
                    )
                    raise RuntimeError("the cause failed")
            except RuntimeError:
                pass
            started = time.monotonic()
            ids = await queue(r.db, r.clock, "telegram", [("6700", None, "tổng hợp")])
            await until(all_done(r.db, ids), 5, "the woken sender sent it")
            assert time.monotonic() - started < 2  # not the 30 s poll
        finally:
            await outbox.stop()
        assert [m.text for m in r.stage.telegram.sent_to("6700")] == ["tổng hợp"]
        async with r.db.read() as repos:
            assert await repos.outbox.counts(OutboxKind.DIGEST, "rolled-back") == {}
            assert await repos.outbox.counts(OutboxKind.REMINDER, "test") == {OutboxState.SENT: 1}


async def test_counts_and_cancel_by_cause(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        rows = [(str(6800 + n), None, "thông báo") for n in range(5)]
        await queue(r.db, r.clock, "telegram", rows, kind=OutboxKind.BROADCAST, ref="7")
        async with r.db.transaction() as repos:
            assert await repos.outbox.cancel(OutboxKind.BROADCAST, "7") == 5
        async with r.db.read() as repos:
            counts = await repos.outbox.counts(OutboxKind.BROADCAST, "7")
        assert counts == {OutboxState.CANCELLED: 5}


@pytest.mark.parametrize(
    ("per_second", "round_trips", "lanes"),
    [
        (30, [], 2),  # nothing known yet: two, one waiting for its answer while the next goes
        (30, [0.005] * 20, 2),  # a local server: two keep up
        (30, [0.05] * 20, 3),  # 30 × 50 ms = 1.5 in flight, plus one
        (30, [0.1] * 20, 4),
        (30, [0.05] * 18 + [0.25] * 2, 8),  # a slow tenth counts: 30 × 250 ms + 1, at most 8
        (30, [1.0] * 20, 8),  # never more than Pace.in_flight
        (10, [0.2] * 20, 3),
    ],
)
def test_the_lanes_follow_the_link(per_second: float, round_trips: list[float], lanes: int) -> None:
    """As many sends in flight as the pace needs over the link (a slow tenth of the round
    trips counted), so that a crash sends as few twice as the link allows."""
    window = PlatformWindow(per_second, margin=0.0)
    for trip in round_trips:
        window.begin(1)
        window.end(1, 100.0, 100.0 + trip)
    assert window.lanes(8) == lanes
