"""`thongbao` in the chat: the text, the audience by numbered menus, a preview with the count
per channel, sending now or at a time (never inside quiet hours), and who may do it."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from bot.broadcasts.progress import ProgressReporter
from bot.channels.console import console_inbound
from bot.messages import Outbound
from bot.outbox import Outbox
from handlers.subtree import find_units
from storage.models import Unit
from tests.channels_harness import live_bot
from tests.driver import Bot
from tests.test_export_cli import EXAMPLE


async def _people(bot: Bot) -> None:
    """An admin of Phường Mẫu, four representatives and a secretary; a rep of Xã Sông."""
    await bot.load_campaign(EXAMPLE)
    await bot.enrol("admin", "X-MAU", "admin")
    for user, unit in (("kp1", "KP-01"), ("kp2", "KP-02"), ("kp3", "KP-03"), ("kp4", "KP-04")):
        await bot.enrol(user, unit, "rep")
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    await bot.enrol("ap1", "AP-01", "rep")


async def _replies(bot: Bot, user: str, text: str) -> list[Outbound]:
    return (await bot.send(console_inbound(user, text))).replies


async def _rows(bot: Bot) -> list[tuple[str, str, str]]:
    conn = bot.db.conn
    rows = await conn.execute_fetchall(
        "SELECT o.chat_id, b.payload, o.not_before FROM outbox AS o"
        " JOIN broadcasts AS b ON b.id = CAST(o.ref AS INTEGER)"
        " WHERE o.kind = 'broadcast' ORDER BY o.chat_id"
    )
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


async def test_a_secretary_and_a_representative_are_told_it_is_for_admins(bot: Bot) -> None:
    await _people(bot)
    for user in ("thu-ky", "kp1"):
        reply = (await bot.say(user, "thongbao"))[0]
        assert "quản trị" in reply, reply


async def test_everyone_now_reaches_the_subtree_once_each(bot: Bot) -> None:
    await _people(bot)
    assert "nội dung thông báo" in (await bot.say("admin", "thongbao"))[0]
    menu = (await bot.say("admin", "Hội nghị sơ kết dời sang 8 giờ ngày 28/8."))[0]
    assert menu.startswith("Gửi thông báo cho ai?") and "1. Mọi người thuộc Phường Mẫu" in menu
    preview = (await bot.say("admin", "1"))[0]
    # admin + 4 reps + secretary, all on the console; Ấp Bình An is another commune.
    assert "sẽ đến 6 người (màn hình 6)" in preview and "1. Gửi ngay" in preview, preview
    queued = (await bot.say("admin", "gửi ngay"))[0]
    assert queued.startswith("Đã nhận thông báo số 1 tới 6 người"), queued
    rows = await _rows(bot)
    assert sorted(r[0] for r in rows) == sorted(["admin", "kp1", "kp2", "kp3", "kp4", "thu-ky"])
    assert all("Hội nghị sơ kết dời sang 8 giờ ngày 28/8." in r[1] for r in rows)


async def test_only_the_units_that_have_not_sent_a_form(bot: Bot) -> None:
    await _people(bot)
    from tests.test_export_cli import _answers

    for text in _answers("Thắp sáng hẻm 12", "45 triệu", "120"):
        await bot.say("kp1", text)
    await bot.say("admin", "thongbao")
    await bot.say("admin", "Kính nhắc các khu phố nộp đăng ký trước 30/11.")
    forms = (await bot.say("admin", "chưa nộp"))[0]
    assert "1. Đăng ký công trình, phần việc thi đua" in forms, forms
    preview = (await bot.say("admin", "1"))[0]
    # KP-02..04, named: who gets reminded is what the admin checks; KP-01 registered.
    assert "sẽ đến 3 người ở Khu phố 2, Khu phố 3, Khu phố 4 (màn hình 3)" in preview, preview
    await bot.say("admin", "1")
    assert sorted(r[0] for r in await _rows(bot)) == ["kp2", "kp3", "kp4"]


async def test_one_unit_below_by_name(bot: Bot) -> None:
    await _people(bot)
    await bot.say("admin", "thongbao")
    await bot.say("admin", "Họp tổ tối nay.")
    menu = (await bot.say("admin", "1"))[0]
    del menu
    await bot.say("admin", "quaylai")
    ask = (await bot.say("admin", "một đơn vị"))[0]
    assert "mã hoặc tên đơn vị" in ask
    assert "sẽ đến 1 người" in (await bot.say("admin", "khu pho 3"))[0]
    await bot.say("admin", "1")
    assert [r[0] for r in await _rows(bot)] == ["kp3"]
    # A unit outside the admin's subtree is not found. The first one is still going out, so
    # thongbao offers to stop it first.
    menu = (await bot.say("admin", "thongbao"))[0]
    assert "1. Soạn thông báo mới" in menu and "2. Dừng thông báo số 1 (đã gửi 0/1)" in menu
    await bot.say("admin", "soạn")
    await bot.say("admin", "Họp tổ.")
    await bot.say("admin", "một đơn vị")
    assert "Không thấy đơn vị" in (await bot.say("admin", "AP-01"))[0]


async def test_several_units_typed_at_once_or_picked_by_number(bot: Bot) -> None:
    await _people(bot)
    await bot.say("admin", "thongbao")
    await bot.say("admin", "Họp liên tổ tối nay.")
    assert "dấu phẩy" in (await bot.say("admin", "một đơn vị"))[0]
    # Codes and names, commas or "và", in any order: each unit once, named in the preview.
    preview = (await bot.say("admin", "KP-03, khu pho 1 và kp-03"))[0]
    assert "sẽ đến 2 người ở Khu phố 1, Khu phố 3 (màn hình 2)" in preview, preview
    await bot.say("admin", "quaylai")
    await bot.say("admin", "một đơn vị")
    # A word that is not a unit is named, and nothing is guessed.
    unclear = (await bot.say("admin", "KP-01, chợ, KP-02"))[0]
    assert unclear.startswith("Chưa rõ đơn vị “chợ”"), unclear
    # Several matches: a numbered list, from which several may be picked.
    choices = (await bot.say("admin", "khu pho"))[0]
    assert "1. Khu phố 1 (KP-01)" in choices and "1,3" in choices, choices
    preview = (await bot.say("admin", "2 4"))[0]
    assert "sẽ đến 2 người ở Khu phố 2, Khu phố 4" in preview, preview
    await bot.say("admin", "gửi ngay")
    assert [r[0] for r in await _rows(bot)] == ["kp2", "kp4"]
    async with bot.db.read() as repos:
        sent = await repos.broadcasts.get(1)
    assert sent is not None and sent.unit_code == "X-MAU"
    assert sent.audience["units"] == ["KP-02", "KP-04"]


async def test_scheduled_at_a_time_and_never_in_quiet_hours(bot: Bot) -> None:
    await _people(bot)
    await bot.say("admin", "thongbao")
    await bot.say("admin", "Mai họp lúc 8 giờ.")
    await bot.say("admin", "2")  # the representatives
    ask = (await bot.say("admin", "hẹn giờ"))[0]
    assert "ví dụ: 8:00 28/8" in ask
    refused = (await bot.say("admin", "22:30 21/11"))[0]
    assert "giờ nghỉ" in refused and "07:00 22/11/2023" in refused, refused
    assert "đã qua" in (await bot.say("admin", "7:00 20/11"))[0]
    queued = (await bot.say("admin", "dạ 7h30 22/11 ạ"))[0]
    assert "bắt đầu gửi lúc 07:30 22/11/2023" in queued, queued
    rows = await _rows(bot)
    assert sorted(r[0] for r in rows) == ["kp1", "kp2", "kp3", "kp4"]
    assert {r[2] for r in rows} == {"2023-11-22T00:30:00.000000Z"}


async def test_cancel_at_the_preview_queues_nothing(bot: Bot) -> None:
    await _people(bot)
    for text in ("thongbao", "Thử.", "1"):
        await bot.say("admin", text)
    assert "Đã hủy" in (await bot.say("admin", "3"))[0]
    assert await _rows(bot) == []


async def test_in_quiet_hours_now_means_when_they_end(bot: Bot) -> None:
    await _people(bot)
    bot.clock.set(datetime.fromisoformat("2023-11-20T22:00:00+07:00"))
    for text in ("thongbao", "Khẩn: mưa lớn, đề phòng ngập.", "1"):
        replies = await bot.say("admin", text)
    assert "giờ nghỉ" in replies[0] and "07:00 21/11/2023" in replies[0], replies


async def _mark(bot: Bot, state: str, chats: list[str]) -> None:
    """Play the sender's part: these chats' rows end in `state`."""
    for chat in chats:
        await bot.db.conn.execute(
            "UPDATE outbox SET state = ?, sent_at = '2023-11-20T01:00:00.000000Z'"
            " WHERE kind = 'broadcast' AND chat_id = ?",
            (state, chat),
        )


async def test_stop_halfway_and_see_who_was_not_reached(bot: Bot) -> None:
    await _people(bot)
    for text in ("thongbao", "Họp khẩn 15 giờ.", "2", "1"):  # the four representatives
        await bot.say("admin", text)
    await _mark(bot, "sent", ["kp1"])
    await _mark(bot, "unreachable", ["kp2"])
    menu = (await bot.say("admin", "thongbao"))[0]
    assert "2. Dừng thông báo số 1 (đã gửi 2/4)" in menu, menu
    stopped = (await bot.say("admin", "dung"))[0]
    assert stopped.startswith("Đã dừng thông báo số 1: 1/4 người đã nhận, 2 người"), stopped
    states = await bot.db.conn.execute_fetchall(
        "SELECT chat_id, state FROM outbox WHERE kind = 'broadcast' ORDER BY chat_id"
    )
    assert [tuple(r) for r in states] == [
        ("kp1", "sent"),
        ("kp2", "unreachable"),
        ("kp3", "cancelled"),
        ("kp4", "cancelled"),
    ]
    menu = (await bot.say("admin", "thongbao"))[0]
    assert "2. Xem ai chưa nhận thông báo số 1 (3 người)" in menu, menu
    listed = (await bot.say("admin", "2"))[0]
    assert listed.splitlines() == [
        "Chưa nhận thông báo số 1 (3 người):",
        "- Khu phố 2: kp2 (đã chặn bot)",
        "- Khu phố 3: kp3 (đã dừng)",
        "- Khu phố 4: kp4 (đã dừng)",
    ], listed


# --- on the real channels: the outbox delivers; the admin sees progress, then the report -----


async def test_progress_and_report_on_telegram_and_zalo(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        bot = live.bot
        await bot.load_campaign(EXAMPLE)
        await bot.enrol("admin-tg", "X-MAU", "admin", channel="telegram")
        await bot.enrol("admin-zl", "X-MAU", "admin", channel="zalo")
        for number, unit in enumerate(("KP-01", "KP-02", "KP-03", "KP-04")):
            await bot.enrol(f"tg{number}", unit, "rep", channel="telegram")
            await bot.enrol(f"zl{number}", unit, "rep", channel="zalo")
        for admin, channel in (("admin-tg", "telegram"), ("admin-zl", "zalo")):
            for text in ("thongbao", "Họp khẩn lúc 15 giờ.", "2"):
                await bot.say(admin, text, channel=channel)
            queued = await bot.say(admin, "1", channel=channel)
            assert "tới 8 người" in queued[-1], queued
        reporter = ProgressReporter(bot.db, bot.router.senders, bot.clock, bot.router.texts)
        # Before anything is sent: Telegram shows 0/8, Zalo waits for its first quarter.
        await reporter.report_once()
        tg_admin = bot.chat("admin-tg", "telegram")
        shown = live.telegram.sent_to(tg_admin)[-1]
        assert shown.text == "Đang gửi thông báo số 1: 0/8 người (0%)."
        zl_admin = bot.chat("admin-zl", "zalo")
        before = len(live.zalo.texts_to(zl_admin))
        outbox = Outbox(bot.db, bot.router.senders, bot.clock, bot.settings.outbox,
                        channels=["telegram", "zalo"])  # fmt: skip
        outbox.start()
        try:
            for _ in range(200):
                await reporter.report_once()
                async with bot.db.read() as repos:
                    if not await repos.broadcasts.unreported():
                        break
                await asyncio.sleep(0.05)
        finally:
            await outbox.stop()
        # Telegram: the progress message was edited in place, then the report came apart.
        edits = live.telegram.calls_of("editMessageText")
        assert edits and all(int(e["message_id"]) == shown.message_id for e in edits)
        assert live.telegram.sent_to(tg_admin)[-1].text == (
            "Thông báo số 1 đã gửi xong: cả 8/8 người đã nhận."
        )
        # Zalo: short messages at the quarters it saw, then the report, said once.
        said = live.zalo.texts_to(zl_admin)[before:]
        assert said[-1] == "Thông báo số 2 đã gửi xong: cả 8/8 người đã nhận."
        assert all(s.startswith("Đang gửi thông báo số 2") for s in said[:-1]) and len(said) <= 4
        await reporter.report_once()
        assert live.zalo.texts_to(zl_admin)[before:] == said  # the report is not said twice
        # Each representative got each of the two announcements exactly once.
        for number in range(4):
            telegram = live.telegram.sent_to(bot.chat(f"tg{number}", "telegram"))
            zalo = live.zalo.texts_to(bot.chat(f"zl{number}", "zalo"))
            for got in ([m.text or "" for m in telegram], zalo):
                assert sum("Họp khẩn lúc 15 giờ." in text for text in got) == 2, got


async def test_the_report_names_who_was_not_reached_and_is_said_once(bot: Bot) -> None:
    await _people(bot)
    for text in ("thongbao", "Họp khẩn 15 giờ.", "2", "1"):  # the four representatives
        await bot.say("admin", text)
    reporter = ProgressReporter(bot.db, bot.router.senders, bot.clock, bot.router.texts)
    await _mark(bot, "sent", ["kp1", "kp2", "kp3"])
    await _mark(bot, "unreachable", ["kp4"])
    assert await reporter.report_once() == 1
    said = bot.recorder.texts("admin")[-1]
    assert said == (
        "Thông báo số 1 đã gửi xong: 3/4 người đã nhận; 0 lỗi; 1 không liên lạc được (đã chặn"
        " bot hoặc không còn dùng).\nGõ thongbao để xem ai chưa nhận, theo từng đơn vị."
    )
    assert await reporter.report_once() == 0 and bot.recorder.texts("admin")[-1] == said


async def test_units_typed_at_the_audience_question_and_nobody_there(bot: Bot) -> None:
    """A head types the units instead of a number ("kp1 va kp3"); a choice that reaches
    nobody says so and offers to choose again, rather than a preview of 0 people."""
    await bot.enrol("admin", "X-MAU", "admin")
    for user, unit in (("kp1", "KP-01"), ("kp3", "KP-03")):
        await bot.enrol(user, unit, "rep")
    await bot.say("admin", "thongbao")
    await bot.say("admin", "Dạ kính mời các đồng chí họp liên tổ lúc 19h ạ")
    preview = (await bot.say("admin", "kp1 va kp3"))[0]
    assert "sẽ đến 2 người ở Khu phố 1, Khu phố 3" in preview, preview
    await bot.say("admin", "quaylai")
    nobody = (await bot.say("admin", "3"))[0]  # secretaries: none has joined
    assert nobody.startswith("Chưa có ai tham gia bot") and "quaylai" in nobody, nobody
    assert "Gửi ngay" not in nobody
    assert "Gửi thông báo cho ai?" in (await bot.say("admin", "quaylai"))[0]


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("KP-01", ["KP-01"]),
        ("kp1", ["KP-01"]),  # the code without its dash and zero
        ("kp 01", ["KP-01"]),
        ("khu pho 1", ["KP-01"]),  # the name's words: not Khu phố 10
        ("Khu phố 10", ["KP-10"]),
        ("kp10", ["KP-10"]),
        ("tdp5", ["TDP-05"]),  # the initials of Tổ dân phố 5
        ("binh an", ["AP-01"]),
        ("khu pho", ["KP-01", "KP-10"]),
        ("chợ", []),
        ("KP01", ["KP-01"]),
        ("²", []),  # a digit Python cannot read as a number
        ("9" * 5000, []),  # longer than Python reads as a number
        ("🙂", []),
    ],
)
def test_find_units_reads_codes_and_names_as_people_type_them(typed: str, codes: list[str]) -> None:
    units = [
        Unit(code=code, name=name, level="khu_dan_cu")
        for code, name in (
            ("KP-01", "Khu phố 1"), ("KP-10", "Khu phố 10"), ("TDP-05", "Tổ dân phố 5"),
            ("AP-01", "Ấp Bình An"),
        )
    ]  # fmt: skip
    assert [u.code for u in find_units(units, typed)] == codes
