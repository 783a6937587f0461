"""The reminder tick on a real database: who is reminded, when, exactly once, in quiet hours."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from bot import admin
from bot.scheduling import Scheduler, tick_reminders
from tests.conftest import Bot
from tests.transcript_runner import campaign_path


def at(text: str) -> datetime:
    """A local time in Vietnam."""
    return datetime.fromisoformat(f"{text}+07:00")


async def _outbox(bot: Bot) -> list[tuple[str, str, str, str]]:
    rows = await bot.db.conn.execute_fetchall(
        "SELECT chat_id, ref, not_before, payload FROM outbox WHERE kind = 'reminder' ORDER BY id"
    )
    return [(r[0], r[1], r[2], json.loads(r[3])["text"]) for r in rows]


async def _campaign(bot: Bot, path: Path | None = None) -> None:
    await admin.load_campaign(
        bot.db, bot.settings, path or campaign_path("example"), bot.clock.now()
    )


async def _register(bot: Bot, user: str) -> None:
    for text in ["dangky", "Thắp sáng hẻm", "1", "1", "Lắp đèn", "Hẻm 1", "11/2023", "12/2023",
                 "5 triệu", "1", "10", "boqua", "gui", "2"]:  # fmt: skip
        await bot.say(user, text)


async def test_only_units_that_have_not_registered_are_reminded(bot: Bot) -> None:
    await _campaign(bot)
    for user, unit in (("lan", "KP-01"), ("binh", "KP-02"), ("cuc", "KP-02")):
        await bot.enrol(user, unit, "rep")
    await _register(bot, "lan")
    queued = await tick_reminders(bot.db, bot.settings, at("2023-11-27T08:05:00"))
    rows = await _outbox(bot)
    assert queued == 2 and sorted(r[0] for r in rows) == ["binh", "cuc"]
    assert all(r[1] == "dai-hoi-mttq-2024/dang-ky/-3d" for r in rows)
    assert "Còn 3 ngày nữa (Thứ Năm, 30/11/2023)" in rows[0][3]
    assert "Khu phố 2" in rows[0][3] and "gõ dangky" in rows[0][3]


async def test_each_reminder_goes_once_across_ticks_and_restarts(bot: Bot) -> None:
    await _campaign(bot)
    await bot.enrol("binh", "KP-02", "rep")
    now = at("2023-11-27T08:05:00")
    assert await tick_reminders(bot.db, bot.settings, now) == 1
    assert await tick_reminders(bot.db, bot.settings, now + timedelta(hours=3)) == 0
    restarted = Scheduler(bot.db, bot.settings, bot.clock)  # a new process, same database
    bot.clock.set(now + timedelta(hours=5))
    assert await restarted.tick() == 0
    assert len(await _outbox(bot)) == 1


async def test_after_an_outage_only_the_latest_reminder_goes(bot: Bot) -> None:
    await _campaign(bot)
    await bot.enrol("binh", "KP-02", "rep")
    # Nothing ran from 20/11 to 29/11: -7d and -3d passed unseen.
    assert await tick_reminders(bot.db, bot.settings, at("2023-11-29T10:00:00")) == 1
    rows = await _outbox(bot)
    assert [r[1] for r in rows] == ["dai-hoi-mttq-2024/dang-ky/-1d"]


async def test_quiet_hours_hold_the_reminder_until_morning(bot: Bot) -> None:
    await _campaign(bot)
    await bot.enrol("binh", "KP-02", "rep")
    await tick_reminders(bot.db, bot.settings, at("2023-11-27T22:30:00"))
    (row,) = await _outbox(bot)
    assert row[2].startswith("2023-11-28T00:00:00")  # 07:00 in Vietnam, stored in UTC


async def test_a_moved_deadline_is_planned_again(bot: Bot, tmp_path: Path) -> None:
    await _campaign(bot)
    await bot.enrol("binh", "KP-02", "rep")
    assert await tick_reminders(bot.db, bot.settings, at("2023-11-27T08:05:00")) == 1
    moved = tmp_path / "moved.toml"
    text = campaign_path("example").read_text("utf-8")
    moved.write_text(text.replace("due_on = 2023-11-30", "due_on = 2023-12-10", 1), "utf-8")
    await _campaign(bot, moved)
    # The old deadline's -1d does not come; the new one's -7d does.
    assert await tick_reminders(bot.db, bot.settings, at("2023-11-29T10:00:00")) == 0
    assert await tick_reminders(bot.db, bot.settings, at("2023-12-03T08:05:00")) == 1
    assert (await _outbox(bot))[-1][1] == "dai-hoi-mttq-2024/dang-ky/-7d"


async def test_a_unit_without_anyone_enrolled_is_skipped_quietly(bot: Bot) -> None:
    await _campaign(bot)
    assert await tick_reminders(bot.db, bot.settings, at("2023-11-27T08:05:00")) == 0


async def _digests(bot: Bot) -> list[tuple[str, str, str]]:
    rows = await bot.db.conn.execute_fetchall(
        "SELECT chat_id, ref, payload FROM outbox WHERE kind = 'digest' ORDER BY id"
    )
    return [(r[0], r[1], json.loads(r[2])["text"]) for r in rows]


async def test_secretaries_get_the_digest_once_per_morning(bot: Bot) -> None:
    from bot.scheduling import tick_digests

    await _campaign(bot)
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    await bot.enrol("lan", "KP-01", "rep")
    monday = at("2023-11-27T07:31:00")  # digest_cron "30 7 * * mon-fri"
    assert await tick_digests(bot.db, bot.settings, monday) >= 1
    assert await tick_digests(bot.db, bot.settings, monday + timedelta(hours=2)) == 0
    rows = await _digests(bot)
    assert {row[0] for row in rows} == {"thu-ky"}  # representatives get no digest
    assert "Tổng hợp" in rows[0][2] and "Phường Mẫu" in rows[0][2]
    # Down from Tuesday to Friday morning: one digest, for Friday, not four.
    before = len(rows)
    assert await tick_digests(bot.db, bot.settings, at("2023-12-01T09:00:00")) >= 1
    rows = await _digests(bot)
    assert {row[1] for row in rows[before:]} == {"digest/2023-12-01T07:30:00+07:00"}


async def test_no_digest_before_the_first_morning(bot: Bot) -> None:
    from bot.scheduling import latest_fire

    zone = bot.settings.schedule.zone()
    assert latest_fire("30 7 * * mon-fri", zone, at("2023-11-27T07:29:00")) == at(
        "2023-11-24T07:30:00"
    )
    assert latest_fire("30 7 * * mon-fri", zone, at("2023-11-26T12:00:00")) == at(
        "2023-11-24T07:30:00"
    )


async def test_no_two_reminders_of_one_deadline_within_hours(bot: Bot) -> None:
    await _campaign(bot)
    await bot.enrol("binh", "KP-02", "rep")  # enrolled after -7d's time: it is still owed
    assert await tick_reminders(bot.db, bot.settings, at("2023-11-27T07:31:00")) == 1
    # At 08:00 the -3d reminder falls due: claimed, but not sent half an hour after the other.
    assert await tick_reminders(bot.db, bot.settings, at("2023-11-27T08:01:00")) == 0
    assert await tick_reminders(bot.db, bot.settings, at("2023-11-29T08:01:00")) == 1
    assert [r[1].rsplit("/", 1)[1] for r in await _outbox(bot)] == ["-7d", "-1d"]


async def test_a_morning_digest_is_not_sent_at_night(bot: Bot) -> None:
    from bot.scheduling import tick_digests

    await _campaign(bot)
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    # Back at 22:00 after a day down: that morning's digest is stale; the next one comes.
    assert await tick_digests(bot.db, bot.settings, at("2023-11-29T22:00:00")) == 0
    assert await tick_digests(bot.db, bot.settings, at("2023-11-30T07:31:00")) >= 1


async def test_a_held_reminder_counts_the_days_from_when_it_is_read(bot: Bot) -> None:
    await _campaign(bot)
    await bot.enrol("binh", "KP-02", "rep")
    await tick_reminders(bot.db, bot.settings, at("2023-11-29T22:00:00"))  # -1d, held to 07:00
    (row,) = await _outbox(bot)
    assert "Hôm nay (Thứ Năm, 30/11/2023) là hạn chót" in row[3]
