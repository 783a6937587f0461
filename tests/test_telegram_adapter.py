"""The Telegram adapter's translations, as canned exchanges: updates in, errors across, buttons out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from telegram import Update
from telegram import error as tg_error

from bot.channels.errors import (
    BadRequest,
    ChannelError,
    RateLimited,
    TransientError,
    Unauthorized,
    Unreachable,
)
from bot.channels.telegram import keyboard, map_error, to_inbound
from bot.messages import Button, Inbound, InboundKind, Outbound
from tests.conftest import Bot

UPDATE_ID = 7001
LAN = {"id": 42, "is_bot": False, "first_name": "Lan", "last_name": "Nguyễn", "language_code": "vi"}
PRIVATE = {"id": 42, "type": "private", "first_name": "Lan", "last_name": "Nguyễn"}
GROUP = {"id": -4001, "type": "group", "title": "Ban công tác KP1"}
SUPERGROUP = {"id": -1001234567890, "type": "supergroup", "title": "MTTQ Phường"}
CHANNEL = {"id": -1009876543210, "type": "channel", "title": "Tin phường"}
PHOTO_SIZES = [
    {"file_id": f"AgAC-{size}", "file_unique_id": f"u{size}", "width": size, "height": size}
    for size in (90, 320, 1280)
]
PDF = {
    "file_id": "BQAC-doc",
    "file_unique_id": "udoc",
    "file_name": "Biên bản bình xét.pdf",
    "mime_type": "application/pdf",
    "file_size": 2048,
}


def _message(chat: dict[str, Any] = PRIVATE, **content: Any) -> dict[str, Any]:
    """A message in `chat` from Lan (unless `content` says otherwise)."""
    return {"message_id": 11, "date": 1700000000, "chat": chat, "from": LAN, **content}


def _callback(data: str | None, message: dict[str, Any] | None) -> dict[str, Any]:
    query: dict[str, Any] = {"id": "q1", "from": LAN, "chat_instance": "-77"}
    if data is not None:
        query["data"] = data
    if message is not None:
        query["message"] = message
    return {"callback_query": query}


def _bot_message(chat: dict[str, Any]) -> dict[str, Any]:
    """The bot's message a button hangs under."""
    bot = {"id": 123456, "is_bot": True, "first_name": "Thi đua", "username": "thidua_test_bot"}
    return {"message_id": 10, "date": 1700000000, "chat": chat, "from": bot, "text": "Câu 2/11"}


def _inbound(**fields: Any) -> Inbound:
    """The Inbound Lan's update becomes, in her private chat."""
    base: dict[str, Any] = {
        "channel": "telegram",
        "chat_id": "42",
        "user_id": "42",
        "display_name": "Lan Nguyễn",
        "key": f"telegram:{UPDATE_ID}",
    }
    return Inbound(**{**base, **fields})


STICKER = {
    "file_id": "CAAC-st",
    "file_unique_id": "ust",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
    "type": "regular",
}

UPDATES: list[tuple[str, dict[str, Any], Inbound | None]] = [
    ("private text", {"message": _message(text="dangky")}, _inbound(text="dangky")),
    (
        "private text with a zero-width space",
        {"message": _message(text="trangthai\u200b")},
        _inbound(text="trangthai"),
    ),
    (
        "/start@botname CODE is passed on whole",
        {
            "message": _message(
                text="/start@thidua_test_bot K7MPQ3RX",
                entities=[{"type": "bot_command", "offset": 0, "length": 22}],
            )
        },
        _inbound(text="/start@thidua_test_bot K7MPQ3RX"),
    ),
    (
        "photo with a caption: the largest size",
        {"message": _message(photo=PHOTO_SIZES, caption="Hẻm 12 đã sáng")},
        _inbound(kind=InboundKind.PHOTO, text="Hẻm 12 đã sáng", photo_ref="AgAC-1280"),
    ),
    (
        "photo without a caption",
        {"message": _message(photo=PHOTO_SIZES)},
        _inbound(kind=InboundKind.PHOTO, photo_ref="AgAC-1280"),
    ),
    (
        "document with a caption",
        {"message": _message(document=PDF, caption="biên bản")},
        _inbound(
            kind=InboundKind.DOCUMENT,
            text="biên bản",
            document_ref="BQAC-doc",
            document_name="Biên bản bình xét.pdf",
        ),
    ),
    (
        "document without a file name",
        {"message": _message(document={"file_id": "BQAC-x", "file_unique_id": "ux"})},
        _inbound(kind=InboundKind.DOCUMENT, document_ref="BQAC-x"),
    ),
    (
        "button pressed in a private chat types its value",
        _callback("2", _bot_message(PRIVATE)),
        _inbound(text="2"),
    ),
    (
        "button with Vietnamese data",
        _callback("không", _bot_message(PRIVATE)),
        _inbound(text="không"),
    ),
    (
        "button under a message too old to be sent along: the presser's own chat",
        _callback("huy", None),
        _inbound(text="huy"),
    ),
    ("button without data (a game)", _callback(None, _bot_message(PRIVATE)), _inbound(text="")),
    ("button pressed in a group", _callback("1", _bot_message(GROUP)), None),
    ("button pressed in a supergroup", _callback("1", _bot_message(SUPERGROUP)), None),
    ("edited message", {"edited_message": _message(text="sửa lại", edit_date=1700000100)}, None),
    ("group message", {"message": _message(GROUP, text="trangthai")}, None),
    ("supergroup message", {"message": _message(SUPERGROUP, text="/start K7MPQ3RX")}, None),
    (
        "channel post",
        {"channel_post": {"message_id": 5, "date": 1700000000, "chat": CHANNEL, "text": "Tin"}},
        None,
    ),
    (
        "anonymous group admin (sender_chat, no from)",
        {"message": {**_message(SUPERGROUP, text="1", sender_chat=SUPERGROUP), "from": None}},
        None,
    ),
    (
        "private message without from_user",
        {"message": {k: v for k, v in _message(text="1").items() if k != "from"}},
        None,
    ),
    (
        "someone blocks the bot (my_chat_member)",
        {
            "my_chat_member": {
                "chat": PRIVATE,
                "from": LAN,
                "date": 1700000000,
                "old_chat_member": {"user": LAN, "status": "member"},
                "new_chat_member": {"user": LAN, "status": "kicked", "until_date": 0},
            }
        },
        None,
    ),
    ("sticker", {"message": _message(sticker=STICKER)}, _inbound(kind=InboundKind.UNSUPPORTED)),
    (
        "voice",
        {"message": _message(voice={"file_id": "AwAC", "file_unique_id": "uv", "duration": 3})},
        _inbound(kind=InboundKind.UNSUPPORTED),
    ),
    (
        "contact card",
        {"message": _message(contact={"phone_number": "0912345678", "first_name": "Tư"})},
        _inbound(kind=InboundKind.UNSUPPORTED),
    ),
    (
        "location",
        {"message": _message(location={"latitude": 10.77, "longitude": 106.7})},
        _inbound(kind=InboundKind.UNSUPPORTED),
    ),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in UPDATES], ids=[c[0] for c in UPDATES])
def test_to_inbound(raw: dict[str, Any], expected: Inbound | None) -> None:
    update = Update.de_json({"update_id": UPDATE_ID, **raw}, None)
    assert to_inbound(update) == expected


async def test_start_with_the_bot_name_enrols(bot: Bot) -> None:
    code = await bot.invite("KP-01", "rep")
    raw = {"update_id": UPDATE_ID, "message": _message(text=f"/start@thidua_test_bot {code}")}
    inbound = to_inbound(Update.de_json(raw, None))
    assert inbound is not None
    await bot.send(inbound)
    async with bot.db.read() as repos:
        member = await repos.members.find("telegram", "42")
    assert member is not None and member.unit_code == "KP-01"


ERRORS: list[tuple[str, tg_error.TelegramError, type[ChannelError], float | None]] = [
    ("RetryAfter in whole seconds", tg_error.RetryAfter(5), RateLimited, 5.0),
    ("RetryAfter as a timedelta", tg_error.RetryAfter(timedelta(seconds=7.5)), RateLimited, 7.5),
    ("RetryAfter of zero", tg_error.RetryAfter(0), RateLimited, 0.0),
    ("blocked by the user", tg_error.Forbidden("Forbidden: bot was blocked by the user"), Unreachable, None),
    ("chat not found", tg_error.BadRequest("Bad Request: chat not found"), BadRequest, None),
    ("button data invalid", tg_error.BadRequest("Bad Request: BUTTON_DATA_INVALID"), BadRequest, None),
    ("token refused", tg_error.InvalidToken(), Unauthorized, None),
    ("token refused, with a message", tg_error.InvalidToken("Not Found"), Unauthorized, None),
    ("network down", tg_error.NetworkError("httpx.ConnectError: refused"), TransientError, None),
    ("timed out", tg_error.TimedOut(), TransientError, None),
    ("another getUpdates", tg_error.Conflict("Conflict: terminated by other getUpdates"), TransientError, None),
    ("group became a supergroup", tg_error.ChatMigrated(-1001234567890), TransientError, None),
    ("anything else", tg_error.TelegramError("Internal Server Error"), TransientError, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("exc", "error", "retry_after"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS]
)
def test_map_error(
    exc: tg_error.TelegramError, error: type[ChannelError], retry_after: float | None
) -> None:
    mapped = map_error(exc)
    assert type(mapped) is error
    assert str(mapped) == str(exc)
    if isinstance(mapped, RateLimited):
        assert mapped.retry_after == retry_after
        assert isinstance(mapped.retry_after, float)
    else:
        assert retry_after is None


def _keyboard(rows: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]] | None:
    """The (text, callback_data) rows the adapter builds for buttons given as (label, value)."""
    message = Outbound(
        text="Câu 2/11",
        buttons=[[Button(label=label, value=value) for label, value in row] for row in rows],
    )
    markup = keyboard(message)
    if markup is None:
        return None
    return [
        [(button.text, str(button.callback_data)) for button in row]
        for row in markup.inline_keyboard
    ]


LONG_LABEL = "1. " + "Thắp sáng hẻm 12 đường Trần Hưng Đạo, khu phố 1, phường Mẫu, tỉnh Mẫu"
KEYBOARDS: list[tuple[str, list[list[tuple[str, str]]], list[list[tuple[str, str]]] | None]] = [
    ("no buttons, no keyboard", [], None),
    (
        "rows kept as rows",
        [[("1. Công trình", "1")], [("Quay lại", "quaylai"), ("Hủy", "huy")]],
        [[("1. Công trình", "1")], [("Quay lại", "quaylai"), ("Hủy", "huy")]],
    ),
    (
        "Vietnamese values go as they are",
        [[("Có", "có"), ("Không", "không")]],
        [[("Có", "có"), ("Không", "không")]],
    ),
    ("a label longer than 64 is cut at 64", [[(LONG_LABEL, "1")]], [[(LONG_LABEL[:64], "1")]]),
    ("an ASCII value of 70 is cut at 64 bytes", [[("x", "a" * 70)]], [[("x", "a" * 64)]]),
]


@pytest.mark.parametrize(
    ("rows", "expected"), [c[1:] for c in KEYBOARDS], ids=[c[0] for c in KEYBOARDS]
)
def test_keyboard(
    rows: list[list[tuple[str, str]]], expected: list[list[tuple[str, str]]] | None
) -> None:
    assert _keyboard(rows) == expected


@pytest.mark.parametrize("value", ["không " * 11, "Đường cờ Tổ quốc, hẻm 12, khu phố 1 — " * 2])
def test_keyboard_callback_data_fits_64_bytes(value: str) -> None:
    markup = _keyboard([[("Chọn", value)]])
    assert markup is not None
    data = markup[0][0][1]
    assert 1 <= len(data.encode("utf-8")) <= 64
    assert value.encode("utf-8").startswith(data.encode("utf-8"))
