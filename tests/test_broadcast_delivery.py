"""Broadcasts through the outbox against the fakes with their flood control on (issue 14).

The fakes answer real 429s past their limits (Telegram: N in any one second overall and one a
second per chat, with retry_after; Zalo: its rate, without). Paces are raised to 200 a second,
with the fakes limited to the same, to keep the tests short: what is tested is that the
sender keeps to the platform's window, not how long 1,000 sends take at 30 a second.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

from bot.config import OutboxConfig
from bot.outbox import Outbox, Pace
from storage.db import Database
from storage.models import OutboxKind, OutboxState, Role
from tests.fakes.zalo_server import id_for
from tests.test_outbox import FAST, Rig, all_done, queue, rig, states, until

RATE = 200  # sends a second, for the sender and the fake alike
PEOPLE = 1000
SETTLE = 1.0  # seconds after the first send by which the sender has adapted


def outbox(r: Rig, channel: str, per_second: float = RATE) -> Outbox:
    """An outbox for one channel at `per_second`, with the test's short retries."""
    paces = {channel: Pace(per_second)}
    return Outbox(
        r.db, r.senders, r.clock, OutboxConfig(), channels=[channel], tuning=FAST, paces=paces
    )


async def send_all(r: Rig, channel: str, ids: list[int], within: float, what: str) -> float:
    """Run the channel's sender until every row of `ids` has ended; return how long it took."""
    sender = outbox(r, channel)
    started = time.monotonic()
    sender.start()
    try:
        await until(all_done(r.db, ids), within, what)
    finally:
        await sender.stop()
    return time.monotonic() - started


async def broadcast(
    r: Rig, channel: str, chats: list[str], members: list[int | None] | None = None, ref: str = "1"
) -> list[int]:
    """Queue one broadcast (kind broadcast, `ref`) to `chats`; return the row ids."""
    who = members or [None] * len(chats)
    rows = [
        (chat, member, "Hội nghị sơ kết dời sang 8 giờ ngày 28/8.")
        for chat, member in zip(chats, who, strict=True)
    ]
    return await queue(r.db, r.clock, channel, rows, kind=OutboxKind.BROADCAST, ref=ref)


async def enrol(db: Database, channel: str, chats: list[str], now_from: Rig) -> list[int]:
    """Enrol one representative of KP-01 per chat, in one transaction; their member ids."""
    now = now_from.clock.now()
    async with db.transaction() as repos:
        return [
            (
                await repos.members.enrol(
                    channel=channel,
                    user_id=chat,
                    chat_id=chat,
                    display_name=f"Người {n}",
                    unit_code="KP-01",
                    role=Role.REP,
                    now=now,
                )
            ).id
            for n, chat in enumerate(chats)
        ]


def late_refusals(refused: list[float], sent: list[float]) -> int:
    """How many 429s came after the sender's first SETTLE seconds."""
    return sum(1 for moment in refused if moment >= min(sent) + SETTLE)


async def test_a_broadcast_to_1000_on_telegram_keeps_to_the_flood_limits(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        fake = r.stage.telegram
        fake.flood_control(RATE, per_chat=1.0)
        fake.jitter = 0.01  # a real link: sends do not arrive as evenly as they left
        chats = [str(800_000 + n) for n in range(PEOPLE)]
        ids = await broadcast(r, "telegram", chats)
        took = await send_all(r, "telegram", ids, 60, "the broadcast sent")
        copies = Counter(m.chat_id for m in fake.sent)
        assert set(copies) == set(chats) and set(copies.values()) == {1}
        async with r.db.read() as repos:
            assert await repos.outbox.counts(OutboxKind.BROADCAST, "1") == {
                OutboxState.SENT: PEOPLE
            }
        late = late_refusals(fake.too_many_at, [m.at for m in fake.sent])
        assert late == 0, f"{late} sends refused with 429 after the first {SETTLE:g} s"
        rate = PEOPLE / took
        assert rate >= 0.8 * RATE, f"{rate:.0f} a second against a limit of {RATE}"
        print(f"\n{PEOPLE} on Telegram at {RATE}/s: {took:.1f} s, {fake.too_many} 429s in all")


async def test_blocked_people_end_unreachable_and_the_rest_are_delivered(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        fake = r.stage.telegram
        fake.flood_control(RATE, per_chat=1.0)
        chats = [str(810_000 + n) for n in range(300)]
        members = await enrol(r.db, "telegram", chats, r)
        blocked = set(chats[::10])  # 30 people blocked the bot
        for chat in blocked:
            fake.block(chat)
        ids = await broadcast(r, "telegram", chats, list(members))
        await send_all(r, "telegram", ids, 30, "the broadcast done")
        by_chat = dict(zip(chats, await states(r.db, ids), strict=True))
        assert {by_chat[chat] for chat in blocked} == {"unreachable"}
        assert {state for chat, state in by_chat.items() if chat not in blocked} == {"sent"}
        assert Counter(m.chat_id for m in fake.sent) == {c: 1 for c in chats if c not in blocked}
        async with r.db.read() as repos:
            counts = await repos.outbox.counts(OutboxKind.BROADCAST, "1")
            assert counts == {OutboxState.SENT: 270, OutboxState.UNREACHABLE: 30}
            for chat in chats[:20]:
                member = await repos.members.find("telegram", chat)
                assert member is not None and member.reachable is (chat not in blocked)
        # Each blocked person was tried once: a 403 is never tried again.
        tried = Counter(p["chat_id"] for p in fake.calls_of("sendMessage"))
        assert all(tried[chat] == 1 for chat in blocked)


async def test_a_broadcast_to_1000_on_zalo_keeps_to_its_rate(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        fake = r.stage.zalo
        fake.rate_limit(RATE)
        chats = [id_for(f"broadcast-{n}") for n in range(PEOPLE)]
        ids = await broadcast(r, "zalo", chats)
        took = await send_all(r, "zalo", ids, 60, "the broadcast sent")
        copies = Counter(item.chat_id for item in fake.sent)
        assert set(copies) == set(chats) and set(copies.values()) == {1}
        late = late_refusals(fake.too_many_at, [item.date / 1000 for item in fake.sent])
        assert late == 0, f"{late} sends refused after the first {SETTLE:g} s"
        assert PEOPLE / took >= 0.8 * RATE, f"{PEOPLE / took:.0f} a second against {RATE}"
        print(f"\n{PEOPLE} on Zalo at {RATE}/s: {took:.1f} s, {fake.too_many} 429s in all")


async def test_a_reminder_queued_during_a_broadcast_goes_out_next(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        fake = r.stage.telegram
        fake.flood_control(30, per_chat=1.0)
        chats = [str(820_000 + n) for n in range(600)]  # 20 s at 30 a second
        await broadcast(r, "telegram", chats)
        sender = outbox(r, "telegram", per_second=30)
        sender.start()
        try:
            await asyncio.sleep(1.5)  # the broadcast is under way, the sender's window full
            assert len(fake.sent) >= 20
            queued = time.monotonic()
            ids = await queue(r.db, r.clock, "telegram", [("829999", None, "Nhắc: hạn nộp")])
            await until(all_done(r.db, ids), 5, "the reminder sent")
            waited = time.monotonic() - queued
        finally:
            await sender.stop()
        assert [m.text for m in fake.sent_to("829999")] == ["Nhắc: hạn nộp"]
        assert waited < 1.0, f"the reminder waited {waited:.2f} s behind the broadcast"
        assert len(fake.sent) < 200, "the broadcast was over before the reminder was queued"
        print(f"\na reminder during a broadcast waited {waited * 1000:.0f} ms")


async def test_a_cancelled_broadcast_stops_within_a_read(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        fake = r.stage.telegram
        chats = [str(830_000 + n) for n in range(600)]
        ids = await broadcast(r, "telegram", chats, ref="9")
        sender = outbox(r, "telegram", per_second=30)
        sender.start()
        try:
            await asyncio.sleep(1.5)
            async with r.db.transaction() as repos:
                cancelled = await repos.outbox.cancel(OutboxKind.BROADCAST, "9")
            at_cancel = len(fake.sent)
            await asyncio.sleep(2.0)
            after = len(fake.sent) - at_cancel
        finally:
            await sender.stop()
        # What was in flight, and what went before the next read (a second at most), not the
        # sender's whole window of 100 rows.
        assert after <= 35, f"{after} sent after the cancel"
        final = Counter(await states(r.db, ids))
        assert final["sent"] == len(fake.sent) and final["pending"] == 0
        assert final["cancelled"] + final["sent"] == 600  # what went is recorded as sent
        print(f"\ncancelled {cancelled} rows; {after} went out after the cancel")


async def test_a_long_announcement_goes_in_parts_once_each_within_the_chat_limit(
    tmp_path: Path,
) -> None:
    async with rig(tmp_path) as r:
        fake = r.stage.telegram
        fake.flood_control(RATE, per_chat=1.0)
        chats = [str(830_000 + n) for n in range(3)]
        long_text = "Kính gửi các khu phố. " + "Nội dung chi tiết của hội nghị. " * 200
        ids = await queue(
            r.db, r.clock, "telegram", [(chat, None, long_text) for chat in chats],
            kind=OutboxKind.BROADCAST, ref="9",
        )  # fmt: skip
        await send_all(r, "telegram", ids, 30, "the long broadcast sent")
        # Two parts each, once each: no part refused, none sent twice.
        assert Counter(m.chat_id for m in fake.sent) == dict.fromkeys(chats, 2)
        assert fake.too_many == 0
        for chat in chats:
            assert "".join(m.text or "" for m in fake.sent_to(chat)).startswith("Kính gửi")
