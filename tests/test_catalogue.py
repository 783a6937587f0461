"""The parsed-campaign cache belongs to its database: two databases never mix their forms."""

from __future__ import annotations

from pathlib import Path

from bot import admin
from bot.forms import catalogue
from storage.db import open_database
from tests.conftest import START, make_settings, units_csv
from tests.transcript_runner import campaign_path


async def test_two_databases_in_one_process_keep_their_own_forms(tmp_path: Path) -> None:
    source = campaign_path("example").read_text("utf-8")
    # The same code at the same revision (1) in both databases, with different form titles.
    changed = source.replace('title = "Đăng ký công trình', 'title = "Đăng ký phần việc', 1)
    assert changed != source
    titles: list[str] = []
    for name, text in (("a", source), ("b", changed)):
        folder = tmp_path / name
        folder.mkdir()
        settings = make_settings(folder)
        (folder / "units.csv").write_text(units_csv(), "utf-8")
        (folder / "campaign.toml").write_text(text, "utf-8")
        async with open_database(settings.database.path) as db:
            await admin.import_units(db, settings, folder / "units.csv")
            _, revision = await admin.load_campaign(db, settings, folder / "campaign.toml", START)
            assert revision == 1
            async with db.read() as repos:
                first = (await catalogue.load_all(repos))[0]
            titles.append(first.forms[0].title)
    assert titles[0].startswith("Đăng ký công trình")
    assert titles[1].startswith("Đăng ký phần việc")
