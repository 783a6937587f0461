"""The router: dedupe, per-chat order with parallel chats, calm failures, cancel, unknown input."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.console import console_inbound
from bot.messages import Inbound, InboundKind
from bot.router import COMMANDS
from bot.words import Command
from tests.conftest import Bot


async def test_same_key_is_handled_once(bot: Bot) -> None:
    message = Inbound(channel="console", chat_id="a", user_id="a", text="trogiup", key="k-1")
    first = await bot.send(message)
    second = await bot.send(message)
    assert first.replies and not first.duplicate
    assert second.duplicate and second.replies == []
    assert len(bot.recorder.texts("a")) == 1


async def test_a_failed_update_can_be_delivered_again(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def boom(ctx: object) -> list[object]:
        raise RuntimeError("handler bug")

    monkeypatch.setitem(COMMANDS, Command.TROGIUP, ("help", boom))
    message = Inbound(channel="console", chat_id="a", user_id="a", text="trogiup", key="k-2")
    await bot.enrol("a", "KP-01", "rep")
    failed = await bot.send(message)
    assert failed.handler == "failed"
    text = failed.replies[0].text
    assert "trục trặc" in text and "Traceback" not in text and "handler bug" not in text
    monkeypatch.undo()
    again = await bot.send(message)  # the inbox row rolled back with the failure
    assert not again.duplicate and "dangky" in again.replies[0].text


async def test_one_chat_in_order_many_chats_in_parallel(bot: Bot) -> None:
    await bot.enrol("sec", "X-MAU", "secretary")
    # One person's steps arrive at once; they must be applied in order.
    steps = ["moi", "2", "1"]
    await asyncio.gather(*(bot.router.dispatch(console_inbound("sec", s)) for s in steps))
    texts = bot.recorder.texts("sec")
    assert "Mời cho đơn vị nào" in texts[-3]
    assert "vai trò nào cho Khu phố 2" in texts[-2]
    assert "Đã tạo mã mời đại diện" in texts[-1]
    # Many people at once.
    people = [f"p{i}" for i in range(30)]
    await asyncio.gather(*(bot.say(p, "xin chào") for p in people))
    for p in people:
        assert len(bot.recorder.texts(p)) == 1


async def test_huy_always_calms(bot: Bot) -> None:
    await bot.enrol("sec", "X-MAU", "secretary")
    await bot.say("sec", "moi")
    assert "Đã dừng" in (await bot.say("sec", "Hủy"))[0]
    assert "không có việc gì" in (await bot.say("sec", "/huy"))[0]
    assert "Chưa hiểu" in (await bot.say("sec", "2"))[0]  # the flow really ended


async def test_navigation_words_outside_a_flow(bot: Bot) -> None:
    await bot.enrol("rep", "KP-01", "rep")
    for word in ("quay lại", "bỏ qua", "sửa 2", "gửi"):
        assert "không có câu hỏi nào" in (await bot.say("rep", word))[0]


async def test_unknown_text_is_kind(bot: Bot) -> None:
    await bot.enrol("rep", "KP-01", "rep")
    for text in ("xin chào", "🙂🙂🙂", "x" * 10_000, "\x00\x1b[31m", "Привет"):
        replies = await bot.say("rep", text)
        assert replies == [bot.router.texts("unknown")]


async def test_photos_outside_a_form_get_a_sentence(bot: Bot) -> None:
    await bot.enrol("rep", "KP-01", "rep")
    photo = Inbound(
        channel="console", chat_id="rep", user_id="rep", kind=InboundKind.PHOTO, photo_ref="f"
    )
    handled = await bot.send(photo)
    assert "gõ chữ" in handled.replies[0].text


async def test_moi_cannot_reach_above_or_sideways(bot: Bot) -> None:
    await bot.enrol("sec", "X-SONG", "secretary")
    await bot.say("sec", "moi")
    replies = await bot.say("sec", "KP-01")  # a khu phố of another ward
    assert "Không thấy đơn vị" in replies[0]
    replies = await bot.say("sec", "X-SONG")  # own unit: not "below"
    assert "Không thấy đơn vị" in replies[0]
    replies = await bot.say("sec", "binh")  # two hamlets match by name without diacritics
    assert "Có 2 đơn vị khớp" in replies[0]
    replies = await bot.say("sec", "2")
    assert "Ấp Bình Hòa" in replies[0]
    assert "Quản trị" not in replies[0]
    replies = await bot.say("sec", "3")
    assert "Chưa rõ vai trò" in replies[0]
    replies = await bot.say("sec", "thu ky")  # typed label prefix, without diacritics
    assert "Đã tạo mã mời thư ký" in replies[0]


async def test_moi_searches_when_the_subtree_is_large(bot: Bot) -> None:
    await bot.enrol("admin", "T-MAU", "admin")
    rows = "\n".join(f"KP-{i:02d},Khu phố {i},khu_dan_cu,X-MAU" for i in range(5, 30))
    path = bot.db.path + ".csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("code,name,level,parent\n" + rows + "\n")
    from pathlib import Path

    from bot import admin

    await admin.import_units(bot.db, bot.settings, Path(path))
    replies = await bot.say("admin", "moi")
    assert "gõ mã hoặc một phần tên" in replies[0]
    replies = await bot.say("admin", "khu pho")
    assert "nhiều quá" in replies[0]
    replies = await bot.say("admin", "kp-17")
    assert "Khu phố 17" in replies[0] and "Quản trị" in replies[0]
