"""Hardening of what is stored: invisible characters, and the inbox of seen update keys."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.maintenance import INBOX_WINDOW, prune_inbox
from bot.messages import Inbound, clean_text
from storage.db import bundled_migrations, open_database
from storage.models import Unit
from tests.conftest import Bot

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad"]


@pytest.mark.parametrize("mark", ZERO_WIDTH)
def test_invisible_characters_never_reach_a_handler(mark: str) -> None:
    inbound = Inbound(channel="zalo", chat_id="c", user_id="c", text=f"trang{mark}thai{mark}")
    assert inbound.text == "trangthai"


def test_text_is_composed_to_nfc() -> None:
    decomposed = "Khu pho\u0302\u0301"  # "Khu phố" typed as letters plus combining marks
    assert clean_text(decomposed) == "Khu phố"


@pytest.mark.parametrize("mark", ZERO_WIDTH)
async def test_a_command_with_an_invisible_tail_is_understood(bot: Bot, mark: str) -> None:
    await bot.enrol("lan", "KP-01", "rep")
    replies = await bot.say("lan", f"trangthai{mark}")
    assert "gõ trogiup" not in replies[0]
    assert replies == await bot.say("lan", "trangthai")


async def test_seen_keys_are_forgotten_after_the_window_only(bot: Bot) -> None:
    now = bot.clock.now()
    async with bot.db.transaction() as repos:
        for n in range(1200):  # more than one pruning batch
            await repos.inbox.record(f"telegram:{n}", now - INBOX_WINDOW - timedelta(hours=1))
        assert await repos.inbox.record("telegram:recent", now - INBOX_WINDOW + timedelta(hours=1))
    assert await prune_inbox(bot.db, now) == 1200
    async with bot.db.transaction() as repos:
        # Within the window a key is still known: a redelivery is still a repeat.
        assert not await repos.inbox.record("telegram:recent", now)
        assert await repos.inbox.record("telegram:5", now)
    assert await prune_inbox(bot.db, now) == 0


async def test_a_redelivered_update_inside_the_window_stays_a_repeat(bot: Bot) -> None:
    inbound = Inbound(channel="console", chat_id="lan", user_id="lan", text="trogiup", key="k:1")
    first = await bot.send(inbound)
    bot.clock.advance(INBOX_WINDOW - timedelta(minutes=1))
    await prune_inbox(bot.db, bot.clock.now())
    again = await bot.send(inbound)
    assert not first.duplicate and again.duplicate


async def test_members_enrolled_from_a_group_are_rebound_to_their_own_chat(tmp_path: Path) -> None:
    async with open_database(tmp_path / "old.sqlite3", migrate=False) as db:
        await db.migrate(bundled_migrations()[:3])
        async with db.transaction() as repos:
            await repos.units.upsert_many(
                [Unit(code="X", name="Xã", level="xa", parent_code=None, path="/X/", depth=0)]
            )
        now = "2023-11-20T01:00:00.000000Z"
        for channel, user, chat in (
            ("zalo", "u1", "group1"),
            ("zalo", "u2", "u2"),
            ("console", "c", "d"),
        ):
            await db.conn.execute(
                "INSERT INTO members (channel, user_id, chat_id, unit_code, role, enrolled_at)"
                " VALUES (?, ?, ?, 'X', 'rep', ?)",
                (channel, user, chat, now),
            )
        await db.migrate()
        rows = await db.conn.execute_fetchall("SELECT user_id, chat_id FROM members ORDER BY id")
        assert [tuple(row) for row in rows] == [("u1", "u1"), ("u2", "u2"), ("c", "d")]
