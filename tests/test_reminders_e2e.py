"""`thidua run` on the simulated clock: the reminder reaches the unit that has not registered,
through the real Telegram adapter and the fake Bot API, and nobody else."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot import admin
from bot.config import Settings
from bot.runtime import run_bot
from storage.db import open_database
from storage.models import Role
from tests.conftest import units_csv
from tests.fakes.runner import serve
from tests.fakes.telegram_server import FakeTelegram
from tests.transcript_runner import campaign_path

TOKEN = "123456:TEST-token-abcdefghijk"


async def test_the_reminder_tick_runs_in_thidua_run(tmp_path: Path) -> None:
    fake = FakeTelegram(token=TOKEN, username="phuong_mau_bot")
    async with serve(fake.app) as url:
        settings = Settings(
            database={"path": str(tmp_path / "run.sqlite3")},
            telegram={
                "enabled": True,
                "token": TOKEN,
                "base_url": f"{url}/bot",
                "base_file_url": f"{url}/file/bot",
            },
            # 08:04:58 on the Monday before the deadline; the -3d reminder is due at 08:00.
            clock={"start": "2023-11-27T08:04:58+07:00", "speed": 1.0},
        )
        async with open_database(settings.database.path) as db:
            csv = tmp_path / "u.csv"
            csv.write_text(units_csv(), "utf-8")
            await admin.import_units(db, settings, csv)
            now = settings.make_clock().now()
            await admin.load_campaign(db, settings, campaign_path("example"), now)
            async with db.transaction() as repos:
                for user, unit in (("501", "KP-01"), ("502", "KP-02")):
                    await repos.members.enrol(
                        channel="telegram",
                        user_id=user,
                        chat_id=user,
                        display_name=user,
                        unit_code=unit,
                        role=Role.REP,
                        now=now,
                    )
            async with db.transaction() as repos:  # KP-01 registered a work already
                await repos.submissions.create(
                    campaign_code="dai-hoi-mttq-2024",
                    form_id="dang-ky",
                    unit_code="KP-01",
                    work_id=None,
                    answers={"ten": "Thắp sáng hẻm 12"},
                    member_id=None,
                    now=now - timedelta(days=1),
                    late_days=0,
                )
        stop = asyncio.Event()
        runner = asyncio.create_task(run_bot(settings, stop))
        try:
            sent = await fake.wait_for_sent(502, 1, timeout=15)
            assert "Còn 3 ngày nữa (Thứ Năm, 30/11/2023)" in (sent[0].text or "")
            assert "Khu phố 2" in (sent[0].text or "")
            await asyncio.sleep(1.0)
            assert fake.sent_to(501) == []
        finally:
            stop.set()
            assert await asyncio.wait_for(runner, timeout=15) == 0
