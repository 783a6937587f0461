"""Shared fixtures: a real SQLite file, the sample tree, a manual clock, a router that records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest

from bot import admin
from bot.channels.console import console_inbound
from bot.clock import ManualClock
from bot.config import Settings
from bot.messages import Inbound, Outbound
from bot.router import Handled, Router
from storage.db import Database, open_database
from storage.models import Role

START = datetime.fromisoformat("2023-11-20T08:00:00+07:00")


def units_csv() -> str:
    """Return the sample organisation tree shipped with the bot."""
    return resources.files("bot").joinpath("data/units.csv").read_text("utf-8")


@dataclass
class Recorder:
    """A channel that keeps what the bot sends, per chat."""

    name: str = "console"
    sent: list[tuple[str, Outbound]] = field(default_factory=list)

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Keep the message."""
        self.sent.append((chat_id, message))

    def texts(self, chat_id: str) -> list[str]:
        """Return the texts sent to one chat."""
        return [m.text for c, m in self.sent if c == chat_id]


@dataclass
class Bot:
    """A router on a real database with the sample tree, driven from the console channel."""

    router: Router
    clock: ManualClock
    recorder: Recorder
    settings: Settings
    db: Database

    async def say(self, user: str, text: str) -> list[str]:
        """`user` types `text`; return the texts of the replies."""
        handled = await self.router.dispatch(console_inbound(user, text))
        return [m.text for m in handled.replies]

    async def send(self, inbound: Inbound) -> Handled:
        """Dispatch any inbound."""
        return await self.router.dispatch(inbound)

    async def invite(self, unit: str, role: Role | str, days: int = 7) -> str:
        """Create an invite as the command line does; return its code."""
        info = await admin.make_invite(
            self.db,
            self.settings,
            unit_code=unit,
            role=Role(role),
            expires_in=timedelta(days=days),
            now=self.clock.now(),
        )
        return str(info["code"])

    async def enrol(self, user: str, unit: str, role: Role | str) -> None:
        """Enrol `user` on the console with a fresh invite."""
        code = await self.invite(unit, role)
        replies = await self.say(user, code)
        assert "Chào mừng" in replies[0], replies


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Return settings on a database file in `tmp_path`, Telegram off unless asked."""
    values: dict[str, object] = {
        "database": {"path": str(tmp_path / "thidua.sqlite3")},
        "telegram": {"enabled": False},
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def cli_workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a config.toml on its own database (Telegram off) and the sample units CSV."""
    (tmp_path / "config.toml").write_text(
        '[database]\npath = "t.sqlite3"\n[telegram]\nenabled = false\n', "utf-8"
    )
    (tmp_path / "units.csv").write_text(units_csv(), "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("THIDUA_CONFIG", raising=False)
    return tmp_path


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    """A router with the sample units imported, on a manual clock at 20/11/2023 08:00."""
    settings = make_settings(tmp_path)
    csv_path = tmp_path / "units.csv"
    csv_path.write_text(units_csv(), encoding="utf-8")
    async with open_database(settings.database.path) as db:
        await admin.import_units(db, settings, csv_path)
        clock = ManualClock(START)
        router = Router(db, settings, clock)
        recorder = Recorder()
        router.register("console", recorder)
        yield Bot(router, clock, recorder, settings, db)
