"""`xuat` in the chat: numbered menus and typed words, a representative refused in a sentence,
the file of the secretary's own subtree, and what happens when the campaign is not theirs."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from docx import Document
from openpyxl import load_workbook

from bot.admin import Refused
from bot.channels.console import console_inbound
from bot.exports.files import write_export
from bot.messages import Outbound
from bot.scheduling import Scheduler
from bot.web.app import build_app
from bot.web.downloads import Downloads
from bot.web.server import WebServer
from storage.db import ChildFailed
from tests.channels_harness import live_bot
from tests.driver import Bot
from tests.test_export_cli import EXAMPLE, _answers


async def _registered(bot: Bot) -> None:
    """The example campaign (Phường Mẫu only); Khu phố 1 registered one work."""
    await bot.load_campaign(EXAMPLE)
    await bot.enrol("ba-lan", "KP-01", "rep")
    for text in _answers("Thắp sáng hẻm 12", "45 triệu", "120"):
        await bot.say("ba-lan", text)


async def _replies(bot: Bot, user: str, text: str) -> list[Outbound]:
    return (await bot.send(console_inbound(user, text))).replies


async def test_a_representative_is_told_it_is_for_secretaries(bot: Bot) -> None:
    await _registered(bot)
    reply = (await bot.say("ba-lan", "xuat"))[0]
    assert "thư ký" in reply and "trogiup" in reply


async def test_menus_lead_to_the_excel_file_of_the_subtree(bot: Bot) -> None:
    await _registered(bot)
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    ask = (await bot.say("thu-ky", "xuat"))[0]
    # One campaign: straight to its forms, numbered, the registration first.
    assert ask.startswith("Xuất file mẫu nào?") and "1. Đăng ký công trình" in ask, ask
    ask = (await bot.say("thu-ky", "1"))[0]
    assert "1. Excel" in ask and "2. Word" in ask
    working, ready = await _replies(bot, "thu-ky", "1")
    assert working.text.startswith("Đang chuẩn bị file Excel")
    assert ready.document_path is not None and ready.document_name is not None
    assert ready.document_name == "dai-hoi-mttq-2024-dang-ky-X-MAU.xlsx"
    assert "1/4 khu dân cư đã gửi, 1 công trình" in ready.text, ready.text
    book = load_workbook(ready.document_path)
    values = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Thắp sáng hẻm 12" in values and "Khu phố 1" in values
    # The conversation is over: the next word is a new command.
    assert "trogiup" in (await bot.say("thu-ky", "gì đây"))[0]


async def test_typed_words_pick_the_form_and_the_word_file(bot: Bot) -> None:
    await _registered(bot)
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    await bot.say("thu-ky", "xuất")
    await bot.say("thu-ky", "tong ket a")
    working, ready = await _replies(bot, "thu-ky", "word")
    assert "Word" in working.text and ready.document_path is not None
    assert ready.document_name is not None and ready.document_name.endswith(".docx")
    text = "\n".join(p.text for p in Document(ready.document_path).paragraphs)
    assert "BÁO CÁO KẾT QUẢ TỔNG KẾT" in text


async def test_a_wrong_pick_explains_and_asks_again(bot: Bot) -> None:
    await _registered(bot)
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    await bot.say("thu-ky", "xuat")
    await bot.say("thu-ky", "1")
    replies = await bot.say("thu-ky", "pdf 🙂")
    assert replies[0].startswith("Chưa rõ Anh/Chị chọn mục nào") and "1 đến 2" in replies[0]
    assert "1. Excel" in replies[-1]
    back = await bot.say("thu-ky", "quaylai")
    assert "1. Đăng ký công trình" in back[-1]
    assert "Đã dừng" in (await bot.say("thu-ky", "huy"))[0]


async def test_an_admin_above_the_scope_gets_the_scope(bot: Bot) -> None:
    await _registered(bot)
    await bot.enrol("admin", "T-MAU", "admin")
    await bot.say("admin", "xuat")
    await bot.say("admin", "1")
    _, ready = await _replies(bot, "admin", "1")
    assert ready.document_name == "dai-hoi-mttq-2024-dang-ky-T-MAU.xlsx"
    assert "của Phường Mẫu" in ready.text  # the campaign covers Phường Mẫu only


async def test_an_export_in_a_child_process_refuses_as_on_a_thread(bot: Bot) -> None:
    await _registered(bot)
    with pytest.raises(Refused) as refused:
        await write_export(
            bot.db, bot.settings, campaign="khong-co", form="dang-ky", unit_code=None,
            fmt="xlsx", target=Path(bot.settings.database.path).with_name("x.xlsx"),
            now=bot.clock.now(), in_process=True,
        )  # fmt: skip
    assert refused.value.lines == [
        "không có đợt thi đua mã 'khong-co' (xem thidua campaign list) / unknown campaign"
        " 'khong-co' (see thidua campaign list)"
    ]
    assert not list(Path(bot.settings.database.path).parent.glob("*x.xlsx*"))


async def test_a_secretary_outside_the_scope_has_nothing_to_export(bot: Bot) -> None:
    await _registered(bot)
    await bot.enrol("song", "X-SONG", "secretary")
    reply = (await bot.say("song", "xuat"))[0]
    assert reply.startswith("Chưa có đợt thi đua nào thuộc đơn vị")


# --- on the real channels: a Telegram document, a Zalo link served by the web app ----------

SECRET = "test-secret-for-links-1f3a"
PUBLIC = "https://thidua.example.vn"


@asynccontextmanager
async def _site(bot: Bot) -> AsyncIterator[httpx.AsyncClient]:
    """The bot's web app on 127.0.0.1, as `thidua run` serves it, and a client for it."""
    downloads = Downloads(
        Path(bot.settings.database.path).with_name("downloads"),
        secret=SECRET,
        public_url=PUBLIC,
        lifetime=timedelta(hours=24),
    )
    bot.router.downloads = downloads
    scheduler = Scheduler(bot.db, bot.settings, bot.clock)
    scheduler.start()
    server = WebServer(build_app(bot.db, scheduler, downloads, bot.clock), "127.0.0.1:0")
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as http:
            yield http
    finally:
        await server.stop()
        scheduler.stop()


async def test_telegram_receives_the_file_as_a_document(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        bot = live.bot
        await _registered(bot)
        await bot.enrol("thu-ky", "X-MAU", "secretary", channel="telegram")
        menu = await bot.hear("thu-ky", "xuat", channel="telegram")
        assert ("1. Đăng ký công trình, phần việc thi đua",) in menu[0].buttons
        await bot.say("thu-ky", "1", channel="telegram")
        replies = await bot.say("thu-ky", "1", channel="telegram")
        assert replies[0].startswith("Đang chuẩn bị file Excel")
        document = live.telegram.sent_to(bot.chat("thu-ky", "telegram"))[-1]
        assert document.document_name == "dai-hoi-mttq-2024-dang-ky-X-MAU.xlsx"
        assert document.caption is not None and "1/4 khu dân cư đã gửi" in document.caption
        assert document.document_bytes is not None
        book = load_workbook(io.BytesIO(document.document_bytes))
        cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
        assert "Thắp sáng hẻm 12" in cells


async def test_zalo_receives_a_signed_link_that_opens_once_and_only_as_signed(
    tmp_path: Path,
) -> None:
    async with live_bot(tmp_path) as live:
        bot = live.bot
        await _registered(bot)
        await bot.enrol("thu-ky", "X-MAU", "secretary", channel="zalo")
        # Without [web].public_url and secret: a sentence, nothing written.
        for text in ("xuat", "1"):
            await bot.say("thu-ky", text, channel="zalo")
        reply = (await bot.say("thu-ky", "2", channel="zalo"))[-1]
        assert "báo quản trị viên" in reply and "Telegram" in reply
        async with _site(bot) as http:
            for text in ("xuat", "1"):
                await bot.say("thu-ky", text, channel="zalo")
            replies = await bot.say("thu-ky", "2", channel="zalo")
            assert replies[0].startswith("Đang chuẩn bị file Word")
            text = replies[-1]
            assert "dùng được đến 08:00 21/11/2023" in text, text
            link = text.splitlines()[-1]
            assert link.startswith(PUBLIC + "/t/") and len(link) < 80  # short enough to tap
            path = urlsplit(link).path
            got = await http.get(path)
            assert got.status_code == 200
            document = Document(io.BytesIO(got.content))
            body = "\n".join(p.text for p in document.paragraphs)
            cells = [
                cell.text for table in document.tables for row in table.rows for cell in row.cells
            ]
            assert "DANH SÁCH ĐĂNG KÝ" in body and "Khu phố 1" in cells
            assert "dai-hoi-mttq-2024-dang-ky-X-MAU.docx" in got.headers["content-disposition"]
            # Altered: one character of the signature changed.
            altered = path[:-1] + ("A" if path[-1] != "A" else "B")
            refused = await http.get(altered)
            assert refused.status_code == 403 and "không hợp lệ" in refused.text
            # Another file's signature: a second export's id with this one's signature.
            for text in ("xuat", "1"):
                await bot.say("thu-ky", text, channel="zalo")
            other = urlsplit((await bot.say("thu-ky", "1", channel="zalo"))[-1].splitlines()[-1])
            file_id = other.path.rsplit("/", 1)[1].split(".")[0]
            mine = path.rsplit("/", 1)[1].split(".", 1)[1]
            foreign = await http.get(f"/t/{file_id}.{mine}")
            assert foreign.status_code == 403
            # Expired: a day and a minute later.
            bot.clock.advance(timedelta(hours=24, minutes=1))
            expired = await http.get(path)
            assert expired.status_code == 403 and "hết hạn" in expired.text


def _die(conn: object) -> None:
    os._exit(3)  # as an export killed by the kernel would end


async def test_a_child_that_dies_is_an_error_not_a_hang(bot: Bot) -> None:
    with pytest.raises(ChildFailed, match="exit 3"):
        await bot.db.snapshot_in_process(_die)
