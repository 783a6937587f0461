"""The real Telegram and Zalo adapters against the fake servers, both at once (tests/driver.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.driver import TELEGRAM_TOKEN, ZALO_TOKEN, Bot, Stage, open_bot, stage
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_server import FakeZalo

__all__ = ["TELEGRAM_TOKEN", "ZALO_TOKEN", "Live", "Stage", "live_bot", "stage"]


@dataclass
class Live:
    """A running bot with both channels, and the fakes they talk to."""

    bot: Bot
    telegram: FakeTelegram
    zalo: FakeZalo


@asynccontextmanager
async def live_bot(tmp_path: Path, *, poll_timeout: int = 1) -> AsyncIterator[Live]:
    """Run the router with the Telegram and Zalo adapters against fresh fakes."""
    async with open_bot(
        tmp_path, "telegram", live=("telegram", "zalo"), poll_timeout=poll_timeout
    ) as bot:
        assert bot.telegram is not None and bot.zalo is not None
        yield Live(bot, bot.telegram, bot.zalo)
