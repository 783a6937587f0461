"""Replies and the outbox side by side: a backlog never delays an answer, a retry never holds a
chat, and `thidua run` starts and stops the senders."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot import admin
from bot.channels.console import console_inbound
from bot.config import Settings
from bot.errors import RateLimited
from bot.messages import Outbound
from bot.outbox import Outbox, Tuning
from bot.router import Router
from bot.runtime import run_bot
from storage.db import open_database
from storage.models import OutboxKind
from tests.conftest import Bot, units_csv
from tests.fakes.runner import serve
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_server import FakeZalo, id_for
from tests.test_outbox import FAST, all_done, queue, rig, states, until

TELEGRAM_TOKEN = "123456:TEST-token-abcdefghijk"
ZALO_TOKEN = "1234567890:fake-zalo-token-abcdefABCDEF"


async def test_a_reply_is_not_delayed_by_a_backlog_of_500(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        rows = [(str(700_000 + n), None, f"thông báo {n}") for n in range(500)]
        ids = await queue(r.db, r.clock, "telegram", rows, kind=OutboxKind.BROADCAST, ref="1")
        router = Router(r.db, r.stage.settings, r.clock, senders=r.senders)
        outbox = r.outbox(tuning=Tuning())  # production knobs, 25 a second
        router.observers.append(outbox.observe)
        fake = r.stage.telegram
        # Every send takes 1 s, as over a very slow link: at 25 a second the outbox keeps all of
        # its sending slots busy, and a reply sharing them would wait for one (2 s, not 1).
        fake.send_delay = 1.0
        await r.telegram.start(router.submit)
        outbox.start()
        try:
            # The backlog is flowing: two lanes until the first answer, then as many as
            # the link needs for the pace (all eight at a second a send).
            await asyncio.sleep(2.5)
            before = len(fake.sent)
            assert before >= 3
            latencies = []
            for n in range(5):
                chat = 9_100 + n
                started = time.monotonic()
                fake.inject_message(chat, "xin chào")
                sent = await fake.wait_for_sent(chat, 1, timeout=10)
                latencies.append(time.monotonic() - started)
                assert "mã mời" in (sent[0].text or "")
            pending = (await states(r.db, ids)).count("pending")
            assert pending > 400, "the backlog was no longer there to get in the way"
            # Its own second on the link, and nothing more worth measuring.
            assert max(latencies) < 1.6, f"replies waited {max(latencies):.2f} s"
            print(
                f"\nreplies during a 500-row backlog: max {max(latencies) * 1000:.0f} ms,"
                f" {len(fake.sent) - before} outbox messages meanwhile"
            )
        finally:
            await outbox.stop()
            await r.telegram.stop()
            await router.drain()


@dataclass
class Choosy:
    """A sender that asks for a wait on its first send, then takes everything."""

    name: str = "console"
    sent: list[tuple[str, str, float]] = field(default_factory=list)
    refused: int = 0

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Refuse the very first message with a 429 (retry after 1 s), then keep them all."""
        if not self.refused:
            self.refused += 1
            raise RateLimited(1.0)
        self.sent.append((chat_id, message.text, time.monotonic()))


async def test_a_rate_limited_reply_does_not_hold_the_chat(bot: Bot) -> None:
    choosy = Choosy()
    bot.router.senders.register("console", choosy)
    started = time.monotonic()
    first = await bot.router.dispatch(console_inbound("lan", "xin chào"))
    second = await bot.router.dispatch(console_inbound("lan", "trogiup"))
    handled_in = time.monotonic() - started
    # Both were handled while the first reply was still waiting out its second.
    assert handled_in < 0.8, f"the chat was held {handled_in:.2f} s"
    assert choosy.sent == []
    await bot.router.drain()
    texts = [text for _, text, _ in choosy.sent]
    assert texts == [m.text for m in first.replies + second.replies]  # in order
    assert choosy.sent[0][2] - started >= 0.9  # the wait the platform asked for was kept


async def test_thidua_run_sends_the_outbox_and_stops_cleanly(tmp_path: Path) -> None:
    fake_tg = FakeTelegram(token=TELEGRAM_TOKEN, username="phuong_mau_bot")
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    async with serve(fake_tg.app) as tg_url, fake_zalo.serving():
        settings = Settings(
            database={"path": str(tmp_path / "run.sqlite3")},
            telegram={
                "enabled": True,
                "token": TELEGRAM_TOKEN,
                "base_url": f"{tg_url}/bot",
                "base_file_url": f"{tg_url}/file/bot",
            },
            zalo={"enabled": True, "token": ZALO_TOKEN, "base_url": fake_zalo.api_base},
        )
        zalo_chat = id_for("run-outbox")
        async with open_database(settings.database.path) as db:
            csv = tmp_path / "u.csv"
            csv.write_text(units_csv(), "utf-8")
            await admin.import_units(db, settings, csv)
            clock = settings.make_clock()
            ids = await queue(db, clock, "telegram", [("4242", None, "nhắc qua Telegram")])
            ids += await queue(db, clock, "zalo", [(zalo_chat, None, "nhắc qua Zalo")])
        stop = asyncio.Event()
        runner = asyncio.create_task(run_bot(settings, stop))
        try:
            await fake_tg.wait_for_sent(4242, 1, timeout=10)
            await fake_zalo.wait_for_sent(zalo_chat, 1, timeout=10)
        finally:
            stop.set()
            assert await asyncio.wait_for(runner, timeout=15) == 0
        async with open_database(settings.database.path) as db:
            assert await states(db, ids) == ["sent", "sent"]
            # Queued by another process (`thidua broadcast`) while nothing runs: left for later.
            late = await queue(db, clock, "telegram", [("4243", None, "sau khi dừng")])
            await asyncio.sleep(0.3)
            assert await states(db, late) == ["pending"]
        assert fake_tg.sent_to(4243) == []


async def test_rows_from_another_process_are_found_by_the_poll(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:
        outbox = Outbox(r.db, r.senders, r.clock, r.stage.settings.outbox, tuning=FAST)
        outbox.start()
        try:
            async with open_database(r.stage.settings.database.path) as other:
                ids = await queue(other, r.clock, "zalo", [(id_for("cli"), None, "từ CLI")])
            await until(all_done(r.db, ids), 5, "the row written elsewhere sent")
        finally:
            await outbox.stop()
