"""Invite codes: wrong, expired, reused, someone else's, throttled; stored only as a hash."""

from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot import invites
from tests.conftest import Bot


def test_codes_are_short_and_unambiguous() -> None:
    codes = {invites.new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert re.fullmatch(r"[A-HJKMNP-Z2-9]{8}", code)
        assert not set(code) & set("01OIL")


@given(st.text())
def test_looks_like_code_never_raises(text: str) -> None:
    invites.looks_like_code(text)


def test_typed_variants_read_the_same() -> None:
    assert invites.hash_code("k7mp-q3rx") == invites.hash_code("K7MPQ3RX")
    assert invites.hash_code(" K7MP Q3RX ") == invites.hash_code("K7MPQ3RX")


async def test_valid_code_enrols_and_greets_by_unit_name(bot: Bot) -> None:
    code = await bot.invite("KP-01", "rep")
    replies = await bot.say("ba-lan", code)
    assert "Ban công tác Mặt trận Khu phố 1, Phường Mẫu" in replies[0]
    assert "dangky" in replies[1] and "trogiup" in replies[1]


async def test_code_is_stored_hashed(bot: Bot) -> None:
    code = await bot.invite("KP-01", "rep")
    rows = [tuple(row) for row in await bot.db.conn.execute_fetchall("SELECT * FROM invites")]
    assert rows and code not in repr(rows)


async def test_wrong_code(bot: Bot) -> None:
    replies = await bot.say("x", "ABCD2345")
    assert "không đúng" in replies[0] and "ví dụ" in replies[0]
    async with bot.db.read() as repos:
        assert await repos.members.find("console", "x") is None


async def test_expired_code(bot: Bot) -> None:
    code = await bot.invite("KP-01", "rep", days=7)
    bot.clock.advance(timedelta(days=7, seconds=1))
    replies = await bot.say("ba-lan", code)
    assert "hết hạn" in replies[0] and "27/11/2023" in replies[0]
    async with bot.db.read() as repos:
        assert await repos.members.find("console", "ba-lan") is None


async def test_reused_code_is_someone_elses(bot: Bot) -> None:
    code = await bot.invite("KP-01", "rep")
    await bot.say("ba-lan", code)
    replies = await bot.say("ong-tu", code)
    assert "đã được dùng" in replies[0]
    async with bot.db.read() as repos:
        first = await repos.members.find("console", "ba-lan")
        assert first is not None and first.unit_code == "KP-01"  # the owner keeps it
        assert await repos.members.find("console", "ong-tu") is None


async def test_same_person_reusing_own_code_is_refused_too(bot: Bot) -> None:
    code = await bot.invite("KP-01", "rep")
    await bot.say("ba-lan", code)
    replies = await bot.say("ba-lan", f"/start {code}")
    assert "đã được dùng" in replies[0]


async def test_throttled_after_five_wrong_codes(bot: Bot) -> None:
    good = await bot.invite("KP-01", "rep")
    replies = []
    for _ in range(5):
        replies = await bot.say("mallory", "ZZZZ2222")
    assert "sai mã mời nhiều lần" in replies[0] and "08:15" in replies[0]
    # Even the right code is refused while locked.
    replies = await bot.say("mallory", good)
    assert "thử lại sau" in replies[0]
    # Other chats are not affected.
    other = await bot.invite("KP-02", "rep")
    assert "Chào mừng" in (await bot.say("ba-lan", other))[0]
    # After 15 minutes the right code works.
    bot.clock.advance(timedelta(minutes=15, seconds=1))
    assert "Chào mừng" in (await bot.say("mallory", good))[0]


async def test_fourth_wrong_code_warns_of_the_last_try(bot: Bot) -> None:
    for expected_left in (4, 3, 2):
        replies = await bot.say("x", "ZZZZ2222")
        assert f"Còn {expected_left} lần thử" in replies[0]
    replies = await bot.say("x", "ZZZZ2222")
    assert "lần thử cuối" in replies[0]


async def test_chat_that_is_not_a_code_does_not_count(bot: Bot) -> None:
    for _ in range(10):
        replies = await bot.say("x", "xin chào, tôi muốn tham gia")
        assert "mã mời" in replies[0]
    code = await bot.invite("KP-01", "rep")
    assert "Chào mừng" in (await bot.say("x", code))[0]


async def test_new_code_moves_an_enrolled_person(bot: Bot) -> None:
    await bot.enrol("ba-lan", "KP-01", "rep")
    code = await bot.invite("X-MAU", "secretary")
    replies = await bot.say("ba-lan", f"/start {code}")
    assert "thư ký" in replies[0]
    async with bot.db.read() as repos:
        member = await repos.members.find("console", "ba-lan")
        assert member is not None and member.unit_code == "X-MAU"


async def test_unenrolled_get_only_enrolment(bot: Bot) -> None:
    for text in ("dangky", "tonghop", "moi", "thongbao", "sua 2", "gui"):
        replies = await bot.say("stranger", text)
        assert "mã mời" in replies[0], text
    assert "chưa tham gia" in (await bot.say("stranger", "trogiup"))[0]


def test_parse_duration() -> None:
    assert invites.parse_duration("7d") == timedelta(days=7)
    assert invites.parse_duration("12h") == timedelta(hours=12)
    assert invites.parse_duration("2w") == timedelta(weeks=2)
    for bad in ("", "7", "d", "0d", "-1d", "7 days"):
        try:
            invites.parse_duration(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
