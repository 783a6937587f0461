"""A digest fits its channel: Zalo ≤ 2,000 UTF-16 units a message, Telegram ≤ 4,096, always cut
between lines; long name lists are wrapped, percentages read as people expect."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot import admin
from bot.digest import service
from bot.digest.render import (
    TELEGRAM_LIMIT,
    ZALO_LIMIT,
    limit_for,
    pack,
    percent,
    render,
    utf16_len,
)
from bot.texts import EN, VI
from tests.conftest import Bot
from tests.test_digest import NOW, OTHER

# Long, real-looking names (with diacritics), 60 of them: far more than one Zalo message holds.
NAMES = [f"Tổ dân phố số {n:02d} khu vực Bình Thạnh Đông ấp Phước Hòa" for n in range(1, 61)]


async def seed_sixty(bot: Bot, tmp_path: Path) -> None:
    """A ward of 60 residential areas, none of which has registered."""
    rows = ["code,name,level,parent", "X-60,Phường Sáu Mươi,xa,T-MAU"]
    rows.extend(f"T60-{n:02d},{name},khu_dan_cu,X-60" for n, name in enumerate(NAMES, 1))
    units = tmp_path / "sixty.csv"
    units.write_text("\n".join(rows) + "\n", "utf-8")
    await admin.import_units(bot.db, bot.settings, units)
    campaign = tmp_path / "sixty.toml"
    campaign.write_text(
        OTHER.read_text("utf-8")
        .replace('scope = "T-MAU"', 'scope = "X-60"')
        .replace('code = "vi-nguoi-ngheo-2024"', 'code = "sixty-2024"'),
        "utf-8",
    )
    await bot.load_campaign(campaign)


@pytest.mark.parametrize(("channel", "limit"), [("zalo", ZALO_LIMIT), ("telegram", TELEGRAM_LIMIT)])
async def test_sixty_names_fit_the_channel_cut_between_lines(
    bot: Bot, tmp_path: Path, channel: str, limit: int
) -> None:
    await seed_sixty(bot, tmp_path)
    digest = await service.gather(bot.db, bot.settings, "X-60", NOW)
    zone = bot.settings.schedule.zone()
    whole = render(digest, VI, bot.settings.org, zone, limit=sys.maxsize)
    assert len(whole) == 1 and utf16_len(whole[0]) > ZALO_LIMIT  # it really needs cutting
    messages = render(digest, VI, bot.settings.org, zone, limit=limit_for(channel))
    assert len(messages) >= (2 if channel == "zalo" else 1)
    assert all(utf16_len(message) <= limit for message in messages)
    # Cut between lines, never inside one: the messages' lines are the digest's lines.
    lines = [line for line in whole[0].splitlines() if line]
    assert [line for m in messages for line in m.splitlines() if line] == lines
    assert all(not m.startswith("\n") and m == m.strip() for m in messages)
    text = "\n".join(messages)
    for name in NAMES:  # every area named once, whole
        assert text.count(name) == 1
    assert "Chưa đăng ký (60): Tổ dân phố số 01" in text


def test_pack_keeps_blocks_together_and_cuts_long_ones_between_lines() -> None:
    blocks = [["a" * 10], ["", "b" * 10, "c" * 10], ["d" * 25, "e" * 25, "f" * 25]]
    # A block that fits a message stays whole (and never starts one with its blank line).
    assert pack(blocks, 30) == ["a" * 10, "b" * 10 + "\n" + "c" * 10, "d" * 25, "e" * 25, "f" * 25]
    assert pack(blocks, 40) == [
        "a" * 10 + "\n\n" + "b" * 10 + "\n" + "c" * 10,
        "d" * 25,
        "e" * 25,
        "f" * 25,
    ]
    # A line longer than a whole message (a pathological title) is shortened, never split.
    (only,) = pack([["x" * 50]], 20)
    assert utf16_len(only) <= 20 and only.endswith("…")
    # Astral characters count twice, as Zalo and Telegram count them.
    assert utf16_len("😀") == 2
    assert all(utf16_len(m) <= 10 for m in pack([["😀" * 4, "😀" * 4]], 10))


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (21, 30, "70%"),
        (0, 30, "0%"),
        (30, 30, "100%"),
        (299, 300, "99%"),
        (1, 300, "1%"),
        (0, 0, "0%"),
    ],
)
def test_percent(part: int, whole: int, shown: str) -> None:
    assert percent(part, whole) == shown


async def test_english_twin_renders_the_same_digest(bot: Bot, tmp_path: Path) -> None:
    await seed_sixty(bot, tmp_path)
    digest = await service.gather(bot.db, bot.settings, "X-60", NOW)
    zone = bot.settings.schedule.zone()
    text = "\n".join(render(digest, EN, bot.settings.org, zone))
    assert text.startswith("Digest, morning of Monday, 04/11/2024 — Phường Sáu Mươi")
    assert "Not registered (60):" in text
