"""Every command word × every role (and unenrolled): allowed or refused, through the router."""

from __future__ import annotations

import pytest

from bot import roles
from bot.channels.console import console_inbound
from bot.words import Command
from storage.models import Role
from tests.conftest import Bot

TYPED = {
    Command.START: "/start",
    Command.DANGKY: "đăng ký",
    Command.BAOCAO: "báo cáo",
    Command.TRANGTHAI: "trạng thái",
    Command.TONGHOP: "tổng hợp",
    Command.XUAT: "xuất",
    Command.THONGBAO: "thông báo",
    Command.MOI: "mời",
    Command.TROGIUP: "trợ giúp",
    Command.HUY: "hủy",
    Command.QUAYLAI: "quay lại",
    Command.BOQUA: "bỏ qua",
    Command.SUA: "sửa 2",
    Command.GUI: "gửi",
}

# The contract, written out in full so that a change to roles.py must change this table too.
EXPECTED: dict[Command, set[str]] = {
    Command.START: {"rep", "secretary", "admin", "none"},
    Command.DANGKY: {"rep"},
    Command.BAOCAO: {"rep"},
    Command.TRANGTHAI: {"rep", "secretary", "admin"},
    Command.TONGHOP: {"secretary", "admin"},
    Command.XUAT: {"secretary", "admin"},
    Command.THONGBAO: {"admin"},
    Command.MOI: {"secretary", "admin"},
    Command.TROGIUP: {"rep", "secretary", "admin", "none"},
    Command.HUY: {"rep", "secretary", "admin", "none"},
    Command.QUAYLAI: {"rep", "secretary", "admin"},
    Command.BOQUA: {"rep", "secretary", "admin"},
    Command.SUA: {"rep", "secretary", "admin"},
    Command.GUI: {"rep", "secretary", "admin"},
}

UNITS = {"rep": "KP-01", "secretary": "X-MAU", "admin": "X-MAU"}
REFUSAL_MARKS = ("Việc này dành cho", "mã mời")


def test_table_covers_every_command() -> None:
    assert set(TYPED) == set(Command) == set(EXPECTED)


@pytest.mark.parametrize("command", list(Command))
@pytest.mark.parametrize("who", ["rep", "secretary", "admin", "none"])
async def test_command_by_role(bot: Bot, command: Command, who: str) -> None:
    if who != "none":
        await bot.enrol("person", UNITS[who], who)
    role = None if who == "none" else Role(who)
    should_allow = who in EXPECTED[command]
    assert roles.allowed(command, role) is should_allow
    handled = await bot.router.dispatch(console_inbound("person", TYPED[command]))
    text = handled.replies[0].text
    refused = handled.handler in ("refused",) or (who == "none" and "mã mời" in text)
    if who == "none" and command in (Command.START, Command.HUY, Command.TROGIUP):
        refused = False  # these answer with how to enrol, which is what they are for
    assert refused is not should_allow, (command, who, handled.handler, text)
    if refused:
        assert any(mark in text for mark in REFUSAL_MARKS)
        assert "trogiup" in text or "mã mời" in text
