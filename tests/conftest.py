"""Shared fixtures: the `bot` driver (tests/driver.py) on the console, and a CLI work folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.driver import START, Bot, Recorder, make_settings, open_bot, units_csv

__all__ = ["START", "Bot", "Recorder", "make_settings", "units_csv"]


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
    async with open_bot(tmp_path) as driver:
        yield driver
