"""Start the real Telegram and Zalo adapters against the fake servers, on a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot import admin
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.clock import ManualClock
from bot.config import Settings
from bot.router import Router
from storage.db import Database, open_database
from tests.conftest import START, Bot, Recorder, make_settings, units_csv
from tests.fakes.runner import serve
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_server import FakeZalo

TELEGRAM_TOKEN = "123456:TEST-token-abcdefghijk"
ZALO_TOKEN = "1234567890:fake-zalo-token-abcdefABCDEF"


@dataclass
class Live:
    """A running bot with both channels, and the fakes they talk to."""

    bot: Bot
    telegram: FakeTelegram
    zalo: FakeZalo


@dataclass
class Stage:
    """Both fake servers, settings pointing at them, and a database with the sample tree."""

    telegram: FakeTelegram
    zalo: FakeZalo
    settings: Settings
    db: Database


@asynccontextmanager
async def stage(
    tmp_path: Path, *, telegram: bool = True, zalo: bool = True
) -> AsyncIterator[Stage]:
    """Serve fresh fakes and open a database on the sample tree; the channels are the caller's."""
    fake_tg = FakeTelegram(token=TELEGRAM_TOKEN, username="thidua_test_bot")
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    async with serve(fake_tg.app) as tg_url, fake_zalo.serving():
        settings = make_settings(
            tmp_path,
            telegram={
                "enabled": telegram,
                "token": TELEGRAM_TOKEN,
                "base_url": f"{tg_url}/bot",
                "base_file_url": f"{tg_url}/file/bot",
            },
            zalo={"enabled": zalo, "token": ZALO_TOKEN, "base_url": fake_zalo.api_base},
        )
        csv_path = tmp_path / "units.csv"
        csv_path.write_text(units_csv(), encoding="utf-8")
        async with open_database(settings.database.path) as db:
            await admin.import_units(db, settings, csv_path)
            yield Stage(fake_tg, fake_zalo, settings, db)


@asynccontextmanager
async def live_bot(tmp_path: Path, *, poll_timeout: int = 1) -> AsyncIterator[Live]:
    """Run the router with the Telegram and Zalo adapters against fresh fakes."""
    async with stage(tmp_path) as ready:
        settings, db = ready.settings, ready.db
        clock = ManualClock(START)
        router = Router(db, settings, clock)
        telegram = TelegramChannel(settings.telegram, router, poll_timeout=poll_timeout)
        zalo = ZaloChannel(settings.zalo, router, poll_timeout=poll_timeout)
        await telegram.start()
        await zalo.start()
        try:
            yield Live(Bot(router, clock, Recorder(), settings, db), ready.telegram, ready.zalo)
        finally:
            await zalo.stop()
            await telegram.stop()
