"""SIGKILL in the middle of a broadcast, start again: nobody skipped, nobody twice beyond the
messages in flight at the kill (the bound in bot/outbox.py's docstring)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.config import OutboxConfig
from bot.messages import Outbound
from bot.outbox import default_pace, enqueue
from storage.db import open_database
from storage.models import OutboxKind, OutboxState
from tests.channels_harness import TELEGRAM_TOKEN
from tests.fakes.runner import serve
from tests.fakes.telegram_server import FakeTelegram

THIDUA = str(Path(sys.executable).with_name("thidua"))
PEOPLE = 300
RATE = 30


def free_port() -> int:
    """A free local TCP port (for the bot's web app, so runs side by side do not collide)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_sigkill_mid_broadcast_then_resume(tmp_path: Path) -> None:
    fake = FakeTelegram(token=TELEGRAM_TOKEN)
    fake.flood_control(RATE, per_chat=1.0)
    fake.send_delay = 0.05  # each send takes a moment: some are in flight when the bot dies
    database = tmp_path / "bot.sqlite3"
    chats = [str(900_000 + n) for n in range(PEOPLE)]
    async with open_database(database) as db, db.transaction() as repos:
        now = datetime.now(UTC)
        ids = [
            await enqueue(
                repos,
                channel="telegram",
                chat_id=chat,
                member_id=None,
                kind=OutboxKind.BROADCAST,
                ref="1",
                message=Outbound(text=f"Thông báo số 1 gửi {chat}"),
                not_before=now,
                now=now,
            )
            for chat in chats
        ]
    async with serve(fake.app) as url:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[database]\npath = "{database}"\n'
            f'[telegram]\nenabled = true\nbase_url = "{url}/bot"\nbase_file_url = "{url}/file/bot"\n'
            f"[zalo]\nenabled = false\n"
            f'[web]\nlisten = "127.0.0.1:{free_port()}"\n'
            f"[outbox]\ntelegram_per_second = {RATE}\n",
            "utf-8",
        )
        env = {**os.environ, "THIDUA_CONFIG": str(config), "THIDUA_TELEGRAM__TOKEN": TELEGRAM_TOKEN}
        log = (tmp_path / "run.log").open("w")

        async def start_bot() -> asyncio.subprocess.Process:
            return await asyncio.create_subprocess_exec(
                THIDUA, "run", env=env, stdout=log, stderr=log
            )

        proc = await start_bot()
        try:
            deadline = time.monotonic() + 30
            while len(fake.sent) < PEOPLE // 3:
                assert proc.returncode is None, (tmp_path / "run.log").read_text()
                assert time.monotonic() < deadline, "the broadcast never got going"
                await asyncio.sleep(0.01)
        finally:
            proc.kill()  # SIGKILL: no clean shutdown, sends in flight abandoned
            await proc.wait()
        await asyncio.sleep(0.2)  # what was on its way reaches the fake
        async with open_database(database) as db, db.read() as repos:
            recorded = {
                row_id
                for row_id in ids
                if (row := await repos.outbox.get(row_id)) and row["state"] == "sent"
            }
        at_kill = len(fake.sent)
        assert 0 < len(recorded) < PEOPLE
        proc = await start_bot()
        try:
            deadline = time.monotonic() + 60
            while True:
                async with open_database(database) as db, db.read() as repos:
                    counts = await repos.outbox.counts(OutboxKind.BROADCAST, "1")
                if not counts.get(OutboxState.PENDING):
                    break
                assert proc.returncode is None, (tmp_path / "run.log").read_text()
                assert time.monotonic() < deadline, f"not finished after the restart: {counts}"
                await asyncio.sleep(0.2)
        finally:
            proc.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(proc.wait(), timeout=20) == 0
            log.close()
    assert counts == {OutboxState.SENT: PEOPLE}
    copies = Counter(m.chat_id for m in fake.sent)
    skipped = [chat for chat in chats if copies[chat] == 0]
    assert skipped == [], f"{len(skipped)} people never got the broadcast"
    for row_id, chat in zip(ids, chats, strict=True):
        if row_id in recorded:
            assert copies[chat] == 1, f"{chat} was recorded as sent, and got it again"
    twice = sum(count - 1 for count in copies.values())
    bound = default_pace("telegram", OutboxConfig(telegram_per_second=RATE)).in_flight
    assert twice <= bound, f"{twice} sent twice; the bound is {bound} (the sending lanes)"
    assert "Traceback" not in (tmp_path / "run.log").read_text()
    print(
        f"\nkilled at {at_kill} sent ({len(recorded)} recorded); {twice} sent twice"
        f" (bound {bound}); {fake.too_many} 429s"
    )
