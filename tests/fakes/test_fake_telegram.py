"""The fake Telegram server, driven by python-telegram-bot's real HTTP stack."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from tests.fakes.runner import serve
from tests.fakes.telegram_server import FakeTelegram

USER = 4242


@dataclass
class Served:
    """A running fake and its base URL."""

    fake: FakeTelegram
    url: str

    def bot(self, token: str | None = None) -> Bot:
        """A PTB Bot pointed at the fake."""
        return Bot(
            token or self.fake.token,
            base_url=f"{self.url}/bot",
            base_file_url=f"{self.url}/file/bot",
        )


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    """A fresh fake served on a random port."""
    fake = FakeTelegram()
    async with serve(fake.app) as url:
        yield Served(fake, url)


@pytest.fixture
async def bot(served: Served) -> AsyncIterator[Bot]:
    """An initialized PTB Bot talking to the fake."""
    async with served.bot() as ptb_bot:
        yield ptb_bot


async def test_get_me_and_commands(bot: Bot, served: Served) -> None:
    """getMe shapes a bot User; commands round-trip per scope."""
    me = await bot.get_me()
    assert me.is_bot and me.username == "thidua_test_bot" and me.id == 123456
    assert await bot.set_my_commands([("start", "Bắt đầu"), ("diem", "Xem điểm")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "diem"]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Bad-Name", "x")])
    assert served.fake.calls_of("getMe")


async def test_wrong_token_is_invalid_token(served: Served) -> None:
    """A token the fake does not know is rejected as by Telegram (401)."""
    with pytest.raises(InvalidToken):
        async with served.bot("999:wrong"):
            pass


async def test_send_message_records_inline_keyboard(bot: Bot, served: Served) -> None:
    """Form-encoded reply_markup is decoded and echoed back on the Message."""
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Có", callback_data="yes"),
                InlineKeyboardButton("Không", callback_data="no"),
            ]
        ]
    )
    message = await bot.send_message(USER, "Tham gia?", reply_markup=markup)
    assert message.reply_markup == markup and message.chat.id == USER
    [sent] = served.fake.sent_to(USER)
    assert sent.method == "sendMessage" and sent.text == "Tham gia?"
    assert sent.message_id == message.message_id
    assert [b["callback_data"] for b in sent.buttons] == ["yes", "no"]


async def test_limits_raise_bad_request(bot: Bot, served: Served) -> None:
    """Too long, empty and malformed-HTML texts fail like on Telegram; nothing is recorded."""
    # PTB strips "Bad Request: " and capitalize()s the rest, so matches ignore case.
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(USER, "a" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)empty"):
        await bot.send_message(USER, "   ")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(USER, "Điểm <b>cao", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(
            USER,
            "x",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("x", callback_data="d" * 65)]]
            ),
        )
    # Tags don't count toward the limit; the visible text does.
    await bot.send_message(USER, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    assert len(served.fake.sent) == 1


# PTB itself warns while building RetryAfter's message (retry_after becomes a timedelta in v23).
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_failures(bot: Bot, served: Served) -> None:
    """fail_next and block produce the errors PTB maps to RetryAfter, Forbidden, NetworkError."""
    fake = served.fake
    fake.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter, match="Retry in 3"):
        await bot.send_message(USER, "hi")
    fake.fail_next("SENDMESSAGE", status=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(USER, "hi")
    fake.block(USER)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(USER, "hi")
    fake.unblock(USER)
    await bot.send_message(USER, "hi")
    assert [m.text for m in fake.sent] == ["hi"]
    assert len(fake.calls_of("sendMessage")) == 5


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_control_answers_real_429s(bot: Bot, served: Served) -> None:
    """Over N a second overall or one a second to a chat: 429 with retry_after, counted."""
    fake = served.fake
    fake.flood_control(3, per_chat=1.0)
    await bot.send_message(1, "a")
    with pytest.raises(RetryAfter, match="Retry in 1"):
        await bot.send_message(1, "again")  # the same chat within the second
    await bot.send_message(2, "b")
    await bot.send_message(3, "c")
    with pytest.raises(RetryAfter):
        await bot.send_message(4, "d")  # a fourth within the second, to anyone
    await bot.send_chat_action(4, "typing")  # not a message: never limited
    assert fake.too_many == 2 and len(fake.too_many_at) == 2
    assert [m.text for m in fake.sent] == ["a", "b", "c"]  # refused sends are not counted
    await asyncio.sleep(1.05)
    await bot.send_message(4, "d")
    await bot.send_message(1, "again")
    fake.flood_control(None)
    for n in range(10):
        await bot.send_message(5, f"{n}")
    assert len(fake.sent) == 15 and fake.too_many == 2
    async with httpx.AsyncClient(base_url=served.url) as http:
        raw = await http.post(f"/bot{fake.token}/sendMessage", json={"chat_id": 5, "text": "x"})
        assert raw.json()["ok"]
        answer = await http.post("/_fake/flood", json={"per_second": 1, "per_chat": 1})
        assert answer.json() == {"per_second": 1, "too_many": 2}
        await http.post(f"/bot{fake.token}/sendMessage", json={"chat_id": 6, "text": "x"})
        raw = await http.post(f"/bot{fake.token}/sendMessage", json={"chat_id": 7, "text": "x"})
        assert raw.status_code == 429 and raw.json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        }
        tally = (await http.get("/_fake/tally")).json()
        assert tally["per_chat"]["5"] == 11 and "7" not in tally["per_chat"]
        assert len(tally["sent_at"]) == 17 and len(tally["too_many_at"]) == 3
        assert (await http.get("/_fake/stats")).json()["too_many"] == 3
        await http.post("/_fake/flood", json={"per_second": None})
        raw = await http.post(f"/bot{fake.token}/sendMessage", json={"chat_id": 7, "text": "x"})
        assert raw.json()["ok"]


async def test_get_updates_long_polls_and_confirms(bot: Bot, served: Served) -> None:
    """getUpdates waits for an injection, returns it at once, and confirms below offset."""
    fake = served.fake
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    update_id = fake.inject_message(USER, "/start MA123", first_name="Hùng")
    [update] = await poll
    assert time.monotonic() - started < 1
    assert update.update_id == update_id and update.message is not None
    assert update.message.text == "/start MA123" and update.message.from_user is not None
    assert update.message.from_user.first_name == "Hùng"
    assert update.message.entities[0].type == "bot_command"
    assert fake.pending_updates == 1
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()
    assert fake.pending_updates == 0
    started = time.monotonic()
    assert await bot.get_updates(offset=update_id + 1, timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 2


async def test_photo_get_file_and_download(bot: Bot, served: Served) -> None:
    """An injected photo has several sizes and its bytes download through getFile."""
    served.fake.inject_photo(USER, caption="Ảnh hoạt động", file_bytes=b"JPEG-bytes")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.caption == "Ảnh hoạt động"
    assert len(update.message.photo) > 1
    file = await update.message.photo[-1].get_file()
    assert bytes(await file.download_as_bytearray()) == b"JPEG-bytes"
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_send_document_and_photo_uploads(bot: Bot, served: Served) -> None:
    """Multipart uploads (including an attach:// thumbnail) record names and bytes."""
    message = await bot.send_document(
        USER,
        InputFile(b"a,b\n1,2\n", filename='báo cáo "tháng".csv'),
        caption="Báo cáo",
        thumbnail=InputFile(b"thumb", filename="t.jpg"),
    )
    [sent] = served.fake.sent_to(USER)
    assert sent.document_name == 'báo cáo "tháng".csv' and sent.document_bytes == b"a,b\n1,2\n"
    assert sent.caption == "Báo cáo" and served.fake.calls[-1][1]["thumbnail"].content == b"thumb"
    assert message.document is not None
    resent = await bot.send_document(USER, message.document.file_id)
    assert resent.document is not None and resent.document.file_name == sent.document_name
    assert served.fake.sent[-1].file_ref == message.document.file_id
    await bot.send_photo(USER, b"PNG-bytes", caption="Biểu đồ")
    assert served.fake.sent[-1].photo_bytes == b"PNG-bytes"


async def test_application_polling_end_to_end(served: Served) -> None:
    """A real PTB Application sees commands with args, texts, callbacks and stickers."""
    fake = served.fake
    seen: list[str] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"start {context.args}")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Đồng ý", callback_data="ok:1")]])
        await update.effective_message.reply_text("Bạn chắc chứ?", reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Đã chọn {query.data}")

    async def anything(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append("sticker" if update.message and update.message.sticker else "other")

    app = (
        Application.builder()
        .token(fake.token)
        .base_url(f"{served.url}/bot")
        .base_file_url(f"{served.url}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(TypeHandler(Update, anything), group=1)
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            fake.inject_message(USER, "/start MA123")
            [reply] = await fake.wait_for_sent(USER, 1)
            assert reply.text == "start ['MA123']"
            fake.inject_message(USER, "xin chào")
            question = (await fake.wait_for_sent(USER, 2))[1]
            assert question.buttons == [{"text": "Đồng ý", "callback_data": "ok:1"}]
            fake.inject_callback(USER, "ok:1")
            edit = (await fake.wait_for_sent(USER, 3))[2]
            assert edit.method == "editMessageText" and edit.text == "Đã chọn ok:1"
            assert edit.message_id == question.message_id
            fake.inject_update(
                {
                    "message": {
                        "message_id": 99,
                        "date": int(time.time()),
                        "chat": {"id": USER, "type": "private", "first_name": "Lan"},
                        "from": {"id": USER, "is_bot": False, "first_name": "Lan"},
                        "sticker": {
                            "file_id": "S1",
                            "file_unique_id": "U1",
                            "type": "regular",
                            "width": 512,
                            "height": 512,
                            "is_animated": False,
                            "is_video": False,
                        },
                    }
                }
            )
            await fake.wait_consumed()
        finally:
            await app.updater.stop()
            await app.stop()
    assert fake.calls_of("deleteWebhook") and fake.calls_of("answerCallbackQuery")
    assert seen[-1] == "sticker" and len(seen) == 4
    with pytest.raises(AssertionError, match="wanted 9 messages"):
        await fake.wait_for_sent(USER, 9, timeout=0.05)


async def test_http_side_door(served: Served) -> None:
    """The /_fake endpoints inject, inspect, fail and reset over plain HTTP."""
    fake = served.fake
    async with httpx.AsyncClient(base_url=served.url) as http, served.bot() as bot:
        r = await http.post(
            "/_fake/message", json={"user_id": USER, "text": "chào", "first_name": "Mai"}
        )
        first_id = r.json()["update_id"]
        r = await http.post(
            "/_fake/bulk", json={"messages": [{"user_id": i, "text": f"m{i}"} for i in range(5)]}
        )
        assert r.json()["count"] == 5
        updates = await bot.get_updates()
        assert updates[0].update_id == first_id and len(updates) == 6
        await http.post(
            "/_fake/fail", json={"method": "sendMessage", "status": 403, "retry_after": None}
        )
        with pytest.raises(Forbidden):
            await bot.send_message(USER, "x")
        await bot.send_message(USER, "một")
        await bot.send_message(7, "hai")
        sent = (await http.get("/_fake/sent", params={"chat_id": USER})).json()
        assert [m["text"] for m in sent["messages"]] == ["một"] and sent["next"] == 1
        assert (await http.get("/_fake/sent", params={"since": 1})).json()["messages"][0][
            "text"
        ] == "hai"
        stats = (await http.get("/_fake/stats")).json()
        assert stats == {
            "updates_injected": 6,
            "pending_updates": 6,
            "sent_count": 2,
            "calls_count": 5,
            "answered": 1,  # one injected update has had a reply (for latency figures)
            "too_many": 0,  # flood control is off unless asked for
        }
        await http.post("/_fake/callback", json={"user_id": USER, "data": "x"})
        await http.post("/_fake/reset")
        assert fake.pending_updates == 0 and fake.sent == []
        bad = await http.get(f"/bot{fake.token}/noSuchMethod")
        assert bad.status_code == 404 and bad.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found",
        }
        me = await http.get(f"/bot{fake.token}/GETME")
        assert me.json()["result"]["username"] == fake.username
        json_send = await http.post(
            f"/bot{fake.token}/sendMessage",
            json={"chat_id": USER, "text": "json", "reply_markup": {"inline_keyboard": []}},
        )
        assert json_send.json()["ok"] and fake.sent[-1].chat_id == str(USER)


def test_runs_as_a_module() -> None:
    """`python -m tests.fakes.telegram_server --port N` serves the side door."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.telegram_server", "--port", str(port)], cwd=root
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/_fake/stats", timeout=1).json()
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        assert stats["sent_count"] == 0
    finally:
        proc.terminate()
        proc.wait(timeout=5)
